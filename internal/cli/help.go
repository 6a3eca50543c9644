package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"sort"

	"github.com/newsmirror/newsmirror/internal/suggest"
)

// manual is a command's help: a usage line, what it does, examples.
type manual struct {
	usage    string
	about    string
	examples []string
}

// manuals hold the help of every command, builtins included.
var manuals = map[string]manual{
	"sync": {"newsmirror sync [-c FILE] [--rebuild] [--adopt] [--dry-run] [--json] [--host-id NAME]",
		`One pass over every source: new articles become pages, old ones are retired,
one commit, a push to every remote. Exit 0 when all went well, 3 when some
articles or a push failed, 5 when no feed could be read, 6 when too many failed.
--dry-run does the same work and only prints the files it would write and
remove and the commit it would make: nothing is written, committed or pushed.`,
		[]string{
			"newsmirror sync -c newsmirror.yaml",
			"newsmirror sync -c newsmirror.yaml --dry-run    # what the next sync would change",
			"newsmirror sync -c newsmirror.yaml --rebuild    # after changing indexes or templates",
			"newsmirror sync -c newsmirror.yaml --json | jq .written",
		}},
	"run": {"newsmirror run [-c FILE] [--every 2h] [--jitter 0.1] [--metrics-addr ADDR] [--lease 1m] [--host-id NAME] [--adopt]",
		`The daemon: pull, sync, commit and push every --every (± jitter) until SIGINT or
SIGTERM, which finish the articles in hand, commit them and exit 0. Daemons of
several hosts sharing one state elect the one that syncs through a lease; the
others stand by and take over within --lease of its last renewal.`,
		[]string{
			"newsmirror run -c newsmirror.yaml --every 30m",
			"newsmirror run -c newsmirror.yaml --every 2h --metrics-addr 127.0.0.1:9090",
			"newsmirror run -c newsmirror.yaml --every 30m --lease 2m --host-id mirror-1",
		}},
	"check": {"newsmirror check [-c FILE]",
		`Validate a configuration file, its templates and links files. Problems print
on stderr as file:line: message and exit 2; a valid file prints one summary
line on stdout ("FILE: ok (N sources, M channels)") and exits 0.`,
		[]string{"newsmirror check -c newsmirror.yaml"}},
	"try": {"newsmirror try [-c FILE] [flags] URL\n       newsmirror try [-c FILE] [flags] --file PATH --url URL",
		`Run one article through its channel's rules and the sanitizer and print what
came out: the rule that matched, title, text kept, images, warnings, and the
page sync would write, byte for byte.`,
		[]string{
			"newsmirror try -c newsmirror.yaml https://www.example.com/news/1.html",
			"newsmirror try --preset secretchina --html https://www.secretchina.com/news/gb/2024/01/01/1.html",
			"newsmirror try --file saved.html --url https://www.example.com/news/1.html",
		}},
	"serve": {"newsmirror serve [-c FILE] [--addr :8080]",
		`Count readers' page hits (the pages' pixel) for the hot list; serve /healthz
and, with serve.metrics_addr, /metrics.`,
		[]string{"newsmirror serve -c newsmirror.yaml --addr 127.0.0.1:8080"}},
	"preview": {"newsmirror preview [-c FILE | --dir DIR] [--addr 127.0.0.1:1313]",
		`Serve a mirror folder on loopback as readers will see it before it is pushed:
the HTML site as it is, Markdown files rendered as GitHub shows them (links
between them lead to rendered pages), images, QR codes and feeds. Hidden files
and symbolic links are not served. With -c, links to page_url, qr_url and
asset_url are served from the folder.`,
		[]string{
			"newsmirror preview -c newsmirror.yaml",
			"newsmirror preview --dir newsmirror-demo --addr 127.0.0.1:8000",
		}},
	"status": {"newsmirror status [-c FILE] [--json]",
		`Show each channel's and remote's health from the state database. Exit 4 when
something needs attention, so cron mails it.`,
		[]string{
			"newsmirror status -c newsmirror.yaml",
			"newsmirror status -c newsmirror.yaml --json | jq '.channels[] | select(.feed_failures > 0)'",
		}},
	"demo": {"newsmirror demo [--dir DIR] [--adopt]",
		`Serve the bundled sample site on loopback, write its configuration into
DIR/.newsmirror/demo.yaml and mirror it into DIR. A second run finds nothing new.`,
		[]string{"newsmirror demo", "newsmirror demo --dir /tmp/mirror"}},
	"retry": {"newsmirror retry [-c FILE] [--channel ID] [URL…]",
		`Put failed (or given-up) articles back in the queue: the next sync tries them
as new. With URLs, only those; with --channel, only that channel's.`,
		[]string{
			"newsmirror retry -c newsmirror.yaml",
			"newsmirror retry -c newsmirror.yaml --channel p9",
			"newsmirror retry -c newsmirror.yaml https://www.example.com/news/1.html",
		}},
	"version": {"newsmirror version",
		`Print newsmirror's version, the VCS revision and time it was built from, and
the Go version.`,
		[]string{"newsmirror version"}},
	"completion": {"newsmirror completion bash|zsh|fish",
		`Print a script that completes newsmirror's commands and flags in the shell.`,
		[]string{
			"newsmirror completion bash > ~/.local/share/bash-completion/completions/newsmirror",
			"source <(newsmirror completion bash)",
			"newsmirror completion zsh > \"${fpath[1]}/_newsmirror\"",
			"newsmirror completion fish > ~/.config/fish/completions/newsmirror.fish",
		}},
	"help": {"newsmirror help [COMMAND]",
		`Print the list of commands, or a command's usage, description, flags and
examples.`,
		[]string{"newsmirror help", "newsmirror help sync"}},
}

// builtins are the commands that are about newsmirror itself.
var builtins = map[string]string{
	"help":       "show the commands, or a command's help",
	"version":    "print the version and the revision it was built from",
	"completion": "print a shell completion script (bash, zsh, fish)",
}

// commandNames returns every command's name, sorted.
func commandNames() []string {
	names := make([]string, 0, len(commands)+len(builtins))
	for n := range commands {
		names = append(names, n)
	}
	for n := range builtins {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "newsmirror mirrors news sites into a Git repository of Markdown and HTML pages.\n\nusage: newsmirror <command> [flags]\n\ncommands:")
	for _, n := range commandNames() {
		summary := builtins[n]
		if c, ok := commands[n]; ok {
			summary = c.summary
		}
		fmt.Fprintf(w, "  %-10s %s\n", n, summary)
	}
	fmt.Fprintln(w, "\nglobal flags (anywhere):\n  --log-format text|json   log records as text (default) or one JSON object per line")
	fmt.Fprintln(w, "\nRun 'newsmirror help <command>' or 'newsmirror <command> -h' for its flags and examples.")
}

// unknownCommand tells a mistyped command and suggests the nearest one.
func unknownCommand(w io.Writer, name string) {
	fmt.Fprintf(w, "newsmirror: unknown command %q", name)
	if s := suggest.Closest(name, commandNames()); s != "" {
		fmt.Fprintf(w, " — did you mean %q?", s)
	}
	fmt.Fprintln(w, "\nRun 'newsmirror help' for the list of commands.")
}

// wantsHelp reports whether args (a command's) ask for its help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		if a == "-h" || a == "-help" || a == "--help" {
			return true
		}
	}
	return false
}

// runHelp is "newsmirror help [COMMAND]".
func runHelp(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		usage(e.stdout)
		return ExitOK
	}
	if wantsHelp(args[:1]) {
		return commandHelp(ctx, e, "help") // help -h, help --help
	}
	return commandHelp(ctx, e, args[0])
}

// commandHelp prints the help of the command name on stdout.
func commandHelp(ctx context.Context, e *env, name string) int {
	m, ok := manuals[name]
	if !ok {
		unknownCommand(e.stderr, name)
		return ExitUsage
	}
	fmt.Fprintf(e.stdout, "usage: %s\n\n%s\n", m.usage, m.about)
	if fs := commandFlagSet(ctx, name); fs != nil && hasFlags(fs) {
		fmt.Fprintln(e.stdout, "\nflags:")
		fs.SetOutput(e.stdout)
		fs.PrintDefaults()
	}
	fmt.Fprintln(e.stdout, "\nexamples:")
	for _, ex := range m.examples {
		fmt.Fprintf(e.stdout, "  %s\n", ex)
	}
	return ExitOK
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// commandFlagSet returns the flags of the command name: it runs the command
// in help mode, where parsing its flags stops it before it does anything.
func commandFlagSet(ctx context.Context, name string) *flag.FlagSet {
	c, ok := commands[name]
	if !ok {
		return nil
	}
	e := &env{stdout: io.Discard, stderr: io.Discard, help: true}
	c.run(ctx, e, []string{"-h"})
	return e.flags
}

// newFlags returns a command's flag set. A bad flag prints the command's
// usage line on stderr; in help mode (-h), the flag set is only kept for
// the help to print.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		if e.help {
			return
		}
		if m, ok := manuals[name]; ok {
			fmt.Fprintf(e.stderr, "usage: %s\nRun 'newsmirror help %s' for its flags and examples.\n", m.usage, name)
		}
	}
	e.flags = fs
	return fs
}

// flagNames returns the flags of the command name as "--name", sorted.
func flagNames(ctx context.Context, name string) []string {
	var out []string
	if fs := commandFlagSet(ctx, name); fs != nil {
		fs.VisitAll(func(f *flag.Flag) { out = append(out, "--"+f.Name) })
	}
	if name == "completion" {
		out = []string{"bash", "zsh", "fish"}
	}
	if name == "help" {
		out = slices.DeleteFunc(commandNames(), func(s string) bool { return s == "help" })
	}
	return out
}

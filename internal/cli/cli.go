// Package cli is newsmirror's command line: it parses arguments, wires the
// pipeline's packages together and turns outcomes into exit codes.
package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/newsmirror/newsmirror/internal/config"
)

// Exit codes, documented in README.md. A sync stopped by a signal exits
// 128 + the signal's number: 130 for SIGINT, 143 for SIGTERM.
const (
	ExitOK    = 0 // everything worked
	ExitFatal = 1 // the run stopped: state database, git, I/O
	ExitUsage = 2 // bad arguments or a bad configuration
	// ExitPartial: the run finished and committed, but some articles or
	// channels failed (no more than publish.max_failed_share of them), or
	// a push to a remote failed.
	ExitPartial = 3
	// ExitNothingRead: no channel's feed could be read.
	ExitNothingRead = 5
	// ExitTooManyFailed: the run committed what it could, but more than
	// publish.max_failed_share of its channels and articles failed.
	ExitTooManyFailed = 6
)

// env is what every command gets.
type env struct {
	stdout, stderr io.Writer
	log            *slog.Logger
	// bar draws a sync's progress; nil unless stderr is a terminal.
	bar *progressBar
	// help is set when the command runs only to show its help: its flag
	// set is kept in flags and it stops at parsing them.
	help  bool
	flags *flag.FlagSet
	// json prints a sync's summary as JSON (sync --json).
	json bool
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) int
}

var commands = map[string]command{
	"sync":    {"mirror every source once and commit", runSync},
	"run":     {"mirror every source again and again (the daemon)", runDaemon},
	"check":   {"validate a configuration file", runCheck},
	"try":     {"run one article through its rules and show the result", runTry},
	"demo":    {"mirror the bundled sample site into a folder", runDemo},
	"serve":   {"count page hits for the hot list; serve /metrics", runServe},
	"preview": {"serve a mirror folder on loopback as readers will see it", runPreview},
	"retry":   {"put failed articles back in the queue for the next sync", runRetry},
	"status":  {"show each channel's and remote's health; exit 4 when something needs attention", runStatus},
}

// Run runs the command line args (without the program name) and returns the
// exit code.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	return run(ctx, args, stdout, stderr, isTerminal(stderr))
}

// run is Run; terminal tells whether stderr is a terminal, where a sync
// draws its progress bar.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, terminal bool) int {
	args, format, err := splitLogFormat(args)
	if err != nil {
		fmt.Fprintln(stderr, "newsmirror:", err)
		return ExitUsage
	}
	e := &env{stdout: stdout, stderr: stderr, log: newLogger(stderr, format)}
	if terminal {
		e.bar = newProgressBar(stderr)
		e.log = newLogger(e.bar, format)
	}
	if len(args) == 0 {
		usage(stderr) // a command is missing: like a bad flag, a usage error
		return ExitUsage
	}
	switch name := args[0]; {
	case name == "help" || name == "-h" || name == "-help" || name == "--help":
		return runHelp(ctx, e, args[1:])
	case manuals[name].usage != "" && wantsHelp(args[1:]):
		return commandHelp(ctx, e, name)
	case name == "version" || name == "--version":
		return runVersion(e, args[1:])
	case name == "completion":
		return runCompletion(ctx, e, args[1:])
	}
	cmd, ok := commands[args[0]]
	if !ok {
		unknownCommand(stderr, args[0])
		return ExitUsage
	}
	return cmd.run(ctx, e, args[1:])
}

// commandFlags returns the flag set of a command that reads a configuration
// file, and its -c flag.
func commandFlags(e *env, name string) (*flag.FlagSet, *string) {
	fs := newFlags(e, name)
	return fs, fs.String("c", "newsmirror.yaml", "configuration `file`")
}

// loadConfig parses args and loads the configuration file; on a problem it
// prints it and returns nil (the exit code is then ExitUsage).
func loadConfig(e *env, fs *flag.FlagSet, file *string, args []string) *config.Config {
	if err := fs.Parse(args); err != nil {
		return nil
	}
	cfg, err := config.Load(*file)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return nil
	}
	return cfg
}

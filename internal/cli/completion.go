package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// runCompletion prints a completion script for the shell named in args.
func runCompletion(ctx context.Context, e *env, args []string) int {
	if len(args) != 1 {
		fmt.Fprintf(e.stderr, "usage: %s\n", manuals["completion"].usage)
		return ExitUsage
	}
	spec := completionSpec(ctx)
	switch args[0] {
	case "bash":
		writeBash(e.stdout, spec)
	case "zsh":
		writeZsh(e.stdout, spec)
	case "fish":
		writeFish(e.stdout, spec)
	default:
		fmt.Fprintf(e.stderr, "newsmirror completion: unknown shell %q: want bash, zsh or fish\n", args[0])
		return ExitUsage
	}
	return ExitOK
}

// compCommand is what a completion script knows of a command.
type compCommand struct {
	name, summary string
	flags         []compFlag
	words         []string // positional words (completion's shells, help's commands)
}

type compFlag struct {
	name, usage string
	value       bool // takes a value
}

// dash is the flag as typed: -c for one letter, --name for longer names.
func (f compFlag) dash() string {
	if len(f.name) == 1 {
		return "-" + f.name
	}
	return "--" + f.name
}

// completionSpec reads every command's flags from its flag set, so the
// scripts never fall behind the commands.
func completionSpec(ctx context.Context) []compCommand {
	var out []compCommand
	for _, n := range commandNames() {
		c := compCommand{name: n, summary: builtins[n]}
		if cmd, ok := commands[n]; ok {
			c.summary = cmd.summary
		}
		if fs := commandFlagSet(ctx, n); fs != nil {
			fs.VisitAll(func(f *flag.Flag) {
				b, isBool := f.Value.(interface{ IsBoolFlag() bool })
				c.flags = append(c.flags, compFlag{f.Name, firstLine(f.Usage), !isBool || !b.IsBoolFlag()})
			})
		}
		switch n {
		case "completion":
			c.words = []string{"bash", "zsh", "fish"}
		case "help":
			c.words = commandNames()
		}
		out = append(out, c)
	}
	return out
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	s = strings.ReplaceAll(s, "`", "")
	if len(s) > 70 {
		s = s[:strings.LastIndex(s[:70], " ")] + "…"
	}
	return s
}

func writeBash(w io.Writer, spec []compCommand) {
	fmt.Fprint(w, `# bash completion for newsmirror: source <(newsmirror completion bash)
_newsmirror() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${COMP_WORDS[i]}" in
            --log-format) ((i++)) ;;
            -*) ;;
            *) cmd="${COMP_WORDS[i]}"; break ;;
        esac
    done
    case "$prev" in
        --log-format) COMPREPLY=($(compgen -W "text json" -- "$cur")); return ;;
        -c|--c|--file|--dir) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    esac
    local words
    case "$cmd" in
`)
	names := make([]string, 0, len(spec))
	for _, c := range spec {
		names = append(names, c.name)
		words := append([]string{}, c.words...)
		for _, f := range c.flags {
			words = append(words, f.dash())
		}
		fmt.Fprintf(w, "        %s) words=%q ;;\n", c.name, strings.Join(append(words, "--log-format"), " "))
	}
	fmt.Fprintf(w, `        "") words=%q ;;
    esac
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _newsmirror newsmirror
`, strings.Join(append(names, "--log-format", "--help"), " "))
}

func writeZsh(w io.Writer, spec []compCommand) {
	fmt.Fprint(w, "#compdef newsmirror\n# zsh completion for newsmirror: newsmirror completion zsh > \"${fpath[1]}/_newsmirror\"\n_newsmirror() {\n    local -a cmds\n    cmds=(\n")
	for _, c := range spec {
		fmt.Fprintf(w, "        %s\n", zshQuote(c.name+":"+c.summary))
	}
	fmt.Fprint(w, "    )\n    if (( CURRENT == 2 )); then\n        _describe 'command' cmds\n        return\n    fi\n    case $words[2] in\n")
	for _, c := range spec {
		fmt.Fprintf(w, "        %s)\n            _arguments", c.name)
		for _, f := range c.flags {
			arg := f.dash() + "[" + zshEscape(f.usage) + "]"
			if f.value {
				arg += ":value:"
				if f.name == "c" || f.name == "file" || f.name == "dir" {
					arg += "_files"
				}
			}
			fmt.Fprintf(w, " \\\n                %s", zshQuote(arg))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(w, " \\\n                %s", zshQuote("1:word:("+strings.Join(c.words, " ")+")"))
		}
		fmt.Fprint(w, " ;;\n")
	}
	fmt.Fprint(w, "    esac\n}\nif [[ $zsh_eval_context[-1] == loadautofunc ]]; then\n    _newsmirror \"$@\"\nelse\n    compdef _newsmirror newsmirror\nfi\n")
}

func zshEscape(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", ":", " ", "'", "").Replace(s)
}

func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

func writeFish(w io.Writer, spec []compCommand) {
	fmt.Fprintln(w, "# fish completion for newsmirror: newsmirror completion fish > ~/.config/fish/completions/newsmirror.fish")
	fmt.Fprintln(w, "complete -c newsmirror -f")
	fmt.Fprintln(w, "complete -c newsmirror -l log-format -x -a 'text json' -d 'log records as text or JSON'")
	for _, c := range spec {
		fmt.Fprintf(w, "complete -c newsmirror -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.summary))
	}
	for _, c := range spec {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		for _, f := range c.flags {
			opt := "-l " + f.name
			if len(f.name) == 1 {
				opt = "-s " + f.name
			}
			if f.value {
				opt += " -r"
				if f.name == "c" || f.name == "file" || f.name == "dir" {
					opt += " -F"
				}
			}
			fmt.Fprintf(w, "complete -c newsmirror -n %s %s -d %s\n", cond, opt, fishQuote(f.usage))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(w, "complete -c newsmirror -n %s -a %s\n", cond, fishQuote(strings.Join(c.words, " ")))
		}
	}
}

func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}

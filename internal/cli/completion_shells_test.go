package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/testfix"
)

// helpedFlag is a flag as a command's help lists it.
type helpedFlag struct {
	dash  string // "-c", "--rebuild"
	value bool   // takes a value
}

// commandsAndFlags reads every command and its flags from the help the
// binary prints, which the completion scripts must agree with.
func commandsAndFlags(t *testing.T) map[string][]helpedFlag {
	t.Helper()
	code, list, _ := run(t, "help")
	if code != cli.ExitOK {
		t.Fatalf("help: exit %d", code)
	}
	_, rest, _ := strings.Cut(list, "commands:\n")
	rest, _, _ = strings.Cut(rest, "\n\n")
	out := map[string][]helpedFlag{}
	flagLine := regexp.MustCompile(`^  -(\S+)( \S+)?$`)
	for _, l := range strings.Split(rest, "\n") {
		name := strings.Fields(l)[0]
		_, text, _ := run(t, "help", name)
		out[name] = []helpedFlag{}
		for _, fl := range strings.Split(text, "\n") {
			if m := flagLine.FindStringSubmatch(fl); m != nil {
				dash := "--" + m[1]
				if len(m[1]) == 1 {
					dash = "-" + m[1]
				}
				out[name] = append(out[name], helpedFlag{dash, m[2] != ""})
			}
		}
	}
	if len(out) < 10 || len(out["sync"]) < 4 {
		t.Fatalf("help lists %d commands, sync %d flags: %v", len(out), len(out["sync"]), out)
	}
	return out
}

func completionScript(t *testing.T, shell string) string {
	t.Helper()
	code, script, _ := run(t, "completion", shell)
	if code != cli.ExitOK {
		t.Fatalf("completion %s: exit %d", shell, code)
	}
	file := filepath.Join(t.TempDir(), "newsmirror."+shell)
	if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func sortedKeys(m map[string][]helpedFlag) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// firstColumn is each line's text before a tab, sorted.
func firstColumn(lines string) []string {
	var out []string
	for _, l := range strings.Split(strings.TrimSpace(lines), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			w, _, _ := strings.Cut(l, "\t")
			out = append(out, w)
		}
	}
	slices.Sort(out)
	return out
}

// TestFishCompletionCompletesEveryCommandAndFlag loads the fish script
// into fish and asks fish itself (complete -C) what it completes after
// "newsmirror ", after each command's "-", and at the commands that take
// words.
func TestFishCompletionCompletesEveryCommandAndFlag(t *testing.T) {
	fish := testfix.Shell(t, "fish")
	all := commandsAndFlags(t)
	file := completionScript(t, "fish")
	names := sortedKeys(all)
	var prog strings.Builder
	prog.WriteString("source $argv[1]\n")
	ask := []string{"newsmirror ", "newsmirror completion ", "newsmirror help ", "newsmirror --log-format "}
	for _, n := range names {
		ask = append(ask, "newsmirror "+n+" -")
	}
	for _, line := range ask {
		prog.WriteString("echo '=== " + line + "'\ncomplete -C '" + line + "'\n")
	}
	out, err := exec.Command(fish, "--no-config", "-c", prog.String(), file).CombinedOutput()
	if err != nil {
		t.Fatalf("fish: %v\n%s", err, out)
	}
	got := map[string][]string{}
	for _, part := range strings.Split(string(out), "=== ")[1:] {
		line, list, _ := strings.Cut(part, "\n")
		got[line] = firstColumn(list)
	}
	want := func(line string, words []string) {
		t.Helper()
		w := slices.Clone(words)
		slices.Sort(w)
		if !slices.Equal(got[line], w) {
			t.Errorf("fish completes %q with %q, want %q", line, got[line], w)
		}
	}
	want("newsmirror ", names)
	want("newsmirror help ", names)
	want("newsmirror completion ", []string{"bash", "fish", "zsh"})
	want("newsmirror --log-format ", []string{"json", "text"})
	for _, n := range names {
		dashes := []string{"--log-format"}
		for _, f := range all[n] {
			dashes = append(dashes, f.dash)
		}
		want("newsmirror "+n+" -", dashes)
	}
}

// TestZshCompletionDescribesEveryCommandAndFlag runs the zsh script's
// function in zsh with the completion system's _describe, _arguments and
// compdef standing in (they print what they are given), for every
// command, and checks each _arguments spec: one per flag the command's
// help lists, well formed, taking a value exactly when the flag does.
func TestZshCompletionDescribesEveryCommandAndFlag(t *testing.T) {
	zsh := testfix.Shell(t, "zsh")
	all := commandsAndFlags(t)
	file := completionScript(t, "zsh")
	if out, err := exec.Command(zsh, "-n", file).CombinedOutput(); err != nil {
		t.Fatalf("zsh -n: %v\n%s", err, out)
	}
	names := sortedKeys(all)
	prog := `compdef() { print -r -- "compdef $*" }
_describe() { print -rl -- "${(@P)2}" }
_arguments() { print -rl -- "$@" }
source $1
shift
print "=== "; words=(newsmirror ''); CURRENT=2; _newsmirror
for c in "$@"; do print "=== $c"; words=(newsmirror $c ''); CURRENT=3; _newsmirror; done`
	out, err := exec.Command(zsh, append([]string{"-f", "-c", prog, "zsh", file}, names...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("zsh: %v\n%s", err, out)
	}
	if !strings.HasPrefix(string(out), "compdef _newsmirror newsmirror\n") {
		t.Errorf("sourcing the script does not register _newsmirror for newsmirror:\n%s", out)
	}
	got := map[string][]string{}
	for _, part := range strings.Split(string(out), "=== ")[1:] {
		name, list, _ := strings.Cut(part, "\n")
		got[name] = strings.Split(strings.TrimSpace(list), "\n")
	}
	var described []string
	for _, d := range got[""] {
		name, summary, _ := strings.Cut(d, ":")
		if summary == "" {
			t.Errorf("command %q described without a summary", name)
		}
		described = append(described, name)
	}
	slices.Sort(described)
	if !slices.Equal(described, names) {
		t.Errorf("zsh describes commands %q, want %q", described, names)
	}
	spec := regexp.MustCompile(`^(--?[a-z][a-z-]*)\[([^\[\]:]*)\](:value:(_files)?)?$`)
	for _, n := range names {
		specs := map[string]string{}
		for _, s := range got[n] {
			if s == "" || strings.HasPrefix(s, "1:word:(") {
				continue // a command without flags calls _arguments with none
			}
			m := spec.FindStringSubmatch(s)
			if m == nil {
				t.Errorf("%s: malformed _arguments spec %q", n, s)
				continue
			}
			specs[m[1]] = m[3]
		}
		if len(specs) != len(all[n]) {
			t.Errorf("%s: %d flag specs, help lists %d flags: %q", n, len(specs), len(all[n]), got[n])
		}
		for _, f := range all[n] {
			v, ok := specs[f.dash]
			switch {
			case !ok:
				t.Errorf("%s: no spec for %s", n, f.dash)
			case f.value != (v != ""):
				t.Errorf("%s %s: spec takes a value %v, the flag %v", n, f.dash, v != "", f.value)
			case f.dash == "-c" && v != ":value:_files":
				t.Errorf("%s -c: completes %q, want files", n, v)
			}
		}
	}
	for cmd, want := range map[string]string{"completion": "1:word:(bash zsh fish)", "help": "1:word:(" + strings.Join(names, " ") + ")"} {
		if !slices.Contains(got[cmd], want) {
			t.Errorf("%s completes no %q: %q", cmd, want, got[cmd])
		}
	}
}

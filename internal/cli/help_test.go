package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/cli"
)

var allCommands = []string{"sync", "run", "check", "try", "serve", "status", "demo", "retry", "version", "completion", "help"}

func TestHelpPrintsCommandListOnStdoutAndExitsZero(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"-help"}} {
		code, stdout, stderr := run(t, args...)
		if code != cli.ExitOK || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q; want 0 and nothing on stderr", args, code, stderr)
		}
		for _, c := range allCommands {
			if !strings.Contains(stdout, "\n  "+c+" ") {
				t.Errorf("%v: command list lacks %s:\n%s", args, c, stdout)
			}
		}
	}
	// No command at all is a usage error, told on stderr.
	code, stdout, stderr := run(t)
	if code != cli.ExitUsage || stdout != "" || !strings.Contains(stderr, "commands:") {
		t.Errorf("no args: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestEveryCommandHasUsageDescriptionFlagsAndExamples(t *testing.T) {
	for _, c := range allCommands {
		for _, args := range [][]string{{"help", c}, {c, "-h"}, {c, "--help"}} {
			if c == "help" && args[0] == "help" && len(args) == 2 {
				args = []string{"help", "help"}
			}
			code, stdout, stderr := run(t, args...)
			if code != cli.ExitOK || stderr != "" {
				t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
				continue
			}
			if !strings.HasPrefix(stdout, "usage: newsmirror "+c) || !strings.Contains(stdout, "\nexamples:\n  newsmirror ") {
				t.Errorf("%v: want a usage line and examples:\n%s", args, stdout)
			}
			if paras := strings.Split(stdout, "\n\n"); len(paras) < 3 || len(paras[1]) < 30 {
				t.Errorf("%v: want a description after the usage line:\n%s", args, stdout)
			}
		}
	}
	for _, flag := range []string{"-h", "--help"} {
		if code, stdout, stderr := run(t, "help", flag); code != cli.ExitOK || !strings.HasPrefix(stdout, "usage: newsmirror help [COMMAND]") {
			t.Errorf("help %s: exit %d, stdout %q, stderr %q; want help's own help", flag, code, stdout, stderr)
		}
	}
	_, stdout, _ := run(t, "sync", "-h")
	for _, f := range []string{"  -c file", "  -rebuild", "  -adopt"} {
		if !strings.Contains(stdout, f) {
			t.Errorf("sync -h lacks flag %q:\n%s", f, stdout)
		}
	}
}

func TestMistypedCommandGetsASuggestion(t *testing.T) {
	for typo, want := range map[string]string{"sycn": "sync", "stauts": "status", "chek": "check", "verison": "version"} {
		code, stdout, stderr := run(t, typo)
		if code != cli.ExitUsage || stdout != "" || !strings.Contains(stderr, `did you mean "`+want+`"?`) {
			t.Errorf("%s: exit %d, stderr %q; want a suggestion of %s", typo, code, stderr, want)
		}
	}
	if _, _, stderr := run(t, "frobnicate"); strings.Contains(stderr, "did you mean") {
		t.Errorf("frobnicate got a suggestion: %q", stderr)
	}
}

func TestEveryWithoutUnitSaysTheUnitIsMissing(t *testing.T) {
	code, _, stderr := run(t, "run", "--every", "5", "-c", "../../examples/goodnews.yaml")
	if code != cli.ExitUsage || !strings.Contains(stderr, "missing a unit, e.g. 5m or 5h") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestVersionPrintsTheBuildOfTheBinary(t *testing.T) {
	bin := buildBinary(t)
	out, err := exec.Command(bin, "version").Output()
	if err != nil {
		t.Fatalf("version: %v", err)
	}
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	// The module's version as the build recorded it.
	var modVersion string
	for _, line := range strings.Split(string(info), "\n") {
		if f := strings.Fields(line); len(f) >= 3 && f[0] == "mod" {
			modVersion = strings.Trim(f[2], "()")
		}
	}
	if !strings.HasPrefix(string(out), "newsmirror "+modVersion) || !strings.Contains(string(out), "go1.") {
		t.Errorf("version = %q, want the module version %q and the Go version", out, modVersion)
	}
}

// TestBashCompletionCompletesCommandsAndFlags runs the script in bash with
// the words a user typed and reads COMPREPLY.
func TestBashCompletionCompletesCommandsAndFlags(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Fatal("bash not installed: completion script not run")
	}
	code, script, _ := run(t, "completion", "bash")
	if code != cli.ExitOK {
		t.Fatalf("completion bash: exit %d", code)
	}
	file := filepath.Join(t.TempDir(), "newsmirror.bash")
	os.WriteFile(file, []byte(script), 0o644)
	complete := func(words ...string) string {
		t.Helper()
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _newsmirror; echo "${COMPREPLY[*]}"`
		out, err := exec.Command("bash", append([]string{"-c", prog, "bash", file}, words...)...).CombinedOutput()
		if err != nil {
			t.Fatalf("bash: %v\n%s", err, out)
		}
		return strings.TrimSpace(string(out))
	}
	for _, tc := range []struct {
		words []string
		want  string
	}{
		{[]string{"newsmirror", "sy"}, "sync"},
		{[]string{"newsmirror", "st"}, "status"},
		{[]string{"newsmirror", "sync", "--re"}, "--rebuild"},
		{[]string{"newsmirror", "run", "--ev"}, "--every"},
		{[]string{"newsmirror", "--log-format", "json", "retry", "--ch"}, "--channel"},
		{[]string{"newsmirror", "completion", "f"}, "fish"},
		{[]string{"newsmirror", "--log-format", "j"}, "json"},
	} {
		if got := complete(tc.words...); got != tc.want {
			t.Errorf("%v: COMPREPLY = %q, want %q", tc.words, got, tc.want)
		}
	}
}

func TestZshAndFishCompletionListEveryCommandAndFlag(t *testing.T) {
	for _, shell := range []string{"zsh", "fish"} {
		code, script, _ := run(t, "completion", shell)
		if code != cli.ExitOK {
			t.Fatalf("completion %s: exit %d", shell, code)
		}
		for _, c := range allCommands {
			if !strings.Contains(script, c) {
				t.Errorf("%s script lacks command %s", shell, c)
			}
		}
		for _, f := range []string{"rebuild", "every", "jitter", "channel", "preset"} {
			if !strings.Contains(script, f) {
				t.Errorf("%s script lacks flag %s", shell, f)
			}
		}
		if sh, err := exec.LookPath(shell); err == nil {
			flag := "-n" // parse only
			if out, err := exec.Command(sh, flag, "-c", script).CombinedOutput(); err != nil {
				t.Errorf("%s -n: %v\n%s", shell, err, out)
			}
		}
	}
	if code, _, _ := run(t, "completion", "tcsh"); code != cli.ExitUsage {
		t.Errorf("completion tcsh: exit %d, want %d", code, cli.ExitUsage)
	}
}

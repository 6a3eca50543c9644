package cli

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The deploy recipes live in deploy/ and are described in docs/deploy.md.
const deployDir = "../../deploy"

// workflow is the part of a GitHub Actions workflow the checks read.
type workflow struct {
	On struct {
		Schedule []struct {
			Cron string `yaml:"cron"`
		} `yaml:"schedule"`
	} `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		Steps []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			With map[string]string `yaml:"with"`
		} `yaml:"steps"`
	} `yaml:"jobs"`
}

func TestGitHubWorkflowRunsTheActionOnASchedule(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(deployDir, "github-actions.yml"))
	if err != nil {
		t.Fatal(err)
	}
	var wf workflow
	if err := yaml.Unmarshal(data, &wf); err != nil {
		t.Fatalf("workflow is not YAML: %v", err)
	}
	if len(wf.On.Schedule) == 0 || len(strings.Fields(wf.On.Schedule[0].Cron)) != 5 {
		t.Errorf("schedule = %+v, want a five-field cron", wf.On.Schedule)
	}
	if wf.Permissions["contents"] != "write" {
		t.Errorf("permissions = %v, want contents: write (the run pushes)", wf.Permissions)
	}
	job, ok := wf.Jobs["mirror"]
	if !ok {
		t.Fatalf("no job mirror in %v", wf.Jobs)
	}
	var action bool
	for _, s := range job.Steps {
		if strings.Contains(s.Run, "go install") {
			t.Errorf("step runs %q: the module proxy does not serve newsmirror; the action builds it", s.Run)
		}
		if !strings.HasPrefix(s.Uses, "newsmirror/newsmirror@") {
			continue
		}
		action = true
		if s.With["config"] == "" {
			t.Errorf("the action step names no config: %v", s.With)
		}
		checkCommandLines(t, "newsmirror sync "+s.With["args"], "sync")
	}
	if !action {
		t.Error("no step uses newsmirror/newsmirror@REF (action.yml)")
	}
}

// action is the part of action.yml the checks read.
type action struct {
	Inputs  map[string]struct{ Default string } `yaml:"inputs"`
	Outputs map[string]struct{ Value string }   `yaml:"outputs"`
	Runs    struct {
		Using string `yaml:"using"`
		Steps []struct {
			ID    string            `yaml:"id"`
			If    string            `yaml:"if"`
			Uses  string            `yaml:"uses"`
			Run   string            `yaml:"run"`
			Shell string            `yaml:"shell"`
			With  map[string]string `yaml:"with"`
			Env   map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

func TestActionBuildsFromItsOwnCheckoutAndKeepsTheStateCache(t *testing.T) {
	data, err := os.ReadFile("../../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(data, &a); err != nil {
		t.Fatalf("action.yml is not YAML: %v", err)
	}
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	var goSetup, restore, save bool
	scripts := map[string]bool{}
	for _, s := range a.Runs.Steps {
		switch {
		case strings.HasPrefix(s.Uses, "actions/setup-go@"):
			goSetup = strings.Contains(s.With["go-version-file"], "github.action_path")
		case strings.HasPrefix(s.Uses, "actions/cache/restore@"):
			restore = strings.Contains(s.With["path"], "inputs.state-path")
		case strings.HasPrefix(s.Uses, "actions/cache/save@"):
			save = strings.Contains(s.If, "always()")
		case s.Run != "":
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash (composite steps must name one)", s.ID, s.Shell)
			}
			m := regexp.MustCompile(`\$GITHUB_ACTION_PATH/(\S+)" (\w+)`).FindStringSubmatch(s.Run)
			if m == nil {
				t.Errorf("step %q runs %q, not the action's script", s.ID, s.Run)
				continue
			}
			if _, err := os.Stat(filepath.Join("../..", m[1])); err != nil {
				t.Errorf("step %q: %v", s.ID, err)
			}
			scripts[m[2]] = true
		}
	}
	if !goSetup || !restore || !save || !scripts["build"] || !scripts["sync"] {
		t.Errorf("setup-go from the action's go.mod %v, cache restored %v and saved always %v, script steps %v; want all",
			goSetup, restore, save, scripts)
	}
	for _, ref := range regexp.MustCompile(`inputs\.([a-z-]+)`).FindAllStringSubmatch(string(data), -1) {
		if _, ok := a.Inputs[ref[1]]; !ok {
			t.Errorf("action.yml uses undeclared input %q", ref[1])
		}
	}
	for _, o := range []string{"exit-code", "outcome", "commit", "pushed"} {
		if !strings.Contains(a.Outputs[o].Value, "steps.sync.outputs."+o) {
			t.Errorf("output %s = %q, want the sync step's", o, a.Outputs[o].Value)
		}
	}
}

// checkCommandLines finds every "newsmirror CMD flags…" in text and checks
// that CMD is a command and each flag one of its flags; want are the
// commands that must appear.
func checkCommandLines(t *testing.T, text string, want ...string) {
	t.Helper()
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`newsmirror ([a-z]+)((?: +-{1,2}[a-z]+(?: +[^-\s|]\S*)?)*)`).FindAllStringSubmatch(text, -1) {
		name := m[1]
		seen[name] = true
		t.Run(name, func(t *testing.T) {
			if _, ok := commands[name]; !ok {
				t.Fatalf("recipe runs unknown command %q", name)
			}
			var stderr bytes.Buffer // the help, on stdout
			Run(context.Background(), []string{name, "-h"}, &stderr, &bytes.Buffer{})
			for _, f := range regexp.MustCompile(`-{1,2}([a-z]+)`).FindAllStringSubmatch(m[2], -1) {
				if !strings.Contains(stderr.String(), "  -"+f[1]) {
					t.Errorf("newsmirror %s has no flag -%s:\n%s", name, f[1], stderr.String())
				}
			}
		})
	}
	for _, w := range want {
		if !seen[w] {
			t.Errorf("recipe never runs newsmirror %s", w)
		}
	}
}

func TestSystemdUnitsVerify(t *testing.T) {
	units, _ := filepath.Glob(filepath.Join(deployDir, "*.service"))
	timers, _ := filepath.Glob(filepath.Join(deployDir, "*.timer"))
	units = append(units, timers...)
	if len(units) < 4 {
		t.Fatalf("units = %v, want the daemon, sync and serve services and the sync timer", units)
	}
	var all strings.Builder
	tmp := t.TempDir()
	for _, u := range units {
		data, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "ExecStart=") {
				all.WriteString(l + "\n")
			}
		}
		checkUnitSyntax(t, filepath.Base(u), string(data))
		// verify wants the binary to exist; any will do for the syntax.
		text := strings.ReplaceAll(string(data), "/usr/local/bin/newsmirror", "/bin/true")
		if err := os.WriteFile(filepath.Join(tmp, filepath.Base(u)), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	checkCommandLines(t, all.String(), "sync", "run", "serve")
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Log("systemd-analyze is not installed: checked the unit syntax only")
		return
	}
	written, _ := filepath.Glob(filepath.Join(tmp, "*"))
	out, err := exec.Command(analyze, append([]string{"verify"}, written...)...).CombinedOutput()
	if err != nil || len(bytes.TrimSpace(out)) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
}

// maxExposure is the most systemd-analyze security may rate a unit.
const maxExposure = 3.0

func TestSystemdServicesAreSandboxed(t *testing.T) {
	units, _ := filepath.Glob(filepath.Join(deployDir, "*.service"))
	for _, u := range units {
		data, err := os.ReadFile(u)
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"ProtectSystem=strict", "ReadWritePaths=/var/lib/newsmirror",
			"NoNewPrivileges=yes", "PrivateTmp=yes", "ProtectHome=yes", "CapabilityBoundingSet=\n",
			"SystemCallFilter=@system-service", "MemoryDenyWriteExecute=yes", "Environment=HOME=/var/lib/newsmirror"} {
			if !strings.Contains(string(data), want) {
				t.Errorf("%s lacks %q", filepath.Base(u), strings.TrimSpace(want))
			}
		}
	}
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed: the exposure was not measured")
	}
	for _, u := range units {
		out, err := exec.Command(analyze, "security", "--offline=yes", u).CombinedOutput()
		m := regexp.MustCompile(`Overall exposure level for \S+: ([0-9.]+)`).FindSubmatch(out)
		if m == nil {
			t.Errorf("systemd-analyze security %s: %v\n%s", u, err, out)
			continue
		}
		if score, _ := strconv.ParseFloat(string(m[1]), 64); score > maxExposure {
			t.Errorf("%s: exposure %.1f, want at most %.1f", filepath.Base(u), score, maxExposure)
		}
	}
}

// checkUnitSyntax checks what systemd-analyze is not there to: sections,
// Key=Value lines, and the keys a unit of its kind needs.
func checkUnitSyntax(t *testing.T, name, text string) {
	t.Helper()
	keys := map[string]bool{}
	section := ""
	sc := bufio.NewScanner(strings.NewReader(text))
	for line := 1; sc.Scan(); line++ {
		l := strings.TrimSpace(sc.Text())
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "[") && strings.HasSuffix(l, "]"):
			section = strings.Trim(l, "[]")
		case section != "" && strings.Contains(l, "="):
			keys[section+"."+strings.TrimSpace(l[:strings.Index(l, "=")])] = true
		default:
			t.Errorf("%s:%d: not a section or Key=Value: %q", name, line, l)
		}
	}
	need := []string{"Unit.Description"}
	if strings.HasSuffix(name, ".service") {
		need = append(need, "Service.ExecStart", "Service.User")
	} else {
		need = append(need, "Timer.OnUnitActiveSec", "Install.WantedBy")
	}
	for _, k := range need {
		if !keys[k] {
			t.Errorf("%s lacks %s", name, k)
		}
	}
}

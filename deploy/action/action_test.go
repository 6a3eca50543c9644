package action_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/fakenews"
)

// actionScript is the shell half of the composite action (action.yml).
const actionScript = "run.sh"

var channels = []string{"a", "b", "c"}

// newsSite serves three channels of nine articles on loopback, through
// wrap when it is not nil.
func newsSite(t *testing.T, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	site := fakenews.New()
	for _, ch := range channels {
		site.Add(ch, fakenews.Generate(ch, 9, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC))...)
	}
	var h http.Handler = site
	if wrap != nil {
		h = wrap(site)
	}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// failing answers 404 for the article pages whose path matches, 503 for
// every feed when feeds is set.
func failing(feeds bool, pages func(path string) bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			isFeed := strings.HasPrefix(r.URL.Path, "/feeds/")
			switch {
			case feeds && isFeed:
				http.Error(w, "down for maintenance", http.StatusServiceUnavailable)
			case !isFeed && pages != nil && pages(r.URL.Path):
				http.NotFound(w, r)
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// actionGit runs git in dir with a fixed identity and returns its trimmed
// output, failing the test on an error.
func actionGit(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=op", "GIT_AUTHOR_EMAIL=op@example.test",
		"GIT_COMMITTER_NAME=op", "GIT_COMMITTER_EMAIL=op@example.test", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// runner is a fake GitHub Actions runner: the files and variables a step
// sees, with a mirror repository checked out from a bare remote.
type runner struct {
	temp, workspace, remote string
	output, summary, ghPath string
	checkedOut              string // the commit the checkout started at
}

// newRunner makes a bare remote holding one commit (the workflow's
// configuration, as an operator would push it) and a clone of it as the
// workspace.
func newRunner(t *testing.T, siteURL string) *runner {
	t.Helper()
	root := t.TempDir()
	r := &runner{
		temp: filepath.Join(root, "runner-temp"), workspace: filepath.Join(root, "workspace"),
		remote: filepath.Join(root, "remote.git"), output: filepath.Join(root, "output"),
		summary: filepath.Join(root, "summary"), ghPath: filepath.Join(root, "path"),
	}
	os.MkdirAll(r.temp, 0o755)
	actionGit(t, root, "init", "--quiet", "--bare", "--initial-branch=main", r.remote)
	actionGit(t, root, "clone", "--quiet", r.remote, r.workspace)
	actionGit(t, r.workspace, "checkout", "--quiet", "-b", "main")
	var chs strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&chs, "      - {id: %s, name: 频道%s, feed: \"%s/feeds/%s.xml\"}\n", ch, ch, siteURL, ch)
	}
	cfg := fmt.Sprintf(`output:
  dir: "."
  page_url: "https://github.com/o/news/blob/main/{path}"
publish: {keep: 50}
fetch: {workers: 2, retries: 0, allow: [127.0.0.1]}
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
%s`, chs.String())
	os.WriteFile(filepath.Join(r.workspace, "newsmirror.yaml"), []byte(cfg), 0o644)
	actionGit(t, r.workspace, "add", "newsmirror.yaml")
	actionGit(t, r.workspace, "commit", "--quiet", "-m", "newsmirror configuration")
	actionGit(t, r.workspace, "push", "--quiet", "origin", "main")
	r.checkedOut = actionGit(t, r.workspace, "rev-parse", "HEAD")
	return r
}

// step runs run.sh with the runner's environment plus env and returns its
// exit code, its outputs and its combined output.
func (r *runner) step(t *testing.T, verb string, env ...string) (int, map[string]string, string) {
	t.Helper()
	os.Remove(r.output)
	cmd := exec.Command("bash", actionScript, verb)
	cmd.Env = append(os.Environ(),
		"GITHUB_ACTIONS=true", "GITHUB_WORKSPACE="+r.workspace, "GITHUB_OUTPUT="+r.output,
		"GITHUB_STEP_SUMMARY="+r.summary, "GITHUB_PATH="+r.ghPath, "RUNNER_TEMP="+r.temp,
		"GITHUB_REF_NAME=main", "GITHUB_ACTION_PATH="+repoRoot(t))
	cmd.Env = append(cmd.Env, env...)
	out, err := cmd.CombinedOutput()
	code := 0
	if exit, ok := err.(*exec.ExitError); ok {
		code = exit.ExitCode()
	} else if err != nil {
		t.Fatalf("run.sh %s: %v", verb, err)
	}
	outputs := map[string]string{}
	data, _ := os.ReadFile(r.output)
	for _, l := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(l, "="); ok {
			outputs[k] = v
		}
	}
	return code, outputs, string(out)
}

func repoRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// built is the binary the action's build step made, shared by the tests:
// a static build compiles the SQLite driver once more.
var built struct {
	bin, dir string
}

// buildWithAction builds newsmirror the way the action's build step does
// (once for all tests) and returns the binary.
func buildWithAction(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatal("go command not found")
	}
	if built.bin != "" {
		return built.bin
	}
	r := &runner{temp: built.dir, output: filepath.Join(t.TempDir(), "output"), ghPath: filepath.Join(t.TempDir(), "path")}
	code, outputs, out := r.step(t, "build")
	if code != 0 {
		t.Fatalf("build step exit %d\n%s", code, out)
	}
	bin := outputs["bin"]
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("build step's bin output %q: %v\n%s", bin, err, out)
	}
	if p, _ := os.ReadFile(r.ghPath); strings.TrimSpace(string(p)) != filepath.Dir(bin) {
		t.Errorf("GITHUB_PATH = %q, want %q", p, filepath.Dir(bin))
	}
	built.bin = bin
	return bin
}

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "newsmirror-action-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	built.dir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestActionPassesOrFailsTheJobByTheSyncExitCode runs the action's steps
// against loopback sites that fail in each way, with the mirror checked
// out from a bare remote, and checks the step's exit status, its outputs
// and what reached the remote.
func TestActionPassesOrFailsTheJobByTheSyncExitCode(t *testing.T) {
	bin := buildWithAction(t)
	notC := func(p string) bool { return !strings.HasPrefix(p, "/news/c") }
	for _, c := range []struct {
		name     string
		wrap     func(http.Handler) http.Handler
		step     int
		exitCode string
		outcome  string
		pushed   bool
	}{
		{"all well", nil, 0, "0", "ok", true},
		{"one article missing is partial and passes", failing(false, func(p string) bool { return p == "/news/a3.html" }), 0, "3", "partial", true},
		{"too many failures push what succeeded and fail", failing(false, notC), 1, "6", "too-many-failed", true},
		{"a run that reads nothing fails", failing(true, nil), 1, "5", "nothing-read", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := newsSite(t, c.wrap)
			r := newRunner(t, url)
			code, outputs, out := r.step(t, "sync", "NEWSMIRROR_BIN="+bin, "NEWSMIRROR_ARGS=--adopt")
			if code != c.step {
				t.Errorf("step exit %d, want %d\n%s", code, c.step, out)
			}
			if outputs["exit-code"] != c.exitCode || outputs["outcome"] != c.outcome {
				t.Errorf("outputs %v, want exit-code %s, outcome %s\n%s", outputs, c.exitCode, c.outcome, out)
			}
			remoteMain := actionGit(t, r.remote, "rev-parse", "main")
			head := actionGit(t, r.workspace, "rev-parse", "HEAD")
			if c.pushed {
				if remoteMain != head || head == r.checkedOut || outputs["pushed"] != "true" || outputs["commit"] != head {
					t.Errorf("remote main %s, HEAD %s (checked out %s), outputs %v: want the sync's commit pushed", remoteMain, head, r.checkedOut, outputs)
				}
				if files := actionGit(t, r.remote, "ls-tree", "-r", "--name-only", "main"); !strings.Contains(files, "pages/") {
					t.Errorf("the remote's main holds no page:\n%s", files)
				}
			} else if remoteMain != r.checkedOut || outputs["pushed"] != "false" {
				t.Errorf("remote main %s, outputs %v: want nothing pushed", remoteMain, outputs)
			}
			summary, _ := os.ReadFile(r.summary)
			if !strings.Contains(string(summary), "**"+c.outcome+"**") {
				t.Errorf("summary %q does not say %s", summary, c.outcome)
			}
			if c.step != 0 && !strings.Contains(out, "::error title=newsmirror::") {
				t.Errorf("a failed step annotates no error:\n%s", out)
			}
		})
	}
}

// A push the remote refuses (its branch moved on) fails the step even when
// the sync passed.
func TestActionFailsWhenThePushIsRefused(t *testing.T) {
	bin := buildWithAction(t)
	url := newsSite(t, nil)
	r := newRunner(t, url)
	other := filepath.Join(t.TempDir(), "other")
	actionGit(t, t.TempDir(), "clone", "--quiet", r.remote, other)
	os.WriteFile(filepath.Join(other, "NOTES"), []byte("someone else\n"), 0o644)
	actionGit(t, other, "add", "NOTES")
	actionGit(t, other, "commit", "--quiet", "-m", "moved on")
	actionGit(t, other, "push", "--quiet", "origin", "main")

	code, outputs, out := r.step(t, "sync", "NEWSMIRROR_BIN="+bin, "NEWSMIRROR_ARGS=--adopt")
	if code != 1 || outputs["outcome"] != "push-failed" || outputs["exit-code"] != "0" || outputs["pushed"] != "false" {
		t.Errorf("step exit %d, outputs %v; want 1, push-failed after exit 0\n%s", code, outputs, out)
	}
}

// A configuration that does not check stops the step before any sync.
func TestActionStopsOnAConfigurationThatDoesNotCheck(t *testing.T) {
	bin := buildWithAction(t)
	r := newRunner(t, "http://127.0.0.1:1")
	os.WriteFile(filepath.Join(r.workspace, "newsmirror.yaml"), []byte("output: {dir: \".\"}\nsources: nope\n"), 0o644)
	code, outputs, out := r.step(t, "sync", "NEWSMIRROR_BIN="+bin)
	if code != 1 || outputs["exit-code"] != "2" || outputs["outcome"] != "failed" {
		t.Errorf("step exit %d, outputs %v; want 1 with exit-code 2\n%s", code, outputs, out)
	}
	if actionGit(t, r.remote, "rev-parse", "main") != r.checkedOut {
		t.Error("a step whose configuration failed pushed")
	}
}

package publish

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Options say how long pages stay in the mirror and where it is pushed.
type Options struct {
	// Keep is how many pages each channel keeps; older pages, their QR
	// codes and the assets no other page uses are removed.
	Keep int `yaml:"keep"`
	// Remotes are pushed to after every run, each on its own.
	Remotes []Remote `yaml:"remotes"`
	// PushTimeout bounds one push (and the upstream pull).
	PushTimeout time.Duration `yaml:"push_timeout"`
	// Upstream names the remote the mirror is cloned from when its folder
	// does not exist, and pulled from (rebasing) before the daemon writes.
	Upstream string `yaml:"upstream"`
	// Branch is the mirror's branch.
	Branch string `yaml:"branch"`
	// MaxFailedShare is the share (0–1) of a run's channels and articles
	// that may fail for "newsmirror sync" to exit 3 (partial, tolerated by
	// the shipped CI workflow); above it the run exits 6.
	MaxFailedShare float64 `yaml:"max_failed_share"`
	// SizeBudget is the repository size (packed and loose history) above
	// which "newsmirror status" asks for attention (exit 4). GitHub asks
	// that repositories stay under 1 GB.
	SizeBudget ByteSize `yaml:"size_budget"`
	// History is how much of the branch's history the mirror keeps: the
	// zero Window keeps all of it. Past the window (and a tenth more) a
	// run re-roots the branch (see Repo.Reroot): the tree stays, older
	// history becomes one root commit. Remotes marked Rewrite get the
	// re-rooted branch; the others keep the full history (a chain of
	// copies the mirror keeps too, see Repo.Push).
	History Window `yaml:"history"`
}

// Remote is a repository the mirror is pushed to. Its URL holds no secret:
// "${VAR}" is replaced from the environment when git runs, and SSH URLs
// use the SSH agent.
type Remote struct {
	Name string `yaml:"name"`
	URL  string `yaml:"url"`
	// Rewrite lets newsmirror replace the remote's branch with a re-rooted
	// one (publish.history): such pushes use --force-with-lease against
	// what newsmirror last pushed there, so another writer's push is never
	// overwritten. A remote without it keeps the branch's full history:
	// once the branch is re-rooted it gets a chain of copies of the
	// branch's commits on top of the history it holds, never forced.
	Rewrite bool `yaml:"rewrite"`
}

// DefaultOptions returns the options of a configuration that says nothing.
func DefaultOptions() Options {
	return Options{Keep: 500, PushTimeout: 2 * time.Minute, Branch: "main", MaxFailedShare: 0.2, SizeBudget: DefaultSizeBudget}
}

// DefaultSizeBudget is publish.size_budget's default: 1 GB, the size GitHub
// asks repositories to stay under.
const DefaultSizeBudget ByteSize = 1_000_000_000

var remoteName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// Validate reports every option that cannot work.
func (o Options) Validate() error {
	var errs option.Errors
	bad := errs.Add
	if o.Keep < 1 {
		bad("keep", fmt.Errorf("must be at least 1, got %d", o.Keep))
	}
	if o.PushTimeout <= 0 {
		bad("push_timeout", errors.New("must be positive"))
	}
	if o.MaxFailedShare < 0 || o.MaxFailedShare > 1 {
		bad("max_failed_share", fmt.Errorf("must be within 0–1, got %g", o.MaxFailedShare))
	}
	if o.SizeBudget <= 0 {
		bad("size_budget", fmt.Errorf("must be positive, got %d", o.SizeBudget))
	}
	if !remoteName.MatchString(o.Branch) {
		bad("branch", fmt.Errorf("bad branch name %q", o.Branch))
	}
	if err := o.History.validate(); err != nil {
		bad("history", err)
	}
	names := map[string]bool{}
	for i, r := range o.Remotes {
		p := fmt.Sprintf("remotes[%d]", i)
		if !remoteName.MatchString(r.Name) || names[r.Name] {
			bad(p+".name", fmt.Errorf("want a unique name of letters, digits, '.', '_' or '-', got %q", r.Name))
		}
		names[r.Name] = true
		if err := checkRemoteURL(r.URL); err != nil {
			bad(p+".url", err)
		}
	}
	if o.Upstream != "" && !names[o.Upstream] {
		bad("upstream", fmt.Errorf("no remote is named %q", o.Upstream))
	}
	for _, r := range o.Remotes {
		if r.Name == o.Upstream && !r.Rewrite && !o.History.IsZero() {
			bad("upstream", fmt.Errorf("publish.history is %s, so the branch is re-rooted, and remote %q, not marked rewrite, holds the full history instead: a host cloning or taking over from it would start from the whole history; name a remote marked rewrite: true (docs/publishing.md, \"History within a window\")", o.History, r.Name))
		}
	}
	return errs.Err()
}

var _ option.Validator = Options{}

// checkRemoteURL refuses a URL that carries a credential: credentials come
// from the environment ("${VAR}") or the SSH agent, never the file.
func checkRemoteURL(raw string) error {
	if raw == "" {
		return errors.New("must not be empty")
	}
	if !strings.Contains(raw, "://") {
		return nil // scp-like "git@host:path" or a local path
	}
	u, err := url.Parse(envRef.ReplaceAllString(raw, envMark))
	if err != nil {
		return fmt.Errorf("bad URL: %v", Scrub(err.Error()))
	}
	if u.User == nil {
		return nil
	}
	pw, _ := u.User.Password()
	if pw != "" && pw != envMark {
		return errors.New("the URL holds a password; write ${VAR} and set VAR in the environment")
	}
	if name := u.User.Username(); u.Scheme != "ssh" && name != envMark && pw == "" {
		return errors.New("the URL holds a user name that may be a token; write ${VAR} and set VAR in the environment")
	}
	return nil
}

const envMark = "ENVREF"

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expand fills "${VAR}" from the environment.
func expand(raw string) string {
	return envRef.ReplaceAllStringFunc(raw, func(m string) string {
		return url.PathEscape(os.Getenv(envRef.FindStringSubmatch(m)[1]))
	})
}

var userinfo = regexp.MustCompile(`([A-Za-z][A-Za-z0-9+.-]*://)[^/@\s]*@`)

// Scrub removes the user information from every URL in s, so a message
// about a remote never shows a credential.
func Scrub(s string) string { return userinfo.ReplaceAllString(s, "$1") }

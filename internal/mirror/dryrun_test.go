package mirror_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/overlay"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// folderState maps every file and folder under dir (.git and the state
// database included) to its mode and content.
func folderState(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if os.IsNotExist(err) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() {
			out[rel+"/"] = fi.Mode().String()
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[rel] = fi.Mode().String() + " " + string(data)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func assertSameFolder(t *testing.T, what string, before, after map[string]string) {
	t.Helper()
	for p, v := range before {
		if w, ok := after[p]; !ok {
			t.Errorf("%s: %s is gone", what, p)
		} else if w != v {
			t.Errorf("%s: %s changed", what, p)
		}
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			t.Errorf("%s: %s appeared", what, p)
		}
	}
}

func dryRunAt(t *testing.T, cfg *config.Config, c *fetch.Client, now time.Time) *mirror.Report {
	t.Helper()
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: c, Now: func() time.Time { return now }, DryRun: true})
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if !rep.DryRun || rep.Commit != "" || len(rep.Pushes) > 0 {
		t.Fatalf("dry run reported a commit or pushes: %+v", rep)
	}
	return rep
}

// committedChanges are the last commit's changes as "op path" lines.
func committedChanges(t *testing.T, dir string, first bool) []string {
	t.Helper()
	args := []string{"-c", "core.quotePath=false", "diff", "--no-renames", "--name-status", "HEAD~1", "HEAD"}
	if first {
		args = []string{"-c", "core.quotePath=false", "show", "--no-renames", "--format=", "--name-status", "HEAD"}
	}
	var out []string
	for _, l := range strings.Split(gitOut(t, dir, args...), "\n") {
		if op, path, ok := strings.Cut(l, "\t"); ok {
			out = append(out, op+" "+path)
		}
	}
	return out
}

func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

func changeLines(cs []overlay.Change) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.Op + " " + c.Path
	}
	return out
}

func assertSameList(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\ndry run listed:\n  %s\nthe sync committed:\n  %s", what,
			strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestDryRunListsWhatTheSyncThenWritesAndChangesNothing(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := filepath.Join(t.TempDir(), "mirror")
	cfg := loadConfig(t, ar, out)
	cfg.Output.HTML.Enabled, cfg.Output.Feeds.Enabled = true, true

	// A first run into a folder that does not exist yet.
	dry := dryRunAt(t, cfg, site.client(), runTime)
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Fatalf("dry run made the mirror folder: %v", err)
	}
	real := syncAt(t, cfg, site.client(), runTime)
	assertSameList(t, "first run", changeLines(dry.Changes), committedChanges(t, out, true))
	if dry.Message != real.Message || dry.Message == "" {
		t.Errorf("dry run would commit %q, the sync committed %q", dry.Message, real.Message)
	}
	if strings.Join(sorted(dry.Written), ",") != strings.Join(sorted(real.Written), ",") || len(dry.Failures) != len(real.Failures) {
		t.Errorf("dry run wrote %v (failed %d), the sync %v (failed %d)", dry.Written, len(dry.Failures), real.Written, len(real.Failures))
	}

	// A run with new articles, retention and failed articles (whose
	// counters the state database keeps): the dry run changes no byte.
	cfg.Publish.Keep = 2
	addArticle(site, "202")
	addArticle(site, "203")
	later := runTime.Add(3 * time.Hour)
	before := folderState(t, out)
	dry = dryRunAt(t, cfg, site.client(), later)
	assertSameFolder(t, "mirror after a dry run", before, folderState(t, out))
	if len(dry.Removed) == 0 || len(dry.Written) != 2 {
		t.Fatalf("dry run with two new articles and keep 2: written %v, removed %v", dry.Written, dry.Removed)
	}
	real = syncAt(t, cfg, site.client(), later)
	assertSameList(t, "second run", changeLines(dry.Changes), committedChanges(t, out, false))
	if dry.Message != real.Message || strings.Join(sorted(dry.Removed), ",") != strings.Join(sorted(real.Removed), ",") {
		t.Errorf("dry run: message %q, removed %v; sync: %q, %v", dry.Message, dry.Removed, real.Message, real.Removed)
	}

	// Nothing new: nothing to write, nothing to commit; and while another
	// newsmirror (a daemon between rounds) holds the lock, the dry run
	// reads on without it and says so.
	held, err := publish.Lock(out)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	before = folderState(t, out)
	dry = dryRunAt(t, cfg, site.client(), later.Add(time.Minute))
	if len(dry.Changes) != 0 || dry.Message != "" {
		t.Errorf("dry run with nothing new lists %v, message %q", dry.Changes, dry.Message)
	}
	if !slices.ContainsFunc(dry.Warnings, func(w string) bool { return strings.Contains(w, "reads the mirror without the lock") }) {
		t.Errorf("dry run beside a lock holder does not warn: %q", dry.Warnings)
	}
	assertSameFolder(t, "mirror after a dry run beside a lock holder", before, folderState(t, out))
}

func TestDryRunRefusesAPostgreSQLState(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := filepath.Join(t.TempDir(), "mirror")
	cfg := loadConfig(t, ar, out)
	cfg.Output.State = "postgres://newsmirror@127.0.0.1:1/state"
	_, err = mirror.Sync(context.Background(), cfg, mirror.Deps{Client: site.client(), DryRun: true})
	if !errors.Is(err, mirror.ErrDryRunPostgres) {
		t.Errorf("dry run on a PostgreSQL state: %v, want %v", err, mirror.ErrDryRunPostgres)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("refused dry run made the mirror folder: %v", err)
	}
}

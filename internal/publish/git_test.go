package publish_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// newRepo is a fresh mirror repository with the files written.
func newRepo(t *testing.T, files map[string]string) (*publish.Repo, []string) {
	t.Helper()
	r, err := publish.OpenRepo(context.Background(), t.TempDir(), "Mirror <m@example.org>")
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for name, text := range files {
		if _, err := (publish.Tree{Dir: r.Dir}).Write(name, []byte(text)); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, name)
	}
	return r, paths
}

func TestCommitRecordsTheFilesAndChainsOnHEAD(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 12, 1, 4, 0, 0, 0, time.FixedZone("CST", 8*3600))
	r, paths := newRepo(t, map[string]string{"pages/c1/1.md": "一\n", "index.html": "<p>1</p>\n"})
	first, err := r.Commit(ctx, paths, "mirror: 2 pages", at)
	if err != nil || first == "" {
		t.Fatalf("first commit = %q, %v", first, err)
	}
	os.Remove(filepath.Join(r.Dir, "index.html"))
	commitFileAt(t, r, "pages/c1/2.md", "二\n")
	second, err := r.Commit(ctx, []string{"pages/c1/2.md", "index.html"}, "mirror: 1 page", at.Add(2*time.Hour))
	if err != nil || second == "" || second == first {
		t.Fatalf("second commit = %q, %v (first %s)", second, err, first)
	}
	if head := git(t, r.Dir, "rev-parse", "HEAD"); head != second {
		t.Errorf("HEAD = %s, want the second commit %s", head, second)
	}
	if parent := git(t, r.Dir, "rev-parse", "HEAD^"); parent != first {
		t.Errorf("the second commit's parent = %s, want the first %s", parent, first)
	}
	if files := git(t, r.Dir, "ls-tree", "-r", "--name-only", "HEAD"); files != "pages/c1/1.md\npages/c1/2.md" {
		t.Errorf("HEAD's files = %q, want both pages and no index.html", files)
	}
	if got := git(t, r.Dir, "log", "-1", "--format=%an <%ae>|%cn|%ad|%cd", "--date=iso-strict", "HEAD"); got !=
		"Mirror <m@example.org>|Mirror|2026-12-01T06:00:00+08:00|2026-12-01T06:00:00+08:00" {
		t.Errorf("author, committer, dates = %q", got)
	}
	if status := git(t, r.Dir, "status", "--porcelain"); status != "" {
		t.Errorf("the tree is not clean after the commit:\n%s", status)
	}
}

// commitFileAt writes a file without committing it.
func commitFileAt(t *testing.T, r *publish.Repo, name, text string) {
	t.Helper()
	if _, err := (publish.Tree{Dir: r.Dir}).Write(name, []byte(text)); err != nil {
		t.Fatal(err)
	}
}

func TestCommitOfUnchangedFilesMakesNoCommit(t *testing.T) {
	ctx := context.Background()
	r, paths := newRepo(t, map[string]string{"pages/c1/1.md": "一\n"})
	first, err := r.Commit(ctx, paths, "mirror: 1 page", time.Time{})
	if err != nil || first == "" {
		t.Fatalf("first commit = %q, %v", first, err)
	}
	again, err := r.Commit(ctx, paths, "mirror: again", time.Time{})
	if err != nil || again != "" {
		t.Errorf("commit of unchanged files = %q, %v; want no commit", again, err)
	}
	if n := git(t, r.Dir, "rev-list", "--count", "HEAD"); n != "1" {
		t.Errorf("%s commits, want 1", n)
	}
}

func TestCommitCleansTheMessageAsGitCommitDoes(t *testing.T) {
	ctx := context.Background()
	r, paths := newRepo(t, map[string]string{"a.md": "a\n"})
	msg := "\n\nmirror: 3 pages  \n\n\n\tdetails\t\nmore   \n\n"
	if _, err := r.Commit(ctx, paths, msg, time.Time{}); err != nil {
		t.Fatal(err)
	}
	body, err := gitRaw(r.Dir, "cat-file", "commit", "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	_, got, _ := strings.Cut(body, "\n\n")
	if want := "mirror: 3 pages\n\n\tdetails\nmore\n"; got != want {
		t.Errorf("message = %q, want %q (as git commit -F leaves it)", got, want)
	}
}

func TestCommitWritesReflogsAsGitCommitDoes(t *testing.T) {
	ctx := context.Background()
	r, paths := newRepo(t, map[string]string{"a.md": "a\n"})
	if _, err := r.Commit(ctx, paths, "mirror: first\n\nbody", time.Time{}); err != nil {
		t.Fatal(err)
	}
	commitFileAt(t, r, "b.md", "b\n")
	if _, err := r.Commit(ctx, []string{"b.md"}, "mirror: second", time.Time{}); err != nil {
		t.Fatal(err)
	}
	want := "commit: mirror: second\ncommit (initial): mirror: first"
	for _, ref := range []string{"HEAD", "main"} {
		if got := git(t, r.Dir, "reflog", "--format=%gs", ref); got != want {
			t.Errorf("%s's reflog = %q, want %q", ref, got, want)
		}
	}
}

func TestCommitStoresCompressedFilesUndeflated(t *testing.T) {
	ctx := context.Background()
	// The same compressible bytes as a photo and as a page: the page is
	// deflated, the photo (a type stored compressed already) is not.
	data := strings.Repeat("新闻 news ", 4000)
	r, _ := newRepo(t, nil)
	commitFileAt(t, r, "assets/ab/photo.JPG", data)
	commitFileAt(t, r, "pages/c1/1.md", data+"\n")
	if _, err := r.Commit(ctx, []string{"assets/ab/photo.JPG", "pages/c1/1.md"}, "mirror", time.Time{}); err != nil {
		t.Fatal(err)
	}
	size := func(name string) int64 {
		hash := git(t, r.Dir, "rev-parse", "HEAD:"+name)
		fi, err := os.Stat(filepath.Join(r.Dir, ".git", "objects", hash[:2], hash[2:]))
		if err != nil {
			t.Fatalf("loose object of %s: %v", name, err)
		}
		return fi.Size()
	}
	if photo := size("assets/ab/photo.JPG"); photo < int64(len(data)) {
		t.Errorf("the photo's loose object is %d bytes for %d bytes: deflated", photo, len(data))
	}
	if page := size("pages/c1/1.md"); page > int64(len(data))/10 {
		t.Errorf("the page's loose object is %d bytes for %d bytes: not deflated", page, len(data))
	}
}

func TestCommitRunsGitsAutomaticMaintenanceUnlessTurnedOff(t *testing.T) {
	for _, tc := range []struct {
		auto string // maintenance.auto in the repository's config; "" unset
		runs bool
	}{{"", true}, {"true", true}, {"false", false}} {
		t.Run("auto="+tc.auto, func(t *testing.T) {
			trace := filepath.Join(t.TempDir(), "trace.json")
			t.Setenv("GIT_TRACE2_EVENT", trace)
			r, paths := newRepo(t, map[string]string{"a.md": "a\n"})
			if tc.auto != "" {
				git(t, r.Dir, "config", "maintenance.auto", tc.auto)
			}
			if _, err := r.Commit(context.Background(), paths, "mirror", time.Time{}); err != nil {
				t.Fatal(err)
			}
			events, err := os.ReadFile(trace)
			if err != nil {
				t.Fatal(err)
			}
			ran := bytes.Contains(events, []byte(`"argv":["git","maintenance","run","--auto"`))
			if ran != tc.runs {
				t.Errorf("git maintenance run --auto ran: %v, want %v", ran, tc.runs)
			}
		})
	}
}

// gitRaw is git's output as it is, untrimmed.
func gitRaw(dir string, args ...string) (string, error) {
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
	return string(out), err
}

func TestCommitIsSignedWhenTheRepositoryAsksForIt(t *testing.T) {
	for _, sign := range []bool{false, true} {
		t.Run(fmt.Sprint("gpgSign=", sign), func(t *testing.T) {
			r, paths := newRepo(t, map[string]string{"a.md": "a\n"})
			// A stand-in for gpg: it reads what to sign and answers with
			// a detached signature and the status line git waits for.
			gpg := filepath.Join(t.TempDir(), "gpg")
			script := "#!/bin/sh\ncat >/dev/null\necho '[GNUPG:] SIG_CREATED D 1 8 00 0 0' >&2\n" +
				"printf -- '-----BEGIN PGP SIGNATURE-----\\n\\nstand-in\\n-----END PGP SIGNATURE-----\\n'\n"
			if err := os.WriteFile(gpg, []byte(script), 0o755); err != nil {
				t.Fatal(err)
			}
			git(t, r.Dir, "config", "gpg.program", gpg)
			git(t, r.Dir, "config", "user.signingKey", "mirror@example.org")
			git(t, r.Dir, "config", "commit.gpgSign", fmt.Sprint(sign))
			if _, err := r.Commit(context.Background(), paths, "mirror", time.Time{}); err != nil {
				t.Fatal(err)
			}
			commit, err := gitRaw(r.Dir, "cat-file", "commit", "HEAD")
			if err != nil {
				t.Fatal(err)
			}
			if signed := strings.Contains(commit, "\ngpgsig -----BEGIN PGP SIGNATURE-----"); signed != sign {
				t.Errorf("commit signed: %v, want %v:\n%s", signed, sign, commit)
			}
		})
	}
}

func TestFirstCommitOfPathsWithNoFileMakesNoCommit(t *testing.T) {
	r, _ := newRepo(t, nil)
	hash, err := r.Commit(context.Background(), []string{"pages/c1/gone.md"}, "mirror", time.Time{})
	if err != nil || hash != "" {
		t.Errorf("commit of a path with no file = %q, %v; want no commit", hash, err)
	}
	if has, err := r.HasCommit(context.Background()); err != nil || has {
		t.Errorf("the branch has a commit: %v, %v", has, err)
	}
}

package publish_test

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/option"
	"github.com/newsmirror/newsmirror/internal/publish"
)

func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func bare(t *testing.T, path string) {
	t.Helper()
	if out, err := exec.Command("git", "init", "-q", "--bare", "-b", "main", path).CombinedOutput(); err != nil {
		t.Fatalf("git init --bare: %v\n%s", err, out)
	}
}

// gitDaemon serves the bare repositories under base at git://127.0.0.1:port/.
type gitDaemon struct {
	base string
	port int
	cmd  *exec.Cmd
}

func (d *gitDaemon) start(t *testing.T) {
	t.Helper()
	d.cmd = exec.Command("git", "daemon", "--reuseaddr", "--export-all", "--enable=receive-pack",
		"--base-path="+d.base, "--listen=127.0.0.1", fmt.Sprintf("--port=%d", d.port), d.base)
	d.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := d.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", d.port)); err == nil {
			c.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("git daemon did not start")
}

func (d *gitDaemon) stop() {
	if d.cmd != nil && d.cmd.Process != nil {
		syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
		d.cmd.Wait()
		d.cmd = nil
	}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func commitFile(t *testing.T, r *publish.Repo, name, text string) string {
	t.Helper()
	if _, err := (publish.Tree{Dir: r.Dir}).Write(name, []byte(text)); err != nil {
		t.Fatal(err)
	}
	h, err := r.Commit(context.Background(), []string{name}, "add "+name, time.Time{})
	if err != nil || h == "" {
		t.Fatalf("commit: %q, %v", h, err)
	}
	return h
}

func TestPushReachesEveryRemoteWhileOneIsDown(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	for _, n := range []string{"a.git", "b.git", "served/d.git"} {
		bare(t, filepath.Join(root, n))
	}
	d := &gitDaemon{base: filepath.Join(root, "served"), port: freePort(t)}
	d.start(t)
	t.Cleanup(d.stop)
	remotes := []publish.Remote{
		{Name: "a", URL: "file://" + filepath.Join(root, "a.git")},
		{Name: "b", URL: "file://" + filepath.Join(root, "b.git")},
		{Name: "d", URL: fmt.Sprintf("git://127.0.0.1:%d/d.git", d.port)},
	}
	repo, err := publish.OpenRepo(ctx, filepath.Join(root, "mirror"), "t <t@localhost>")
	if err != nil {
		t.Fatal(err)
	}
	headOf := func(remote string) string {
		out, _ := exec.Command("git", "-C", filepath.Join(root, remote), "rev-parse", "main").Output()
		return strings.TrimSpace(string(out))
	}
	push := func() map[string]error {
		res := repo.Push(ctx, remotes, "main", time.Minute)
		out := map[string]error{}
		for _, r := range res {
			out[r.Remote] = r.Err
		}
		return out
	}

	c1 := commitFile(t, repo, "one.md", "1")
	for name, err := range push() {
		if err != nil {
			t.Errorf("push to %s: %v", name, err)
		}
	}
	// a's folder moves away and the daemon stops: b still gets c2.
	os.Rename(filepath.Join(root, "a.git"), filepath.Join(root, "a.away"))
	d.stop()
	c2 := commitFile(t, repo, "two.md", "2")
	errs := push()
	if errs["a"] == nil || errs["d"] == nil {
		t.Errorf("unreachable remotes reported no failure: %v", errs)
	}
	if errs["b"] != nil || headOf("b.git") != c2 {
		t.Errorf("b did not receive c2 while a and d were down: %v", errs["b"])
	}
	if headOf("served/d.git") != c1 {
		t.Errorf("d moved while down")
	}
	// Both come back and catch up on the next push.
	os.Rename(filepath.Join(root, "a.away"), filepath.Join(root, "a.git"))
	d.start(t)
	for name, err := range push() {
		if err != nil {
			t.Errorf("push to %s after recovery: %v", name, err)
		}
	}
	for _, r := range []string{"a.git", "b.git", "served/d.git"} {
		if got := headOf(r); got != c2 {
			t.Errorf("%s at %s, want %s", r, got, c2)
		}
	}
}

func TestPushGivesUpOnHangingRemoteWithoutHoldingOthers(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	bare(t, filepath.Join(root, "ok.git"))
	ln, err := net.Listen("tcp", "127.0.0.1:0") // accepts, never answers
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	repo, _ := publish.OpenRepo(ctx, filepath.Join(root, "mirror"), "t <t@localhost>")
	c1 := commitFile(t, repo, "one.md", "1")
	res := repo.Push(ctx, []publish.Remote{
		{Name: "hang", URL: "git://" + ln.Addr().String() + "/x.git"},
		{Name: "ok", URL: "file://" + filepath.Join(root, "ok.git")},
	}, "main", 10*time.Second) // ample for a file:// push on a busy machine
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "timed out") {
		t.Errorf("hanging remote: %v, want a timeout", res[0].Err)
	}
	if res[1].Err != nil || git(t, filepath.Join(root, "ok.git"), "rev-parse", "main") != c1 {
		t.Errorf("ok remote: %v", res[1].Err)
	}
}

func TestPushErrorsNeverShowCredentials(t *testing.T) {
	ctx := context.Background()
	t.Setenv("NM_TEST_TOKEN", "s3cr3t-t0ken")
	root := t.TempDir()
	repo, _ := publish.OpenRepo(ctx, filepath.Join(root, "mirror"), "t <t@localhost>")
	commitFile(t, repo, "one.md", "1")
	port := freePort(t) // nothing listens there
	res := repo.Push(ctx, []publish.Remote{
		{Name: "gh", URL: fmt.Sprintf("http://x-access-token:${NM_TEST_TOKEN}@127.0.0.1:%d/o/r.git", port)},
	}, "main", 10*time.Second)
	if res[0].Err == nil {
		t.Fatal("push to a closed port succeeded")
	}
	if msg := res[0].Err.Error(); strings.Contains(msg, "s3cr3t") || strings.Contains(msg, "x-access-token") {
		t.Errorf("error shows the credential: %s", msg)
	}
}

func TestOptionsRejectCredentialsInRemoteURL(t *testing.T) {
	for _, tt := range []struct {
		url string
		ok  bool
	}{
		{"https://github.com/o/r.git", true},
		{"git@github.com:o/r.git", true},
		{"ssh://git@github.com/o/r.git", true},
		{"https://x-access-token:${GH_TOKEN}@github.com/o/r.git", true},
		{"https://${GH_TOKEN}@github.com/o/r.git", true},
		{"https://user:hunter2@github.com/o/r.git", false},
		{"https://ghp_abcdef@github.com/o/r.git", false},
	} {
		o := publish.DefaultOptions()
		o.Remotes = []publish.Remote{{Name: "r", URL: tt.url}}
		errs := option.Fields(o.Validate())
		if (len(errs) == 0) != tt.ok {
			t.Errorf("%s: errors %v, want ok=%v", tt.url, errs, tt.ok)
		}
		for _, e := range errs {
			if strings.Contains(e.Error(), "hunter2") || strings.Contains(e.Error(), "ghp_") {
				t.Errorf("error shows the credential: %v", e)
			}
		}
	}
}

func TestScrubRemovesUserInfo(t *testing.T) {
	got := publish.Scrub("fatal: unable to access 'https://u:tok@github.com/o/r.git/': 403")
	if got != "fatal: unable to access 'https://github.com/o/r.git/': 403" {
		t.Errorf("Scrub = %q", got)
	}
}

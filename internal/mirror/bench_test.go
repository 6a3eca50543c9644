package mirror_test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/qr"
	"github.com/newsmirror/newsmirror/internal/store"
)

// benchMirror is a synthetic mirror of channels × perChannel committed
// pages, pushed to a bare remote, with a copy (plain) for plain git.
type benchMirror struct {
	cfg    *config.Config
	site   *fakenews.Site
	client *fetch.Client
	plain  string // a clone of the mirror, pushed to its own remote
	round  int
}

const benchChannels = 100

// newBenchMirror builds the mirror in parent's temporary folder, so that
// it lives across the calls of a sub-benchmark.
func newBenchMirror(b, parent *testing.B, perChannel int) *benchMirror {
	root := parent.TempDir()
	out := filepath.Join(root, "mirror")
	site := fakenews.New()
	srv := httptest.NewServer(site)
	parent.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	d := &net.Dialer{}
	client := fetch.New(config.Default().Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}), fetch.Allow("127.0.0.1"))
	for _, r := range []string{"remote.git", "plain.git"} {
		run(b, root, "git", "init", "-q", "--bare", "-b", "main", r)
	}
	var chs strings.Builder
	for c := range benchChannels {
		fmt.Fprintf(&chs, "      - {id: c%03d, name: 频道%03d, feed: \"http://news.example.test/feeds/c%03d.xml\"}\n", c, c, c)
	}
	cfg, err := config.Parse("bench.yaml", []byte(fmt.Sprintf(`output:
  dir: %s
  page_url: "https://github.com/o/r/blob/main/{path}"
  pixel_url: "http://counter.example.test/r/{path}"
publish:
  remotes: [{name: origin, url: "file://%s/remote.git"}]
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
%s`, out, root, chs.String())))
	if err != nil {
		b.Fatal(err)
	}
	seedPages(b, cfg, site, perChannel)
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: client})
	if err != nil || rep.Commit == "" {
		b.Fatalf("first commit: %v", err)
	}
	plain := filepath.Join(root, "plain")
	run(b, root, "git", "clone", "-q", "file://"+root+"/remote.git", plain)
	run(b, plain, "git", "remote", "set-url", "origin", "file://"+root+"/plain.git")
	run(b, plain, "git", "push", "-q", "origin", "main")
	return &benchMirror{cfg: cfg, site: site, client: client, plain: plain}
}

// seedPages writes perChannel synthetic pages (with a QR code) into every
// channel and records them, as if mirrored earlier; each feed lists the
// channel's newest 20.
func seedPages(b *testing.B, cfg *config.Config, site *fakenews.Site, perChannel int) {
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.StatePath())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	png, err := qr.PNG("https://github.com/o/r/blob/main/pages/c000/c000-1.md")
	if err != nil {
		b.Fatal(err)
	}
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for c := range benchChannels {
		ch := fmt.Sprintf("c%03d", c)
		arts := fakenews.Generate(ch+"-", perChannel, start)
		os.MkdirAll(filepath.Join(cfg.Output.Dir, "pages", ch), 0o755)
		for _, a := range arts {
			rel := "pages/" + ch + "/" + a.ID + ".md"
			os.WriteFile(filepath.Join(cfg.Output.Dir, rel), []byte("### "+a.Title+"\n\n正文 "+a.ID+"\n"), 0o644)
			os.WriteFile(filepath.Join(cfg.Output.Dir, rel+".png"), png, 0o644)
			err := db.SavePending(ctx, store.Article{URL: a.URL("news.example.test"), Source: "ex", Channel: ch, ID: a.ID,
				Title: a.Title, Published: a.Published, Mirrored: a.Published, Path: rel})
			if err != nil {
				b.Fatal(err)
			}
		}
		site.Add(ch, arts[max(0, len(arts)-20):]...)
	}
}

func run(b *testing.B, dir string, name string, args ...string) string {
	b.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

// BenchmarkSyncNewArticles mirrors 100 new articles (10 in each of 10
// channels) into a mirror of 100 channels × N pages, then applies the same
// change to a clone with plain "git add -A; git commit; git push".
//
//	go test ./internal/mirror/ -run '^$' -bench SyncNewArticles -benchtime 5x
func BenchmarkSyncNewArticles(b *testing.B) {
	parent := b
	for _, per := range []int{10, 500} {
		var m *benchMirror
		b.Run(fmt.Sprintf("pages=%d", per*benchChannels), func(b *testing.B) {
			if m == nil {
				m = newBenchMirror(b, parent, per)
			}
			var lists, commit, push, plain, cpu time.Duration
			for range b.N {
				b.StopTimer()
				m.round++
				for c := range 10 {
					ch := fmt.Sprintf("c%03d", c*10)
					arts := fakenews.Generate(fmt.Sprintf("%s-r%d-", ch, m.round), 10, time.Date(2025, 1, 1, m.round, 0, 0, 0, time.UTC))
					m.site.Add(ch, arts...)
				}
				cpu0 := cpuTime()
				b.StartTimer()
				rep, err := mirror.Sync(context.Background(), m.cfg, mirror.Deps{Client: m.client})
				b.StopTimer()
				cpu += cpuTime() - cpu0
				if err != nil || len(rep.Written) != 100 || rep.Commit == "" || rep.Pushes[0].Err != nil {
					b.Fatalf("sync: %v, %d written, commit %q, pushes %+v, failures %v", err, len(rep.Written), rep.Commit, rep.Pushes, rep.Failures)
				}
				lists += rep.Took.Lists
				commit += rep.Took.Commit
				push += rep.Took.Push
				plain += m.plainCommit(b, rep.Commit)
				b.StartTimer()
			}
			n := float64(b.N)
			b.ReportMetric(float64(lists.Milliseconds())/n, "lists-ms/op")
			b.ReportMetric(float64((commit+push).Milliseconds())/n, "commit+push-ms/op")
			b.ReportMetric(float64(plain.Milliseconds())/n, "plain-git-ms/op")
			b.ReportMetric(float64(cpu.Milliseconds())/n, "cpu-ms/op")
		})
	}
}

// plainCommit copies the files of commit into the plain clone (untimed)
// and times "git add -A && git commit && git push" there.
func (m *benchMirror) plainCommit(b *testing.B, commit string) time.Duration {
	dir := m.cfg.Output.Dir
	changes := run(b, dir, "git", "-c", "core.quotepath=off", "diff", "--name-status", "--no-renames", commit+"~1", commit)
	for _, line := range strings.Split(strings.TrimSpace(changes), "\n") {
		status, path, _ := strings.Cut(line, "\t")
		dst := filepath.Join(m.plain, path)
		if status == "D" {
			os.Remove(dst)
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, path))
		if err != nil {
			b.Fatal(err)
		}
		os.MkdirAll(filepath.Dir(dst), 0o755)
		os.WriteFile(dst, data, 0o644)
	}
	began := time.Now()
	run(b, m.plain, "git", "add", "-A")
	run(b, m.plain, "git", "-c", "user.name=b", "-c", "user.email=b@localhost", "commit", "-q", "-m", "plain")
	run(b, m.plain, "git", "push", "-q", "origin", "main")
	return time.Since(began)
}

// cpuTime is the user and system CPU time of this process and its waited-for
// children (git): on a busy machine it shows the cost wall time hides.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &self)
	syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids)
	tv := func(t syscall.Timeval) time.Duration { return time.Duration(t.Nano()) }
	return tv(self.Utime) + tv(self.Stime) + tv(kids.Utime) + tv(kids.Stime)
}

package store_test

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/store"
)

// yearExport is the export of a mirror a year old at the reference's rate
// (150 articles a day in 9 channels, publish.keep 500): 54,750 articles,
// 4,500 of them live with 2 images each, the rest tombstones (which keep
// their publication date, as exports of format 2 do).
func yearExport(b *testing.B) []byte {
	b.Helper()
	var buf bytes.Buffer
	buf.WriteString(`{"_table":"newsmirror-state","commit":"0123456789abcdef0123456789abcdef01234567","format":1,"schema":1}` + "\n")
	const total, live = yearArticles, 4_500
	var assets []string
	for i := range total {
		ch := fmt.Sprintf("ch%d", i%9)
		state := "removed"
		if i >= total-live {
			state = "committed"
		}
		path := fmt.Sprintf("pages/%s/%d.md", ch, 1_000_000+i)
		if state == "removed" {
			fmt.Fprintf(&buf, `{"_table":"articles","channel":"%s","id":"%d","published":%d,"source":"sc","state":"removed","url":"https://www.secretchina.com/news/gb/2026/03/01/%d.html"}`+"\n",
				ch, 1_000_000+i, yearStart+i*576, 1_000_000+i)
			continue
		}
		fmt.Fprintf(&buf, `{"_table":"articles","channel":"%s","hash":"%064x","id":"%d","mirrored":%d,"path":"%s","published":%d,"source":"sc","state":"%s","title":"中共官员在新闻发布会上回应记者提问 第%d号","url":"https://www.secretchina.com/news/gb/2026/03/01/%d.html"}`+"\n",
			ch, i, 1_000_000+i, yearStart+i*576, path, yearStart+i*576, state, i, 1_000_000+i)
		for k := range 2 {
			a := fmt.Sprintf("assets/%02x/%062x%02x.jpg", i%256, i, k)
			assets = append(assets, fmt.Sprintf(`{"_table":"page_assets","asset":"%s","page":"%s"}`, a, path),
				fmt.Sprintf(`{"_table":"assets","path":"%s"}`, a))
		}
	}
	for _, a := range assets {
		buf.WriteString(a + "\n")
	}
	return buf.Bytes()
}

// yearStart is when the year of yearExport starts (Unix seconds); an
// article is published every 576 s (150 a day).
const (
	yearStart    = 1_700_000_000
	yearArticles = 54_750
)

// BenchmarkImportYear measures what a new host (or every GitHub Actions
// run) pays to import a year-old mirror's state.
func BenchmarkImportYear(b *testing.B) {
	data := yearExport(b)
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("s%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(ctx, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkExportYear measures a committing run's export of the same state.
func BenchmarkExportYear(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, bytes.NewReader(yearExport(b))); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	cpu := cpuClock()
	for b.Loop() {
		buf.Reset()
		if err := db.Export(ctx, &buf, "0123456789abcdef0123456789abcdef01234567"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "export-bytes")
	cpu.report(b)
}

// BenchmarkExportAndSaveYear measures a committing run's export of the
// year-old state onto the state branch of a Git repository: each op is
// one sync's change (12 new articles, as many of the oldest retired by
// publish.keep 500, 2 hours later than the op before), then ExportFiles
// and SaveState. new-KB/op is what the op added to the repository's
// objects on disk, files/op the files of the export.
func BenchmarkExportAndSaveYear(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, bytes.NewReader(yearExport(b))); err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	repo, err := publish.OpenRepo(ctx, dir, "bench <bench@example.org>")
	if err != nil {
		b.Fatal(err)
	}
	files, _ := db.ExportFiles(ctx, "first")
	if _, err := repo.SaveState(ctx, files, "first", time.Time{}); err != nil {
		b.Fatal(err)
	}
	start := looseKB(b, dir)
	next := yearArticles
	var cpu cpuTime
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		syncYear(b, db, &next)
		b.StartTimer()
		cpu.start()
		files, err := db.ExportFiles(ctx, fmt.Sprint("main", i))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := repo.SaveState(ctx, files, fmt.Sprint("main", i), time.Time{}); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(len(files)), "files/op")
		cpu.stop()
	}
	cpu.report(b)
	b.ReportMetric(float64(looseKB(b, dir)-start)/float64(b.N), "new-KB/op")
}

// syncYear makes one sync's change to the year's state: 12 articles
// published after the newest, the oldest beyond publish.keep 500 of each
// channel retired.
func syncYear(b *testing.B, db *store.Store, next *int) {
	ctx := context.Background()
	for range 12 {
		i := *next
		*next++
		ch := fmt.Sprintf("ch%d", i%9)
		at := time.Unix(int64(yearStart+i*576), 0)
		a := store.Article{URL: fmt.Sprintf("https://www.secretchina.com/news/gb/2026/03/01/%d.html", 1_000_000+i), Source: "sc",
			Channel: ch, ID: fmt.Sprint(1_000_000 + i), Title: fmt.Sprintf("中共官员在新闻发布会上回应记者提问 第%d号", i),
			Published: at, Mirrored: at, Hash: fmt.Sprintf("%064x", i), Path: fmt.Sprintf("pages/%s/%d.md", ch, 1_000_000+i)}
		if err := db.SaveMirrored(ctx, a, false, []string{fmt.Sprintf("assets/%02x/%062x00.jpg", i%256, i)}); err != nil {
			b.Fatal(err)
		}
	}
	for c := range 9 {
		if _, err := db.Expire(ctx, fmt.Sprintf("ch%d", c), 500, func(p string) []string { return []string{p} }); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := db.SweepAssets(ctx); err != nil {
		b.Fatal(err)
	}
	if err := db.Committed(ctx); err != nil {
		b.Fatal(err)
	}
}

// looseKB is the size of dir's loose objects on disk (git count-objects).
func looseKB(b *testing.B, dir string) int {
	out, err := exec.Command("git", "-C", dir, "count-objects").Output()
	if err != nil {
		b.Fatal(err)
	}
	var n, kb int
	if _, err := fmt.Sscanf(string(out), "%d objects, %d kilobytes", &n, &kb); err != nil {
		b.Fatalf("git count-objects: %q: %v", out, err)
	}
	return kb
}

// cpuTime adds up the CPU time (user and system) of the benchmark's
// process and of the git commands it ran between start and stop: wall
// time means little on a machine shared by other builds.
type cpuTime struct {
	self, children, t0self, t0children time.Duration
}

func cpuClock() *cpuTime {
	c := &cpuTime{}
	c.start()
	return c
}

func (c *cpuTime) start() {
	c.t0self, c.t0children = rusage(syscall.RUSAGE_SELF), rusage(syscall.RUSAGE_CHILDREN)
}

func (c *cpuTime) stop() {
	c.self += rusage(syscall.RUSAGE_SELF) - c.t0self
	c.children += rusage(syscall.RUSAGE_CHILDREN) - c.t0children
	c.t0self, c.t0children = 0, 0
}

// report gives the CPU per op in milliseconds: cpu-ms/op of the process,
// git-cpu-ms/op of the git commands.
func (c *cpuTime) report(b *testing.B) {
	if c.t0self != 0 {
		c.stop()
	}
	b.ReportMetric(float64(c.self.Milliseconds())/float64(b.N), "cpu-ms/op")
	b.ReportMetric(float64(c.children.Milliseconds())/float64(b.N), "git-cpu-ms/op")
}

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(who, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

package mirror_test

import (
	"context"
	"fmt"
	"net"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// newsFixture is a fakenews site on loopback and a mirror folder.
type newsFixture struct {
	site   *fakenews.Site
	client *fetch.Client
	out    string
}

func newNewsFixture(t *testing.T) *newsFixture {
	t.Helper()
	site := fakenews.New()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	d := &net.Dialer{}
	c := fetch.New(config.Default().Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}), fetch.Allow("127.0.0.1"))
	return &newsFixture{site: site, client: c, out: t.TempDir()}
}

// config parses a configuration with one source "ex" (prefix X) and the
// channels given, plus the extra YAML (top-level keys).
func (f *newsFixture) config(t *testing.T, extra string, channels ...string) *config.Config {
	t.Helper()
	var chs strings.Builder
	for _, ch := range channels {
		fmt.Fprintf(&chs, "      - {id: %s, name: %s, feed: \"http://news.example.test/feeds/%s.xml\"}\n", ch, ch, ch)
	}
	text := fmt.Sprintf("output:\n  dir: %s\n%s\nsources:\n  - id: ex\n    prefix: X\n    rules: {body: div.article}\n    channels:\n%s",
		f.out, extra, chs.String())
	cfg, err := config.Parse("config.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (f *newsFixture) sync(t *testing.T, cfg *config.Config, now time.Time) *mirror.Report {
	t.Helper()
	rep := syncAt(t, cfg, f.client, now)
	for _, fl := range rep.Failures {
		t.Errorf("failure: %v", fl)
	}
	return rep
}

var linkRE = regexp.MustCompile(`\]\(([^)?]+)`)

// links lists the link targets of a Markdown file, stamps dropped.
func links(text string) []string {
	var out []string
	for _, m := range linkRE.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1])
	}
	return out
}

// entries lists the page links of an index, in order.
func entries(text string) []string {
	var out []string
	for _, l := range links(text) {
		if strings.HasPrefix(l, "../pages/") {
			out = append(out, strings.TrimPrefix(l, "../"))
		}
	}
	return out
}

func pagesOf(ch string, ids ...int) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("pages/%s/%s%d.md", ch, ch, id)
	}
	return out
}

var t0 = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func TestIndexOverflowsNewestFirstOntoEarlierPage(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 5, t0)...)
	cfg := f.config(t, "indexes: {length: 3}", "a")
	f.sync(t, cfg, t0.Add(time.Hour))

	index := readFile(t, f.out, "indexes/Xa.md")
	if got, want := entries(index), pagesOf("a", 5, 4, 3); !slices.Equal(got, want) {
		t.Errorf("index entries = %v, want %v", got, want)
	}
	if !strings.Contains(index, "#### [ >>> 更早内容 <<< ](../indexes/Xa-earlier.md)") {
		t.Errorf("index lacks the 更早内容 link at the bottom:\n%s", index)
	}
	if !strings.Contains(index, "](../pages/a/a5.md?t=05010900)") {
		t.Errorf("index links lack the run's stamp:\n%s", index)
	}
	earlier := readFile(t, f.out, "indexes/Xa-earlier.md")
	if got, want := entries(earlier), pagesOf("a", 2, 1); !slices.Equal(got, want) {
		t.Errorf("earlier entries = %v, want %v", got, want)
	}
}

func TestIndexDropsBlacklistedTitles(t *testing.T) {
	f := newNewsFixture(t)
	arts := fakenews.Generate("a", 4, t0)
	arts[0].Title = "广告：特价"
	arts[2].Title = "【直播】今晚"
	f.site.Add("a", arts...)
	f.site.Add("b", fakenews.Article{ID: "b1", Title: "直播 在别的源也没关系", Published: t0})
	cfg := f.config(t, "indexes:\n  blacklist: {contains: [广告]}", "a", "b")
	cfg.Sources[0].Blacklist.Patterns = []string{`^【直播】`}
	if err := cfg.Sources[0].Blacklist.Validate(); err != nil {
		t.Fatal(err)
	}
	f.sync(t, cfg, t0.Add(time.Hour))

	if got, want := entries(readFile(t, f.out, "indexes/Xa.md")), pagesOf("a", 4, 2); !slices.Equal(got, want) {
		t.Errorf("index entries = %v, want %v (blacklisted titles dropped)", got, want)
	}
	if _, err := os.Stat(filepath.Join(f.out, "pages/a/a1.md")); err == nil {
		t.Error("a blacklisted article was mirrored")
	}
}

func TestIndexPutsStickyLinksAtTheirPositions(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 4, t0)...)
	dir := t.TempDir()
	top := filepath.Join(dir, "top.csv")
	os.WriteFile(top, []byte("https://example.test/quit.md, 退出声明\n"), 0o644)
	mid := filepath.Join(dir, "mid.csv")
	os.WriteFile(mid, []byte("https://example.test/a.md,工具一\n/guides/README.md,本站教程\n"), 0o644)
	cfg := f.config(t, fmt.Sprintf("indexes:\n  sticky:\n    - {file: %s, position: 1}\n    - {file: %s, position: 3}\n    - {file: %s, position: 99}", top, mid, top), "a")
	f.sync(t, cfg, t0.Add(time.Hour))

	got := links(readFile(t, f.out, "indexes/Xa.md"))
	got = slices.DeleteFunc(got, func(l string) bool {
		return strings.HasSuffix(l, "README.md") && !strings.Contains(l, "guides") || strings.Contains(l, "热点推荐")
	})
	want := []string{"https://example.test/quit.md", "../pages/a/a4.md", "../pages/a/a3.md",
		"https://example.test/a.md", "../guides/README.md", "../pages/a/a2.md", "../pages/a/a1.md", "https://example.test/quit.md"}
	if !slices.Equal(got, want) {
		t.Errorf("index links =\n%v\nwant\n%v", got, want)
	}
}

func TestRetentionRemovesOldPagesAndKeepsTombstones(t *testing.T) {
	f := newNewsFixture(t)
	arts := fakenews.Generate("a", 6, t0)
	f.site.Add("a", arts[:3]...)
	cfg := f.config(t, "indexes: {length: 2}\npublish: {keep: 3}", "a")
	f.sync(t, cfg, t0.Add(time.Hour))

	f.site.Add("a", arts[3:]...)
	rep := f.sync(t, cfg, t0.Add(2*time.Hour))
	if want := pagesOf("a", 1, 2, 3); !sameSet(rep.Removed, want) {
		t.Errorf("removed = %v, want %v", rep.Removed, want)
	}
	files := gitOut(t, f.out, "ls-files", "pages")
	for _, p := range pagesOf("a", 1, 2, 3) {
		if strings.Contains(files, p) {
			t.Errorf("%s (or its QR code) still committed:\n%s", p, files)
		}
	}
	for _, p := range pagesOf("a", 4, 5, 6) {
		if !strings.Contains(files, p+".png") {
			t.Errorf("%s.png missing from the commit", p)
		}
	}
	all := readFile(t, f.out, "indexes/Xa.md") + readFile(t, f.out, "indexes/Xa-earlier.md") + readFile(t, f.out, "README.md")
	for _, p := range pagesOf("a", 1, 2, 3) {
		if strings.Contains(all, p) {
			t.Errorf("a list still links the removed %s", p)
		}
	}
	if got := gitOut(t, f.out, "status", "--porcelain"); got != "" {
		t.Errorf("removals not committed:\n%s", got)
	}
	// The feed still lists the removed articles: the tombstones keep them out.
	rep = f.sync(t, cfg, t0.Add(3*time.Hour))
	if len(rep.Written) != 0 || rep.Commit != "" {
		t.Errorf("third run wrote %v, commit %q; want nothing (tombstones)", rep.Written, rep.Commit)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestRunWithNothingNewTouchesNoFile(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 2, t0)...)
	cfg := f.config(t, "", "a")
	f.sync(t, cfg, t0.Add(time.Hour))
	before := readFile(t, f.out, "README.md")
	rep := f.sync(t, cfg, t0.Add(2*time.Hour))
	if rep.Commit != "" || readFile(t, f.out, "README.md") != before {
		t.Errorf("a run with nothing new committed %q or rewrote the home page", rep.Commit)
	}
	f.site.Add("a", fakenews.Generate("b", 1, t0.Add(time.Hour))...)
	f.sync(t, cfg, t0.Add(3*time.Hour))
	if home := readFile(t, f.out, "README.md"); !strings.Contains(home, "?t=05011100") {
		t.Errorf("home page stamps not refreshed by the committing run:\n%s", home)
	}
}

func TestRebuildAppliesChangedIndexOptionsWithNothingNew(t *testing.T) {
	f := newNewsFixture(t)
	f.site.Add("a", fakenews.Generate("a", 4, t0)...)
	cfg := f.config(t, "", "a")
	f.sync(t, cfg, t0.Add(time.Hour))
	cfg.Indexes.Length = 2
	if rep := f.sync(t, cfg, t0.Add(2*time.Hour)); rep.Commit != "" {
		t.Fatalf("a run with nothing new committed %s", rep.Commit)
	}
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: f.client, Rebuild: true,
		Now: func() time.Time { return t0.Add(3 * time.Hour) }})
	if err != nil || rep.Commit == "" {
		t.Fatalf("rebuild: %v, commit %q", err, rep.Commit)
	}
	if got, want := entries(readFile(t, f.out, "indexes/Xa.md")), pagesOf("a", 4, 3); !slices.Equal(got, want) {
		t.Errorf("index after rebuild = %v, want %v", got, want)
	}
	if got, want := entries(readFile(t, f.out, "indexes/Xa-earlier.md")), pagesOf("a", 2, 1); !slices.Equal(got, want) {
		t.Errorf("earlier page after rebuild = %v, want %v", got, want)
	}
}

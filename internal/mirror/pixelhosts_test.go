package mirror_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/store"
)

var threeCounters = config.PixelURLs{
	"http://c1.example.test/r/{path}",
	"http://c2.example.test/r/{path}",
	"http://c3.example.test/r/{path}",
}

// Each page and index, Markdown and HTML, loads the pixel of one counter
// host, the one its path picks; the pages of one mirror use several.
func TestEachFileLoadsThePixelOfTheHostItsPathPicks(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Output.PixelURL = threeCounters
	cfg.Output.HTML.Enabled = true
	syncAt(t, cfg, site.client(), runTime)

	pixel := regexp.MustCompile(`http://c\d\.example\.test/r/[^"')\s]*`)
	used := map[config.URLTemplate]int{}
	files := 0
	for _, pattern := range []string{"README.md", "index.html", "indexes/*.md", "indexes/*.html", "pages/*/*.md", "pages/*/*.html"} {
		matches, _ := filepath.Glob(filepath.Join(out, pattern))
		for _, f := range matches {
			rel, _ := filepath.Rel(out, f)
			rel = filepath.ToSlash(rel)
			mdPath := strings.TrimSuffix(strings.TrimSuffix(rel, ".html"), ".md") + ".md"
			if rel == "index.html" {
				mdPath = "README.md"
			}
			data, _ := os.ReadFile(f)
			got := pixel.FindAllString(string(data), -1)
			want := threeCounters.Expand(mdPath, "", "")
			if len(got) == 1 { // the HTML site percent-encodes the path
				got[0], _ = url.PathUnescape(got[0])
			}
			if len(got) != 1 || got[0] != want {
				t.Errorf("%s loads %q, want only %q", rel, got, want)
				continue
			}
			used[threeCounters.For(mdPath)]++
			files++
		}
	}
	if files < 10 || len(used) < 2 {
		t.Errorf("%d files checked, hosts used: %v; want the pages spread over several hosts", files, used)
	}
}

// Hits counted by several counters on one state database make one hot list.
func TestHotListCountsTheHitsOfEveryCounterHost(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Output.PixelURL = threeCounters
	cfg.Site.HotLength = 3
	syncAt(t, cfg, site.client(), runTime)

	hits := map[string]int{"pages/world/103.md": 3, "pages/china/201.md": 5, "pages/world/101.md": 4, "pages/world/102.md": 1}
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[config.URLTemplate]bool{}
	for _, tmpl := range threeCounters { // one counter per host, each answering its pages' pixels
		c, err := counter.New(ctx, counter.Config{DB: db, Dir: out, Prefix: "/r/",
			Options: counter.DefaultOptions(), Now: func() time.Time { return runTime.Add(30 * time.Minute) }})
		if err != nil {
			t.Fatal(err)
		}
		client := 0
		for path, n := range hits {
			if threeCounters.For(path) != tmpl {
				continue
			}
			hosts[tmpl] = true
			for range n {
				client++
				req := httptest.NewRequest(http.MethodGet, tmpl.Expand(path, "", ""), nil)
				req.RemoteAddr = "192.0.2." + string(rune('0'+client)) + ":1234"
				req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36")
				c.ServeHTTP(httptest.NewRecorder(), req)
			}
		}
		if err := c.Flush(ctx); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	if len(hosts) < 2 {
		t.Fatalf("the hit pages all pick one host (%v): the test shows nothing", hosts)
	}
	addArticle(site, "202")
	syncAt(t, cfg, site.client(), runTime.Add(2*time.Hour))
	hot := readFile(t, out, "indexes/热点推荐.md")
	assertOrder(t, hot, "(../pages/china/201.md", "(../pages/world/101.md", "(../pages/world/103.md")
	if strings.Contains(hot, "102.md") {
		t.Errorf("hot list of length 3 lists the page hit once:\n%s", hot)
	}
}

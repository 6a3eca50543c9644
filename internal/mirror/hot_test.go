package mirror_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/store"
)

// countHits sends pixel requests from readers to a hit counter on the
// mirror's state database and flushes them, as "newsmirror serve" does.
func countHits(t *testing.T, cfg *config.Config, at time.Time, hits map[string]int) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	prefix, err := counter.Prefix(string(cfg.Output.PixelURL[0]))
	if err != nil {
		t.Fatal(err)
	}
	c, err := counter.New(ctx, counter.Config{DB: db, Dir: cfg.Output.Dir, Prefix: prefix,
		Options: counter.DefaultOptions(), Now: func() time.Time { return at }})
	if err != nil {
		t.Fatal(err)
	}
	client := 0
	for path, n := range hits {
		for range n {
			client++ // one hit per reader, well within every bucket
			req := httptest.NewRequest(http.MethodGet, "http://counter.example.test/r/"+path, nil)
			req.RemoteAddr = "192.0.2." + string(rune('0'+client%10)) + ":1234"
			req.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14) Mobile Safari/537.36")
			c.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	if err := c.Flush(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestCountedHitsMakeTheHotListAtTheNextSync(t *testing.T) {
	eachState(t, testCountedHitsMakeTheHotList)
}

func testCountedHitsMakeTheHotList(t *testing.T, state string) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	if state != "" {
		cfg.Output.State = state
	}
	cfg.Site.HotLength = 2
	syncAt(t, cfg, site.client(), runTime)
	if hot := readFile(t, out, "indexes/热点推荐.md"); strings.Contains(hot, "pages/") {
		t.Fatalf("hot list of a mirror without hits lists pages:\n%s", hot)
	}

	countHits(t, cfg, runTime.Add(30*time.Minute), map[string]int{
		"pages/world/103.md": 3, "pages/china/201.md": 5, "pages/world/101.md": 1,
		"pages/world/999.md": 9, // no such page: not counted
	})
	addArticle(site, "202")
	syncAt(t, cfg, site.client(), runTime.Add(2*time.Hour))
	hot := readFile(t, out, "indexes/热点推荐.md")
	assertOrder(t, hot, "[大陆新闻一则](../pages/china/201.md", "[第三篇 更早的新闻](../pages/world/103.md")
	for _, absent := range []string{"101.md", "999.md"} {
		if strings.Contains(hot, absent) {
			t.Errorf("hot list of length 2 lists %s:\n%s", absent, hot)
		}
	}

	// Past the window (24h by default) the hits no longer count.
	addArticle(site, "203")
	syncAt(t, cfg, site.client(), runTime.Add(26*time.Hour))
	if hot := readFile(t, out, "indexes/热点推荐.md"); strings.Contains(hot, "pages/") {
		t.Errorf("hot list still lists pages hit 25h ago:\n%s", hot)
	}
}

// addArticle puts a new article at the top of the china feed, so that the
// next sync has a page to write and rebuilds the indexes.
func addArticle(site *fakeSite, id string) {
	site.set("/feeds/china.xml", strings.Replace(string(site.Get("/feeds/china.xml")), "<entry>",
		`<entry><title>新增`+id+`</title><link href="http://news.example.test/news/`+id+`.html"/><updated>2022-01-13T05:00:00Z</updated></entry><entry>`, 1))
	site.set("/news/"+id+".html", `<div class="article"><p>新增正文。</p></div>`)
}

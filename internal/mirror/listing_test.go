package mirror_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/store"
)

func TestListingAndJSONChannelsMirrorEndToEnd(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/listing.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	// The listing page is GBK, served with a wrong "charset=utf-8" header;
	// its <meta> says gb2312.
	page := string(site.Get("/gb/prog1.html"))
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(page)
	if err != nil {
		t.Fatal(err)
	}
	site.set("/gb/prog1.html", gbk)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)

	rep := syncAt(t, cfg, site.client(), runTime)

	for _, p := range []string{"pages/prog1/a1.md", "pages/prog1/a2.md", "pages/mh91/428432.md", "pages/mh91/428431.md"} {
		if !strings.Contains(strings.Join(rep.Written, " "), p) {
			t.Errorf("page %s not written; written: %v", p, rep.Written)
		}
	}
	a2 := readFile(t, out, "pages/prog1/a2.md")
	for _, want := range []string{"第二条 温水煮五毛", "新唐人热点正文二。", "http://www.ntd.example.test/gb/2019/02/23/a2.html?utm=list"} {
		if !strings.Contains(a2, want) {
			t.Errorf("listing page lacks %q:\n%s", want, a2)
		}
	}
	if mh := readFile(t, out, "pages/mh91/428431.md"); !strings.Contains(mh, "明慧正文二。") {
		t.Errorf("JSON listing page:\n%s", mh)
	}
	if len(rep.Failures) != 1 || rep.Failures[0].Channel != "mh140" || !strings.Contains(rep.Failures[0].Err.Error(), "not a JSON array") {
		t.Fatalf("failures = %v, want only the broken JSON listing", rep.Failures)
	}
	health := channelHealth(t, cfg)
	if h := health["mh140"]; h.Streak != 1 || !strings.Contains(h.LastError, "not a JSON array") {
		t.Errorf("broken listing health %+v", h)
	}
	if h := health["prog1"]; h.Streak != 0 || h.Items != 2 || h.LastSuccess.IsZero() {
		t.Errorf("listing health %+v, want 2 items read", h)
	}
}

func channelHealth(t *testing.T, cfg *config.Config) map[string]store.Health {
	t.Helper()
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table, err := db.Health(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]store.Health{}
	for k, h := range table {
		if k.Subject == store.SubjectFeed {
			out[h.Channel] = h
		}
	}
	return out
}

func TestUnchangedFeedIsAnsweredNotModifiedAndCostsNothing(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	var pages, notModified atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data := site.Get(r.URL.Path)
		if strings.HasPrefix(r.URL.Path, "/feeds/") {
			sum := sha256.Sum256(data)
			etag := `"` + hex.EncodeToString(sum[:8]) + `"`
			w.Header().Set("ETag", etag)
			if r.Header.Get("If-None-Match") == etag {
				notModified.Add(1)
				w.WriteHeader(http.StatusNotModified)
				return
			}
		} else {
			pages.Add(1)
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	d := &net.Dialer{}
	client := fetch.New(config.Default().Fetch, fetch.Allow("127.0.0.1"), fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	syncAt(t, cfg, client, runTime)
	// Articles 104 and 105 failed: the feeds are read whole again so that
	// they are retried, though unchanged.
	rep := syncAt(t, cfg, client, runTime)
	if notModified.Load() != 0 || len(rep.Failures) != 2 {
		t.Fatalf("run with failures to retry: %d feeds 304, failures %v; want both read and both retried", notModified.Load(), rep.Failures)
	}
	site.set("/news/104.html", `<html><body><div class="article"><p>后来补上的第四篇正文，足够长的一段文字。</p></div></body></html>`)
	site.set("/news/105.html", `<html><body><div class="article"><p>改版后恢复的页面正文，足够长的一段文字。</p></div></body></html>`)
	if rep := syncAt(t, cfg, client, runTime); len(rep.Failures) != 0 || len(rep.Written) != 2 {
		t.Fatalf("retry run wrote %v, failed %v", rep.Written, rep.Failures)
	}
	before := pages.Load()

	rep = syncAt(t, cfg, client, runTime)
	if notModified.Load() != 2 {
		t.Errorf("%d feeds answered 304, want both", notModified.Load())
	}
	if pages.Load() != before || len(rep.Written) != 0 || len(rep.Failures) != 0 {
		t.Errorf("unchanged run fetched %d pages, wrote %v, failed %v; want nothing", pages.Load()-before, rep.Written, rep.Failures)
	}
	if h := channelHealth(t, cfg)["world"]; h.Items != 4 || h.Streak != 0 {
		t.Errorf("health after a 304 %+v, want the last count kept", h)
	}
}

func TestArticleListedByTwoChannelsIsMirroredOnceForTheFirst(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/site.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	site.set("/feeds/china.xml", `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>China</title>
<item><title>第一篇 世界新闻</title><link>http://news.example.test/news/101.html</link></item>
<item><title>大陆新闻一则</title><link>http://news.example.test/news/201.html</link></item>
</channel></rss>`)
	out := t.TempDir()
	rep := syncAt(t, loadConfig(t, ar, out), site.client(), runTime)
	written := strings.Join(rep.Written, " ")
	if !strings.Contains(written, "pages/world/101.md") || strings.Contains(written, "pages/china/101.md") || !strings.Contains(written, "pages/china/201.md") {
		t.Errorf("written %v, want 101 in world only", rep.Written)
	}
}

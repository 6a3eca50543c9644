package mirror_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/store"
)

// charsetSite is a minghui-shaped source: a UTF-8 JSON listing whose links
// have Chinese path segments, under a source charset override meant for
// its pages that declare nothing. Page 8625 is GBK served as "utf-8" (set
// by the test: txtar holds text).
const charsetSite = `
-- config.yaml --
output: {dir: OUT}
sources:
  - id: mh
    name: 明慧
    prefix: M
    rules: {body: div.article}
    fetch: {charset: gb18030}
    items:
      json: {fields: ["", title, date, link], date_layout: "2006年01月02日", base: "http://news.example.test/"}
      id_pattern: '(\d+)\.html$'
    channels:
      - {id: mh91, name: 声明, kind: json, feed: "http://news.example.test/lists/91.js"}
-- lists/91.js --
[["1", "严正声明：在迫害中被逼写的材料作废", "2026年11月29日", "/mh/articles/2026/11/29/声明-8624.html"],
 ["2", "大陆学员来稿：坚持真相", "2026年11月28日", "/mh/articles/2026/11/28/来稿-8625.html"]]
-- mh/articles/2026/11/29/声明-8624.html --
<html><head><meta charset="utf-8"></head><body><div class="article"><p>本人在被非法关押期间被逼写的一切材料全部作废。</p></div></body></html>
`

func TestSyncReadsAUTF8JSONListingDespiteTheSourceCharset(t *testing.T) {
	ar := txtar.Parse([]byte(charsetSite))
	site := newFakeSite(t, ar)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(`<html><body><div class="article"><p>我们坚持讲真相，揭露迫害，请世人了解事实。</p></div></body></html>`)
	if err != nil {
		t.Fatal(err)
	}
	site.set("/mh/articles/2026/11/28/来稿-8625.html", gbk)
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	m := metrics.New()
	ctx := context.Background()
	rep, err := mirror.Sync(ctx, cfg, mirror.Deps{Client: site.client(), Now: func() time.Time { return runTime }, Metrics: m})
	if err != nil || len(rep.Failures) > 0 {
		t.Fatalf("sync: %v, failures %+v", err, rep.Failures)
	}
	index := readFile(t, out, "indexes/M声明.md")
	for _, want := range []string{"严正声明：在迫害中被逼写的材料作废", "大陆学员来稿：坚持真相"} {
		if !strings.Contains(index, want) {
			t.Errorf("index lacks %q:\n%s", want, index)
		}
	}
	if p := readFile(t, out, "pages/mh91/8624.md"); !strings.Contains(p, "被逼写的一切材料全部作废") {
		t.Errorf("UTF-8 page garbled:\n%s", p)
	}
	if p := readFile(t, out, "pages/mh91/8625.md"); !strings.Contains(p, "我们坚持讲真相，揭露迫害") {
		t.Errorf("GBK page garbled:\n%s", p)
	}
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	if want := `newsmirror_encoding_guesses_total{reason="override",source="mh"} 1`; !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %q", want)
	}
	db, err := store.Open(ctx, out+"/.newsmirror/state.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.Encodings(ctx)
	if err != nil || len(es) != 2 || es[0].Decision != "utf-8 (utf8-valid)" || es[1].Guesses != 1 ||
		es[1].LastGuess != "gb18030 (override, label said utf-8) http://news.example.test/mh/articles/2026/11/28/%E6%9D%A5%E7%A8%BF-8625.html" {
		t.Errorf("recorded decisions %+v, %v", es, err)
	}
}

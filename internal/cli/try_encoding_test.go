package cli_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

// gbkArticle is an article page in GBK that declares no charset.
const gbkArticle = `<html><head><title>河南储户再度聚集维权</title></head><body>
<div class="article"><h1>河南储户再度聚集维权</h1>
<p>数百名来自全国各地的储户聚集在郑州，举着标语要求银行兑付存款。</p>
<p>现场有人被便衣人员带走，也有储户的健康码突然变成红码，无法出行。</p></div></body></html>`

func gbk(t *testing.T, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTryFileDecodesAGBKPageAsSyncDoes(t *testing.T) {
	page := gbk(t, gbkArticle)
	mux := http.NewServeMux()
	mux.HandleFunc("/feed.xml", func(w http.ResponseWriter, r *http.Request) {
		w.Write(gbk(t, `<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>f</title>
<item><title>河南储户再度聚集维权</title><link>http://`+r.Host+`/news/7.html</link></item></channel></rss>`))
	})
	mux.HandleFunc("/news/7.html", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html") // no charset anywhere
		w.Write(page)
	})
	site := httptest.NewServer(mux)
	defer site.Close()
	dir := t.TempDir()
	cfg := filepath.Join(dir, "c.yaml")
	os.WriteFile(cfg, []byte("output: {dir: out}\nfetch: {allow: [127.0.0.1]}\nsources:\n  - id: ex\n    rules: {body: div.article}\n    channels: [{id: c, name: n, feed: \""+site.URL+"/feed.xml\"}]\n"), 0o644)
	if code, out, errOut := run(t, "sync", "-c", cfg); code != cli.ExitOK {
		t.Fatalf("sync exit %d: %s%s", code, out, errOut)
	}
	synced, err := os.ReadFile(filepath.Join(dir, "out", "pages", "c", "7.md"))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "7.html")
	os.WriteFile(file, page, 0o644)
	code, tried, errOut := run(t, "try", "-c", cfg, "--file", file, "--url", site.URL+"/news/7.html")
	if code != cli.ExitOK {
		t.Fatalf("try exit %d: %s", code, errOut)
	}
	for _, want := range []string{"河南储户再度聚集维权", "举着标语要求银行兑付存款", "健康码突然变成红码"} {
		if !strings.Contains(string(synced), want) || !strings.Contains(tried, want) {
			t.Errorf("%q: in the synced page %v, in try's %v", want, strings.Contains(string(synced), want), strings.Contains(tried, want))
		}
	}
	if !strings.Contains(tried, "encoding  ! gb18030 (detected ") {
		t.Errorf("try does not say how it decoded the page:\n%s", tried)
	}
	_, status, _ := run(t, "status", "-c", cfg)
	if !strings.Contains(status, "  ex/c: 1 page(s) decoded by a guess; last: gb18030 (detected ") {
		t.Errorf("status does not warn of the guessed page:\n%s", status)
	}
	db, err := store.Open(context.Background(), filepath.Join(dir, "out", ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.Encodings(context.Background())
	if err != nil || len(es) != 2 {
		t.Fatalf("encodings %+v, %v", es, err)
	}
	if f, p := es[0], es[1]; f.Reason != "xml-declaration" || f.Guesses != 0 || p.Reason != "detected" || p.Guesses != 1 || !strings.HasPrefix(p.Decision, "gb18030 (detected") {
		t.Errorf("recorded decisions: feed %+v, page %+v", f, p)
	}
}

package cli_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

func TestStatusShowsWhatWasSalvagedFromABrokenFeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(`output: {dir: out}
sources:
  - id: xw
    rules: {body: div}
    channels:
      - {id: yw, name: 要闻, feed: "http://news.example.test/rss.xml"}
`), 0o644)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "out", ".newsmirror", "state.db"))
	if err != nil {
		t.Fatal(err)
	}
	err = db.RecordHealth(ctx, store.Event{Subject: store.SubjectFeed, Source: "xw", Channel: "yw", OK: 1, Items: 12,
		Warning: "feed truncated in item 13: kept 12 complete items", At: time.Now()})
	db.Close()
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := run(t, "status", "-c", path)
	if code != cli.ExitOK {
		t.Errorf("exit %d, want %d: a salvaged feed was read\n%s%s", code, cli.ExitOK, stdout, stderr)
	}
	want := "warnings (1):\n  xw/yw: feed salvaged on its last read: feed truncated in item 13: kept 12 complete items\n"
	if !strings.Contains(stdout, want) {
		t.Errorf("status lacks %q:\n%s", want, stdout)
	}
}

func TestTrySaysWhatWasSalvagedFromTheChannelsFeed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/rss.xml":
			w.Write([]byte(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>要闻</title>
<item><title>上海暴雨致地铁停运</title><link>http://` + r.Host + `/a/101.html</link></item>
<item><title>广州出台楼市新政</title><link>http://` + r.Host + `/a/102.html</link></item>
<item><title>深圳科技园区`))
		case "/a/101.html":
			w.Write([]byte(`<html><body><div class="article"><p>上海暴雨正文。</p></div></body></html>`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "c.yaml")
	os.WriteFile(path, []byte(`output: {dir: `+filepath.Join(dir, "out")+`}
fetch: {allow: [127.0.0.1]}
sources:
  - id: xw
    rules: {body: div.article}
    channels:
      - {id: yw, name: 要闻, feed: "`+srv.URL+`/rss.xml"}
`), 0o644)

	code, out, errOut := run(t, "try", "-c", path, srv.URL+"/a/101.html")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s\n%s", code, errOut, out)
	}
	want := "item      ! from the channel's feed, salvaged: feed truncated in item 3: kept 2 complete items\n"
	if !strings.Contains(out, want) {
		t.Errorf("try lacks %q:\n%s", want, out)
	}
}

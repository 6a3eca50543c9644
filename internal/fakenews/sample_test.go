package fakenews

import (
	"bytes"
	"encoding/xml"
	"image"
	_ "image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

type testFeed struct {
	Channel struct {
		Items []struct {
			Title   string `xml:"title"`
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
			GUID    string `xml:"guid"`
		} `xml:"item"`
	} `xml:"channel"`
}

func newServer(t *testing.T) (*Site, *httptest.Server) {
	t.Helper()
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

func get(t *testing.T, u string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func fetchFeed(t *testing.T, srv *httptest.Server, path string) testFeed {
	t.Helper()
	resp, body := get(t, srv.URL+path)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d", path, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Fatalf("%s: content type %q", path, ct)
	}
	var f testFeed
	if err := xml.Unmarshal(body, &f); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return f
}

func TestLoad(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if n := s.ArticleCount(); n != 24 {
		t.Errorf("ArticleCount = %d, want 24", n)
	}
	want := []Channel{{"p1", "看大陆"}, {"p5", "看财经"}, {"p9", "看世界"}}
	got := s.Channels()
	if len(got) != len(want) {
		t.Fatalf("Channels = %v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("channel %d = %v, want %v", i, got[i], want[i])
		}
	}
	if p := s.FeedPath("p1"); p != "/news/gb/p1.xml" {
		t.Errorf("FeedPath = %q", p)
	}
}

func TestParseErrors(t *testing.T) {
	for _, data := range []string{
		`{`,
		`{"channels":[]}`,
		`{"channels":[{"id":"p1","name":"x"}],"articles":[{"id":"a1","channel":"p1"}]}`,
		`{"channels":[{"id":"p1","name":"x"}],"articles":[{"id":"1","channel":"p2"}]}`,
	} {
		if _, err := parse([]byte(data)); err == nil {
			t.Errorf("parse(%s) succeeded", data)
		}
	}
}

func TestFeedsAndArticles(t *testing.T) {
	s, srv := newServer(t)
	host := strings.TrimPrefix(srv.URL, "http://")
	for _, c := range s.Channels() {
		f := fetchFeed(t, srv, s.FeedPath(c.ID))
		items := f.Channel.Items
		if len(items) != 8 {
			t.Fatalf("%s: %d items, want 8", c.ID, len(items))
		}
		var prev time.Time
		for i, it := range items {
			when, err := time.Parse(time.RFC1123Z, it.PubDate)
			if err != nil {
				t.Fatal(err)
			}
			if i > 0 && !when.Before(prev) {
				t.Errorf("%s: item %d not older than item %d", c.ID, i, i-1)
			}
			prev = when
			u, err := url.Parse(it.Link)
			if err != nil || u.Scheme != "http" || u.Host != host || it.GUID != it.Link {
				t.Fatalf("%s: bad link %q guid %q", c.ID, it.Link, it.GUID)
			}
			checkArticlePage(t, it.Link, host)
		}
	}
}

func checkArticlePage(t *testing.T, link, host string) {
	t.Helper()
	resp, body := get(t, link)
	if resp.StatusCode != 200 {
		t.Fatalf("%s: status %d", link, resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("%s: content type %q", link, ct)
	}
	page := string(body)
	for _, want := range []string{
		`<div class="article_right" style="fone-color:#000">`,
		`<script`, `<iframe`, `<div id="txt-mid1-t21-2017"><div></div></div>`,
		`<div id="div-gpt-ad-1589559869784-0">`,
		`src="/pic/`, `【看中国2026年11月`, `<a href="/news/gb/tag/`,
		`<p>来源: <a href="/news/gb/tag/`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("%s: missing %s", link, want)
		}
	}
	id := link[strings.LastIndex(link, "/")+1 : len(link)-len(".html")]
	checkPicture(t, "http://"+host+"/pic/"+id+".png")
}

func checkPicture(t *testing.T, u string) {
	t.Helper()
	resp, body := get(t, u)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" {
		t.Fatalf("%s: status %d, type %q", u, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	img, format, err := image.Decode(bytes.NewReader(body))
	if err != nil || format != "png" {
		t.Fatalf("%s: %v (%s)", u, err, format)
	}
	if b := img.Bounds(); b.Dx() != picW || b.Dy() != picH {
		t.Errorf("%s: size %v", u, b)
	}
}

func TestNotFoundAndMethods(t *testing.T) {
	_, srv := newServer(t)
	for _, p := range []string{
		"/nope", "/news/gb/p2.xml", "/news/gb/2026/11/02/999.html",
		"/news/gb/2026/11/03/1100101.html", "/pic/999.png", "/news/gb/tag/寒潮",
	} {
		if resp, _ := get(t, srv.URL+p); resp.StatusCode != 404 {
			t.Errorf("GET %s: status %d, want 404", p, resp.StatusCode)
		}
	}
	resp, err := http.Post(srv.URL+"/news/gb/p1.xml", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", resp.StatusCode)
	}
	resp, err = http.Head(srv.URL + "/news/gb/p5.xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("HEAD: status %d", resp.StatusCode)
	}
}

func TestIndexPages(t *testing.T) {
	_, srv := newServer(t)
	for _, p := range []string{"/", "/news/gb/p9.html", "/static/site.css"} {
		if resp, _ := get(t, srv.URL+p); resp.StatusCode != 200 {
			t.Errorf("GET %s: status %d", p, resp.StatusCode)
		}
	}
}

func TestAddArticleGrowsFeed(t *testing.T) {
	s, srv := newServer(t)
	a := Article{
		ID: "1100999", Channel: "p9", Title: "测试新闻(图)",
		Published: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC),
		Source:    "看中国", Caption: "测试图片", Tags: []string{"测试"},
		Paragraphs: []string{"这是一条测试新闻。", "第二段。"},
	}
	done := make(chan struct{})
	go func() { // exercise AddArticle concurrently with serving
		defer close(done)
		s.AddArticle(a)
	}()
	fetchFeed(t, srv, "/news/gb/p9.xml")
	<-done
	f := fetchFeed(t, srv, "/news/gb/p9.xml")
	if n := len(f.Channel.Items); n != 9 {
		t.Fatalf("after AddArticle: %d items, want 9", n)
	}
	first := f.Channel.Items[0]
	if first.Title != a.Title || !strings.HasSuffix(first.Link, "/news/gb/2026/11/30/1100999.html") {
		t.Fatalf("newest item = %+v", first)
	}
	if s.ArticleCount() != 25 {
		t.Errorf("ArticleCount = %d, want 25", s.ArticleCount())
	}
	checkArticlePage(t, first.Link, strings.TrimPrefix(srv.URL, "http://"))
}

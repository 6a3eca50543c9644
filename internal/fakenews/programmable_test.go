package fakenews

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestAddServesChannelsOfGeneratedArticles(t *testing.T) {
	s := New()
	start := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	s.Add("a", Generate("a", 3, start)...)
	s.Add("b", Article{ID: "927116", Title: "勇敢", Host: "www.secretchina.com", Path: "/news/gb/2020/03/22/927116.html", Published: start})
	srv := httptest.NewServer(s)
	defer srv.Close()
	host := strings.TrimPrefix(srv.URL, "http://")

	f := fetchFeed(t, srv, "/feeds/a.xml")
	if len(f.Channel.Items) != 3 || f.Channel.Items[0].Title != "新闻 a3" || f.Channel.Items[0].Link != "http://"+host+"/news/a3.html" {
		t.Fatalf("feed a = %+v, want a3 (newest) first at /news/a3.html", f.Channel.Items)
	}
	if g := fetchFeed(t, srv, "/news/gb/b.xml"); g.Channel.Items[0].Link != "http://www.secretchina.com/news/gb/2020/03/22/927116.html" {
		t.Errorf("an article's Host and Path are not its feed link: %+v", g.Channel.Items[0])
	}
	resp, body := get(t, srv.URL+"/news/a2.html")
	if resp.StatusCode != 200 || !strings.Contains(string(body), `<div class="article">`) ||
		!strings.Contains(string(body), "新闻 a2 的正文。") {
		t.Errorf("page a2: status %d\n%s", resp.StatusCode, body)
	}
	if resp, _ := get(t, srv.URL+"/news/gb/2020/03/22/927116.html"); resp.StatusCode != 200 {
		t.Errorf("article at its own Path: status %d", resp.StatusCode)
	}
	if n := len(s.Channels()); n != 2 {
		t.Errorf("%d channels, want a and b", n)
	}
}

func TestFilesServesAndChangesFixedFiles(t *testing.T) {
	f := NewFiles(map[string][]byte{"/feed.xml": []byte("<rss/>"), "/news/1.html": []byte("<p>一</p>")})
	srv := httptest.NewServer(f)
	defer srv.Close()
	f.Set("/news/1.html", []byte("<p>改</p>"))
	resp, err := http.Get(srv.URL + "/news/1.html")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != "<p>改</p>" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Errorf("got %q (%s)", body, resp.Header.Get("Content-Type"))
	}
	if resp, _ := http.Get(srv.URL + "/missing"); resp.StatusCode != 404 {
		t.Errorf("missing file: %d", resp.StatusCode)
	}
}

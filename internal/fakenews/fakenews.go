// Package fakenews is a programmable news site for tests and benchmarks:
// channels of articles served as RSS feeds and article pages, on loopback.
// Articles carry the host they are published under, so a test can mirror
// "www.secretchina.com" URLs from a server on 127.0.0.1.
package fakenews

import (
	"fmt"
	"html"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// Article is one article of a channel.
type Article struct {
	ID        string
	Title     string
	Published time.Time
	// Host is the URL's host; empty means the host the feed was asked on.
	Host string
	// Path is the URL's path; empty means "/news/<ID>.html".
	Path string
}

// URL is the article's address when its feed is served on host.
func (a Article) URL(host string) string {
	if a.Host != "" {
		host = a.Host
	}
	return "http://" + host + a.path()
}

// Site serves /feeds/<channel>.xml (every article of the channel, newest
// first) and each article's page, whose body is div.article. It is safe
// for concurrent use.
type Site struct {
	mu       sync.Mutex
	channels map[string][]Article
	pages    map[string]Article // by path
}

// New returns an empty site.
func New() *Site {
	return &Site{channels: map[string][]Article{}, pages: map[string]Article{}}
}

// Add publishes articles in channel.
func (s *Site) Add(channel string, arts ...Article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range arts {
		s.channels[channel] = append(s.channels[channel], a)
		s.pages[a.path()] = a
	}
}

func (a Article) path() string {
	if a.Path != "" {
		return a.Path
	}
	return "/news/" + a.ID + ".html"
}

// Generate returns n articles with ids prefix+"1"… and one per minute
// after start, newest last.
func Generate(prefix string, n int, start time.Time) []Article {
	out := make([]Article, n)
	for i := range out {
		id := fmt.Sprintf("%s%d", prefix, i+1)
		out[i] = Article{ID: id, Title: "新闻 " + id, Published: start.Add(time.Duration(i) * time.Minute)}
	}
	return out
}

func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if ch, ok := strings.CutPrefix(r.URL.Path, "/feeds/"); ok {
		s.feed(w, r, strings.TrimSuffix(ch, ".xml"))
		return
	}
	s.mu.Lock()
	a, ok := s.pages[r.URL.Path]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	fmt.Fprintf(w, `<html><head><title>%[1]s</title></head><body><h1>%[1]s</h1>
<div class="article"><p>%[1]s 的正文。</p><p>第二段：%[2]s。</p></div></body></html>`,
		html.EscapeString(a.Title), a.ID)
}

func (s *Site) feed(w http.ResponseWriter, r *http.Request, channel string) {
	s.mu.Lock()
	arts := append([]Article(nil), s.channels[channel]...)
	s.mu.Unlock()
	if arts == nil {
		http.NotFound(w, r)
		return
	}
	sort.SliceStable(arts, func(i, j int) bool { return arts[i].Published.After(arts[j].Published) })
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>` + channel + "</title>\n")
	for _, a := range arts {
		fmt.Fprintf(&b, "<item><title>%s</title><link>%s</link><pubDate>%s</pubDate></item>\n",
			html.EscapeString(a.Title), html.EscapeString(a.URL(r.Host)), a.Published.UTC().Format(time.RFC1123Z))
	}
	b.WriteString("</channel></rss>\n")
	w.Write([]byte(b.String()))
}

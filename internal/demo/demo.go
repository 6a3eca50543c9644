// Package demo is a bundled sample news site shaped like secretchina.com.
//
// It serves RSS feeds, article pages, generated images and a stylesheet from
// embedded data, so that `newsmirror demo` and tests can mirror a realistic
// site without touching the network. Absolute URLs are built from the
// request's Host header, so the site works on any loopback port.
package demo

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"sync"
	"time"
)

//go:embed site
var siteFS embed.FS

// Channel is one channel of the sample site.
type Channel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Article is one article of the sample site.
type Article struct {
	ID         string    `json:"id"` // numeric, unique
	Channel    string    `json:"channel"`
	Title      string    `json:"title"`
	Published  time.Time `json:"published"`
	Author     string    `json:"author"`
	Source     string    `json:"source"`
	Caption    string    `json:"caption"`
	Tags       []string  `json:"tags"`
	Paragraphs []string  `json:"paragraphs"`
	// Subheads maps a paragraph index to a subheading shown before it.
	Subheads map[int]string `json:"subheads,omitempty"`
}

// Path is the article's URL path, dated in the site's zone (UTC+8):
// "/news/gb/2026/11/02/1100101.html".
func (a Article) Path() string {
	return "/news/gb/" + a.Published.In(siteZone()).Format("2006/01/02") + "/" + a.ID + ".html"
}

// Site is the sample news site. It is an http.Handler.
type Site struct {
	channels []Channel
	page     *template.Template
	index    *template.Template
	css      []byte
	mux      *http.ServeMux

	mu       sync.RWMutex
	articles map[string]Article

	picMu sync.Mutex
	pics  map[string][]byte
}

type siteData struct {
	Channels []Channel `json:"channels"`
	Articles []Article `json:"articles"`
}

// Load parses the embedded data; it never fails on the shipped data but
// returns an error for a broken embed.
func Load() (*Site, error) {
	data, err := siteFS.ReadFile("site/articles.json")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s, err := parse(data)
	if err != nil {
		return nil, err
	}
	if err := s.loadAssets(); err != nil {
		return nil, err
	}
	s.mux = s.routes()
	return s, nil
}

// parse decodes and validates the article data.
func parse(data []byte) (*Site, error) {
	var d siteData
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("demo: articles.json: %w", err)
	}
	if err := validate(d); err != nil {
		return nil, fmt.Errorf("demo: articles.json: %w", err)
	}
	s := &Site{channels: d.Channels, articles: map[string]Article{}, pics: map[string][]byte{}}
	for _, a := range d.Articles {
		s.articles[a.ID] = a
	}
	return s, nil
}

// loadAssets parses the embedded templates and reads the stylesheet.
func (s *Site) loadAssets() error {
	var err error
	if s.page, err = template.ParseFS(siteFS, "site/article.html.tmpl"); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if s.index, err = template.ParseFS(siteFS, "site/index.html.tmpl"); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if s.css, err = siteFS.ReadFile("site/site.css"); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

// validate checks channels and articles for the mistakes a hand-edited data
// file is likely to contain.
func validate(d siteData) error {
	if len(d.Channels) == 0 {
		return errors.New("no channels")
	}
	known := map[string]bool{}
	for _, c := range d.Channels {
		if c.ID == "" || c.Name == "" || known[c.ID] {
			return fmt.Errorf("bad or duplicate channel %q", c.ID)
		}
		known[c.ID] = true
	}
	seen := map[string]bool{}
	for _, a := range d.Articles {
		if err := checkArticle(a, known); err != nil {
			return err
		}
		if seen[a.ID] {
			return fmt.Errorf("duplicate article id %s", a.ID)
		}
		seen[a.ID] = true
	}
	return nil
}

func checkArticle(a Article, channels map[string]bool) error {
	switch {
	case !isDigits(a.ID):
		return fmt.Errorf("article id %q is not numeric", a.ID)
	case !channels[a.Channel]:
		return fmt.Errorf("article %s: unknown channel %q", a.ID, a.Channel)
	case a.Title == "" || a.Published.IsZero():
		return fmt.Errorf("article %s: missing title or published", a.ID)
	case len(a.Paragraphs) == 0 || len(a.Tags) == 0:
		return fmt.Errorf("article %s: needs paragraphs and tags", a.ID)
	}
	return nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// siteZone is the zone the site dates its URLs and datelines in.
func siteZone() *time.Location {
	return time.FixedZone("CST", 8*60*60)
}

// Channels returns the site's channels in order (p1, p5, p9).
func (s *Site) Channels() []Channel {
	return append([]Channel(nil), s.channels...)
}

// FeedPath is the URL path of a channel's RSS feed: "/news/gb/p1.xml".
func (s *Site) FeedPath(channelID string) string {
	return "/news/gb/" + channelID + ".xml"
}

// ArticleCount is the number of articles currently served.
func (s *Site) ArticleCount() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.articles)
}

// AddArticle adds an extra article at run time (used by tests to make a feed
// grow); an article with the same ID is replaced. It is safe for concurrent
// use with ServeHTTP. The article is copied, so the caller may reuse it.
func (s *Site) AddArticle(a Article) {
	a = a.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.articles[a.ID] = a
}

func (a Article) clone() Article {
	a.Tags = append([]string(nil), a.Tags...)
	a.Paragraphs = append([]string(nil), a.Paragraphs...)
	if a.Subheads != nil {
		m := make(map[int]string, len(a.Subheads))
		for k, v := range a.Subheads {
			m[k] = v
		}
		a.Subheads = m
	}
	return a
}

// ServeHTTP serves the site. Only GET and HEAD are allowed; unknown paths
// get 404.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Package fakenews is newsmirror's one fake news site, shared by the demo,
// the tests and the benchmarks, so that each can mirror a realistic site
// without touching the network.
//
// A Site serves RSS feeds, article pages shaped like secretchina.com's
// (the body in div.article_right), their lead pictures, channel listings
// and a stylesheet. Load returns the bundled sample site `newsmirror demo`
// mirrors; New returns an empty site a test fills with Add and Generate.
// Absolute URLs are built from the request's Host header, so a site works
// on any loopback port. WriteCorpus writes the benchmark corpus (large
// generated pages of the reference layout) to a folder and ServeCorpus
// serves it; Files serves a test's hand-written files.
package fakenews

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"slices"
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
	// Host is the host the article's URL names in feeds; empty means the
	// host the feed was asked on. A test can so list "www.secretchina.com"
	// URLs from a server on 127.0.0.1.
	Host string `json:"-"`
	// Path is the article's URL path; empty means the dated path (URLPath).
	Path string `json:"-"`
}

// URLPath is the article's URL path: Path, or the path dated in the
// site's zone (UTC+8), "/news/gb/2026/11/02/1100101.html".
func (a Article) URLPath() string {
	if a.Path != "" {
		return a.Path
	}
	return "/news/gb/" + a.Published.In(siteZone()).Format("2006/01/02") + "/" + a.ID + ".html"
}

// URL is the article's address when its feed is served on host.
func (a Article) URL(host string) string {
	if a.Host != "" {
		host = a.Host
	}
	return "http://" + host + a.URLPath()
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
	byPath   map[string]string // URL path → article id

	picMu sync.Mutex
	pics  map[string][]byte
}

type siteData struct {
	Channels []Channel `json:"channels"`
	Articles []Article `json:"articles"`
}

// Load returns the bundled sample site (three channels, 24 articles) that
// `newsmirror demo` mirrors. It never fails on the shipped data but returns
// an error for a broken embed.
func Load() (*Site, error) {
	data, err := siteFS.ReadFile("site/articles.json")
	if err != nil {
		return nil, fmt.Errorf("demo: %w", err)
	}
	s, err := parse(data)
	if err != nil {
		return nil, err
	}
	return s, s.open()
}

// New returns an empty site: channels appear as Add fills them.
func New() *Site {
	s := empty()
	if err := s.open(); err != nil {
		panic(err) // the embedded templates are part of the build
	}
	return s
}

func empty() *Site {
	return &Site{articles: map[string]Article{}, byPath: map[string]string{}, pics: map[string][]byte{}}
}

// open parses the templates and builds the router.
func (s *Site) open() error {
	if err := s.loadAssets(); err != nil {
		return err
	}
	s.mux = s.routes()
	return nil
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
	s := empty()
	s.channels = d.Channels
	for _, a := range d.Articles {
		s.put(a)
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

// Channels returns the site's channels in order (the sample site's: p1,
// p5, p9).
func (s *Site) Channels() []Channel {
	s.mu.RLock()
	defer s.mu.RUnlock()
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

// AddArticle adds an article of a known channel at run time (tests make a
// feed grow with it); an article with the same ID is replaced. It is safe
// for concurrent use with ServeHTTP. The article is copied, so the caller
// may reuse it.
func (s *Site) AddArticle(a Article) {
	a = a.clone()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.put(a)
}

// Add publishes articles in channel, creating the channel (named by its
// id) when new. An article without Path is served at "/news/<id>.html";
// one without text gets two short paragraphs made of its title and id.
func (s *Site) Add(channel string, arts ...Article) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !slices.ContainsFunc(s.channels, func(c Channel) bool { return c.ID == channel }) {
		s.channels = append(s.channels, Channel{ID: channel, Name: channel})
	}
	for _, a := range arts {
		a = a.clone()
		a.Channel = channel
		if a.Path == "" {
			a.Path = "/news/" + a.ID + ".html"
		}
		if len(a.Paragraphs) == 0 {
			a.Paragraphs = []string{a.Title + " 的正文。", "第二段：" + a.ID + "。"}
		}
		s.put(a)
	}
}

// put stores a; the caller holds mu for writing (or owns s alone).
func (s *Site) put(a Article) {
	if old, ok := s.articles[a.ID]; ok {
		delete(s.byPath, old.URLPath())
	}
	s.articles[a.ID] = a
	s.byPath[a.URLPath()] = a.ID
}

// Generate returns n articles with ids prefix+"1"… and titles "新闻 <id>",
// one per minute after start, newest last.
func Generate(prefix string, n int, start time.Time) []Article {
	out := make([]Article, n)
	for i := range out {
		id := fmt.Sprintf("%s%d", prefix, i+1)
		out[i] = Article{ID: id, Title: "新闻 " + id, Published: start.Add(time.Duration(i) * time.Minute)}
	}
	return out
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

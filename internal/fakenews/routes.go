package fakenews

import (
	"bytes"
	"html/template"
	"net/http"
	"slices"
	"strings"
)

// routes builds the site's request router. GET patterns also match HEAD;
// other methods on a known path get 405, unknown paths 404.
func (s *Site) routes() *http.ServeMux {
	m := http.NewServeMux()
	m.HandleFunc("GET /{$}", s.serveIndex)
	m.HandleFunc("GET /static/site.css", s.serveCSS)
	m.HandleFunc("GET /pic/{file}", s.servePic)
	m.HandleFunc("GET /news/gb/{file}", s.serveChannel)
	// The short feed path the tests' configurations use.
	m.HandleFunc("GET /feeds/{file}", s.serveChannel)
	m.HandleFunc("GET /", s.serveArticle)
	return m
}

// lookup returns the article with the given ID.
func (s *Site) lookup(id string) (Article, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, ok := s.articles[id]
	return a, ok
}

// channelArticles returns a channel's articles, newest first.
func (s *Site) channelArticles(channelID string) []Article {
	s.mu.RLock()
	var list []Article
	for _, a := range s.articles {
		if a.Channel == channelID {
			list = append(list, a)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(list, newestFirst)
	return list
}

func newestFirst(a, b Article) int {
	if c := b.Published.Compare(a.Published); c != 0 {
		return c
	}
	return strings.Compare(b.ID, a.ID)
}

func (s *Site) channel(id string) (Channel, bool) {
	for _, c := range s.Channels() {
		if c.ID == id {
			return c, true
		}
	}
	return Channel{}, false
}

// serveChannel serves "/news/gb/<channel>.xml" (RSS) and
// "/news/gb/<channel>.html" (a plain listing page).
func (s *Site) serveChannel(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	id, ext, _ := strings.Cut(file, ".")
	c, ok := s.channel(id)
	switch {
	case ok && ext == "xml":
		s.serveFeed(w, r, c)
	case ok && ext == "html":
		s.renderHTML(w, s.index, indexData{Title: c.Name, Channels: s.Channels(), Lists: []channelList{s.list(c)}})
	default:
		http.NotFound(w, r)
	}
}

// serveArticle serves an article at its URL path (by default
// "/news/gb/YYYY/MM/DD/<id>.html": the date must match the article's).
func (s *Site) serveArticle(w http.ResponseWriter, r *http.Request) {
	s.mu.RLock()
	id, ok := s.byPath[r.URL.Path]
	s.mu.RUnlock()
	a, found := s.lookup(id)
	if !ok || !found {
		http.NotFound(w, r)
		return
	}
	s.renderHTML(w, s.page, s.pageData(a, hostOf(r)))
}

func (s *Site) serveIndex(w http.ResponseWriter, r *http.Request) {
	d := indexData{Title: "首页", Channels: s.Channels()}
	for _, c := range d.Channels {
		d.Lists = append(d.Lists, s.list(c))
	}
	s.renderHTML(w, s.index, d)
}

func (s *Site) serveCSS(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Write(s.css)
}

// renderHTML executes t into a buffer first, so a template error becomes a
// clean 500 rather than a half-written page.
func (s *Site) renderHTML(w http.ResponseWriter, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(buf.Bytes())
}

// hostOf is the request's host, used for absolute and protocol-relative URLs.
func hostOf(r *http.Request) string {
	if r.Host == "" {
		return "localhost"
	}
	return r.Host
}

package fakenews

import (
	"net/http"
	"strings"
	"sync"
)

// Files is a site of fixed files, for a test that writes its pages and
// feeds by hand (a txtar archive): each path answers its bytes, ".html"
// files as UTF-8 HTML, anything else 404. It is safe for concurrent use.
type Files struct {
	mu    sync.Mutex
	files map[string][]byte
}

// NewFiles serves files, keyed by URL path ("/feed.xml").
func NewFiles(files map[string][]byte) *Files {
	f := &Files{files: map[string][]byte{}}
	for p, data := range files {
		f.files[p] = data
	}
	return f
}

// Set serves data at path from now on.
func (f *Files) Set(path string, data []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.files[path] = data
}

// Get returns the data served at path, nil for none.
func (f *Files) Get(path string) []byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.files[path]
}

func (f *Files) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	data := f.Get(r.URL.Path)
	if data == nil {
		http.NotFound(w, r)
		return
	}
	if strings.HasSuffix(r.URL.Path, ".html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Write(data)
}

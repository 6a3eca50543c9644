// Package preview serves a mirror folder on loopback the way readers will
// see it, before it is pushed: the HTML site as it is, and each Markdown
// file rendered to HTML as GitHub shows it (GitHub-flavoured Markdown, then
// a sanitizer in the spirit of GitHub's), so that relative links between
// .md files lead to rendered pages. Files are read beneath the folder
// through os.Root, hidden files (.git, the state database) are not served,
// and no symbolic link is followed.
package preview

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/newsmirror/newsmirror/internal/config"
)

// MaxMarkdown is the largest Markdown file rendered; a larger one is
// refused (the mirror's pages are far smaller).
const MaxMarkdown = 16 << 20

// Server serves one mirror folder. It is an http.Handler, safe for
// concurrent use.
type Server struct {
	root   *os.Root
	md     goldmark.Markdown
	policy *bluemonday.Policy
	local  []string // URL prefixes that name files of the folder
	page   *template.Template
}

// Option configures a Server.
type Option func(*Server)

// Local names URL prefixes that stand for the folder's root, e.g.
// "https://cdn.jsdelivr.net/gh/OWNER/REPO/" from qr_url: links and images
// under them in rendered Markdown are served from the folder, so that QR
// codes and share links work in the preview.
func Local(prefixes ...string) Option {
	return func(s *Server) {
		for _, p := range prefixes {
			if p != "" {
				s.local = append(s.local, p)
			}
		}
	}
}

// Prefixes are the public URL prefixes of the mirror's files: page_url,
// qr_url and asset_url up to their {path}, when nothing else varies
// before it.
func Prefixes(out config.Output) []string {
	var list []string
	for _, t := range []config.URLTemplate{out.PageURL, out.QRURL, out.AssetURL} {
		if p, _, ok := strings.Cut(string(t), "{path}"); ok && !strings.ContainsAny(p, "{}") {
			list = append(list, p)
		}
	}
	return list
}

// New serves the folder dir. Close releases it.
func New(dir string, opts ...Option) (*Server, error) {
	root, err := os.OpenRoot(dir)
	if err != nil {
		return nil, fmt.Errorf("preview %s: %w", dir, err)
	}
	s := &Server{
		root:   root,
		md:     goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe())),
		policy: githubPolicy(),
		page:   template.Must(template.New("page").Parse(pageTemplate)),
	}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// Close releases the folder.
func (s *Server) Close() error { return s.root.Close() }

// githubPolicy is bluemonday's policy for user content, with what GitHub
// also keeps on rendered Markdown: alignment, the details element and the
// disabled checkboxes of task lists.
func githubPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("type").Matching(regexp.MustCompile(`^checkbox$`)).OnElements("input")
	p.AllowAttrs("checked", "disabled").OnElements("input")
	p.AllowAttrs("align").OnElements("p", "div", "img", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6")
	p.AllowElements("details", "summary")
	return p
}

// ServeHTTP serves the file the request names: a folder's index.html or
// README.md, a Markdown file rendered, any other file as it is.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name, err := s.resolve(r.URL.Path)
	if err != nil {
		s.fail(w, err)
		return
	}
	info, err := s.root.Stat(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	if info.IsDir() {
		s.serveDir(w, r, name)
		return
	}
	if strings.HasSuffix(name, ".md") {
		s.serveMarkdown(w, r, name)
		return
	}
	s.serveFile(w, r, name)
}

// errHidden is a request for a hidden file or one reached through a
// symbolic link.
var errHidden = errors.New("not served")

// resolve is the folder path a URL path names, checked: no hidden
// segment, no symbolic link on the way.
func (s *Server) resolve(urlPath string) (string, error) {
	name := strings.TrimPrefix(path.Clean("/"+urlPath), "/")
	if name == "" {
		return ".", nil
	}
	parts := strings.Split(name, "/")
	for i, p := range parts {
		if strings.HasPrefix(p, ".") {
			return "", errHidden
		}
		info, err := s.root.Lstat(strings.Join(parts[:i+1], "/"))
		if err != nil {
			return "", err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return "", errHidden
		}
	}
	return name, nil
}

func (s *Server) fail(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, errHidden):
		http.Error(w, "forbidden", http.StatusForbidden)
	case errors.Is(err, fs.ErrNotExist):
		http.NotFound(w, nil)
	default:
		http.Error(w, "cannot read this file", http.StatusForbidden)
	}
}

// serveDir serves a folder's index.html, else its README.md rendered. A
// folder is served at its URL with a slash, so relative links resolve.
func (s *Server) serveDir(w http.ResponseWriter, r *http.Request, name string) {
	if !strings.HasSuffix(r.URL.Path, "/") {
		http.Redirect(w, r, path.Base(r.URL.Path)+"/", http.StatusMovedPermanently)
		return
	}
	for _, index := range []string{"index.html", "README.md"} {
		file := path.Join(name, index)
		if _, err := s.resolve(file); err != nil {
			continue
		}
		if index == "README.md" {
			s.serveMarkdown(w, r, file)
		} else {
			s.serveFile(w, r, file)
		}
		return
	}
	http.NotFound(w, r)
}

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request, name string) {
	f, err := s.root.Open(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	http.ServeContent(w, r, name, info.ModTime(), f)
}

// serveMarkdown renders the Markdown file name as GitHub would show it.
func (s *Server) serveMarkdown(w http.ResponseWriter, r *http.Request, name string) {
	src, err := s.read(name)
	if err != nil {
		s.fail(w, err)
		return
	}
	body, err := s.Render(src)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var b bytes.Buffer
	if err := s.page.Execute(&b, struct {
		Title string
		Body  template.HTML
	}{name, template.HTML(body)}); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "script-src 'none'; object-src 'none'; frame-src 'none'")
	w.Write(b.Bytes())
}

func (s *Server) read(name string) ([]byte, error) {
	f, err := s.root.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxMarkdown+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxMarkdown {
		return nil, fmt.Errorf("%s: larger than %d bytes", name, MaxMarkdown)
	}
	return data, nil
}

// Render turns Markdown into the sanitized HTML GitHub would show, with
// links and images under the Local prefixes made root-relative.
func (s *Server) Render(md []byte) (string, error) {
	var b bytes.Buffer
	if err := s.md.Convert(md, &b); err != nil {
		return "", fmt.Errorf("render markdown: %w", err)
	}
	out := s.policy.SanitizeBytes(b.Bytes())
	html := string(out)
	for _, p := range s.local {
		for _, attr := range []string{`href="`, `src="`} {
			html = strings.ReplaceAll(html, attr+p, attr+"/")
		}
	}
	return html, nil
}

const pageTemplate = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{margin:0;background:#fff;color:#1f2328;font:16px/1.5 -apple-system,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif}
article{box-sizing:border-box;max-width:980px;margin:0 auto;padding:32px 45px;border:1px solid #d1d9e0;border-radius:6px}
a{color:#0969da}img{max-width:100%}table{border-collapse:collapse}td,th{border:1px solid #d1d9e0;padding:6px 13px}
code{background:#eff1f3;padding:.2em .4em;border-radius:6px}@media (max-width:767px){article{padding:15px;border:0}}
</style>
</head>
<body>
<article class="markdown-body">
{{.Body}}
</article>
</body>
</html>
`

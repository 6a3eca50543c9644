package mirror_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/fsname"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// hostileItem is one item of a compromised feed: its title and the path
// of its link on the hostile site.
type hostileItem struct{ title, path string }

var hostileItems = []hostileItem{
	{`\[x\](https://evil.example/a) \[y\](javascript:alert(1))`, "/news/1.html"},
	{`<img src=https://evil.example/t.png> www.evil.example v@evil.example https://evil.example/b`, "/news/2.html?q=<img/src=https://evil.example/q.png>"},
	{strings.Repeat("长", 20000), "/news/3.html"},
	{`ends in a backslash \`, "/news/..%2f..%2f..%2fescape.html"},
	{"device name", "/news/CON.html"},
	{"long id", "/news/" + strings.Repeat("新", 100) + ".html"},
	{"decomposed id", "/news/cafe\u0301.html"},
	{"redirected to loopback", "/to-loopback.html"},
	{"redirected to a numeric loopback", "/to-numeric.html"},
	{"![p](https://evil.example/c.png)\n\n[z](https://evil.example/d)", "/news/4.html"},
}

const secret = "INTERNAL SERVICE SECRET"

// hostileSite serves the compromised feed and its pages; /secret stands
// for a service on the operator's loopback.
func hostileSite(t *testing.T) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
		switch {
		case r.URL.Path == "/feed.xml":
			w.Header().Set("Content-Type", "application/rss+xml")
			io.WriteString(w, hostileFeed())
		case r.URL.Path == "/secret":
			io.WriteString(w, "<html><body><div class=article><p>"+secret+"</p><p>"+secret+"</p></div></body></html>")
		case r.URL.Path == "/to-loopback.html":
			http.Redirect(w, r, "http://127.0.0.1:"+port+"/secret", http.StatusFound)
		case r.URL.Path == "/to-numeric.html":
			http.Redirect(w, r, "http://2130706433:"+port+"/secret", http.StatusFound)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<html><head><title>t</title></head><body><div class="article">
<p>这是一篇正常的文章，内容足够长，可以通过正文提取的最短长度检查。</p>
<p>第二段文字，同样是普通的内容，没有任何链接或图片。</p></div></body></html>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func hostileFeed() string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>c</title>`)
	for i, it := range hostileItems {
		b.WriteString("<item><title>")
		xml.EscapeText(&b, []byte(it.title))
		b.WriteString("</title><link>")
		xml.EscapeText(&b, []byte("http://news.example.test"+it.path))
		fmt.Fprintf(&b, "</link><pubDate>Thu, 13 Jan 2022 0%d:00:00 +0000</pubDate></item>", i%10)
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// hostileUpstream is a bare repository whose history holds symbolic links
// where the mirror writes: pages/c1 and indexes point outside it.
func hostileUpstream(t *testing.T, outside string) string {
	root := t.TempDir()
	bare := filepath.Join(root, "up.git")
	work := filepath.Join(root, "work")
	gitOut(t, root, "init", "-q", "--bare", "-b", "main", bare)
	gitOut(t, root, "init", "-q", "-b", "main", work)
	os.MkdirAll(filepath.Join(work, "pages"), 0o755)
	for link, target := range map[string]string{"pages/c1": filepath.Join(outside, "pages"), "indexes": filepath.Join(outside, "indexes")} {
		if err := os.Symlink(target, filepath.Join(work, filepath.FromSlash(link))); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(work, "README.md"), []byte("mirror\n"), 0o644)
	gitOut(t, work, "add", "-A")
	gitOut(t, work, "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "plant symlinks")
	gitOut(t, work, "push", "-q", "file://"+bare, "main")
	return bare
}

func TestHostileUpstreamCannotReachInsidePlantLinksOrWriteOutside(t *testing.T) {
	site := hostileSite(t)
	outside := t.TempDir()
	os.MkdirAll(filepath.Join(outside, "pages"), 0o755)
	os.MkdirAll(filepath.Join(outside, "indexes"), 0o755)
	bare := hostileUpstream(t, outside)
	out := filepath.Join(t.TempDir(), "mirror")
	cfg, err := config.Parse("config.yaml", []byte(fmt.Sprintf(`output:
  dir: %s
  page_url: "https://github.com/o/m/blob/main/{path}"
  qr_url: "https://raw.example/o/m/{path}.png"
  pixel_url: "https://count.example/p.png?f={path}"
  html: {enabled: true}
publish:
  upstream: up
  remotes: [{name: up, url: "file://%s"}]
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
      - {id: c1, name: 频道, feed: "http://news.example.test/feed.xml"}
`, out, bare)))
	if err != nil {
		t.Fatal(err)
	}
	addr := site.Listener.Addr().String()
	d := &net.Dialer{}
	// The site's name is allowed (its server is on loopback); loopback
	// addresses themselves are not.
	client := fetch.New(config.Default().Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}), fetch.Allow("news.example.test"))
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: client, Now: func() time.Time { return t0 }})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}

	// Nothing was written outside the mirror.
	filepath.WalkDir(outside, func(p string, e fs.DirEntry, _ error) error {
		if !e.IsDir() {
			t.Errorf("sync wrote %s outside the mirror", p)
		}
		return nil
	})
	// The planted links are now real folders, committed as such.
	for _, dir := range []string{"pages/c1", "indexes"} {
		fi, err := os.Lstat(filepath.Join(out, dir))
		if err != nil || !fi.IsDir() {
			t.Errorf("%s is not a real folder after the run: %v %v", dir, fi, err)
		}
	}
	// Only the redirects to loopback failed, refused by the guard.
	blocked := 0
	for _, f := range rep.Failures {
		if strings.Contains(f.Err.Error(), "address guard") {
			blocked++
		} else {
			t.Errorf("unexpected failure: %v", f)
		}
	}
	if blocked != 2 {
		t.Errorf("%d redirects to loopback refused, want 2", blocked)
	}
	if !strings.Contains(strings.Join(rep.Warnings, "\n"), "title of 20000 letters cut to site.max_title (500)") {
		t.Errorf("no warning says the huge title was cut: %q", rep.Warnings)
	}

	files := strings.Split(strings.Trim(gitOut(t, out, "ls-files", "-z"), "\x00"), "\x00")
	var pages, htmlFiles int
	for _, rel := range files {
		for _, part := range strings.Split(rel, "/") {
			if err := fsname.Check(part); err != nil {
				t.Errorf("committed file %s: %v", rel, err)
			}
		}
		data := readFile(t, out, rel)
		if strings.Contains(data, secret) {
			t.Errorf("%s holds the internal service's answer", rel)
		}
		if strings.HasSuffix(rel, ".html") {
			htmlFiles++
			for _, link := range htmlTargets(t, data) {
				if !madeByMirror(link) {
					t.Errorf("%s links to %q, which newsmirror did not make", rel, link)
				}
			}
		}
		if !strings.HasSuffix(rel, ".md") {
			continue
		}
		if strings.HasPrefix(rel, "pages/") {
			pages++
		}
		for _, link := range markdownTargets(t, []byte(data)) {
			if !madeByMirror(link) {
				t.Errorf("%s links to %q, which newsmirror did not make", rel, link)
			}
		}
		for _, line := range strings.Split(data, "\n") {
			if utf8.RuneCountInString(line) > 2*cfg.Site.MaxTitle+200 {
				t.Errorf("%s has a line of %d letters: the title was not capped", rel, utf8.RuneCountInString(line))
			}
		}
	}
	if htmlFiles < len(hostileItems)-2 {
		t.Errorf("%d HTML files checked, want the HTML twin of every page", htmlFiles)
	}
	if want := len(hostileItems) - 2; pages != want {
		t.Errorf("%d pages committed, want %d:\n%s", pages, want, strings.Join(files, "\n"))
	}
	if st := gitOut(t, out, "status", "--porcelain"); st != "" {
		t.Errorf("the run left the tree dirty:\n%s", st)
	}
}

// markdownTargets renders md as GitHub does (CommonMark + GFM, raw HTML
// kept) and returns every link and image target in it.
func markdownTargets(t *testing.T, md []byte) []string {
	t.Helper()
	var buf bytes.Buffer
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(goldhtml.WithUnsafe()))
	if err := gfm.Convert(md, &buf); err != nil {
		t.Fatal(err)
	}
	nodes, err := html.ParseFragment(&buf, &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" || a.Key == "srcset" {
				links = append(links, a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return links
}

// htmlTargets returns every link and image target of an HTML page.
func htmlTargets(t *testing.T, page string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var links []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" || a.Key == "srcset" || a.Key == "action" {
				links = append(links, a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return links
}

// madeByMirror reports a link newsmirror makes: relative inside the
// mirror, or one of the configured public URLs.
func madeByMirror(link string) bool {
	if strings.Contains(link, "evil") {
		return false
	}
	for _, p := range []string{"https://github.com/o/m/blob/main/", "https://raw.example/o/m/", "https://count.example/p.png?f="} {
		if strings.HasPrefix(link, p) {
			return true
		}
	}
	return !strings.Contains(link, ":") && !strings.HasPrefix(link, "//")
}

// markedSite serves a feed of the given links (paths on news.example.test
// and other.example.test) and, for every page, a body naming its own URL,
// so each page file shows whose it is.
func markedSite(t *testing.T, links *[]string) *fetch.Client {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/feed.xml" {
			var b strings.Builder
			b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>c</title>`)
			for i, l := range *links {
				b.WriteString("<item><title>")
				fmt.Fprintf(&b, "文章%d", i+1)
				b.WriteString("</title><link>")
				xml.EscapeText(&b, []byte(l))
				fmt.Fprintf(&b, "</link><pubDate>Thu, 13 Jan 2022 0%d:00:00 +0000</pubDate></item>", i%10)
			}
			b.WriteString("</channel></rss>")
			io.WriteString(w, b.String())
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<html><body><div class="article"><p>这是一篇正常的文章，内容足够长，可以通过正文提取的最短长度检查。</p>
<p>MARK[%s%s]</p></div></body></html>`, r.Host, r.URL.RequestURI())
	}))
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	d := &net.Dialer{}
	return fetch.New(config.Default().Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}), fetch.Allow("news.example.test", "other.example.test"))
}

func TestArticlesWithOneIdNeverShareAPage(t *testing.T) {
	links := []string{
		"http://news.example.test/gb/?p=1",
		"http://news.example.test/gb/?p=2",
		"http://news.example.test/gb/?p=3",
		"http://news.example.test/news/A1.html",
		"http://news.example.test/news/a1.html", // a case twin
	}
	client := markedSite(t, &links)
	out := t.TempDir()
	cfg, err := config.Parse("config.yaml", []byte(fmt.Sprintf(`output:
  dir: %s
sources:
  - id: ex
    prefix: X
    rules: {body: div.article}
    channels:
      - {id: c1, name: 频道, feed: "http://news.example.test/feed.xml"}
`, out)))
	if err != nil {
		t.Fatal(err)
	}
	check := func(rep *mirror.Report) map[string]string {
		t.Helper()
		for _, f := range rep.Failures {
			t.Errorf("failure: %v", f)
		}
		byURL := map[string]string{}
		keys := map[string]string{}
		pages, _ := filepath.Glob(filepath.Join(out, "pages", "c1", "*.md"))
		for _, p := range pages {
			data, _ := os.ReadFile(p)
			i := bytes.Index(data, []byte("MARK["))
			if i < 0 {
				t.Fatalf("%s holds no mark", p)
			}
			mark := string(data[i+5 : i+bytes.IndexByte(data[i:], ']')])
			if prev, dup := byURL[mark]; dup {
				t.Errorf("%s and %s both hold %s", prev, p, mark)
			}
			byURL[mark] = filepath.Base(p)
			if prev, twin := keys[fsname.Key(filepath.Base(p))]; twin {
				t.Errorf("%s and %s are one file on macOS and Windows", prev, p)
			}
			keys[fsname.Key(filepath.Base(p))] = p
		}
		return byURL
	}
	rep := syncAt(t, cfg, client, t0)
	first := check(rep)
	if len(first) != len(links) {
		t.Fatalf("%d pages for %d articles: %v", len(first), len(links), first)
	}
	// Articles are mirrored at once: which of the twins gets the plain id
	// is the first to claim it, the others get it with their own suffix.
	plain := 0
	for _, page := range first {
		if page == "gb.md" || strings.EqualFold(page, "a1.md") {
			plain++
		}
	}
	if plain != 2 {
		t.Errorf("%d pages have a plain id, want one per id (gb, a1): %v", plain, first)
	}

	// A later item on another host with a live page's id gets a page of its
	// own; the live page and its history are left alone.
	links = append(links, "http://other.example.test/elsewhere/gb.html")
	rep = syncAt(t, cfg, client, t0.Add(time.Hour))
	second := check(rep)
	for u, page := range first {
		if second[u] != page {
			t.Errorf("%s moved from %s to %s", u, page, second[u])
		}
	}
	if p := second["other.example.test/elsewhere/gb.html"]; p == "" || p == "gb.md" {
		t.Errorf("the impostor's page is %q", p)
	}
	if st := gitOut(t, out, "status", "--porcelain"); st != "" {
		t.Errorf("the working tree differs from the commit:\n%s", st)
	}
}

package render_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	goldhtml "github.com/yuin/goldmark/renderer/html"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/render"
)

// hostileTitles and hostileURLs are what a compromised feed can send.
var hostileTitles = []string{
	`\[x\](https://evil.example/a)`,
	`\[x\](javascript:alert(1))`,
	`![p](https://evil.example/t.png)`,
	`trailing backslash \`,
	`bare https://evil.example/b and www.evil.example and v@evil.example`,
	`<img src=https://evil.example/c.png> <a href=https://evil.example/d>d</a>`,
	"line\n\n[x](https://evil.example/e)\n<img src=https://evil.example/f.png>",
	`#### [x](https://evil.example/g) ##`,
	`&lt;img src=https://evil.example/h.png&gt;`,
}

var hostileURLs = []string{
	`https://news.example/7.html?q=<img/src=https://evil.example/t.png>`,
	`https://news.example/7.html?q='><a href='https://evil.example/i'>x</a>`,
	"https://news.example/7.html?q=\n\n[x](https://evil.example/j)\n\n![p](https://evil.example/k.png)",
	`https://news.example/7.html#"><img src=https://evil.example/l.png>`,
}

// targets renders md as GitHub does (CommonMark + GFM, raw HTML kept) and
// returns every link and image target in it, with its text.
func targets(t *testing.T, md []byte) (links []string, text string) {
	t.Helper()
	var out bytes.Buffer
	gfm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(rendererUnsafe()))
	if err := gfm.Convert(md, &out); err != nil {
		t.Fatal(err)
	}
	nodes, err := html.ParseFragment(&out, &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for _, a := range n.Attr {
			if a.Key == "href" || a.Key == "src" || a.Key == "srcset" || a.Key == "action" {
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
	return links, b.String()
}

func hostileRenderer(t *testing.T) *render.Renderer {
	cfg := config.Default()
	cfg.Output.PageURL = "https://github.com/o/m/blob/main/{path}"
	cfg.Output.QRURL = "https://raw.example/o/m/{path}.png"
	cfg.Output.PixelURL = config.PixelURLs{"https://count.example/p.png?f={path}"}
	r, err := render.New(cfg.Site, cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// ours reports a link newsmirror made: relative within the mirror, or one
// of the configured public URLs.
func ours(link string) bool {
	for _, p := range []string{"https://github.com/o/m/blob/main/", "https://raw.example/o/m/", "https://count.example/p.png?f="} {
		if strings.HasPrefix(link, p) {
			return !strings.Contains(link, "evil")
		}
	}
	return !strings.Contains(link, ":") && !strings.HasPrefix(link, "//") && !strings.Contains(link, "evil")
}

func TestHostileTitlesAndURLsMakeNoLinkOrImageInPagesAndIndexes(t *testing.T) {
	r := hostileRenderer(t)
	var entries []render.Entry
	for i, title := range hostileTitles {
		url := hostileURLs[i%len(hostileURLs)]
		page, err := r.Page(render.Article{ID: "1", Title: title, ChannelID: "c1", IndexName: "S看世界", ChannelName: "看世界",
			Path: "pages/c1/1.md", Body: "<p>正文</p>", OriginalURL: url})
		if err != nil {
			t.Fatal(err)
		}
		links, text := targets(t, page)
		for _, l := range links {
			if !ours(l) {
				t.Errorf("title %q, URL %q: the page links to %q:\n%s", title, url, l, page)
			}
		}
		if want := strings.Join(strings.Fields(title), " "); !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("the page does not show the title %q as text:\n%s", title, page)
		}
		if want := strings.Join(strings.Fields(url), " "); !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("the page does not show the original URL %q as text:\n%s", url, page)
		}
		// nav (home, index, hot) twice, share link, QR code, pixel: always the same count.
		if len(links) != 9 {
			t.Errorf("title %q, URL %q: %d links and images, want 9: %q", title, url, len(links), links)
		}
		entries = append(entries, render.Entry{Title: title, Path: "pages/c1/" + string(rune('a'+i)) + ".md"})
	}
	index, err := r.List(render.List{Kind: render.KindIndex, Path: "indexes/S看世界.md", Title: "S看世界", Entries: entries}, "01020304")
	if err != nil {
		t.Fatal(err)
	}
	links, _ := targets(t, index)
	pages := 0
	for _, l := range links {
		if !ours(l) {
			t.Errorf("the index links to %q", l)
		}
		if strings.HasPrefix(l, "../pages/c1/") {
			pages++
		}
	}
	if pages != len(hostileTitles) {
		t.Errorf("the index links %d pages, want %d (one per entry):\n%s", pages, len(hostileTitles), index)
	}
}

func rendererUnsafe() renderer.Option { return goldhtml.WithUnsafe() }

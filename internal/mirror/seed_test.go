package mirror_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/testfix"
	"github.com/newsmirror/newsmirror/internal/testfix/seedsource"
)

const seedURL = seedsource.URL

// seedClient serves the seed article's source on loopback as
// www.secretchina.com: the feed over http, the article over https.
func seedClient(t *testing.T) *fetch.Client {
	t.Helper()
	return loopbackAs(t, seedMux(t))
}

// seedMux serves channel p9's feed and the seed article's page, both
// rebuilt from the reference page in the shared folder
// (testdata/seed/README.md says how).
func seedMux(t *testing.T) *http.ServeMux {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("/news/gb/p9.xml", serveBytes(seedsource.Feed(t), "application/rss+xml"))
	mux.HandleFunc("/news/gb/2022/01/13/994979.html", serveBytes(seedsource.Page(t), "text/html; charset=utf-8"))
	return mux
}

// loopbackAs serves mux on loopback for every host: port 443 over TLS,
// the rest over plain http.
func loopbackAs(t *testing.T, mux http.Handler) *fetch.Client {
	t.Helper()
	plain := httptest.NewServer(mux)
	secure := httptest.NewTLSServer(mux)
	t.Cleanup(plain.Close)
	t.Cleanup(secure.Close)
	pool := x509.NewCertPool()
	pool.AddCert(secure.Certificate())
	d := &net.Dialer{}
	dial := func(ctx context.Context, network, addr string) (net.Conn, error) {
		if _, port, _ := net.SplitHostPort(addr); port == "443" {
			return d.DialContext(ctx, network, secure.Listener.Addr().String())
		}
		return d.DialContext(ctx, network, plain.Listener.Addr().String())
	}
	// httptest's certificate names example.com; trust it for this host.
	return fetch.New(config.Default().Fetch, fetch.WithDial(dial), fetch.Allow("127.0.0.1"),
		fetch.WithTLS(&tls.Config{RootCAs: pool, ServerName: "example.com"}))
}

func serveBytes(data []byte, ctype string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", ctype)
		w.Write(data)
	}
}

// mirrorSeed mirrors the seed article with examples/goodnews.yaml's layout.
func mirrorSeed(t *testing.T) string {
	t.Helper()
	cfg, err := config.Load("../../examples/goodnews.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cfg.Output.Dir = t.TempDir()
	src := &cfg.Sources[0]
	src.Channels = src.Channels[8:9] // p9 看世界
	now := time.Date(2022, 1, 13, 0, 20, 0, 0, time.UTC)
	rep := syncAt(t, cfg, seedClient(t), now)
	for _, f := range rep.Failures {
		if strings.Contains(f.URL, "994979") {
			t.Fatalf("seed article failed: %v", f)
		}
	}
	for _, w := range rep.Warnings {
		if strings.Contains(w, "text lost") {
			t.Errorf("retention guard fires on the seed article: %s", w)
		}
	}
	return readFile(t, cfg.Output.Dir, "pages/p9/994979.md")
}

func TestSeedPageMatchesReference(t *testing.T) {
	want := testfix.Shared(t, seedsource.ReferencePath)
	got := mirrorSeed(t)
	ref := string(want)

	t.Run("title", func(t *testing.T) {
		if g, w := firstLines(got, 2), firstLines(ref, 2); g != w {
			t.Errorf("title lines = %q, want %q", g, w)
		}
	})
	t.Run("nav", func(t *testing.T) {
		g, w := navBars(got), navBars(ref)
		if len(g) != 2 || strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("nav bars = %q\nwant %q", g, w)
		}
	})
	t.Run("body", func(t *testing.T) { compareBodies(t, bodyOf(t, got), bodyOf(t, ref)) })
	t.Run("promo", func(t *testing.T) {
		g, w := promoLinks(got), promoLinks(ref)
		if len(w) == 0 || strings.Join(g, "\n") != strings.Join(w, "\n") {
			t.Errorf("promo links = %q\nwant %q", g, w)
		}
	})
	t.Run("share, original, footer, pixel", func(t *testing.T) {
		if g, w := tailLines(got), tailLines(ref); g != w {
			t.Errorf("page tail =\n%s\nwant\n%s", g, w)
		}
	})
}

func firstLines(s string, n int) string {
	return strings.Join(strings.SplitN(s, "\n", n+1)[:n], "\n")
}

var mdLink = regexp.MustCompile(`\[([^\]]*)\]\(([^)]*)\)`)

// navBars renders each navigation bar as "label=url|label=url".
func navBars(page string) []string {
	var bars []string
	for _, line := range strings.Split(page, "\n") {
		if strings.HasPrefix(line, "#### [首页]") {
			var links []string
			for _, m := range mdLink.FindAllStringSubmatch(line, -1) {
				links = append(links, m[1]+"="+m[2])
			}
			bars = append(bars, strings.Join(links, "|"))
		}
	}
	return bars
}

// promoLinks lists the links of the promo block inside the ad slot.
func promoLinks(page string) []string {
	start := strings.Index(page, `<div id="txt-mid1-t21-2017">`)
	if start < 0 {
		return nil
	}
	rest := page[start:]
	end := strings.Index(rest, "<p>")
	var links []string
	for _, m := range mdLink.FindAllStringSubmatch(rest[:end], -1) {
		links = append(links, strings.TrimSpace(m[1])+"="+m[2])
	}
	return links
}

// tailLines are the non-empty lines from the share block's <hr/> on, with
// runs of spaces folded (the reference's spacing is not significant).
func tailLines(page string) string {
	i := strings.LastIndex(page, "\n<hr/>\n")
	var out []string
	for _, line := range strings.Split(page[i:], "\n") {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

func bodyOf(t *testing.T, page string) *html.Node {
	t.Helper()
	start := strings.Index(page, `<div class="article_right"`)
	end := strings.LastIndex(page, "\n<hr/>\n")
	if start < 0 || end < start {
		t.Fatalf("no article body in page")
	}
	doc, err := html.Parse(strings.NewReader(page[start:end]))
	if err != nil {
		t.Fatal(err)
	}
	return cascadia.Query(doc, cascadia.MustCompile("div.article_right"))
}

func compareBodies(t *testing.T, got, want *html.Node) {
	t.Helper()
	blocks := cascadia.MustCompile("p, h4")
	g, w := texts(cascadia.QueryAll(got, blocks)), texts(cascadia.QueryAll(want, blocks))
	if len(g) != len(w) {
		t.Errorf("body has %d paragraphs and headings, want %d", len(g), len(w))
	}
	for i := range min(len(g), len(w)) {
		if g[i] != w[i] {
			t.Errorf("paragraph %d =\n%q\nwant\n%q", i, g[i], w[i])
		}
	}
	// The reference keeps two empty links inside display:none spans; hidden
	// stays hidden, and ours drops them, so only shown links compare.
	spans := cascadia.MustCompile("span[href]")
	gs, ws := hrefs(shown(cascadia.QueryAll(got, spans))), hrefs(shown(cascadia.QueryAll(want, spans)))
	if strings.Join(gs, "\n") != strings.Join(ws, "\n") {
		t.Errorf("inert links =\n%s\nwant\n%s", strings.Join(gs, "\n"), strings.Join(ws, "\n"))
	}
	for _, bad := range []string{"a", "script", "iframe"} {
		if n := cascadia.QueryAll(got, cascadia.MustCompile(bad)); len(n) > 0 {
			t.Errorf("body keeps %d <%s>", len(n), bad)
		}
	}
	img := cascadia.Query(got, cascadia.MustCompile("img"))
	if img == nil || attrOf(img, "src") != "https://img5.secretchina.com/pic/2022/1-1/p3070852a686610461-ss.jpg" {
		t.Errorf("lead image not made absolute: %v", img)
	}
}

// shown drops the nodes inside an element styled display:none.
func shown(nodes []*html.Node) []*html.Node {
	out := nodes[:0:0]
	for _, n := range nodes {
		hidden := false
		for p := n; p != nil; p = p.Parent {
			if strings.Contains(strings.ReplaceAll(attrOf(p, "style"), " ", ""), "display:none") {
				hidden = true
			}
		}
		if !hidden {
			out = append(out, n)
		}
	}
	return out
}

func texts(nodes []*html.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		if s := strings.Join(strings.Fields(textOf(n)), ""); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func textOf(n *html.Node) string {
	if n.Type == html.TextNode {
		return n.Data
	}
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(textOf(c))
	}
	return b.String()
}

// hrefs resolves every href against the article URL, as ours are absolute.
func hrefs(nodes []*html.Node) []string {
	base, _ := url.Parse(seedURL)
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		u, err := base.Parse(strings.TrimSpace(attrOf(n, "href")))
		if err != nil {
			out = append(out, "bad: "+attrOf(n, "href"))
			continue
		}
		s, _ := url.PathUnescape(u.String())
		out = append(out, s)
	}
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

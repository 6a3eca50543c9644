package htmlsite_test

import (
	"context"
	"fmt"
	"github.com/newsmirror/newsmirror/internal/testfix"
	"net"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/golden"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// shotsDir is where the browser test leaves its screenshots.
const shotsDir = "testdata/out"

const demoHost = "demo.newsmirror.test"

// mirrorDemo mirrors the bundled sample site, served on loopback, into a
// fresh folder with images localised and the HTML site on, and no counter
// pixel (the one request a configuration may add to another host).
func mirrorDemo(t *testing.T) string {
	t.Helper()
	site, err := fakenews.Load()
	if err != nil {
		t.Fatal(err)
	}
	return mirrorSite(t, site, mirror.Deps{})
}

// mirrorSite mirrors site as mirrorDemo does, with deps (its Client set
// here).
func mirrorSite(t *testing.T, site *fakenews.Site, deps mirror.Deps) string {
	t.Helper()
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	var chans strings.Builder
	for _, c := range site.Channels() {
		fmt.Fprintf(&chans, "      - {id: %s, name: %s, feed: \"http://%s%s\"}\n", c.ID, c.Name, demoHost, site.FeedPath(c.ID))
	}
	out := t.TempDir()
	text := `output:
  dir: ` + out + `
  page_url: "https://github.com/newsmirror/demo/blob/main/{path}"
  html: {enabled: true}
site:
  title: 新闻镜像示例
  promo:
    - links: [{label: 使用说明, url: "https://github.com/newsmirror/newsmirror/blob/main/README.md"}]
sources:
  - id: sample
    name: 示例新闻网
    prefix: S
    images: {localize: true}
    variants: [{convert: s2tw, dir: zh-Hant}]
    rules:
      body: div.article_right
      promo_anchor: "div#txt-mid1-t21-2017"
    channels:
` + chans.String()
	cfg, err := config.Parse("demo.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	d := &net.Dialer{}
	client := fetch.New(cfg.Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, srv.Listener.Addr().String())
	}), fetch.Allow("127.0.0.1"))
	deps.Client = client
	rep, err := mirror.Sync(context.Background(), cfg, deps)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failures) > 0 || len(rep.Written) == 0 || rep.Images["sample"].Localized == 0 {
		t.Fatalf("demo mirror: written %d, failures %v, images %+v", len(rep.Written), rep.Failures, rep.Images)
	}
	return out
}

func browser(t *testing.T) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testfix.Chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.UserDataDir(t.TempDir()),
		// Chromium's own temporary files (its singleton socket) go to a
		// folder the test removes.
		chromedp.Env("TMPDIR=" + t.TempDir()),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// requestLog records the URL of every request the page makes.
type requestLog struct {
	mu   sync.Mutex
	urls []string
}

func (l *requestLog) listen(ctx context.Context) error {
	return chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			l.mu.Lock()
			l.urls = append(l.urls, e.Request.URL)
			l.mu.Unlock()
		}
	})
}

func (l *requestLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := l.urls
	l.urls = nil
	return out
}

// TestHTMLSiteLoadsOnlyFromItselfInChromium opens the home page from
// file://, follows its first channel link to an index, the index's first
// entry to an article and the article's link to its Traditional Chinese
// copy, and checks that every request stays inside
// the site's folder, that every image rendered, and saves screenshots at
// phone and desktop widths into testdata/out.
func TestHTMLSiteLoadsOnlyFromItselfInChromium(t *testing.T) {
	ctx := browser(t)
	dir := mirrorDemo(t)
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
	log := &requestLog{}
	if err := log.listen(ctx); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(shotsDir, 0o755); err != nil {
		t.Fatal(err)
	}

	next := root + "index.html"
	for _, step := range []struct{ name, follow string }{
		{"home", "section a"},
		{"index", "ul.entries a"},
		{"article", "p.alternates a"},
		{"article-zh-Hant", ""},
	} {
		err := chromedp.Do(ctx,
			chromedp.Navigate(next),
			chromedp.WaitReady("body"),
			discard(chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`)),
		)
		if err != nil {
			t.Fatalf("%s (%s): %v", step.name, next, err)
		}
		h1, err := chromedp.Run(ctx, chromedp.Text("h1"))
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.images).filter(i => i.naturalWidth === 0).map(i => i.src)`))
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		var href string
		if step.follow != "" {
			href, err = chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector(`+"`"+step.follow+"`"+`).href`))
			if err != nil {
				t.Fatalf("%s: no link %q: %v", step.name, step.follow, err)
			}
		}
		if h1 == "" {
			t.Errorf("%s: no heading; did %s load?", step.name, next)
		}
		if len(broken) > 0 {
			t.Errorf("%s: images that did not render: %v", step.name, broken)
		}
		requests := log.take()
		t.Logf("%s: %d requests: %v", step.name, len(requests), shortURLs(requests, root))
		for _, u := range requests {
			if !strings.HasPrefix(u, root) {
				t.Errorf("%s: request outside the site: %s", step.name, u)
			}
		}
		if strings.HasPrefix(step.name, "article") && !hasAsset(requests) {
			t.Errorf("article: no localised image was loaded; requests: %v", requests)
		}
		if step.name == "article" {
			// The README's picture of a page of the HTML site.
			screenshot(t, ctx, "../../docs/screenshot-html.png")
		}
		for _, width := range []int64{390, 1280} {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 800)); err != nil {
				t.Fatal(err)
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Join(shotsDir, fmt.Sprintf("%s-%d.png", step.name, width))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		next = href
	}
}

// screenshot compares the page's top at a desktop width with the
// README's picture at path (loosely: fonts may be hinted otherwise), or
// rewrites it under -update.
func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(900, 1000)); err != nil {
		t.Fatal(err)
	}
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	golden.CompareImage(t, path, png, 0.02)
}

// discard runs a and drops its value, so it fits in chromedp.Do.
func discard[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

func shortURLs(urls []string, root string) []string {
	out := make([]string, len(urls))
	for i, u := range urls {
		out[i] = strings.TrimPrefix(u, root)
	}
	return out
}

func hasAsset(urls []string) bool {
	for _, u := range urls {
		if strings.Contains(u, "/assets/") {
			return true
		}
	}
	return false
}

// TestHTMLSiteNamesAndDatesInChromium opens a channel index
// and one of its articles: the index is headed by the channel's name (not
// its file name), shows when it was updated and, not overflowing, holds no
// link to an earlier page; the article shows its date.
func TestHTMLSiteNamesAndDatesInChromium(t *testing.T) {
	ctx := browser(t)
	dir := mirrorDemo(t)
	root := (&url.URL{Scheme: "file", Path: filepath.ToSlash(dir) + "/"}).String()
	open := func(u string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", u, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	open(root + "index.html")
	name := eval(`document.querySelector("section a").textContent`)
	open(eval(`document.querySelector("section a").href`))
	if h1 := eval(`document.querySelector("h1").textContent`); h1 != name {
		t.Errorf("index heading %q, want the channel's name %q", h1, name)
	}
	stamp := eval(`(document.querySelector("p.updated time") || {getAttribute: () => ""}).getAttribute("datetime")`)
	if _, err := time.Parse(time.RFC3339, stamp); err != nil {
		t.Errorf("index shows no update time (datetime %q): %v", stamp, err)
	}
	if n := eval(`String(document.querySelectorAll('a[href=""], p.earlier').length)`); n != "0" {
		t.Errorf("index that does not overflow has %s empty or earlier links", n)
	}
	open(eval(`document.querySelector("ul.entries a").href`))
	date := eval(`(document.querySelector("article p.date time") || {getAttribute: () => ""}).getAttribute("datetime")`)
	if _, err := time.Parse(time.RFC3339, date); err != nil {
		t.Errorf("article shows no date (datetime %q): %v", date, err)
	}
	if text := eval(`document.querySelector("article p.date").textContent`); len(text) != len("2006-01-02 15:04") {
		t.Errorf("article date shown as %q", text)
	}
}

// TestHTMLUndatedPageShowsMirroredDate mirrors an
// article its feed lists without a date beside the dated ones: in
// Chromium its page shows when it was mirrored, labelled so, and a dated
// article shows its feed's date.
func TestHTMLUndatedPageShowsMirroredDate(t *testing.T) {
	ctx := browser(t)
	site, err := fakenews.Load()
	if err != nil {
		t.Fatal(err)
	}
	ch := site.Channels()[0].ID
	site.AddArticle(fakenews.Article{ID: "990001", Channel: ch, Title: "没有日期的文章",
		Paragraphs: []string{"订阅源没有给出这篇文章的发布时间。", "第二段。"}})
	now := time.Date(2026, 3, 2, 1, 30, 0, 0, time.UTC) // 09:30 in Shanghai
	dir := mirrorSite(t, site, mirror.Deps{Now: func() time.Time { return now }})
	dateOf := func(page string) (text, machine string) {
		t.Helper()
		u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(filepath.Join(dir, page))}).String()
		if err := chromedp.Do(ctx, chromedp.Navigate(u), chromedp.WaitReady("body")); err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const p = document.querySelector("article p.date");
			return p ? p.textContent.trim() + "\n" + p.querySelector("time").getAttribute("datetime") : "\n" })()`))
		if err != nil {
			t.Fatalf("%s: %v", page, err)
		}
		text, machine, _ = strings.Cut(v, "\n")
		return text, machine
	}
	if text, machine := dateOf("pages/" + ch + "/990001.html"); text != "镜像于 2026-03-02 09:30" || machine != "2026-03-02T09:30:00+08:00" {
		t.Errorf("undated article's page shows %q (datetime %q), want the mirrored date", text, machine)
	}
	pages, err := filepath.Glob(filepath.Join(dir, "pages", ch, "*.html"))
	if err != nil || len(pages) < 2 {
		t.Fatalf("pages of %s: %v, %v", ch, pages, err)
	}
	id := strings.TrimSuffix(filepath.Base(pages[0]), ".html")
	if id == "990001" {
		id = strings.TrimSuffix(filepath.Base(pages[1]), ".html")
	}
	if text, machine := dateOf("pages/" + ch + "/" + id + ".html"); strings.HasPrefix(text, "镜像于") || strings.HasPrefix(machine, "2026-03-02") {
		t.Errorf("dated article %s shows %q (datetime %q), want its feed's date", id, text, machine)
	}
}

package preview_test

import (
	"context"
	"github.com/newsmirror/newsmirror/internal/testfix"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/golden"
	"github.com/newsmirror/newsmirror/internal/preview"
)

func browser(t *testing.T) context.Context {
	t.Helper()
	// Chromium's singleton socket must fit in a socket path: a short
	// folder rather than one named after the test.
	tmp, err := os.MkdirTemp("", "cr")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(tmp) })
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(testfix.Chromium(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Env("TMPDIR=" + tmp),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancel(); cancelAlloc() })
	return ctx
}

// demo mirrors the bundled sample site (the demo command) and returns the
// folder and its configuration.
func demo(t *testing.T) (string, *config.Config) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "demo")
	if code := cli.Run(context.Background(), []string{"demo", "--dir", dir}, io.Discard, io.Discard); code != cli.ExitOK {
		t.Fatalf("demo exit %d", code)
	}
	cfg, err := config.Load(filepath.Join(dir, ".newsmirror", "demo.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return dir, cfg
}

// TestMarkdownPreviewRendersAndFollowsLinksInChromium opens the demo
// mirror's Markdown home page through the preview, follows its first
// channel link to the rendered index and the index's first entry to the
// rendered article, and checks each is rendered HTML with every image
// (localised pictures, the QR code) loaded from the folder.
func TestMarkdownPreviewRendersAndFollowsLinksInChromium(t *testing.T) {
	ctx := browser(t)
	dir, cfg := demo(t)
	s, err := preview.New(dir, preview.Local(preview.Prefixes(cfg.Output)...))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	srv := httptest.NewServer(s)
	defer srv.Close()

	next := srv.URL + "/README.md"
	for _, step := range []struct{ name, follow string }{
		{"home", `a[href*="indexes/"]`},
		{"index", `a[href*="pages/"]`},
		{"article", ""},
	} {
		if err := chromedp.Do(ctx, chromedp.Navigate(next), chromedp.WaitReady("article.markdown-body")); err != nil {
			t.Fatalf("%s (%s): %v", step.name, next, err)
		}
		heading, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector("article h1, article h2, article h3, article h4") || {}).textContent || ""`))
		if err != nil {
			t.Fatal(err)
		}
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.body.innerText.includes("](")`))
		if err != nil {
			t.Fatal(err)
		}
		if heading == "" || raw {
			t.Errorf("%s: not rendered (heading %q, raw Markdown links %v)", step.name, heading, raw)
		}
		if err := chromedp.Do(ctx, discard(chromedp.Poll[bool](`Array.from(document.images).every(i => i.complete)`))); err != nil {
			t.Fatal(err)
		}
		// The counter pixel (pixel_url) is on another host, not in the folder.
		broken, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.images).filter(i => i.naturalWidth === 0 && i.src.startsWith(location.origin)).map(i => i.src)`))
		if err != nil {
			t.Fatal(err)
		}
		if len(broken) > 0 {
			t.Errorf("%s: images that did not render: %v", step.name, broken)
		}
		if step.name == "article" {
			imgs, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.images).map(i => i.src)`))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(strings.Join(imgs, " "), ".md.png") {
				t.Errorf("article: no QR code among its images %v", imgs)
			}
			screenshot(t, ctx, "../../docs/screenshot-markdown.png")
			break
		}
		if err := chromedp.Do(ctx, chromedp.Click(step.follow), chromedp.WaitReady("article.markdown-body")); err != nil {
			t.Fatalf("%s: follow %s: %v", step.name, step.follow, err)
		}
		next, err = chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(next, ".md") || !strings.HasPrefix(next, srv.URL) {
			t.Errorf("%s: the link led to %s", step.name, next)
		}
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

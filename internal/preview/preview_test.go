package preview_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/preview"
)

// folder writes a small mirror: Markdown pages linking each other, a PNG,
// an HTML variant home page, and what must never be served.
func folder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"README.md": "## 新闻镜像\n\n#### 看世界\n\n[S看世界](indexes/S看世界.md?t=01130820)\n",
		"indexes/S看世界.md": "[首页](../README.md?t=01130820)\n\n### S看世界\n\n" +
			"| 标题 | 日期 |\n|---|---|\n| [第一篇](../pages/p9/1.md?t=01130820) | 1月13日 |\n",
		"pages/p9/1.md": "[首页](../../README.md?1)\n\n### 第一篇 <b>新闻</b>\n\n正文。<script>alert(1)</script>" +
			"<img src=\"x.png\" onerror=\"alert(2)\">\n\n<img src='https://cdn.example.test/gh/o/r/pages/p9/1.md.png'/>\n\n- [x] done\n",
		"pages/p9/1.md.png":    "\x89PNG\r\n\x1a\nnot really",
		"zh-Hant/index.html":   "<!DOCTYPE html><title>x</title><h1>新聞鏡像</h1>",
		"zh-Hant/README.md":    "## 新聞鏡像\n",
		".newsmirror/state.db": "secret",
		".git/config":          "[core]",
	}
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func server(t *testing.T, dir string, opts ...preview.Option) *httptest.Server {
	t.Helper()
	s, err := preview.New(dir, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestMarkdownIsRenderedAndSanitizedAsOnGitHub(t *testing.T) {
	srv := server(t, folder(t), preview.Local("https://cdn.example.test/gh/o/r/"))
	resp, body := get(t, srv.URL+"/pages/p9/1.md?1")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, want := range []string{`<h3>第一篇 <b>新闻</b></h3>`, `<a href="../../README.md?1"`, `<img src="x.png">`,
		`<img src="/pages/p9/1.md.png"/>`, `type="checkbox"`} {
		if !strings.Contains(body, want) {
			t.Errorf("rendered page lacks %s:\n%s", want, body)
		}
	}
	for _, bad := range []string{"<script", "alert", "onerror"} {
		if strings.Contains(body, bad) {
			t.Errorf("rendered page keeps %q:\n%s", bad, body)
		}
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'none'") {
		t.Errorf("CSP %q", csp)
	}
	resp, body = get(t, srv.URL+"/indexes/S%E7%9C%8B%E4%B8%96%E7%95%8C.md?t=01130820")
	if resp.StatusCode != 200 || !strings.Contains(body, "<table>") || !strings.Contains(body, `<a href="../pages/p9/1.md?t=01130820"`) {
		t.Errorf("index: status %d\n%s", resp.StatusCode, body)
	}
}

func TestFoldersServeTheirHTMLHomeElseTheirREADME(t *testing.T) {
	srv := server(t, folder(t))
	if resp, body := get(t, srv.URL+"/"); resp.StatusCode != 200 || !strings.Contains(body, "<h2>新闻镜像</h2>") {
		t.Errorf("root: status %d\n%s", resp.StatusCode, body)
	}
	resp, body := get(t, srv.URL+"/zh-Hant")
	if resp.StatusCode != 200 || resp.Request.URL.Path != "/zh-Hant/" || !strings.Contains(body, "<h1>新聞鏡像</h1>") {
		t.Errorf("variant folder: status %d at %s\n%s", resp.StatusCode, resp.Request.URL.Path, body)
	}
}

func TestFilesAreServedAsTheyAre(t *testing.T) {
	srv := server(t, folder(t))
	resp, body := get(t, srv.URL+"/pages/p9/1.md.png")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/png" || !strings.HasSuffix(body, "not really") {
		t.Errorf("PNG: status %d type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestNothingOutsideTheFolderNorHiddenNorLinkedIsServed(t *testing.T) {
	dir := folder(t)
	outside := filepath.Join(t.TempDir(), "secret.txt")
	os.WriteFile(outside, []byte("outside"), 0o644)
	if err := os.Symlink(outside, filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(dir, "pages"), filepath.Join(dir, "alias")); err != nil {
		t.Fatal(err)
	}
	srv := server(t, dir)
	for path, want := range map[string]int{
		"/.newsmirror/state.db":   403,
		"/.git/config":            403,
		"/pages/../.git/config":   403,
		"/link.txt":               403,
		"/alias/p9/1.md":          403,
		"/missing.md":             404,
		"/../../../../etc/passwd": 404,
	} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		req.URL.Opaque = path // sent as written, dot segments included
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || strings.Contains(string(body), "secret") || strings.Contains(string(body), "outside") {
			t.Errorf("%s: status %d, want %d; body %q", path, resp.StatusCode, want, body)
		}
	}
	resp, err := http.Post(srv.URL+"/README.md", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d", resp.StatusCode)
	}
}

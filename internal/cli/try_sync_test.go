package cli_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/cli"
)

// previewSite serves testdata/preview.txtar on loopback, every "SITE" in
// it standing for the server's URL, and writes its config.yaml (output in
// a temporary folder). It returns the config's path, the mirror's folder
// and the server's URL.
func previewSite(t *testing.T) (cfg, out, base string) {
	t.Helper()
	ar, err := txtar.ParseFile("testdata/preview.txtar")
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		data, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	out = filepath.Join(dir, "out")
	for _, f := range ar.Files {
		data := strings.ReplaceAll(string(f.Data), "SITE", srv.URL)
		switch {
		case f.Name == "config.yaml":
			cfg = filepath.Join(dir, f.Name)
			os.WriteFile(cfg, []byte(strings.Replace(data, "dir: OUT", "dir: "+out, 1)), 0o644)
		case strings.HasSuffix(f.Name, ".base64"):
			raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(data))
			if err != nil {
				t.Fatal(err)
			}
			files["/"+strings.TrimSuffix(f.Name, ".base64")] = raw
		default:
			files["/"+f.Name] = []byte(data)
		}
	}
	return cfg, out, srv.URL
}

func TestTryPrintsThePageSyncWrites(t *testing.T) {
	cfg, out, base := previewSite(t)
	if code, _, errOut := run(t, "sync", "-c", cfg); code != cli.ExitOK {
		t.Fatalf("sync exit %d: %s", code, errOut)
	}
	for _, tc := range []struct{ url, page, title string }{
		{base + "/news/a7001.html", "pages/p9/7001.md", "### 订阅源里的标题"},
		{base + "/gb/n501.htm", "pages/nsc/n501.md", "### 读者来信（订阅源）"},
	} {
		t.Run(tc.page, func(t *testing.T) {
			code, got, errOut := run(t, "try", "-c", cfg, tc.url)
			if code != cli.ExitOK {
				t.Fatalf("try exit %d: %s\n%s", code, errOut, got)
			}
			marker := "\n── page " + tc.page + " ──\n"
			i := strings.Index(got, marker)
			if i < 0 {
				t.Fatalf("try printed no page %s:\n%s", tc.page, got)
			}
			preview := got[i+len(marker):]
			written, err := os.ReadFile(filepath.Join(out, tc.page))
			if err != nil {
				t.Fatal(err)
			}
			if preview != string(written) {
				t.Errorf("try's preview differs from the page sync wrote\n--- try\n%s\n--- sync\n%s", preview, written)
			}
			for _, want := range []string{tc.title, "../../assets/", "item      from the channel's feed", "assets    1 localised"} {
				if !strings.Contains(got, want) {
					t.Errorf("try output lacks %q:\n%s", want, got)
				}
			}
		})
	}
}

func TestTryFileSaysWhichItemFieldsItLacks(t *testing.T) {
	cfg, _, base := previewSite(t)
	page := filepath.Join(t.TempDir(), "a7001.html")
	os.WriteFile(page, []byte(`<html><head><title>网页上的标题 - 看中国</title></head><body><div class="article"><p>离线保存的正文，长度足够。</p></div></body></html>`), 0o644)
	code, got, errOut := run(t, "try", "-c", cfg, "--file", page, "--url", base+"/news/a7001.html")
	if code != cli.ExitOK {
		t.Fatalf("try exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"item      ! --file: the channel's feed was not read; the item lacks: title (the page's own is used), published date",
		"── page pages/p9/7001.md ──", // the id_pattern still names the page
		"### 网页上的标题 - 看中国",
		"[看世界](../../indexes/K看世界.md?7001)",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("try output lacks %q:\n%s", want, got)
		}
	}
}

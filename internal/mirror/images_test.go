package mirror_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/store"
)

func TestSyncLocalisesArticleImages(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/images.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	pic := solidPNG(t, 30, 20)
	site.set("/a.png", string(pic))
	site.set("/a-copy.png", string(pic))
	site.set("/big.png", strings.Repeat("\x89PNG\r\n\x1a\n", 3000))
	site.set("/notes.html", "<html><body>not a picture</body></html>")
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)

	rep := syncAt(t, cfg, site.client(), runTime)

	if len(rep.Failures) != 0 || len(rep.Written) != 2 {
		t.Fatalf("written %v, failures %v; want both pages", rep.Written, rep.Failures)
	}
	p1, p2 := readFile(t, out, "pages/photo/301.md"), readFile(t, out, "pages/photo/302.md")
	local := regexp.MustCompile(`src="(\.\./\.\./assets/[0-9a-f]{2}/[0-9a-f]{64}\.(png|gif))"`)
	m1, m2 := local.FindAllStringSubmatch(p1, -1), local.FindAllStringSubmatch(p2, -1)
	if len(m1) != 2 || len(m2) != 1 {
		t.Fatalf("local images: page 301 has %d (want 2: the PNG and the inline GIF), page 302 has %d (want 1)\n%s\n%s", len(m1), len(m2), p1, p2)
	}
	if m1[0][1] != m2[0][1] {
		t.Errorf("the same image got two assets: %s and %s", m1[0][1], m2[0][1])
	}
	if strings.Contains(p1, "missing.png") || strings.Contains(p1, "data:image") {
		t.Errorf("page 301 keeps an unlocalised srcset entry or the inline image:\n%s", p1)
	}
	for _, kept := range []string{`src="http://img.example.test/missing.png"`, `src="http://img.example.test/big.png"`, `src="http://img.example.test/notes.html"`} {
		if !strings.Contains(p2, kept) {
			t.Errorf("page 302 lacks the original URL %s", kept)
		}
	}
	assetFiles := gitOut(t, out, "ls-files", "assets")
	if n := len(strings.Fields(assetFiles)); n != 2 {
		t.Errorf("committed assets = %q, want 2 files (the PNG once, the GIF)", assetFiles)
	}
	if got, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(strings.TrimPrefix(m1[0][1], "../../")))); err != nil || !bytes.Equal(got, pic) {
		t.Errorf("asset file does not hold the image: %v", err)
	}
	if c := rep.Images["pics"]; c.Localized != 3 || c.Failed != 4 {
		t.Errorf("report images = %+v, want 3 localised (a.png, a-copy.png, the GIF) and 4 failed (missing.png in both pages, big.png, notes.html)", c)
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table, err := db.Health(context.Background())
	h := table.Of(store.SubjectImages, "pics", "")
	if err != nil || h.Failed != 4 || h.LastError == "" {
		t.Errorf("image health = %+v, %v; want 4 failures and the last reason", h, err)
	}
}

func solidPNG(t *testing.T, w, h int) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for i := range w * h {
		img.Set(i%w, i/w, color.RGBA{20, 120, 200, 255})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestSyncPointsImagesAtConfiguredAssetURL(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/images.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Output.AssetURL = "https://cdn.jsdelivr.net/gh/o/r@main/{path}"

	syncAt(t, cfg, site.client(), runTime)

	page := readFile(t, out, "pages/photo/301.md")
	cdn := regexp.MustCompile(`src="https://cdn\.jsdelivr\.net/gh/o/r@main/assets/[0-9a-f]{2}/[0-9a-f]{64}\.png"`)
	if !cdn.MatchString(page) {
		t.Errorf("page does not load its image from the configured CDN:\n%s", page)
	}
}

func TestSyncKeepsImagesOverTheArticleCapAtTheirURLWithAWarning(t *testing.T) {
	ar, err := txtar.ParseFile("testdata/images.txtar")
	if err != nil {
		t.Fatal(err)
	}
	site := newFakeSite(t, ar)
	site.set("/a.png", string(solidPNG(t, 30, 20)))
	out := t.TempDir()
	cfg := loadConfig(t, ar, out)
	cfg.Sources[0].Images.MaxPerArticle = 1

	rep := syncAt(t, cfg, site.client(), runTime)

	if len(rep.Failures) != 0 || len(rep.Written) != 2 {
		t.Fatalf("written %v, failures %v; want both pages", rep.Written, rep.Failures)
	}
	if c := rep.Images["pics"]; c.Skipped == 0 || !strings.Contains(c.LastWarning, "images.max_per_article (1)") {
		t.Errorf("report images = %+v, want the images over the cap counted and named", c)
	}
	if p := readFile(t, out, "pages/photo/302.md"); !strings.Contains(p, `src="http://img.example.test/big.png"`) {
		t.Errorf("page 302 does not keep the image over the cap at its URL:\n%s", p)
	}
	db, err := store.Open(context.Background(), cfg.StatePath())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	table, err := db.Health(context.Background())
	h := table.Of(store.SubjectImages, "pics", "")
	if err != nil || h.Warned != 1 || !strings.Contains(h.LastWarning, "max_per_article") {
		t.Errorf("image health = %+v, %v; want the run's warning counted", h, err)
	}
}

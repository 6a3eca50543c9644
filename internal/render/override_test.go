package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/render"
)

func TestTemplatesFolderOverridesEmbeddedTemplates(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hot.md.tmpl"), []byte(`HOT {{.Title}}{{range .Entries}}|{{.URL}}{{end}}`), 0o644)
	os.WriteFile(filepath.Join(dir, "parts.md.tmpl"), []byte(`{{define "nav"}}NAV{{len .}}{{end}}{{define "promo"}}{{end}}`), 0o644)
	cfg := config.Default()
	cfg.Output.Templates = dir
	r, err := render.New(cfg.Site, cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	hot, err := r.List(render.List{Kind: render.KindHot, Path: "indexes/热点推荐.md", Title: "热点推荐",
		Entries: []render.Entry{{Title: "x", Path: "pages/c/1.md"}}}, "01020304")
	if err != nil || string(hot) != "HOT 热点推荐|../pages/c/1.md?t=01020304" {
		t.Errorf("hot list = %q, %v", hot, err)
	}
	index, err := r.List(render.List{Kind: render.KindIndex, Path: "indexes/a.md"}, "01020304")
	if err != nil || !strings.HasPrefix(string(index), "NAV2") {
		t.Errorf("index with the overridden nav part = %q, %v", index, err)
	}
}

func TestTemplatesFolderRejectsUnknownName(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "hotlist.md.tmpl"), []byte(`x`), 0o644)
	cfg := config.Default()
	cfg.Output.Templates = dir
	_, err := render.New(cfg.Site, cfg.Output)
	if err == nil || !strings.Contains(err.Error(), "hotlist.md.tmpl replaces no template") {
		t.Errorf("err = %v, want the unknown name reported", err)
	}
}

func TestCheckRefusesTemplatesThatRenderNothingOrTooMuch(t *testing.T) {
	for _, tc := range []struct{ file, text, want string }{
		{"hot.md.tmpl", `{{range 100000000}}{{end}}x`, "takes more than"},
		{"index.md.tmpl", `{{range 100000000}}{{$.Title}}{{end}}`, "renders more than|takes more than"},
		{"page.md.tmpl", `{{range .Nav}}{{range $.Nav}}{{range $.Nav}}{{range $.Nav}}{{range $.Nav}}{{$.Body}}{{end}}{{end}}{{end}}{{end}}{{end}}`, "renders more than"},
		{"home.md.tmpl", `{{if false}}x{{end}}   `, "renders nothing"},
		{"editors.md.tmpl", `{{.Nope}}`, "can't evaluate field Nope"},
		{"page.md.tmpl", `### {{md .Title}}{{.Body}}`, ""},
	} {
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, tc.file), []byte(tc.text), 0o644)
		cfg := config.Default()
		cfg.Output.Templates = dir
		r, err := render.New(cfg.Site, cfg.Output)
		if err != nil {
			t.Fatal(err)
		}
		err = r.Check()
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s %q refused: %v", tc.file, tc.text, err)
		case tc.want != "" && (err == nil || !containsAny(err.Error(), strings.Split(tc.want, "|"))):
			t.Errorf("%s %q: err = %v, want %q", tc.file, tc.text, err, tc.want)
		}
	}
	r, _ := render.New(config.Default().Site, config.Default().Output)
	if err := r.Check(); err != nil {
		t.Errorf("the embedded templates fail the check: %v", err)
	}
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

func TestPageTemplatesGetTheFeedDateElseTheMirroredOne(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "page.md.tmpl"), []byte(`{{if .DateMirrored}}镜像于 {{end}}{{.Date.Format "2006-01-02 15:04"}} {{.Body}}`), 0o644)
	cfg := config.Default()
	cfg.Output.Templates = dir
	r, err := render.New(cfg.Site, cfg.Output)
	if err != nil {
		t.Fatal(err)
	}
	mirrored := time.Date(2026, 12, 1, 9, 40, 0, 0, time.UTC)
	for _, tc := range []struct {
		published time.Time
		want      string
	}{
		{time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC), "2026-11-30 08:00 x"},
		{time.Time{}, "镜像于 2026-12-01 09:40 x"},
	} {
		page, err := r.Page(render.Article{Path: "pages/c/1.md", ID: "1", Body: "x", Published: tc.published, Mirrored: mirrored})
		if err != nil || string(page) != tc.want {
			t.Errorf("page of an article published %v = %q, %v; want %q", tc.published, page, err, tc.want)
		}
	}
}

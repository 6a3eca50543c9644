package render_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

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

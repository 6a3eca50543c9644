package output_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

// set is the outputs of a configuration with HTML on and one zh-Hant
// (s2t) variant.
func set(t *testing.T, htmlOnly bool) (*output.Set, *config.Source) {
	t.Helper()
	cfg := config.Default()
	cfg.Output.HTML.Enabled, cfg.Output.HTML.Only = true, htmlOnly
	cfg.Sources = []config.Source{{ID: "s", Name: "图片网", Prefix: "P", Variants: []zhconv.Variant{{Convert: "s2t", Dir: "zh-Hant"}}}}
	s, err := output.New(&cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s, &cfg.Sources[0]
}

func paths(files []output.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

func TestPageIsRenderedInEveryTreeAndFormat(t *testing.T) {
	s, src := set(t, false)
	var got []string
	for _, tr := range s.Trees(src) {
		files, err := s.Page(src, tr, render.Article{Path: "pages/c/1.md", ID: "1", Title: "头发", ChannelID: "c", ChannelName: "看图", IndexName: "P看图", Body: "<p>以后</p>"})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, paths(files)...)
		if tr.Dir == "zh-Hant" && !strings.Contains(string(files[0].Data), "### 頭髮") {
			t.Errorf("the copy's title is not converted:\n%s", files[0].Data)
		}
	}
	want := []string{"pages/c/1.md", "pages/c/1.html", "pages/c/1.md.png", "zh-Hant/pages/c/1.md", "zh-Hant/pages/c/1.html", "zh-Hant/pages/c/1.md.png"}
	if !slices.Equal(got, want) {
		t.Errorf("files = %v, want %v", got, want)
	}
	if files := s.Files("pages/c/1.md"); !slices.Equal(files, want) {
		t.Errorf("Files = %v, want %v", files, want)
	}
}

func TestHTMLOnlyWritesNoMarkdown(t *testing.T) {
	s, src := set(t, true)
	files, err := s.Page(src, s.Trees(src)[0], render.Article{Path: "pages/c/1.md", ID: "1", Title: "t", ChannelID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if got := paths(files); !slices.Equal(got, []string{"pages/c/1.html", "pages/c/1.md.png"}) {
		t.Errorf("files = %v", got)
	}
}

func TestVariantListsOnlyPagesItHolds(t *testing.T) {
	s, _ := set(t, false)
	has := func(p string) bool { return p == "zh-Hant/pages/c/1.md" }
	l := render.List{Kind: render.KindIndex, Path: "indexes/P看图.md", Title: "P看图", Entries: []render.Entry{
		{Title: "第一", Path: "pages/c/1.md"}, {Title: "第二", Path: "pages/c/2.md"}, {Title: "外站", Path: "https://e.test/x"}}}
	files, err := s.List(l, "01130820", has)
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
	}
	orig, copyMD := byPath["indexes/P看图.md"], byPath["zh-Hant/indexes/P看图.md"]
	if !strings.Contains(orig, "pages/c/2.md") || strings.Contains(copyMD, "pages/c/2.md") {
		t.Errorf("the copy lists a page it does not hold, or the original lost one:\n%s\n---\n%s", orig, copyMD)
	}
	if !strings.Contains(copyMD, "[第一](../pages/c/1.md?t=01130820)") || !strings.Contains(copyMD, "(https://e.test/x)") {
		t.Errorf("the copy lacks its page or the outside link:\n%s", copyMD)
	}
	if _, ok := byPath["zh-Hant/indexes/P看图.html"]; !ok {
		t.Errorf("no HTML copy of the list: %v", paths(files))
	}
	empty, err := s.List(render.List{Kind: render.KindIndex, Path: "indexes/P空.md", Entries: []render.Entry{{Title: "x", Path: "pages/c/9.md"}}}, "1", has)
	if err != nil || slices.ContainsFunc(paths(empty), func(p string) bool { return strings.HasPrefix(p, "zh-Hant/") }) {
		t.Errorf("an index left empty in the variant is written there: %v, %v", paths(empty), err)
	}
}

func TestHomeCarriesTheStylesheetAndLinksTheOtherTrees(t *testing.T) {
	s, _ := set(t, false)
	files, err := s.Home(render.Home{Sections: []render.Section{{Name: "图片网", Links: []render.Link{{Label: "看图", URL: "indexes/P看图.md"}}}}}, "1", func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	byPath := map[string]string{}
	for _, f := range files {
		byPath[f.Path] = string(f.Data)
	}
	for _, p := range []string{"README.md", "index.html", "style.css", "zh-Hant/README.md", "zh-Hant/index.html", "zh-Hant/style.css"} {
		if _, ok := byPath[p]; !ok {
			t.Errorf("home files lack %s: %v", p, paths(files))
		}
	}
	if !strings.Contains(byPath["zh-Hant/README.md"], "[簡體中文](../README.md?t=1)") || !strings.Contains(byPath["zh-Hant/README.md"], "#### 圖片網") {
		t.Errorf("the copy's home page:\n%s", byPath["zh-Hant/README.md"])
	}
	if !strings.Contains(byPath["zh-Hant/index.html"], `<html lang="zh-Hant">`) {
		t.Errorf("the copy's HTML home page does not declare its language:\n%s", byPath["zh-Hant/index.html"])
	}
}

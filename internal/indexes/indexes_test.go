package indexes_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/indexes"
	"github.com/newsmirror/newsmirror/internal/option"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

func items(titles ...string) []indexes.Item {
	out := make([]indexes.Item, len(titles))
	for i, t := range titles {
		out[i] = indexes.Item{Title: t, Path: "pages/c/" + t + ".md"}
	}
	return out
}

func titles(items []indexes.Item) string {
	var out []string
	for _, it := range items {
		out = append(out, it.Title)
	}
	return strings.Join(out, " ")
}

func TestLayoutSplitsAfterBlacklistAndPlacesStickyBlocks(t *testing.T) {
	bl := &indexes.Blacklist{Contains: []string{"广告"}, Patterns: []string{`^\[直播\]`}}
	if err := bl.Validate(); err != nil {
		t.Fatal(err)
	}
	sticky := []indexes.Block{
		{Position: 1, Items: items("S1")},
		{Position: 3, Items: items("S3a", "S3b")},
		{Position: 50, Items: items("Send")},
	}
	p := indexes.Layout(items("n6", "广告n5", "n4", "[直播]n3", "n2", "n1"), 3, sticky, bl, nil)
	if got, want := titles(p.Main), "S1 n6 n4 S3a S3b n2 Send"; got != want {
		t.Errorf("index = %q, want %q", got, want)
	}
	if got, want := titles(p.Earlier), "n1"; got != want {
		t.Errorf("earlier = %q, want %q", got, want)
	}
}

func TestLayoutWithoutOverflowHasNoEarlierPage(t *testing.T) {
	p := indexes.Layout(items("a", "b"), 60, nil)
	if titles(p.Main) != "a b" || p.Earlier != nil {
		t.Errorf("layout = %+v", p)
	}
}

func TestBlacklistReportsBadPatternWithItsIndex(t *testing.T) {
	bl := &indexes.Blacklist{Patterns: []string{"ok", "(unclosed"}}
	fields := option.Fields(bl.Validate())
	if len(fields) != 1 || fields[0].Field != "patterns[1]" {
		err := bl.Validate()
		t.Errorf("err = %v, want one at patterns[1]", err)
	}
}

func TestReadCSVReadsRealStickyNote(t *testing.T) {
	rows, bad, err := indexes.ReadCSV(testfix.SharedPath(t, "fixtures/real/pages/begood0513+goodnews/indexes/A-stickynote.csv"))
	if err != nil || len(bad) != 0 {
		t.Fatalf("err %v, bad rows %v", err, bad)
	}
	want := []indexes.Row{
		{Line: 1, URL: "https://www.ntdtv.com/gb/2019/05/13/a102577520.html", Title: "一位中国人获全球称颂 3600项褒奖令中共胆寒"},
		{Line: 2, URL: "https://www.ntdtv.com/gb/2019/10/28/a102694985.html", Title: "福克斯：幸存者披露中共活摘器官恐怖内幕"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows = %+v\nwant %+v", rows, want)
	}
}

func TestVariantsCoverSchemesAndHosts(t *testing.T) {
	v := indexes.Variants(indexes.Absolute("ntdtv.com/gb/2020/03/21/a102805373.html"))
	for _, want := range []string{
		"https://www.ntdtv.com/gb/2020/03/21/a102805373.html",
		"http://cn.ntdtv.com/gb/2020/03/21/a102805373.html",
		"http://ntdtv.com/gb/2020/03/21/a102805373.html",
	} {
		if !slices.Contains(v, want) {
			t.Errorf("variants lack %s: %v", want, v)
		}
	}
	if rel, ok := indexes.Relative("/7year.md"); !ok || rel != "7year.md" {
		t.Errorf("Relative(/7year.md) = %q, %v", rel, ok)
	}
	if _, ok := indexes.Relative("epochtimes.com/gb/20/3/21/n11961279.htm"); ok {
		t.Error("a URL without a scheme was taken for a path of the mirror")
	}
}

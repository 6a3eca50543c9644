package feed_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fsname"
)

func TestArticleIDsFitEveryFileSystem(t *testing.T) {
	long := strings.Repeat("新", 100) // 300 bytes: over NAME_MAX with ".md"
	for _, tc := range []struct {
		path string
		want string // "" for an error; "~" for a shortened id
	}{
		{"/a/" + long + ".html", "~"},
		{"/a/" + strings.Repeat("x", 300), "~"},
		{"/a/" + strings.Repeat("é", 200), "~"}, // 2-byte letters
		{"/a/" + strings.Repeat("x", 248), strings.Repeat("x", 248)},
		{"/a/cafe\u0301.html", "caf\u00e9"}, // NFD becomes NFC
		{"/a/caf\u00e9.html", "caf\u00e9"},
		{"/a/\u1112\u1161\u11ab.html", "\ud55c"}, // NFD Hangul: one syllable
		{"/a/CON.html", "_CON"},
		{"/a/con", "_con"},
		{"/a/aux.1.html", "_aux.1"},
		{"/a/Lpt9.htm", "_Lpt9"},
		{"/a/COM\u00b9.html", "_COM\u00b9"},
		{"/a/console.html", "console"},
		{"/a/nul1.html", "nul1"},
		{"/a/abc..html", "abc."}, // "abc..md" is a fine name
		{"/a/..html", ""},
		{"/a/-x.html", ""},
	} {
		u := &url.URL{Scheme: "https", Host: "news.example", Path: tc.path}
		got, err := feed.ArticleID(u, nil)
		switch {
		case tc.want == "" && err == nil:
			t.Errorf("%s: id %q, want an error", tc.path, got)
		case tc.want == "~" && (err != nil || len(got) > fsname.MaxStemBytes):
			t.Errorf("%s: id %q (%d bytes), %v; want one shortened to fit", tc.path, got, len(got), err)
		case tc.want != "" && tc.want != "~" && (err != nil || got != tc.want):
			t.Errorf("%s: id %q, %v; want %q", tc.path, got, err, tc.want)
		}
		if err != nil {
			continue
		}
		// The real file system takes the page's longest name.
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, got+".md.png"), nil, 0o644); err != nil {
			t.Errorf("%s: id %q cannot be a file: %v", tc.path, got, err)
		}
	}
	a, _ := feed.ArticleID(&url.URL{Scheme: "https", Host: "n.example", Path: "/" + long + "甲"}, nil)
	b, _ := feed.ArticleID(&url.URL{Scheme: "https", Host: "n.example", Path: "/" + long + "乙"}, nil)
	if a == b {
		t.Errorf("two long ids sharing a beginning were shortened to one: %q", a)
	}
}

func TestCapTitleCutsLongTitlesAtALetter(t *testing.T) {
	for _, tc := range []struct {
		in   string
		max  int
		want string
		cut  bool
	}{
		{"短标题", 5, "短标题", false},
		{"五个字标题", 5, "五个字标题", false},
		{"六个字的标题", 5, "六个字的…", true},
		{strings.Repeat("x", 10<<20), 500, strings.Repeat("x", 499) + "…", true},
	} {
		got, cut := feed.CapTitle(tc.in, tc.max)
		if got != tc.want || cut != tc.cut {
			t.Errorf("CapTitle(%.20q, %d) = %.20q, %v", tc.in, tc.max, got, cut)
		}
	}
}

// Package presetpages builds, at test time, the extraction presets'
// fixture pages from real pages published by the reference system (the
// shared folder's fixtures/real, see SOURCES.md there), which the
// repository does not hold. The reference system published each article's
// HTML inside a Markdown page, with <a> rewritten to <ok>, the lead image
// block and the body in <div> wrappers separated by <hr/>, and a promo
// block in between. Build undoes that (promo lines dropped, <ok> back to
// <a>, wrappers removed, demoted headings restored, lazy loading put back
// where the site used it) and wraps the result in the site's article
// container and invented page furniture (menus, scripts, share bars,
// related posts, a tracking pixel) so the presets have something to
// remove. The containers follow each site's markup as the reference
// scripts selected it: they are reconstructions, not captures.
//
// Cases reads the shared folder through testfix: a test using it fails
// under CI=true when the folder is missing and skips elsewhere.
package presetpages

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

// RealDir is the folder of real pages and feeds inside the shared folder.
const RealDir = "fixtures/real"

// Case is one fixture page of a preset.
type Case struct {
	Preset string // the preset whose rules the page is for
	Name   string // the article's id, e.g. "947290" or "feed-content-1"
	// Page is a whole HTML page with a canonical link, or for a feed's
	// full content a fragment whose first line is
	// "<!-- feed content of URL -->".
	Page []byte
}

// Cases builds every case; it fails or skips t as testfix does when the
// real pages are missing.
func Cases(t testing.TB) []Case {
	t.Helper()
	cases, err := Build(testfix.SharedPath(t, RealDir))
	if err != nil {
		t.Fatalf("build the preset fixtures from %s: %v", RealDir, err)
	}
	return cases
}

// Page returns the page of preset's case name, as Cases builds it; it
// fails t when there is no such case.
func Page(t testing.TB, preset, name string) []byte {
	t.Helper()
	for _, c := range Cases(t) {
		if c.Preset == preset && c.Name == name {
			return c.Page
		}
	}
	t.Fatalf("no preset fixture %s/%s", preset, name)
	return nil
}

// source is one published page and how its case is built.
type source struct {
	preset, name, path, url string
	build                   func(title, text, url string) string
}

const (
	zydd    = "zydd999+banned-news2/"
	begood  = "begood0513+goodnews/"
	mhNews  = "gfw-breaker+mh-news/"
	nscFeed = "feeds/zztianx1x+zddadfsdaaaa/nsc993.EXCERPT-first3items.xml"
)

var sources = []source{
	{"secretchina", "947290", zydd + "p1/947290.md", "https://www.secretchina.com/news/gb/2020/10/16/947290.html", secretchina},
	{"secretchina", "1003540", begood + "p9/1003540.md", "https://www.secretchina.com/news/gb/2022/04/20/1003540.html", secretchina},
	{"ntdtv", "a102517471", begood + "prog204/a102517471.md", "https://www.ntdtv.com/gb/2019/02/22/a102517471.html", ntdtv},
	{"ntdtv", "a102964127", zydd + "prog204/a102964127.md", "https://www.ntdtv.com/gb/2020/10/16/a102964127.html", ntdtv},
	{"epochtimes", "n12475327", zydd + "nsc412/n12475327.md", "https://www.epochtimes.com/gb/20/10/14/n12475327.htm", epochtimes},
	{"epochtimes", "n12414284", zydd + "nf4514/n12414284.md", "https://www.epochtimes.com/gb/20/9/22/n12414284.htm", epochtimes},
	{"soundofhope", "218313", zydd + "soh3/218313.md", "https://www.soundofhope.org/post/218313", soundofhope},
	{"soundofhope", "595855", begood + "soh5/595855?lang=b5.md", "https://www.soundofhope.org/post/595855?lang=b5", soundofhope},
	{"rfa", "hp-07162020134057", zydd + "pinglun/hp-07162020134057.md", "https://www.rfa.org/mandarin/pinglun/hp-07162020134057.html", rfa},
	{"rfa", "bl-06202016123531", begood + "guojishijiao/bl-06202016123531.md", "https://www.rfa.org/mandarin/pinglun/guojishijiao/bl-06202016123531.html", rfa},
	{"minghui", "418641", mhNews + "91/418641.md", "https://www.minghui.org/mh/articles/2020/10/15/418641.html", minghui},
	{"minghui", "419093", mhNews + "19/419093.md", "https://www.minghui.org/mh/articles/2020/10/24/419093.html", minghui},
}

// Build makes every case from the real pages and feeds under realDir.
func Build(realDir string) ([]Case, error) {
	var cases []Case
	for _, s := range sources {
		md, err := readText(filepath.Join(realDir, "pages", filepath.FromSlash(s.path)))
		if err != nil {
			return nil, err
		}
		title, text, err := chunk(md)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.path, err)
		}
		cases = append(cases, Case{s.preset, s.name, []byte(s.build(title, text, s.url))})
	}
	feed, err := readText(filepath.Join(realDir, filepath.FromSlash(nscFeed)))
	if err != nil {
		return nil, err
	}
	contents, err := feedContents(feed, 2)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", nscFeed, err)
	}
	for i, c := range contents {
		cases = append(cases, Case{"epochtimes", fmt.Sprintf("feed-content-%d", i+1), []byte(c)})
	}
	return cases, nil
}

// readText reads a file with its line ends made "\n" (CRLF and a lone
// CR alike).
func readText(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	return strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(data)), nil
}

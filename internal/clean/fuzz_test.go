package clean_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/testfix/presetpages"
)

// FuzzClean holds the sanitizer to its invariant: whatever goes in, the
// output parses and Audit finds nothing (no <script, no on…= attribute,
// no javascript: URL), and the pruning of empty leftovers never panics.
// Seeds: the XSS corpus, internal/extract's hand-written fixture pages
// and the golden cases; TestRealPresetPagesSanitizeClean checks the pages
// rebuilt from real ones.
//
//	go test -run '^$' -fuzz FuzzClean -fuzztime 3m ./internal/clean/
func FuzzClean(f *testing.F) {
	for _, v := range readVectors(f, "testdata/xss.txt") {
		f.Add(v, false)
		f.Add(v, true)
	}
	pages, _ := filepath.Glob("../extract/testdata/*/*.html")
	own, _ := filepath.Glob("testdata/*.html")
	pages = append(pages, own...)
	for _, p := range pages {
		if data, err := os.ReadFile(p); err == nil {
			f.Add(string(data), false)
		}
	}
	plain, data := clean.New(clean.Options{}), clean.New(clean.Options{DataImages: true})
	f.Fuzz(func(t *testing.T, in string, dataImages bool) {
		c := plain
		if dataImages {
			c = data
		}
		out := c.HTML(in)
		if problems := clean.Audit(out); len(problems) > 0 {
			t.Fatalf("sanitized output of %q holds %v:\n%s", in, problems, out)
		}
	})
}

// TestRealPresetPagesSanitizeClean holds the fuzz invariant on the preset
// fixture pages rebuilt from real published pages (whole pages, as the
// fuzz target's seeds once were), with and without data: images.
func TestRealPresetPagesSanitizeClean(t *testing.T) {
	for _, c := range presetpages.Cases(t) {
		for _, opts := range []clean.Options{{}, {DataImages: true}} {
			if problems := clean.Audit(clean.New(opts).HTML(string(c.Page))); len(problems) > 0 {
				t.Errorf("%s/%s (%+v): sanitized output holds %v", c.Preset, c.Name, opts, problems)
			}
		}
	}
}

package clean_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
)

// FuzzClean holds the sanitizer to its invariant: whatever goes in, the
// output parses and Audit finds nothing (no <script, no on…= attribute,
// no javascript: URL), and the pruning of empty leftovers never panics.
// Seeds: the XSS corpus, the preset fixtures and the golden cases.
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

package clean_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/golden"
)

// TestCleanKeepsWhatReadersSee sanitizes every testdata/<case>.html and
// compares the result with <case>.golden (go test -update): the style
// declarations kept, the images left without a source and the elements
// left empty pruned, and no blank line anywhere.
func TestCleanKeepsWhatReadersSee(t *testing.T) {
	pages, _ := filepath.Glob("testdata/*.html")
	if len(pages) == 0 {
		t.Fatal("no testdata/*.html")
	}
	c := clean.New(clean.Options{})
	for _, page := range pages {
		t.Run(filepath.Base(page), func(t *testing.T) {
			in, err := os.ReadFile(page)
			if err != nil {
				t.Fatal(err)
			}
			out := c.HTML(string(in))
			if strings.Contains(out, "\n\n") {
				t.Errorf("output holds a blank line:\n%s", out)
			}
			if again := c.HTML(out); again != out {
				t.Errorf("cleaning twice changes the output:\n%s\nthen\n%s", out, again)
			}
			golden.Compare(t, strings.TrimSuffix(page, ".html")+".golden", out)
		})
	}
}

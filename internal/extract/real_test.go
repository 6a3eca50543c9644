package extract_test

import (
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/testfix"
)

// realPages are secretchina pages published by the reference system (a
// copy of public mirrors, /work/shared/fixtures/real), whose article HTML
// still carries the site's display:none spans and fixed-height ad boxes.
var realPages = []string{
	"begood0513+goodnews/p9/1003540.md",
	"zydd999+banned-news2/p1/947290.md",
	"zydd999+banned-news2/p2/944794.md",
}

// TestRealPagesKeepHiddenThingsHiddenAndNoBlankBoxes runs the article
// HTML of real published pages through the secretchina preset and the
// sanitizer: nothing hidden becomes visible, no size survives in a style
// attribute (the blank ad boxes), no element is left empty, and no text
// is lost.
func TestRealPagesKeepHiddenThingsHiddenAndNoBlankBoxes(t *testing.T) {
	dir := testfix.SharedPath(t, "fixtures/real/pages")
	rules := mustCompile(t, extract.Rules{Preset: "secretchina"})
	c := clean.New(clean.Options{})
	u, _ := url.Parse("https://www.secretchina.com/news/gb/2022/04/20/1.html")
	for _, name := range realPages {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				t.Fatal(err)
			}
			src := string(data)
			if !strings.Contains(src, "display:none") && !strings.Contains(src, "display: none") {
				t.Fatalf("%s holds no hidden element any more; pick another page", name)
			}
			art, err := extract.Extract([]byte("<html><body>"+src+"</body></html>"), u, rules)
			if err != nil {
				t.Fatal(err)
			}
			body := c.HTML(art.HTML)
			art.CheckPublished(body)
			if art.TextLost() != "" {
				t.Error(art.TextLost())
			}
			for _, bad := range []*regexp.Regexp{sizeStyle, hiddenStyle, emptyBlock} {
				if m := bad.FindString(body); m != "" {
					t.Errorf("published body holds %q", m)
				}
			}
			if strings.Contains(body, "\n\n") {
				t.Error("published body holds a blank line")
			}
			t.Logf("removed %d elements, kept %d of %d characters", art.Removed, art.TextLen, art.SourceText)
		})
	}
}

var (
	sizeStyle   = regexp.MustCompile(`style="[^"]*\b(?:height|width|margin|padding)\s*:[^"]*"`)
	hiddenStyle = regexp.MustCompile(`style="[^"]*\b(?:display|visibility)\s*:[^"]*"`)
	emptyBlock  = regexp.MustCompile(`<(div|p|center|span)\b[^>]*>\s*</(div|p|center|span)>`)
)

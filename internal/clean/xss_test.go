package clean_test

import (
	"bufio"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/render"
)

// filler makes every test page long enough for the rules not to fall back.
const filler = "<p>这是一段用来凑足正文长度的普通新闻文字，它本身不含任何危险的内容，只是为了让正文超过最小长度的门槛而已。</p>"

// TestXSSCorpusHasNoSurvivors pushes every vector of testdata/xss.txt
// through extract, clean and render, in each link mode, and counts the
// pages that still hold something that could run.
func TestXSSCorpusHasNoSurvivors(t *testing.T) {
	vectors := readVectors(t, "testdata/xss.txt")
	if len(vectors) < 100 {
		t.Fatalf("corpus has %d vectors, want at least 100", len(vectors))
	}
	rend, err := render.New(config.Default().Site, config.Default().Output)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := url.Parse("https://news.example.com/a/1.html")
	survivors, runs := 0, 0
	for _, mode := range []string{extract.LinkSpan, extract.LinkKeep, extract.LinkAbsolute} {
		rules, err := extract.Rules{Body: extract.Selectors{"div#body"}, LinkMode: mode, PromoAnchor: "div#txt-mid1-t21-2017"}.Compile()
		if err != nil {
			t.Fatal(err)
		}
		c := clean.New(clean.Options{})
		for i, v := range vectors {
			doc := "<html><head><title>t</title></head><body><div id=\"body\">" + filler + v + filler + "</div></body></html>"
			art, err := extract.Extract([]byte(doc), page, rules)
			if err != nil {
				t.Errorf("vector %d (%s): %v", i, v, err)
				continue
			}
			md, err := rend.Page(render.Article{Path: "pages/c/1.md", ID: "1", Title: "标题", ChannelID: "c",
				IndexName: "c", ChannelName: "c", Body: c.HTML(art.HTML), OriginalURL: page.String()})
			if err != nil {
				t.Fatal(err)
			}
			runs++
			if problems := clean.Audit(string(md)); len(problems) > 0 {
				survivors++
				t.Errorf("link mode %s, vector %d %q survives: %v", mode, i, v, problems)
			}
		}
	}
	t.Logf("%d vectors × 3 link modes = %d pages, %d survivors", len(vectors), runs, survivors)
}

func readVectors(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := sc.Text(); strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	return out
}

// TestAuditFlagsRawVectors keeps the corpus test honest: without the
// pipeline, Audit flags nearly every vector.
func TestAuditFlagsRawVectors(t *testing.T) {
	vectors := readVectors(t, "testdata/xss.txt")
	flagged := 0
	for _, v := range vectors {
		if len(clean.Audit("<div>"+v+"</div>")) > 0 {
			flagged++
		}
	}
	t.Logf("Audit flags %d of %d raw vectors", flagged, len(vectors))
	if flagged < len(vectors)*9/10 {
		t.Errorf("Audit flags only %d of %d raw vectors", flagged, len(vectors))
	}
}

// Package seedsource rebuilds, at test time, the source of the seed
// article (secretchina.com channel p9, article 994979) from the page the
// original Python mirror published, reference/seed-page.md in the shared
// folder. The repository holds only the transformation and the page
// furniture its authors invented; the article itself is read through
// testfix, so a test using it fails under CI=true when the shared folder
// is missing and skips elsewhere.
//
// The transformation (internal/mirror/testdata/seed/README.md) undoes the
// mirror's changes to the article div: <span href> back to <a href>, the
// injected 💌 promo removed, the lead image protocol-relative again,
// BeautifulSoup's re-nesting undone and prettify()'s indentation dropped;
// it then adds invented ad scripts and a YouTube iframe inside the div and
// invented page furniture around it.
package seedsource

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"text/template"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

// URL is where the seed article was published.
const URL = "https://www.secretchina.com/news/gb/2022/01/13/994979.html"

// ReferencePath is the reference page inside the shared folder.
const ReferencePath = "reference/seed-page.md"

// Page returns the article's source page (UTF-8 HTML), rebuilt from the
// reference page; it fails or skips t as testfix.Shared does when the
// reference is missing.
func Page(t testing.TB) []byte {
	t.Helper()
	page, _ := build(t)
	return page
}

// Feed returns channel p9's RSS feed (CRLF line ends) whose first item is
// the seed article, with its title and description from the reference.
func Feed(t testing.TB) []byte {
	t.Helper()
	_, feed := build(t)
	return feed
}

func build(t testing.TB) (page, feed []byte) {
	t.Helper()
	page, feed, err := Rebuild(testfix.Shared(t, ReferencePath))
	if err != nil {
		t.Fatalf("rebuild the seed article from %s: %v", ReferencePath, err)
	}
	return page, feed
}

// Rebuild turns the reference page (the published Markdown page) into
// the source page and the channel's feed.
func Rebuild(reference []byte) (page, feed []byte, err error) {
	ref := strings.ReplaceAll(string(reference), "\r\n", "\n")
	title, ok := strings.CutPrefix(firstLine(ref), "### ")
	if !ok {
		return nil, nil, fmt.Errorf("first line %q is not a ### title", firstLine(ref))
	}
	div, err := articleDiv(ref)
	if err != nil {
		return nil, nil, err
	}
	root, err := parse(div)
	if err != nil {
		return nil, nil, err
	}
	undoMirror(root)
	desc, err := description(root)
	if err != nil {
		return nil, nil, err
	}
	addAds(root)
	fields := struct{ Title, Description string }{title, desc}
	var body strings.Builder
	root.writeLines(&body)
	head, err := execute(pageHead, fields)
	if err != nil {
		return nil, nil, err
	}
	feedText, err := execute(feedTemplate, fields)
	if err != nil {
		return nil, nil, err
	}
	return []byte(head + body.String() + pageTail), []byte(strings.ReplaceAll(feedText, "\n", "\r\n")), nil
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// articleDiv is the reference's article div: from <div class="article_right"
// to the share block's <hr/>.
func articleDiv(ref string) (string, error) {
	start := strings.Index(ref, `<div class="article_right"`)
	end := strings.LastIndex(ref, "\n<hr/>\n")
	if start < 0 || end < start {
		return "", fmt.Errorf("no article div before the share block")
	}
	return ref[start:end], nil
}

// description is the first two sentences of the first paragraph after
// its dateline (【看中国…讯】), as the site's meta description was.
func description(root *node) (string, error) {
	for _, n := range root.kids[0].kids {
		text := n.text()
		if n.name != "p" || !strings.HasPrefix(text, "【") {
			continue
		}
		_, rest, _ := strings.Cut(text, "】")
		first, second, _ := strings.Cut(rest, "。")
		second, _, _ = strings.Cut(second, "。")
		return first + "。" + second + "。", nil
	}
	return "", fmt.Errorf("no paragraph opens with a dateline")
}

func execute(text string, data any) (string, error) {
	tmpl, err := template.New("").Parse(text)
	if err != nil {
		return "", err
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, data); err != nil {
		return "", err
	}
	return b.String(), nil
}

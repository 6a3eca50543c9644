package feed_test

import (
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/feed"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

// readReal reads a feed copied from the reference system's mirrors (in
// the shared folder, not the repository).
func readReal(t *testing.T, name string) []byte {
	t.Helper()
	return testfix.Shared(t, "fixtures/real/feeds/"+name)
}

func TestRealFeedsParseWithTheirItemsAndTitles(t *testing.T) {
	for _, tc := range []struct {
		file, base string
		items      int
		first      string
		firstURL   string
		content    bool
	}{
		// 35 items with distinct links; CRLF line endings.
		{"zztianx1x+zddadfsdaaaa/news202.xml", "http://www.ntdtv.com/", 35, "华人毒枭与陆大使密切往来 杜特尔特：他在他家过夜", "", false},
		// 26 items, but items 7–13 repeat items 1–6: 20 distinct links.
		{"begood0513+goodnews/p1.xml", "https://www.secretchina.com/", 20, "上海男子：一间急诊室挤150病患 父亲苦求2天半去世(组图)", "", false},
		// The body is in a non-namespaced <content> element.
		{"zztianx1x+zddadfsdaaaa/nsc993.EXCERPT-first3items.xml", "http://www.epochtimes.com/", 3, "祝君安：温水煮五毛", "http://www.epochtimes.com/gb/18/10/5/n10762362.htm", true},
	} {
		t.Run(tc.file, func(t *testing.T) {
			items, err := feed.Parse(readReal(t, tc.file), tc.base)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != tc.items {
				t.Errorf("%d items, want %d", len(items), tc.items)
			}
			if len(items) == 0 {
				return
			}
			if items[0].Title != tc.first {
				t.Errorf("first title %q, want %q", items[0].Title, tc.first)
			}
			if tc.firstURL != "" && items[0].URL != tc.firstURL {
				t.Errorf("first URL %q, want %q", items[0].URL, tc.firstURL)
			}
			seen := map[string]bool{}
			for _, it := range items {
				if seen[it.URL] {
					t.Errorf("duplicate item %s", it.URL)
				}
				seen[it.URL] = true
				if it.Published.IsZero() {
					t.Errorf("item %s has no date", it.URL)
				}
				if has := strings.Contains(it.Content, "<p>"); has != tc.content {
					t.Errorf("item %s: content %.60q, want HTML content: %v", it.URL, it.Content, tc.content)
				}
			}
		})
	}
}

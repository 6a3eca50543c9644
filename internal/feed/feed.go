// Package feed turns a channel's feed into a list of items to mirror.
package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// Item is one entry of a feed.
type Item struct {
	// URL is the article's absolute URL.
	URL   string
	Title string
	// Published is the item's date; zero when the feed gives none.
	Published time.Time
	// Content is the item's full HTML content, when the feed carries it:
	// content:encoded, Atom <content>, JSON Feed content_html, or a
	// non-namespaced RSS <content> (epochtimes' WordPress feeds).
	Content string
}

// Parse reads an RSS, Atom or JSON feed fetched from base. Items without a
// link or title are dropped; duplicate links keep their first item.
func Parse(data []byte, base string) ([]Item, error) {
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	items := make([]Item, 0, len(f.Items))
	seen := make(map[string]bool, len(f.Items))
	for _, it := range f.Items {
		item, ok := convert(it, baseURL)
		if !ok || seen[item.URL] {
			continue
		}
		seen[item.URL] = true
		items = append(items, item)
	}
	return items, nil
}

func convert(it *gofeed.Item, base *url.URL) (Item, bool) {
	link := strings.TrimSpace(it.Link)
	if link == "" {
		link = strings.TrimSpace(it.GUID)
	}
	u, err := base.Parse(link)
	title := strings.Join(strings.Fields(it.Title), " ")
	if link == "" || err != nil || title == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return Item{}, false
	}
	item := Item{URL: u.String(), Title: title, Content: content(it)}
	if it.PublishedParsed != nil {
		item.Published = *it.PublishedParsed
	} else if it.UpdatedParsed != nil {
		item.Published = *it.UpdatedParsed
	}
	return item, true
}

// content is the item's full HTML: gofeed's Content, else the text of a
// non-namespaced <content> element, which gofeed keeps as a custom element.
func content(it *gofeed.Item) string {
	if strings.TrimSpace(it.Content) != "" {
		return it.Content
	}
	return strings.TrimSpace(it.Custom["content"])
}

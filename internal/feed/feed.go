// Package feed turns what a channel's URL serves (a feed, a listing page or
// a JSON listing) into a list of items to mirror, and names their articles.
package feed

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/itlightning/dateparse"
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

// Read reads data, served at base for a channel of kind, into items.
// Items without a link or title are dropped; duplicate links keep their
// first item (feeds repeat items: secretchina's p1 lists 26 items, 20 of
// them distinct). o may be nil for defaults.
func Read(kind string, data []byte, base string, o *Options) ([]Item, error) {
	if o == nil {
		o = &Options{}
	}
	switch kind {
	case KindListing:
		return readListing(data, base, o)
	case KindJSON:
		return readJSON(data, base, o)
	case "", KindFeed:
		return parseFeed(data, base, o)
	}
	return nil, fmt.Errorf("unknown channel kind %q", kind)
}

// Parse reads an RSS, Atom or JSON feed fetched from base, dates without a
// zone in UTC.
func Parse(data []byte, base string) ([]Item, error) {
	return parseFeed(data, base, &Options{})
}

func parseFeed(data []byte, base string, o *Options) ([]Item, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("parse feed %s: empty document", base)
	}
	f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", base, err)
	}
	var list dedupe
	for _, it := range f.Items {
		if item, ok := convert(it, baseURL, o.Location); ok {
			list.add(item)
		}
	}
	return list.items, nil
}

// dedupe collects items, keeping the first of each URL.
type dedupe struct {
	items []Item
	seen  map[string]bool
}

func (d *dedupe) add(it Item) {
	if d.seen == nil {
		d.seen = map[string]bool{}
	}
	if !d.seen[it.URL] {
		d.seen[it.URL] = true
		d.items = append(d.items, it)
	}
}

// resolve returns link as an absolute http(s) URL, or false.
func resolve(base *url.URL, link string) (string, bool) {
	link = strings.TrimSpace(link)
	if link == "" {
		return "", false
	}
	u, err := base.Parse(link)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	u.Fragment = ""
	return u.String(), true
}

// cleanTitle folds a title's white space.
func cleanTitle(s string) string { return strings.Join(strings.Fields(s), " ") }

func convert(it *gofeed.Item, base *url.URL, loc *time.Location) (Item, bool) {
	link := strings.TrimSpace(it.Link)
	if link == "" {
		link = strings.TrimSpace(it.GUID)
	}
	u, ok := resolve(base, link)
	title := cleanTitle(it.Title)
	if !ok || title == "" {
		return Item{}, false
	}
	item := Item{URL: u, Title: title, Content: content(it)}
	switch {
	case it.Published != "":
		item.Published = date(it.Published, it.PublishedParsed, loc)
	case it.Updated != "":
		item.Published = date(it.Updated, it.UpdatedParsed, loc)
	}
	return item, true
}

// date is a feed date: raw read in loc when it names no zone, else the
// parser's reading.
func date(raw string, parsed *time.Time, loc *time.Location) time.Time {
	if loc != nil && loc != time.UTC {
		if t, err := dateparse.ParseIn(strings.TrimSpace(raw), loc); err == nil {
			return t
		}
	}
	if parsed != nil {
		return *parsed
	}
	return time.Time{}
}

// content is the item's full HTML: gofeed's Content, else the text of a
// non-namespaced <content> element, which gofeed keeps as a custom element.
func content(it *gofeed.Item) string {
	if strings.TrimSpace(it.Content) != "" {
		return it.Content
	}
	return strings.TrimSpace(it.Custom["content"])
}

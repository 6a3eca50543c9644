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

// Result is what reading a channel's document gave.
type Result struct {
	Items []Item
	// Warnings say what was salvaged from a broken document, or skipped:
	// each is a repair, a guess or a loss the operator is to see. A
	// well-formed feed whose items all have a link and a title has none.
	Warnings []Warning
}

// Read reads data, served at base for a channel of kind, into items.
// Items without a link or title are dropped (with a warning); duplicate
// links keep their first item (feeds repeat items: secretchina's p1 lists
// 26 items, 20 of them distinct). A broken feed is salvaged rather than
// refused: see repair. o may be nil for defaults.
func Read(kind string, data []byte, base string, o *Options) (Result, error) {
	if o == nil {
		o = &Options{}
	}
	switch kind {
	case KindListing:
		items, err := readListing(data, base, o)
		return Result{Items: items}, err
	case KindJSON:
		items, err := readJSON(data, base, o)
		return Result{Items: items}, err
	case "", KindFeed:
		return parseFeed(data, base, o)
	}
	return Result{}, fmt.Errorf("unknown channel kind %q", kind)
}

// Parse reads an RSS, Atom or JSON feed fetched from base, dates without a
// zone in UTC. It salvages a broken feed as Read does, but keeps no
// warnings: what runs for an operator calls Read.
func Parse(data []byte, base string) ([]Item, error) {
	res, err := parseFeed(data, base, &Options{})
	return res.Items, err
}

func parseFeed(data []byte, base string, o *Options) (Result, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Result{}, fmt.Errorf("parse feed %s: empty document", base)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return Result{}, fmt.Errorf("parse feed %s: %w", base, err)
	}
	var w warnings
	doc, complete := data, -1
	if !isJSON(data) {
		doc, complete = repair(data, &w)
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	f, err := p.Parse(bytes.NewReader(doc))
	if err != nil {
		if len(w.order) > 0 {
			return Result{}, fmt.Errorf("parse feed %s: %w (after repairs: %s)", base, err, joinWarnings(w.list()))
		}
		return Result{}, fmt.Errorf("parse feed %s: %w", base, err)
	}
	if len(f.Items) < complete {
		w.add(WarnUnparseable, "the feed parser read %d of the feed's %d complete items", len(f.Items), complete)
	}
	var list dedupe
	for i, it := range f.Items {
		if item, ok := convert(it, links(f, i), baseURL, o.Location, i+1, &w); ok {
			list.add(item)
		}
	}
	if len(list.items) == 0 && w.count[WarnTruncated]+w.count[WarnTooDeep] > 0 {
		return Result{}, fmt.Errorf("parse feed %s: no complete item: %s", base, joinWarnings(w.list()))
	}
	return Result{Items: list.items, Warnings: w.list()}, nil
}

// isJSON reports whether data looks like a JSON Feed.
func isJSON(data []byte) bool {
	b := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\ufeff")), " \t\r\n")
	return len(b) > 0 && b[0] == '{'
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

// convert makes gofeed's item n into an Item at the first of its links
// that is an absolute http(s) URL; an item without one, or without a
// title, is skipped with a warning.
func convert(it *gofeed.Item, ls []link, base *url.URL, loc *time.Location, n int, w *warnings) (Item, bool) {
	title := cleanTitle(it.Title)
	u, why, ok := pickLink(ls, base)
	switch {
	case !ok:
		w.add(WarnNoLink, "item %d %q has no link%s: skipped", n, clip(title, 40), why)
		return Item{}, false
	case title == "":
		w.add(WarnNoTitle, "item %d (%s) has no title: skipped", n, u)
		return Item{}, false
	case why != "":
		w.add(WarnIDAsLink, "item %d %q has no link: %s used as its URL", n, clip(title, 40), why)
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

// clip shortens s to n runes for a message.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
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

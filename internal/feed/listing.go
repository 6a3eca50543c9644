package feed

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/andybalholm/cascadia"
	"github.com/itlightning/dateparse"
	"golang.org/x/net/html"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// readListing reads an HTML listing page (UTF-8) with the source's
// selectors; relative links are resolved against the page's URL or its
// <base href>.
func readListing(data []byte, base string, o *Options) ([]Item, error) {
	if o.listing.item == nil {
		if err := o.compileListing(); err != nil {
			return nil, fmt.Errorf("read listing %s: %w", base, err)
		}
	}
	doc, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("read listing %s: %w", base, err)
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("read listing %s: %w", base, err)
	}
	if b := cascadia.Query(doc, cascadia.MustCompile("base[href]")); b != nil {
		if u, err := baseURL.Parse(htmlnode.Attr(b, "href")); err == nil {
			baseURL = u
		}
	}
	var list dedupe
	for _, n := range cascadia.QueryAll(doc, o.listing.item) {
		if it, ok := listingItem(n, baseURL, o); ok {
			list.add(it)
		}
	}
	if len(list.items) == 0 {
		return nil, fmt.Errorf("read listing %s: no item matches %q (selector broken?)", base, o.Listing.Item)
	}
	return list.items, nil
}

func listingItem(n *html.Node, base *url.URL, o *Options) (Item, bool) {
	sel := o.listing
	a := cascadia.Query(n, sel.link)
	if a == nil {
		return Item{}, false
	}
	u, ok := resolve(base, htmlnode.Attr(a, "href"))
	if !ok {
		return Item{}, false
	}
	titleNode := a
	if sel.title != nil {
		titleNode = cascadia.Query(n, sel.title)
	}
	var title string
	if titleNode != nil {
		title = cleanTitle(text(titleNode))
	}
	if title == "" {
		title = cleanTitle(htmlnode.Attr(a, "title"))
	}
	it := Item{URL: u, Title: title}
	if sel.date != nil {
		if d := cascadia.Query(n, sel.date); d != nil {
			it.Published = listingDate(d, o)
		}
	}
	return it, title != ""
}

// listingDate reads a date element: its datetime attribute, else its text,
// with the listing's layout or the common formats, in the source's zone.
func listingDate(n *html.Node, o *Options) time.Time {
	s := strings.TrimSpace(htmlnode.Attr(n, "datetime"))
	if s == "" {
		s = strings.TrimSpace(text(n))
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	var t time.Time
	var err error
	if o.Listing.DateLayout != "" {
		t, err = time.ParseInLocation(o.Listing.DateLayout, s, loc)
	} else {
		t, err = dateparse.ParseIn(s, loc)
	}
	if err != nil {
		return time.Time{}
	}
	return t
}

func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// readJSON reads a JSON listing: an array of arrays whose positions
// Options.JSON names. An empty or non-JSON answer is an error.
func readJSON(data []byte, base string, o *Options) ([]Item, error) {
	j := o.JSON
	if len(j.Fields) == 0 {
		if err := o.compileJSON(); err != nil {
			return nil, fmt.Errorf("read JSON listing %s: %w", base, err)
		}
		j = o.JSON
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("read JSON listing %s: empty answer", base)
	}
	var rows [][]any
	if err := json.Unmarshal(data, &rows); err != nil {
		return nil, fmt.Errorf("read JSON listing %s: not a JSON array of arrays: %w", base, err)
	}
	if j.Base != "" {
		base = j.Base
	}
	baseURL, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("read JSON listing %s: %w", base, err)
	}
	loc := o.Location
	if loc == nil {
		loc = time.UTC
	}
	var list dedupe
	for _, row := range rows {
		if it, ok := jsonItem(row, j, baseURL, loc); ok {
			list.add(it)
		}
	}
	return list.items, nil
}

func jsonItem(row []any, j JSONListing, base *url.URL, loc *time.Location) (Item, bool) {
	var it Item
	var link string
	for i, f := range j.Fields {
		if i >= len(row) {
			break
		}
		s := fmt.Sprint(row[i])
		switch f {
		case "link":
			link = s
		case "title":
			it.Title = cleanTitle(s)
		case "date":
			if t, err := time.ParseInLocation(j.DateLayout, strings.TrimSpace(s), loc); err == nil {
				it.Published = t
			}
		}
	}
	u, ok := resolve(base, link)
	it.URL = u
	return it, ok && it.Title != ""
}

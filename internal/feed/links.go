package feed

import (
	"net/url"
	"strings"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

// link is one candidate for an item's article URL, best first. what is
// "" for the item's own link, else what the URL is ("its id"), said in a
// warning when it is used; a candidate with no href says in what why an
// identifier is not the article's URL.
type link struct {
	href, what string
	// absolute asks for an absolute URL: an identifier such as "12345"
	// is no link relative to the feed.
	absolute bool
}

// links are the candidates for the URL of feed f's item i:
//   - RSS: <link>, then an atom:link with rel "alternate" (or none), then a
//     <guid> unless isPermaLink="false": such a guid only names the item.
//   - Atom: the first <link rel="alternate"> (or without rel; never
//     "self", "enclosure", "related", "replies" or "via"), then an <id>
//     that is an http(s) URL, with a warning: an id need not be a page.
//   - JSON Feed: url, then an id that is an http(s) URL, with a warning;
//     never external_url, which is the page an item comments on.
func links(f *gofeed.Feed, i int) []link {
	it := f.Items[i]
	ls := []link{{href: it.Link}}
	switch orig := f.OriginalFeed().(type) {
	case *rss.Feed:
		ls = append(ls, atomAlternates(it)...)
		if g := orig.Items[i].GUID; g != nil && g.Value != "" {
			if strings.EqualFold(strings.TrimSpace(g.IsPermalink), "false") {
				ls = append(ls, link{what: "its guid is not a permalink"})
			} else {
				ls = append(ls, link{href: g.Value, absolute: true})
			}
		}
	case *atom.Feed:
		if it.Link == "" {
			ls = append(ls, otherRels(orig.Entries[i].Links)...)
			ls = append(ls, link{href: it.GUID, what: "its id", absolute: true})
		}
	default:
		ls = append(ls, link{href: it.GUID, what: "its id", absolute: true})
	}
	return ls
}

// atomAlternates are an RSS item's atom:link elements with rel
// "alternate" or no rel.
func atomAlternates(it *gofeed.Item) []link {
	var out []link
	for _, ext := range it.Extensions {
		for _, e := range ext["link"] {
			if rel := e.Attrs["rel"]; (rel == "" || rel == "alternate") && e.Attrs["href"] != "" {
				out = append(out, link{href: e.Attrs["href"]})
			}
		}
	}
	return out
}

// otherRels explains, for an Atom entry without an alternate link, which
// links it has instead.
func otherRels(ls []*atom.Link) []link {
	var rels []string
	for _, l := range ls {
		rels = append(rels, `rel="`+l.Rel+`"`)
	}
	if len(rels) == 0 {
		return nil
	}
	return []link{{what: "its links are " + strings.Join(rels, ", ") + ", none an alternate"}}
}

// pickLink is the first candidate that resolves to an absolute http(s)
// URL, with what it is; failing that, why not is the reasons the
// candidates gave.
func pickLink(ls []link, base *url.URL) (u, what string, ok bool) {
	var why []string
	for _, l := range ls {
		if l.href == "" {
			if l.what != "" {
				why = append(why, l.what)
			}
			continue
		}
		if l.absolute && !isAbsolute(l.href) {
			continue
		}
		if u, ok := resolve(base, l.href); ok {
			return u, l.what, true
		}
	}
	if len(why) == 0 {
		return "", "", false
	}
	return "", " (" + strings.Join(why, "; ") + ")", false
}

// isAbsolute reports whether s is an absolute http(s) URL.
func isAbsolute(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

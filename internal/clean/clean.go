// Package clean is the last step before a page is rendered: an allow-list
// sanitizer (bluemonday) that keeps the article's structure and text and
// drops everything that could run, load or submit anything.
//
// What goes: script, style, iframe, object, embed, form, base, meta and any
// element not listed; every on* attribute and any attribute not listed;
// javascript:, vbscript: and data: URLs (data:image/* on <img> only when
// Options.DataImages). What stays: the text, block and inline structure,
// images, tables, figures, <video>/<audio> with safe sources, kept links
// (given rel="nofollow noreferrer" and referrerpolicy="no-referrer") and
// the inert <span href> links of link mode "span".
package clean

import (
	"net/url"
	"regexp"

	"github.com/microcosm-cc/bluemonday"
)

// Options tune the allow list.
type Options struct {
	// DataImages keeps <img src="data:image/…"> images.
	DataImages bool
}

// Cleaner sanitizes HTML fragments; safe for concurrent use.
type Cleaner struct {
	policy *bluemonday.Policy
}

// New builds the allow list for opts.
func New(opts Options) *Cleaner {
	return &Cleaner{policy: policy(opts)}
}

// HTML returns the safe part of the fragment s, without the images and
// elements the sanitizing left empty.
func (c *Cleaner) HTML(s string) string { return prune(c.policy.Sanitize(s)) }

// safeURL accepts http(s), protocol-relative, rooted and relative URLs:
// anything with a scheme other than http(s) fails, since a scheme needs a
// colon before the first '/', '?' or '#'.
var safeURL = regexp.MustCompile(`^(?i:https?://|//|/|\./|\.\./|#|[^\s:/?#]+(?:[/?#]|$))[^\s]*$`)

// linkURL is a safeURL or a mailto: address; a data: URL, even of an
// image, is never a link.
var linkURL = regexp.MustCompile(`^(?i:mailto:[^\s]+)$|` + safeURL.String())

// rasterData is the opaque part of a data: URL of a raster image (never
// SVG, which can hold script).
var rasterData = regexp.MustCompile(`^image/(?:png|jpeg|gif|webp|avif);base64,[A-Za-z0-9+/]+=*$`)

// blocks are the structural and inline elements kept as they are.
var blocks = []string{
	"p", "br", "hr", "div", "span", "section", "article", "header", "footer", "aside", "main",
	"h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "code", "center", "font",
	"b", "strong", "i", "em", "u", "s", "strike", "del", "ins", "sub", "sup", "small", "big",
	"mark", "abbr", "cite", "q", "time", "ruby", "rt", "rp", "kbd", "samp", "var", "tt", "wbr",
	"ul", "ol", "li", "dl", "dt", "dd", "figure", "figcaption", "details", "summary",
	"table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption", "colgroup", "col",
	"picture",
}

// keptStyles are the CSS properties a style attribute keeps, the same in
// the Markdown and the HTML output: those that carry the author's meaning
// in the text itself (a centred poem, a word in bold or struck through).
// Sizes, spacing, floats and colours go: they were written for the
// source's layout and theme, leave blank boxes (an ad slot's height) or
// unreadable text (a colour meant for another background) in the
// mirror's, which sets its own; see docs/rules.md.
var keptStyles = []string{"text-align", "font-weight", "font-style", "text-decoration", "text-decoration-line"}

func policy(opts Options) *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements(blocks...)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.AllowAttrs("class", "id", "title", "lang", "dir", "align", "itemprop").Globally()
	p.AllowStyles(keptStyles...).Globally()
	p.AllowAttrs("href").Matching(linkURL).OnElements("a")
	p.AllowAttrs("target").OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	p.AllowAttrs("referrerpolicy").Matching(regexp.MustCompile(`^no-referrer$`)).OnElements("a", "img")
	p.AllowAttrs("href").Matching(safeURL).OnElements("span")
	p.AllowImages()
	p.AllowAttrs("alt").OnElements("img") // AllowImages' alt pattern refuses CJK punctuation
	p.AllowAttrs("width", "height", "loading").OnElements("img")
	p.AllowAttrs("srcset").Matching(safeSrcset).OnElements("img", "source")
	p.AllowAttrs("src").Matching(safeURL).OnElements("source", "track")
	p.AllowAttrs("type", "media").OnElements("source")
	p.AllowAttrs("src", "controls", "preload", "width", "height").OnElements("video", "audio")
	p.AllowAttrs("poster").Matching(safeURL).OnElements("video")
	p.AllowElements("video", "audio", "source", "track")
	p.AllowAttrs("colspan", "rowspan", "scope").OnElements("td", "th")
	p.AllowAttrs("datetime").OnElements("time", "del", "ins")
	p.AllowAttrs("cite").OnElements("blockquote", "q")
	p.AllowAttrs("start", "type", "reversed").OnElements("ol")
	if opts.DataImages {
		p.AllowURLSchemeWithCustomPolicy("data", func(u *url.URL) bool { return rasterData.MatchString(u.Opaque) })
	}
	return p
}

// safeSrcset is a srcset whose candidates all start like safe URLs.
var safeSrcset = regexp.MustCompile(`^\s*(?i:https?://|//|/|\./|\.\./|[^\s:/?#,]+[/?#])[^\s,]*(?:\s+[0-9.]+[wx])?\s*(?:,\s*(?i:https?://|//|/|\./|\.\./|[^\s:/?#,]+[/?#])[^\s,]*(?:\s+[0-9.]+[wx])?\s*)*$`)

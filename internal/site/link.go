package site

import (
	"strings"

	"github.com/newsmirror/newsmirror/internal/mdtext"
)

// Style is how one output format writes links: which file a link to a
// generated Markdown file reaches, and how a URL is made safe in the
// format's text.
type Style uint8

const (
	// Markdown links to the Markdown files, URLs escaped as Markdown link
	// destinations.
	Markdown Style = iota
	// HTML links to the HTML twins of generated files (html/template
	// escapes attributes itself).
	HTML
	// Atom names the feed beside a generated list ("indexes/S看世界.xml",
	// "index.xml"); its links are absolute URLs (Loc.Public), its relative
	// links those of the HTML pages' <link rel="alternate"> to it.
	Atom
)

// HTMLPath is the HTML file beside a Markdown file: a "README.md" is the
// home page "index.html" of its folder, any other "x.md" is "x.html".
func HTMLPath(md string) string {
	if md == "README.md" || strings.HasSuffix(md, "/README.md") {
		return strings.TrimSuffix(md, "README.md") + "index.html"
	}
	return strings.TrimSuffix(md, ".md") + ".html"
}

// FeedPath is the Atom feed beside a Markdown list: a "README.md" has the
// feed "index.xml" of its folder, any other "x.md" has "x.xml".
func FeedPath(md string) string {
	if md == "README.md" || strings.HasSuffix(md, "/README.md") {
		return strings.TrimSuffix(md, "README.md") + "index.xml"
	}
	return strings.TrimSuffix(md, ".md") + ".xml"
}

// File is the repository path of the file the style writes for l.
func (s Style) File(l Loc) string { return s.twin(l).Repo() }

// twin is the file the style writes in place of the generated Markdown
// file l; other files are themselves.
func (s Style) twin(l Loc) Loc {
	if !PerTree(l.Path) || !strings.HasSuffix(l.Path, ".md") {
		return l
	}
	switch s {
	case HTML:
		l.Path = HTMLPath(l.Path)
	case Atom:
		l.Path = FeedPath(l.Path)
	}
	return l
}

func (s Style) escape(u string) string {
	if s == Markdown {
		return escapeMarkdownURL(u)
	}
	return u
}

// Query is the cache-busting stamp a file's links carry: the article id on
// a page ("994979"), the run's "t=01130820" on lists and the home page.
type Query struct {
	Stamp string
	// Outside stamps http(s) links to other sites too, as navigation bars
	// and promo blocks do; list entries leave them as they are.
	Outside bool
}

// Link is how the file at from links to raw, a link as the configuration
// or the state database holds it:
//   - "" stays empty; "#top" stays in the same file, never stamped;
//   - "mailto:…", "tel:…" and any other non-web scheme stay as they are;
//   - "https://…", "http://…" and "//host/…" stay, stamped only with
//     q.Outside;
//   - "/x.md" is a file of the mirror from the root of from's tree, and so
//     is a relative "x.md" (site.nav links to a file of the operator's,
//     outside any tree, reach the repository root);
//   - a local link keeps its own query and fragment, the stamp going
//     before the fragment ("README.md?994979#top").
func (s Style) Link(from Loc, raw string, q Query) string {
	switch kindOf(raw) {
	case empty:
		return ""
	case fragment, scheme:
		return s.escape(raw)
	case outside:
		if q.Outside {
			return Bust(s.escape(raw), q.Stamp)
		}
		return s.escape(raw)
	}
	path, rest := raw, ""
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		path, rest = raw[:i], raw[i:]
	}
	target := s.twin(from.Target(strings.TrimLeft(path, "/")))
	return Bust(s.escape(from.To(target)+rest), q.Stamp)
}

// LinkTo is how the file at from links to the file at target (its twin in
// the style's format), stamped.
func (s Style) LinkTo(from, target Loc, stamp string) string {
	return Bust(s.escape(from.To(s.twin(target))), stamp)
}

// Bust adds the cache-busting stamp to u's query, before its fragment, as
// the reference does ("README.md?994979"); an empty stamp leaves u alone.
func Bust(u, stamp string) string {
	if stamp == "" {
		return u
	}
	frag := ""
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u, frag = u[:i], u[i:]
	}
	if strings.Contains(u, "?") {
		return u + "&" + stamp + frag
	}
	return u + "?" + stamp + frag
}

type kind int

const (
	empty kind = iota
	fragment
	scheme  // mailto:, tel:, javascript:…
	outside // http(s) and scheme-relative links to another site
	local   // a file of the mirror, or of the operator's repository
)

// kindOf classifies a link.
func kindOf(raw string) kind {
	switch {
	case raw == "":
		return empty
	case raw[0] == '#':
		return fragment
	case strings.HasPrefix(raw, "//"):
		return outside
	}
	name, ok := schemeOf(raw)
	switch {
	case !ok:
		return local
	case name == "http" || name == "https":
		return outside
	}
	return scheme
}

// schemeOf returns the URL scheme raw starts with (RFC 3986: a letter,
// then letters, digits, "+", "-" or ".", then ":"), lowered.
func schemeOf(raw string) (string, bool) {
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'):
		case i > 0 && c == ':':
			return strings.ToLower(raw[:i]), true
		default:
			return "", false
		}
	}
	return "", false
}

// escapeMarkdownURL makes a URL safe as a Markdown link destination.
func escapeMarkdownURL(s string) string { return mdtext.URL(s) }

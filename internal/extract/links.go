package extract

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/newsmirror/newsmirror/internal/htmlnode"
)

// urlAttrs are the attributes that hold a URL, by element.
var urlAttrs = map[string][]string{
	"img": {"src"}, "a": {"href"}, "source": {"src"}, "video": {"src", "poster"},
	"audio": {"src"}, "track": {"src"},
}

// absolutizeURLs resolves relative and protocol-relative ("//host/x") URLs
// against the page, so they work from the mirror's host. A protocol-relative
// URL gets Rules.Scheme (https by default, since mirrors are read over
// https). In link mode "keep" the hrefs of <a> stay as written.
func absolutizeURLs(root *html.Node, st *state) {
	walk(root, func(n *html.Node) {
		if n.Data == "a" && st.rules.linkMode == LinkKeep {
			return
		}
		for _, key := range urlAttrs[n.Data] {
			for i := range n.Attr {
				if n.Attr[i].Key == key {
					n.Attr[i].Val = absolute(st.page, st.rules.scheme, n.Attr[i].Val)
				}
			}
		}
		if n.Data == "img" || n.Data == "source" {
			for i := range n.Attr {
				if n.Attr[i].Key == "srcset" {
					n.Attr[i].Val = absoluteSrcset(st.page, st.rules.scheme, n.Attr[i].Val)
				}
			}
		}
	})
}

// absoluteSrcset makes every candidate URL of a srcset absolute, keeping
// its width or density descriptor.
func absoluteSrcset(page *url.URL, scheme, srcset string) string {
	cands := strings.Split(srcset, ",")
	for i, c := range cands {
		fields := strings.Fields(c)
		if len(fields) == 0 {
			continue
		}
		fields[0] = absolute(page, scheme, fields[0])
		cands[i] = strings.Join(fields, " ")
	}
	return strings.Join(cands, ", ")
}

func absolute(page *url.URL, scheme, raw string) string {
	ref := strings.TrimSpace(raw)
	if ref == "" || strings.HasPrefix(ref, "#") || strings.HasPrefix(ref, "data:") {
		return raw
	}
	if strings.HasPrefix(ref, "//") {
		ref = scheme + ":" + ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return raw
	}
	if page != nil {
		u = page.ResolveReference(u)
	}
	return readableURL(u.String())
}

// readableURL decodes the percent-escapes of non-ASCII characters, so
// "/tag/%E4%B8%AD%E5%9B%BD" reads "/tag/中国" as on the source page; escapes
// of ASCII characters keep their meaning and stay.
func readableURL(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		n := utf8Escape(s[i:])
		if n == 0 {
			b.WriteByte(s[i])
			i++
			continue
		}
		dec, _ := url.PathUnescape(s[i : i+n])
		b.WriteString(dec)
		i += n
	}
	return b.String()
}

// utf8Escape is the length of the escaped multi-byte UTF-8 character at the
// start of s ("%E4%B8%AD" → 9), or 0.
func utf8Escape(s string) int {
	var buf [4]byte
	for n := 0; n < 4 && len(s) >= 3*(n+1) && s[3*n] == '%'; n++ {
		v, err := strconv.ParseUint(s[3*n+1:3*n+3], 16, 8)
		if err != nil || v < 0x80 {
			return 0
		}
		buf[n] = byte(v)
		if r, size := utf8.DecodeRune(buf[:n+1]); r != utf8.RuneError && size == n+1 {
			return 3 * (n + 1)
		}
	}
	return 0
}

// rewriteLinks applies the link mode: by default every <a> becomes an inert
// <span> that keeps its text and attributes, since links to blocked sites
// only frustrate readers. A kept link gets rel and referrerpolicy, so that
// following it tells the source nothing about the mirror.
func rewriteLinks(root *html.Node, st *state) {
	walk(root, func(n *html.Node) {
		if n.Data != "a" {
			return
		}
		if st.rules.linkMode == LinkSpan {
			n.Data, n.DataAtom = "span", atom.Span
			return
		}
		htmlnode.SetAttr(n, "rel", "nofollow noopener noreferrer")
		htmlnode.SetAttr(n, "referrerpolicy", "no-referrer")
	})
}

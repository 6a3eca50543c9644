package render

import (
	"net/url"
	"strings"
	"text/template"
)

var funcs = template.FuncMap{
	"md":   escapeText,
	"attr": escapeAttr,
}

var textEscaper = strings.NewReplacer(
	"&", "&amp;", "<", "&lt;", ">", "&gt;", "[", `\[`, "]", `\]`, "\n", " ", "\r", " ",
)

// escapeText makes s safe as Markdown inline text: no HTML, no link syntax,
// no line break.
func escapeText(s string) string { return textEscaper.Replace(s) }

var attrEscaper = strings.NewReplacer("'", "%27", `"`, "%22", "<", "%3C", ">", "%3E", " ", "%20")

// escapeAttr makes a URL safe inside a single-quoted HTML attribute.
func escapeAttr(s string) string { return attrEscaper.Replace(s) }

var urlEscaper = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E")

// escapeURL makes a URL safe as a Markdown link destination.
func escapeURL(s string) string { return urlEscaper.Replace(s) }

// bust appends the cache-busting query stamp to u, as the reference does
// ("README.md?994979"); an empty stamp leaves u alone.
func bust(u, stamp string) string {
	if stamp == "" {
		return u
	}
	if i := strings.IndexByte(u, '#'); i >= 0 {
		return bust(u[:i], stamp) + u[i:]
	}
	if strings.Contains(u, "?") {
		return u + "&" + stamp
	}
	return u + "?" + stamp
}

// relative rewrites a link written relative to the repository root so it
// works from the file at from; absolute URLs are left alone.
func relative(from, link string) string {
	if u, err := url.Parse(link); err != nil || u.Scheme != "" || u.Host != "" || strings.HasPrefix(link, "/") {
		return link
	}
	return strings.Repeat("../", strings.Count(from, "/")) + link
}

package render

import (
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

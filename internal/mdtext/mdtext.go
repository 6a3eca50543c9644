// Package mdtext is the one place newsmirror escapes untrusted strings
// (feed titles, article URLs, labels) for the Markdown it writes, as GitHub
// renders it: CommonMark with the GFM extensions (tables, strikethrough,
// extended autolinks) and math. Text makes a string inline text that
// starts no markup, URL a link destination that ends where it should,
// HTMLAttr a value for a quoted HTML attribute and HTMLText text inside an
// HTML block.
package mdtext

import "strings"

// escaped are the ASCII punctuation characters that can start or end
// Markdown inline markup, GFM tables and strikethrough, or GitHub math ($)
// wherever they stand: each is backslash-escaped. Parentheses and ! only
// make a link or image after a [, which is escaped, so they are left.
const escaped = "\\`*_[]|~$@"

// Text makes s inline Markdown text that renders as s: no link, image,
// autolink, emphasis, code, HTML, math or heading closer, and no line
// break (newlines and other control characters become spaces; the result
// is trimmed). &, < and > become entities. A leading -, +, =, or digits
// followed by . or ), which start a block when the text starts a line,
// are escaped too.
func Text(s string) string {
	s = strings.TrimSpace(controlsToSpace(s))
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c == '<':
			b.WriteString("&lt;")
		case c == '>':
			b.WriteString("&gt;")
		case strings.IndexByte(escaped, c) >= 0,
			c == ':' && i > 0 && isSchemeByte(s[i-1]),               // http: mailto: and :emoji: after a word
			c == '#' && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t'), // a heading's closing sequence
			c == '.' && afterWWW(s, i),
			i == 0 && (c == '-' || c == '+' || c == '='),
			(c == '.' || c == ')') && allDigits(s[:i]):
			b.WriteByte('\\')
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// afterWWW reports whether the byte at i ends "www" (any case), the GFM
// trigger for an extended www autolink.
func afterWWW(s string, i int) bool {
	return i >= 3 && strings.EqualFold(s[i-3:i], "www")
}

// isSchemeByte reports a byte that can end a URL scheme.
func isSchemeByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '+' || c == '-' || c == '.'
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// controlsToSpace replaces C0 and C1 control characters (newlines among
// them), U+2028/2029 and invalid UTF-8 with a space, keeping tabs.
func controlsToSpace(s string) string {
	s = strings.ToValidUTF8(s, " ")
	clean := true
	for _, r := range s {
		if isControl(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if isControl(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isControl(r rune) bool {
	return (r < 0x20 && r != '\t') || r == 0x7f || (r >= 0x80 && r < 0xa0) ||
		r == 0x2028 || r == 0x2029
}

// URL makes u a Markdown link destination written bare in `[text](u)`:
// every byte that could end it early, open a title, escape its closing
// parenthesis or start HTML (space, controls, < > ( ) \ ` " ' and a
// stray %) is percent-encoded, so the link goes where u says. It does not
// judge the scheme: callers pass URLs newsmirror made or the operator
// configured.
func URL(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c <= ' ' || c == 0x7f || strings.IndexByte("<>()\\`\"'", c) >= 0:
			pct(&b, c)
		case c == '%' && !(i+2 < len(u) && isHex(u[i+1]) && isHex(u[i+2])):
			pct(&b, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// HTMLAttr makes u (a URL) safe as the value of a single- or double-quoted
// HTML attribute: quotes, angle brackets, spaces, backquotes and controls
// are percent-encoded and & becomes &amp;.
func HTMLAttr(u string) string {
	var b strings.Builder
	for i := 0; i < len(u); i++ {
		c := u[i]
		switch {
		case c == '&':
			b.WriteString("&amp;")
		case c <= ' ' || c == 0x7f || strings.IndexByte("<>\"'`", c) >= 0:
			pct(&b, c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// HTMLText makes s text inside a raw HTML block of a Markdown page: & < >
// " and ' become entities, and newlines and other control characters
// become spaces, so that s can neither add a tag nor end the block (a
// blank line would).
func HTMLText(s string) string {
	return htmlText.Replace(controlsToSpace(s))
}

var htmlText = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&#34;", "'", "&#39;")

func pct(b *strings.Builder, c byte) {
	const hex = "0123456789ABCDEF"
	b.WriteByte('%')
	b.WriteByte(hex[c>>4])
	b.WriteByte(hex[c&15])
}

func isHex(c byte) bool {
	return ('0' <= c && c <= '9') || ('a' <= c && c <= 'f') || ('A' <= c && c <= 'F')
}

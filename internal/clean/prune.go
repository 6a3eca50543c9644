package clean

import (
	"regexp"
	"strings"
	"unicode"

	"golang.org/x/net/html"
)

// keptEmpty are the elements that mean something with nothing inside:
// line breaks and rules, media, the table structure (an empty cell still
// holds its place in the grid), and <pre>, whose white space is content.
var keptEmpty = map[string]bool{
	"br": true, "hr": true, "wbr": true, "img": true, "video": true, "audio": true, "picture": true,
	"source": true, "track": true, "pre": true, "table": true, "thead": true, "tbody": true, "tfoot": true,
	"tr": true, "td": true, "th": true, "col": true, "colgroup": true, "caption": true,
}

// void elements have no end tag.
var void = map[string]bool{
	"br": true, "hr": true, "wbr": true, "img": true, "source": true, "track": true, "col": true,
	"area": true, "input": true, "embed": true, "param": true, "link": true, "meta": true, "base": true,
}

// blankLines is white space holding two line breaks or more: a blank line,
// which the elements the sanitizer cuts out (with their content) can leave
// between two runs of text.
var blankLines = regexp.MustCompile(`[ \t\r\f]*\n[ \t\r\f]*\n[ \t\r\n\f]*`)

// noBlankLine is s with every blank line folded into one line break.
func noBlankLine(s string) string {
	for i := strings.IndexByte(s, '\n'); i >= 0; {
		j := i + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t' || s[j] == '\r' || s[j] == '\f') {
			j++
		}
		if j < len(s) && s[j] == '\n' {
			return blankLines.ReplaceAllString(s, "\n")
		}
		k := strings.IndexByte(s[j:], '\n')
		if k < 0 {
			break
		}
		i = j + k
	}
	return s
}

// prune drops what the sanitizer leaves empty: an <img> without src or
// srcset (a data: image the rules do not keep), then every element that
// holds nothing but white space (&nbsp; and U+3000 included), innermost
// first, so <div><center> </center></div> goes whole. The elements of
// keptEmpty stay. White space is never doubled where an element went, so
// no blank line appears (it would end the HTML block in Markdown). The
// sanitizer's serialisation is otherwise kept byte for byte.
func prune(s string) string {
	p := &pruner{}
	p.b.Grow(len(s))
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := string(z.Raw())
		tok := z.Token()
		switch tt {
		case html.TextToken:
			p.text(raw, tok.Data)
		case html.StartTagToken, html.SelfClosingTagToken:
			p.start(tok, raw, tt == html.SelfClosingTagToken)
		case html.EndTagToken:
			p.end(tok.Data, raw)
		default:
			p.flush()
			p.write(raw)
		}
	}
	return p.b.String()
}

// pruner holds the elements opened but not written yet: an element is
// written when something that is content shows up inside it.
type pruner struct {
	b     strings.Builder
	stack []*open
	pre   int // <pre> elements open: their white space is kept as it is
}

// open is an element start tag seen but maybe not written yet.
type open struct {
	name, raw string // raw: the start tag as the sanitizer wrote it
	written   bool
	space     string // white space held while not written
}

func (p *pruner) text(raw, data string) {
	if p.pre == 0 && blank(data) {
		if n := len(p.stack); n > 0 && !p.stack[n-1].written {
			p.stack[n-1].space = merge(p.stack[n-1].space, raw)
			return
		}
		p.blank(raw)
		return
	}
	p.flush()
	if p.pre == 0 {
		if p.endsInSpace() {
			raw = strings.TrimLeft(raw, " \t\r\n\f")
		}
		raw = noBlankLine(raw)
	}
	p.write(raw)
}

func (p *pruner) start(tok html.Token, raw string, selfClosing bool) {
	switch {
	case tok.Data == "img" && attr(tok, "src") == "" && attr(tok, "srcset") == "":
	case void[tok.Data] || selfClosing:
		if keptEmpty[tok.Data] {
			p.flush()
			p.write(raw)
		}
	case keptEmpty[tok.Data]:
		p.flush()
		p.write(raw)
		p.stack = append(p.stack, &open{name: tok.Data, raw: raw, written: true})
		if tok.Data == "pre" {
			p.pre++
		}
	default:
		p.stack = append(p.stack, &open{name: tok.Data, raw: raw})
	}
}

// end closes the innermost open element named name, and the ones inside
// it; those never written go, leaving their white space behind. An end
// tag with no open element is written as it is.
func (p *pruner) end(name, raw string) {
	i := len(p.stack) - 1
	for i >= 0 && p.stack[i].name != name {
		i--
	}
	if i < 0 {
		p.flush()
		p.write(raw)
		return
	}
	space := ""
	for _, o := range p.stack[i:] {
		if !o.written {
			space += o.space
		}
		if o.name == "pre" {
			p.pre--
		}
	}
	space = squash(space)
	written := p.stack[i].written
	p.stack = p.stack[:i]
	if n := len(p.stack); !written && n > 0 && !p.stack[n-1].written {
		p.stack[n-1].space = merge(p.stack[n-1].space, space)
		return
	}
	p.blank(space)
	if written {
		p.write(raw)
	}
}

// flush writes the start tags not written yet, each followed by the white
// space it held before its first content.
func (p *pruner) flush() {
	for _, o := range p.stack {
		if !o.written {
			p.write(o.raw)
			p.blank(o.space)
			o.written, o.space = true, ""
		}
	}
}

func (p *pruner) write(s string) { p.b.WriteString(s) }

// blank writes the white space ws unless the output already ends in some.
func (p *pruner) blank(ws string) {
	if ws == "" {
		return
	}
	if p.pre == 0 && p.endsInSpace() {
		return
	}
	if p.pre == 0 {
		ws = noBlankLine(ws)
	}
	p.write(ws)
}

func (p *pruner) endsInSpace() bool {
	out := p.b.String()
	return out != "" && isSpace(out[len(out)-1])
}

// squash is the one space (or line break) that stands for the white space
// of the elements dropped.
func squash(ws string) string {
	switch {
	case ws == "":
		return ""
	case strings.ContainsAny(ws, "\r\n"):
		return "\n"
	}
	return " "
}

// merge joins two runs of white space into one that holds no blank line.
func merge(a, b string) string {
	if a == "" {
		return b
	}
	return squash(a + b)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

// blank reports whether s is only white space, &nbsp; and the ideographic
// space included.
func blank(s string) bool {
	for _, r := range s {
		if !unicode.IsSpace(r) {
			return false
		}
	}
	return true
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return strings.TrimSpace(a.Val)
		}
	}
	return ""
}

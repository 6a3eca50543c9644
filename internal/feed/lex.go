package feed

import "bytes"

// tokKind is the kind of one lexed XML token.
type tokKind int

const (
	tokText  tokKind = iota // character data, possibly with a stray '<' or '&'
	tokStart                // <name attr="v">, or <name/> when selfClose
	tokEnd                  // </name>
	tokCDATA                // <![CDATA[...]]>
	tokOther                // comment, processing instruction or DOCTYPE
)

// token is one lexed piece of a document; its slices point into the
// document, so lexing allocates nothing.
type token struct {
	kind tokKind
	// raw is the token's bytes; start is its offset in the document.
	raw   []byte
	start int
	// name is a start or end tag's name.
	name []byte
	// selfClose marks <name/>; unquoted marks a start tag with an
	// attribute value not in quotes, which XML needs re-quoted.
	selfClose, unquoted bool
	// cut marks a token the end of the document cut short.
	cut bool
}

// lexer splits a document into tokens and never fails: a '<' that does
// not begin a well-formed tag, comment, CDATA section or processing
// instruction is text, and a token the document ends inside is cut.
type lexer struct {
	data []byte
	pos  int
}

// next returns the next token; ok is false at the end of the document.
func (l *lexer) next() (t token, ok bool) {
	if l.pos >= len(l.data) {
		return token{}, false
	}
	start := l.pos
	rest := l.data[start:]
	if rest[0] != '<' {
		return l.text(start, 0), true
	}
	switch {
	case bytes.HasPrefix(rest, []byte("<!--")):
		t = l.until(start, tokOther, 4, "-->")
	case bytes.HasPrefix(rest, []byte("<![CDATA[")):
		t = l.until(start, tokCDATA, 9, "]]>")
	case bytes.HasPrefix(rest, []byte("<?")):
		t = l.until(start, tokOther, 2, "?>")
	case bytes.HasPrefix(rest, []byte("<!")):
		t = l.declaration(start)
	case len(rest) > 1 && rest[1] == '/':
		t = l.endTag(start)
	default:
		t = l.startTag(start)
	}
	return t, true
}

// text lexes character data from start up to the next '<' after skip
// bytes (1 when a '<' that begins no tag is itself text).
func (l *lexer) text(start, skip int) token {
	end := len(l.data)
	if i := bytes.IndexByte(l.data[start+skip:], '<'); i >= 0 {
		end = start + skip + i
	}
	l.pos = end
	return token{kind: tokText, raw: l.data[start:end], start: start}
}

// until lexes a token of kind that opens with prefix bytes and ends with
// term; without term it runs to the end of the document, cut.
func (l *lexer) until(start int, kind tokKind, prefix int, term string) token {
	i := bytes.Index(l.data[start+prefix:], []byte(term))
	if i < 0 {
		l.pos = len(l.data)
		return token{kind: kind, raw: l.data[start:], start: start, cut: true}
	}
	l.pos = start + prefix + i + len(term)
	return token{kind: kind, raw: l.data[start:l.pos], start: start}
}

// declaration lexes <!DOCTYPE ...>, with its internal subset in brackets.
func (l *lexer) declaration(start int) token {
	depth := 0
	for i := start + 2; i < len(l.data); i++ {
		switch l.data[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				l.pos = i + 1
				return token{kind: tokOther, raw: l.data[start:l.pos], start: start}
			}
		}
	}
	l.pos = len(l.data)
	return token{kind: tokOther, raw: l.data[start:], start: start, cut: true}
}

// endTag lexes </name>; anything else after "</" makes the '<' text.
func (l *lexer) endTag(start int) token {
	i := start + 2
	name := l.name(i)
	if name == 0 {
		return l.text(start, 1)
	}
	j := skipSpace(l.data, i+name)
	if j == len(l.data) {
		l.pos = j
		return token{kind: tokEnd, raw: l.data[start:], start: start, name: l.data[i : i+name], cut: true}
	}
	if l.data[j] != '>' {
		return l.text(start, 1)
	}
	l.pos = j + 1
	return token{kind: tokEnd, raw: l.data[start:l.pos], start: start, name: l.data[i : i+name]}
}

// startTag lexes <name attr="value" ...> or <name .../>. A '<' that
// begins no such tag (a name that is not ASCII, an attribute without a
// value, a '<' inside the tag) is text.
func (l *lexer) startTag(start int) token {
	i := start + 1
	n := l.name(i)
	if n == 0 {
		return l.text(start, 1)
	}
	t := token{kind: tokStart, start: start, name: l.data[i : i+n]}
	i += n
	for {
		j := skipSpace(l.data, i)
		if j == len(l.data) {
			return l.cutAt(t)
		}
		switch c := l.data[j]; {
		case c == '>':
			return l.endAt(t, j+1)
		case c == '/' && j+1 < len(l.data) && l.data[j+1] == '>':
			t.selfClose = true
			return l.endAt(t, j+2)
		case c == '/' && j+1 == len(l.data):
			return l.cutAt(t)
		case j == i: // an attribute must follow white space
			return l.text(start, 1)
		}
		end, unquoted, ok := l.attr(j)
		if end == len(l.data) {
			return l.cutAt(t)
		}
		if !ok {
			return l.text(start, 1)
		}
		t.unquoted = t.unquoted || unquoted
		i = end
	}
}

// attr lexes name="value" (or 'value', or an unquoted value) at i and
// returns the offset after it; ok is false when it is no attribute.
func (l *lexer) attr(i int) (end int, unquoted, ok bool) {
	n := l.name(i)
	if n == 0 {
		return i, false, false
	}
	j := skipSpace(l.data, i+n)
	if j == len(l.data) {
		return j, false, true
	}
	if l.data[j] != '=' {
		return j, false, false
	}
	j = skipSpace(l.data, j+1)
	if j == len(l.data) {
		return j, false, true
	}
	if q := l.data[j]; q == '"' || q == '\'' {
		k := bytes.IndexByte(l.data[j+1:], q)
		if k < 0 {
			return len(l.data), false, true
		}
		v := l.data[j+1 : j+1+k]
		// A '<' in a value means the quote was never closed where it
		// should have been: this is no tag.
		return j + 2 + k, false, bytes.IndexByte(v, '<') < 0
	}
	k := j
	for k < len(l.data) && !isSpace(l.data[k]) && l.data[k] != '>' && l.data[k] != '<' && l.data[k] != '"' && l.data[k] != '\'' {
		k++
	}
	if k == j || k < len(l.data) && l.data[k] == '<' {
		return k, false, k == len(l.data)
	}
	return k, true, true
}

func (l *lexer) endAt(t token, end int) token {
	t.raw = l.data[t.start:end]
	l.pos = end
	return t
}

func (l *lexer) cutAt(t token) token {
	t.raw = l.data[t.start:]
	t.cut = true
	l.pos = len(l.data)
	return t
}

// name is the length of the XML name at i (0 for none), ASCII only and
// with at most one colon: element and
// attribute names in feeds and in HTML are ASCII, and a '<' before a
// Chinese character is text ("一<二").
func (l *lexer) name(i int) int {
	if i >= len(l.data) || !isNameStart(l.data[i]) {
		return 0
	}
	j, colons := i, 0
	for ; j < len(l.data) && isNameByte(l.data[j]); j++ {
		if l.data[j] == ':' {
			colons++
		}
	}
	if colons > 1 {
		return 0 // "a:b:c" is no name in XML with name spaces
	}
	return j - i
}

func isNameStart(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == ':'
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '-' || c == '.'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// localName is name without its namespace prefix.
func localName(name []byte) []byte {
	if i := bytes.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

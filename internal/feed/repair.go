package feed

import (
	"bytes"
	"html"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth bounds how deeply a feed's elements may nest. Real feeds nest a
// handful of levels (rss, channel, item, a field, some HTML); an item
// nesting deeper is dropped, and no deeper element is ever held in memory.
const MaxDepth = 256

// MaxItems bounds how many items a feed is read for: real feeds list tens
// to a few thousand, and each item costs the feed parser kilobytes, so a
// feed of millions of tiny items would cost gigabytes.
const MaxItems = 30000

// repair streams an XML feed through a tolerant lexer and returns it as
// well-formed XML holding every complete item (items counts them), with
// what it repaired in w. A well-formed document comes back as itself (no
// copy); otherwise the copy is at most a small multiple of the document's
// size. It never fails: what cannot be read is dropped and said in a
// warning.
func repair(data []byte, w *warnings) (doc []byte, items int) {
	start := docStart(data, w)
	r := &repairer{lex: lexer{data: data, pos: start}, out: output{src: data, origin: start, next: start}, item: -1, w: w}
	r.run()
	return r.out.bytes(), r.kept
}

// repairer holds the state of one repair: the open elements and the item
// being read, whose output is taken back if it turns out incomplete.
type repairer struct {
	lex   lexer
	out   output
	w     *warnings
	stack [][]byte // names of the open elements, at most MaxDepth
	// item is the stack index of the open item or entry, -1 when none;
	// mark is the output's length before it, bad why it is to be dropped.
	item int
	mark int
	bad  string
	// seen counts the items begun, kept those complete and kept.
	seen, kept int
	// skip counts the open elements beyond MaxDepth, not held.
	skip int
	// done is set once the root element has closed.
	done bool
	// opened counts the open elements by a hash of their names, so that an
	// end tag closing nothing is known without searching the stack.
	opened [256]uint32
	// scratch is reused by the text repairs.
	scratch []byte
}

func (r *repairer) run() {
	for {
		t, ok := r.lex.next()
		if !ok {
			break
		}
		if t.cut {
			r.truncate()
			return
		}
		if r.done {
			r.trailing(t)
			return
		}
		switch t.kind {
		case tokText:
			r.text(t)
		case tokCDATA:
			r.cdata(t)
		case tokStart:
			r.start(t)
		case tokEnd:
			r.end(t)
		case tokOther:
			r.other(t)
		}
		if r.kept == MaxItems && r.item < 0 {
			r.enough()
			return
		}
	}
	if len(r.stack) > 0 {
		r.truncate()
	}
}

// where names the place of the current token for a warning.
func (r *repairer) where() string {
	if r.item >= 0 {
		return "item " + strconv.Itoa(r.seen)
	}
	return "the feed outside its items"
}

func (r *repairer) text(t token) {
	switch {
	case r.skip > 0:
	case len(r.stack) == 0:
		if len(trimSpace(t.raw)) > 0 {
			if !r.w.again(WarnJunk) {
				r.w.add(WarnJunk, "%d bytes of text outside the root element ignored", len(t.raw))
			}
			r.out.skip()
			return
		}
		r.out.raw(t)
	case textOK(t.raw):
		r.out.raw(t)
	default:
		r.out.write(r.fixText(t.raw, false))
	}
}

func (r *repairer) cdata(t token) {
	if r.skip > 0 {
		return
	}
	body := t.raw[9 : len(t.raw)-3]
	if len(r.stack) == 0 {
		if !r.w.again(WarnJunk) {
			r.w.add(WarnJunk, "%d bytes of text outside the root element ignored", len(t.raw))
		}
		r.out.skip()
		return
	}
	if charsOK(body) {
		r.out.raw(t)
		return
	}
	r.out.write([]byte("<![CDATA["))
	r.out.write(r.fixChars(body))
	r.out.write([]byte("]]>"))
}

// other keeps a comment, processing instruction or DOCTYPE when XML
// accepts it where it stands, and drops it otherwise: nothing of the
// feed's items is in one.
func (r *repairer) other(t token) {
	if r.skip > 0 {
		return
	}
	raw := t.raw
	var ok bool
	switch {
	case bytes.HasPrefix(raw, []byte("<!--")):
		body := raw[4 : len(raw)-3]
		ok = !bytes.Contains(body, []byte("--")) && !bytes.HasSuffix(body, []byte("-"))
	case bytes.HasPrefix(raw, []byte("<?")):
		ok = r.instruction(t)
	case bytes.HasPrefix(raw, []byte("<!DOCTYPE")):
		ok = len(r.stack) == 0
	}
	if ok && charsOK(raw) {
		r.out.raw(t)
		return
	}
	r.out.skip()
}

// instruction reports whether processing instruction t can stay: a
// target name, and an XML declaration only first in the document.
func (r *repairer) instruction(t token) bool {
	n := (&lexer{data: t.raw}).name(2)
	if n == 0 || 2+n < len(t.raw)-2 && !isSpace(t.raw[2+n]) {
		return false
	}
	if !strings.EqualFold(string(t.raw[2:2+n]), "xml") {
		return true
	}
	if t.start != r.out.origin {
		if !r.w.again(WarnJunk) {
			r.w.add(WarnJunk, "a second XML declaration in %s ignored", r.where())
		}
		return false
	}
	v := bytes.Index(t.raw, []byte("version="))
	return v < 0 || bytes.HasPrefix(t.raw[v+8:], []byte(`"1.0"`)) || bytes.HasPrefix(t.raw[v+8:], []byte(`'1.0'`))
}

// textFields are the fields of an item that hold text only; itemFields
// are the fields an item's elements are. A field that starts while a text
// field is open ("<title>一</titel><link>…") means the text field's end
// tag was mistyped or lost.
var (
	textFields = map[string]bool{"title": true, "link": true, "guid": true, "pubDate": true, "author": true,
		"category": true, "comments": true, "date": true, "creator": true, "id": true, "published": true, "updated": true}
	itemFields = map[string]bool{"title": true, "link": true, "guid": true, "pubDate": true, "author": true,
		"category": true, "comments": true, "description": true, "encoded": true, "enclosure": true, "source": true,
		"date": true, "creator": true, "id": true, "published": true, "updated": true, "summary": true, "content": true}
)

// htmlVoid are the HTML elements that never have an end tag, written
// <br> inside feeds' unescaped HTML.
var htmlVoid = map[string]bool{"br": true, "hr": true, "img": true, "wbr": true, "col": true, "area": true,
	"embed": true, "input": true, "param": true, "track": true}

func (r *repairer) start(t token) {
	local := localName(t.name)
	isItem := bytes.Equal(local, []byte("item")) || bytes.Equal(local, []byte("entry"))
	if r.skip > 0 {
		if !isItem || r.item < 0 {
			if !t.selfClose {
				r.skip++
			}
			return
		}
		r.skip = 0
	}
	if isItem && r.item >= 0 {
		if r.bad == "" {
			if !r.w.again(WarnUnclosed) {
				r.w.add(WarnUnclosed, "item %d was not closed before the next one: ended there", r.seen)
			}
		}
		r.closeTo(r.item)
	}
	if r.item >= 0 && len(r.stack) == r.item+2 && textFields[string(localName(r.stack[r.item+1]))] && itemFields[string(localName(t.name))] {
		if !r.w.again(WarnMismatched) {
			r.w.add(WarnMismatched, "%s: <%s> not closed before <%s>: closed there", r.where(), r.stack[r.item+1], t.name)
		}
		r.closeTo(r.item + 1)
	}
	if isItem && r.item < 0 && len(r.stack) <= 3 && !t.selfClose {
		r.item, r.mark, r.bad = len(r.stack), r.out.len(), ""
		r.seen++
	}
	if t.selfClose {
		r.writeStart(t, false)
		return
	}
	if r.item >= 0 && len(r.stack) > r.item+1 && htmlVoid[string(t.name)] {
		r.writeStart(t, true)
		return
	}
	if len(r.stack) >= MaxDepth {
		r.skip = 1
		r.deep()
		return
	}
	r.writeStart(t, false)
	r.stack = append(r.stack, t.name)
	r.opened[nameHash(t.name)]++
}

// nameHash is a small hash of an element name.
func nameHash(name []byte) uint8 {
	h := uint8(len(name))
	for _, c := range name {
		h = h*31 + c
	}
	return h
}

// deep notes elements nested beyond MaxDepth; the item holding them is
// dropped, since what is left of it is not what the feed says.
func (r *repairer) deep() {
	if r.item >= 0 {
		r.bad = "nests elements deeper than " + strconv.Itoa(MaxDepth)
		return
	}
	if !r.w.again(WarnTooDeep) {
		r.w.add(WarnTooDeep, "elements nested deeper than %d outside the items dropped", MaxDepth)
	}
}

// writeStart writes a start tag, quoting and escaping its attributes when
// they need it; selfClose writes <br> as <br/>.
func (r *repairer) writeStart(t token, selfClose bool) {
	if !t.unquoted && attrsOK(t.raw) && !selfClose {
		r.out.raw(t)
		return
	}
	r.out.write(r.fixStart(t, selfClose))
}

func (r *repairer) end(t token) {
	if r.skip > 0 {
		if i := r.find(t.name, r.item); i >= 0 {
			r.skip = 0
			r.closeTo(i)
			return
		}
		r.skip--
		return
	}
	top := len(r.stack) - 1
	if top >= 0 && bytes.Equal(r.stack[top], t.name) {
		r.out.raw(t)
		r.pop()
		return
	}
	i := r.find(t.name, top)
	switch {
	case i < 0 && r.item >= 0 && htmlVoid[string(t.name)]:
		r.out.skip() // </br>: the <br> was closed already
	case i < 0:
		if !r.w.again(WarnMismatched) {
			r.w.add(WarnMismatched, "%s had a mismatched end tag </%s>: ignored", r.where(), t.name)
		}
		r.out.skip()
	case r.item >= 0 && i < r.item:
		if !r.w.again(WarnUnclosed) {
			r.w.add(WarnUnclosed, "item %d was not closed before </%s>: ended there", r.seen, t.name)
		}
		r.out.skip()
		r.closeTo(i)
	default:
		if !r.w.again(WarnMismatched) {
			r.w.add(WarnMismatched, "%s had <%s> closed by </%s>: recovered", r.where(), r.stack[top], t.name)
		}
		r.out.skip()
		r.closeTo(i)
	}
}

// find is the index of the innermost open element named name at or below
// index limit, or -1.
func (r *repairer) find(name []byte, limit int) int {
	if r.opened[nameHash(name)] == 0 {
		return -1
	}
	for i := min(limit, len(r.stack)-1); i >= 0; i-- {
		if bytes.Equal(r.stack[i], name) {
			return i
		}
	}
	return -1
}

// closeTo writes end tags for the open elements down to index i.
func (r *repairer) closeTo(i int) {
	for len(r.stack) > i {
		name := r.stack[len(r.stack)-1]
		r.out.write(append(append([]byte("</"), name...), '>'))
		r.pop()
	}
}

// pop closes the innermost open element: the end of an item keeps it, or
// drops it when it went bad; the end of the root ends the document.
func (r *repairer) pop() {
	r.opened[nameHash(r.stack[len(r.stack)-1])]--
	r.stack = r.stack[:len(r.stack)-1]
	switch {
	case len(r.stack) == r.item && r.bad != "":
		if !r.w.again(WarnTooDeep) {
			r.w.add(WarnTooDeep, "item %d %s: dropped", r.seen, r.bad)
		}
		r.out.truncate(r.mark)
		r.item = -1
	case len(r.stack) == r.item:
		r.kept++
		r.item = -1
	case len(r.stack) == 0:
		r.done = true
	}
}

// truncate ends a document cut short: the item it ends in is dropped and
// the open elements are closed.
func (r *repairer) truncate() {
	r.skip = 0
	if r.item >= 0 {
		r.w.set(WarnTruncated, "feed truncated in item %d: kept %s", r.seen, plural(r.kept, "complete item"))
		r.out.truncate(r.mark)
		for len(r.stack) > r.item {
			r.opened[nameHash(r.stack[len(r.stack)-1])]--
			r.stack = r.stack[:len(r.stack)-1]
		}
		r.item = -1
	} else {
		r.w.set(WarnTruncated, "feed truncated after item %d: kept all %s", r.seen, plural(r.kept, "complete item"))
	}
	r.closeTo(0)
}

// enough ends the document after MaxItems items.
func (r *repairer) enough() {
	rest := r.lex.data[r.lex.pos:]
	if bytes.Contains(rest, []byte("<item")) || bytes.Contains(rest, []byte("<entry")) {
		r.w.add(WarnTooMany, "the feed lists more than %d items: the rest ignored", MaxItems)
	}
	r.closeTo(0)
}

// trailing notes what follows the root element, which is dropped.
func (r *repairer) trailing(t token) {
	rest := r.lex.data[t.start:]
	if n := len(trimSpace(rest)); n > 0 {
		if !r.w.again(WarnJunk) {
			r.w.add(WarnJunk, "%d bytes after the end of the feed ignored", n)
		}
	}
}

// docStart is where the feed begins in data: after a byte order mark and
// white space, and after junk before the XML declaration or the root
// element (a PHP warning, a stray line), which it notes.
func docStart(data []byte, w *warnings) int {
	i := skipSpace(data, len(bomOf(data)))
	head := data[:min(len(data), 64<<10)]
	k := -1
	for _, m := range [][]byte{[]byte("<?xml"), []byte("<rss"), []byte("<feed"), []byte("<rdf:RDF"), []byte("<RDF")} {
		if j := bytes.Index(head[i:], m); j >= 0 && (k < 0 || i+j < k) {
			k = i + j
		}
	}
	if k <= i || onlyMarkup(data[i:k]) {
		return i
	}
	junk := len(trimSpace(data[i:k]))
	w.add(WarnJunk, "%d bytes of junk before the XML declaration ignored", junk)
	return k
}

func bomOf(b []byte) []byte {
	if bytes.HasPrefix(b, []byte("\ufeff")) {
		return b[:3]
	}
	return nil
}

// onlyMarkup reports whether b holds nothing but white space, comments,
// processing instructions and a DOCTYPE, which may precede a root.
func onlyMarkup(b []byte) bool {
	l := lexer{data: b}
	for {
		t, ok := l.next()
		if !ok {
			return true
		}
		if t.cut || t.kind != tokOther && (t.kind != tokText || len(trimSpace(t.raw)) > 0) {
			return false
		}
	}
}

// textOK reports whether character data is well-formed XML as it is.
func textOK(b []byte) bool {
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case c == '<':
			return false
		case c == '&':
			n, ok := xmlRef(b[i:])
			if !ok {
				return false
			}
			i += n - 1
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0xEF && forbidden(b[i:]):
			return false
		case c == '>' && i >= 2 && b[i-1] == ']' && b[i-2] == ']':
			return false
		}
	}
	return utf8.Valid(b)
}

// charsOK reports whether b holds only characters XML allows.
func charsOK(b []byte) bool {
	for i, c := range b {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0xEF && forbidden(b[i:]) {
			return false
		}
	}
	return utf8.Valid(b)
}

// forbidden reports whether b starts with U+FFFE or U+FFFF.
func forbidden(b []byte) bool {
	return len(b) >= 3 && b[1] == 0xBF && (b[2] == 0xBE || b[2] == 0xBF)
}

// xmlRef is the length of the XML entity or character reference at the
// start of b ("&amp;", "&#26032;"), and whether there is a valid one.
func xmlRef(b []byte) (int, bool) {
	end := bytes.IndexByte(b[:min(len(b), 40)], ';')
	if end < 2 {
		return 0, false
	}
	name := string(b[1:end])
	switch name {
	case "lt", "gt", "amp", "quot", "apos":
		return end + 1, true
	}
	if name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if len(name) > 1 && (name[1] == 'x' || name[1] == 'X') {
		n, err = strconv.ParseUint(name[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(name[1:], 10, 32)
	}
	return end + 1, err == nil && xmlChar(rune(n))
}

// xmlChar reports whether XML allows the character r.
func xmlChar(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// fixText escapes a bare '<' or '&', decodes an HTML entity XML does not
// know (&nbsp;) and drops characters XML forbids; inAttr escapes quotes
// too. The result is valid until the next call.
func (r *repairer) fixText(b []byte, inAttr bool) []byte {
	out := r.scratch[:0]
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '<':
			r.warn(WarnUnescaped, "unescaped '<' in text escaped")
			out = append(out, "&lt;"...)
			i++
		case c == '&':
			var n int
			out, n = r.fixRef(out, b[i:])
			i += n
		case c == '"' && inAttr:
			out = append(out, "&quot;"...)
			i++
		case c == '>' && bytes.HasSuffix(out, []byte("]]")):
			out = append(out, "&gt;"...) // "]]>" may only end a CDATA section
			i++
		default:
			out, i = r.appendChar(out, b, i)
		}
	}
	r.scratch = out
	return out
}

// warn notes a repair of kind at the current place; only the first of a
// kind is formatted.
func (r *repairer) warn(kind, what string) {
	if !r.w.again(kind) {
		r.w.add(kind, "%s: %s", r.where(), what)
	}
}

// fixRef appends what to write for the '&' at the start of b, and says
// how many bytes of b it read.
func (r *repairer) fixRef(out, b []byte) ([]byte, int) {
	if n, ok := xmlRef(b); ok {
		return append(out, b[:n]...), n
	}
	if end := bytes.IndexByte(b[:min(len(b), 40)], ';'); end > 1 && refName(b[1:end]) {
		ref := string(b[:end+1])
		if s := html.UnescapeString(ref); s != ref && b[1] != '#' {
			return append(out, escapeXML([]byte(s))...), end + 1
		}
		if b[1] == '#' {
			if !r.w.again(WarnBadChar) {
				r.w.add(WarnBadChar, "%s: character reference %s XML forbids removed", r.where(), ref)
			}
			return out, end + 1
		}
	}
	r.warn(WarnUnescaped, "unescaped '&' in text escaped")
	return append(out, "&amp;"...), 1
}

// appendChar appends the character at b[i], unless XML forbids it or it
// is not UTF-8, and returns the offset after it.
func (r *repairer) appendChar(out, b []byte, i int) ([]byte, int) {
	if c := b[i]; c < utf8.RuneSelf {
		if c >= 0x20 || c == '\t' || c == '\n' || c == '\r' {
			return append(out, c), i + 1
		}
		if !r.w.again(WarnBadChar) {
			r.w.add(WarnBadChar, "%s: control character U+%04X removed", r.where(), c)
		}
		return out, i + 1
	}
	rn, n := utf8.DecodeRune(b[i:])
	if rn == utf8.RuneError && n == 1 || !xmlChar(rn) {
		r.warn(WarnBadChar, "a byte that is not UTF-8 or a character XML forbids removed")
		return out, i + n
	}
	return append(out, b[i:i+n]...), i + n
}

// fixChars drops the characters XML forbids. The result is valid until
// the next call.
func (r *repairer) fixChars(b []byte) []byte {
	out := r.scratch[:0]
	for i := 0; i < len(b); {
		out, i = r.appendChar(out, b, i)
	}
	r.scratch = out
	return out
}

func escapeXML(b []byte) []byte {
	var buf bytes.Buffer
	_ = xmlEscape(&buf, b)
	return buf.Bytes()
}

// attrsOK reports whether a start tag's attributes are well-formed XML as
// they are; the lexer has checked their quoting already.
func attrsOK(raw []byte) bool { return textOK(raw[1:]) }

// fixStart writes start tag t again with its attribute values quoted and
// escaped; selfClose ends it with "/>".
func (r *repairer) fixStart(t token, selfClose bool) []byte {
	out := append([]byte{'<'}, t.name...)
	b := t.raw
	i := 1 + len(t.name)
	for {
		i = skipSpace(b, i)
		if i >= len(b) || b[i] == '>' || b[i] == '/' {
			break
		}
		n := i
		for n < len(b) && isNameByte(b[n]) {
			n++
		}
		j := skipSpace(b, n)
		if n == i || j >= len(b) || b[j] != '=' {
			break // the lexer let no such tag through
		}
		out = append(append(append(out, ' '), b[i:n]...), `="`...)
		j = skipSpace(b, j+1)
		var val []byte
		if q := b[min(j, len(b)-1)]; q == '"' || q == '\'' {
			k := bytes.IndexByte(b[j+1:], q)
			if k < 0 {
				k = len(b) - j - 1
			}
			val, i = b[j+1:j+1+k], j+2+k
		} else {
			k := j
			for k < len(b) && !isSpace(b[k]) && b[k] != '>' && !(b[k] == '/' && k+1 < len(b) && b[k+1] == '>') {
				k++
			}
			val, i = b[j:k], k
		}
		out = append(append(out, r.fixText(val, true)...), '"')
	}
	if t.selfClose || selfClose {
		return append(out, "/>"...)
	}
	return append(out, '>')
}

// refName reports whether b can be the name of a reference: letters and
// digits, or '#' and a number.
func refName(b []byte) bool {
	for i, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '#' && i == 0 || (c == 'x' || c == 'X') && i == 1) {
			return false
		}
	}
	return true
}

// trimSpace is b without XML white space around it.
func trimSpace(b []byte) []byte { return bytes.Trim(b, " \t\r\n") }

// plural is "1 item" or "n items".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

package decode

import (
	"bytes"
	"mime"
	"regexp"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

// utf8Enc reads UTF-8 as it is.
var utf8Enc encoding.Encoding = encoding.Nop

var (
	xmlDecl     = regexp.MustCompile(`<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
	headerParam = regexp.MustCompile(`(?i)charset\s*=\s*["']?([A-Za-z0-9._:-]+)`)
)

// metaWindow is how far into an HTML page a <meta> charset is looked for;
// browsers look at 1 KiB, real pages put it later.
const metaWindow = 4096

// declWindow is how far into a document its XML declaration is looked
// for: at the start, or after junk a broken server put before it (white
// space, a PHP warning), which the feed parser's salvage skips.
const declWindow = 1024

// label is a charset some part of the document or its server declared.
type label struct {
	raw    string // as written
	name   string // WHATWG name; "" when unknown
	enc    encoding.Encoding
	reason Reason
}

// findLabels lists the declarations in the order they are trusted: the
// HTTP header, the XML declaration, the HTML <meta>.
func findLabels(in Input) []label {
	var out []label
	add := func(raw string, r Reason) {
		if raw = strings.TrimSpace(raw); raw != "" {
			e, name := lookup(raw)
			out = append(out, label{raw: raw, name: name, enc: e, reason: r})
		}
	}
	add(headerCharset(in.ContentType), ByHTTPHeader)
	if in.Kind == JSON || looksJSON(in.Body) {
		return out
	}
	head := in.Body[:min(len(in.Body), metaWindow)]
	if m := xmlDecl.FindSubmatch(head[:min(len(head), declWindow)]); m != nil {
		add(string(m[1]), ByXMLDeclaration)
	}
	if in.Kind == HTML {
		if m := metaCharset.FindSubmatch(head); m != nil {
			add(string(m[1]), ByMeta)
		}
	}
	return out
}

// headerCharset is the charset parameter of a Content-Type header.
func headerCharset(contentType string) string {
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		return params["charset"]
	}
	if m := headerParam.FindStringSubmatch(contentType); m != nil {
		return m[1]
	}
	return ""
}

// looksJSON reports whether b starts, after white space, like a JSON
// object or array (a JSON Feed served as a feed).
func looksJSON(b []byte) bool {
	b = bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF")), " \t\r\n")
	return len(b) > 0 && (b[0] == '{' || b[0] == '[')
}

// lookup finds the encoding of a WHATWG charset label (or a UTF-32 one);
// GB2312 and GBK are read as their superset GB18030.
func lookup(raw string) (encoding.Encoding, string) {
	label := strings.ToLower(strings.TrimSpace(raw))
	if label == "" {
		return nil, ""
	}
	switch label {
	case "utf-32", "utf-32le", "ucs-4", "ucs-4le":
		return utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), "utf-32le"
	case "utf-32be", "ucs-4be":
		return utf32.UTF32(utf32.BigEndian, utf32.UseBOM), "utf-32be"
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(e)
	switch name {
	case "utf-8":
		return utf8Enc, name
	case "gbk", "gb18030":
		return simplifiedchinese.GB18030, "gb18030"
	case "replacement", "x-user-defined":
		return nil, ""
	}
	return e, name
}

// Known reports whether label names a charset Decode can use (as an
// override).
func Known(label string) bool {
	e, name := lookup(label)
	return e != nil && !isWide(name)
}

// isWide reports whether name is UTF-16 or UTF-32, which only the bytes
// themselves (a BOM, the zero pattern) can establish.
func isWide(name string) bool { return family(name) == "utf-16" || family(name) == "utf-32" }

// unicodeByBytes recognises UTF-8, UTF-16 and UTF-32 from a byte-order mark
// or, without one, from the zero bytes around the first character when it
// is ASCII (XML 1.0 Appendix F; RFC 8259 §8.1).
func unicodeByBytes(b []byte) (encoding.Encoding, Decision, bool) {
	d := Decision{Reason: ByBOM, Confidence: 1}
	var e encoding.Encoding
	switch {
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		e, d.Encoding = utf8Enc, "utf-8"
	case bytes.HasPrefix(b, []byte("\x00\x00\xFE\xFF")):
		e, d.Encoding = utf32.UTF32(utf32.BigEndian, utf32.UseBOM), "utf-32be"
	case bytes.HasPrefix(b, []byte("\xFF\xFE\x00\x00")):
		e, d.Encoding = utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), "utf-32le"
	case bytes.HasPrefix(b, []byte("\xFE\xFF")):
		e, d.Encoding = unicode.UTF16(unicode.BigEndian, unicode.UseBOM), "utf-16be"
	case bytes.HasPrefix(b, []byte("\xFF\xFE")):
		e, d.Encoding = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), "utf-16le"
	default:
		e, d.Encoding = zeroPattern(b)
		if e == nil {
			return nil, Decision{}, false
		}
		d.Reason = ByZeroPattern
		if isXMLStart(e, b) {
			d.Reason = ByXMLDeclaration
		}
	}
	return e, d, true
}

// zeroPattern recognises UTF-16 and UTF-32 without a BOM by where the zero
// bytes of an ASCII first character fall.
func zeroPattern(b []byte) (encoding.Encoding, string) {
	if len(b) < 4 {
		return nil, ""
	}
	z := [4]bool{b[0] == 0, b[1] == 0, b[2] == 0, b[3] == 0}
	switch z {
	case [4]bool{true, true, true, false}:
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), "utf-32be"
	case [4]bool{false, true, true, true}:
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM), "utf-32le"
	case [4]bool{true, false, true, false}:
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), "utf-16be"
	case [4]bool{false, true, false, true}:
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), "utf-16le"
	}
	return nil, ""
}

// isXMLStart reports whether b, read with e, starts with "<?xml".
func isXMLStart(e encoding.Encoding, b []byte) bool {
	head, err := e.NewDecoder().Bytes(b[:min(len(b), 20)&^3])
	return err == nil && bytes.HasPrefix(head, []byte("<?xml"))
}

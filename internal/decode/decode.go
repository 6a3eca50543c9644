// Package decode decides which character encoding a fetched document is in
// and decodes it to UTF-8. It is the one decision every feed, listing, JSON
// listing and article page goes through, and it says what it chose and why,
// so that a guess is a warning an operator sees rather than silent mojibake.
//
// The order, first match wins:
//
//  1. a byte-order mark (UTF-8, UTF-16, UTF-32);
//  2. UTF-16 or UTF-32 without a mark, recognised by the XML specification's
//     autodetection (Appendix F) of "<?xml", or by the zero bytes around the
//     first ASCII character (JSON, RFC 8259 §8.1);
//  3. a body that is valid UTF-8 stays UTF-8 whatever any label says;
//  4. a body that is UTF-8 but for a few bad bytes or a truncated last
//     character stays UTF-8, the bad bytes replaced by U+FFFD;
//  5. a label (HTTP Content-Type, then the XML declaration, then an HTML
//     <meta charset> or http-equiv) whose decoding is plausible: one the
//     detector does not find clearly worse than its own pick;
//  6. the source's override (fetch.charset), for documents that are not
//     UTF-8 and declare nothing usable;
//  7. the detector: character-frequency scoring of GB18030, Big5, UTF-8 and
//     Windows-1252.
//
// A JSON document has no in-document declaration: only the HTTP label (and
// the override) can make one anything but UTF-8/16/32.
package decode

import (
	"bytes"
	"fmt"
	"strings"

	"golang.org/x/text/encoding"
)

// Kind is what kind of document is decoded; it says where declarations can
// be.
type Kind int

const (
	// HTML is a web page: an XML declaration (XHTML) or a <meta> in its
	// first 4 KiB declares its charset.
	HTML Kind = iota
	// Feed is an RSS or Atom feed (its XML declaration declares the
	// charset) or a JSON Feed (none: it is sniffed as JSON).
	Feed
	// JSON is a JSON document: UTF-8, UTF-16 or UTF-32 (RFC 8259).
	JSON
)

// Reason says why an encoding was chosen.
type Reason string

// The reasons, in the order they are tried.
const (
	ByBOM            Reason = "bom"
	ByXMLDeclaration Reason = "xml-declaration" // also UTF-16/32 recognised from "<?xml"
	ByZeroPattern    Reason = "zero-pattern"    // UTF-16/32 from the zeros around the first ASCII character
	ByUTF8Valid      Reason = "utf8-valid"
	ByUTF8Repaired   Reason = "utf8-repaired"
	ByHTTPHeader     Reason = "http-header"
	ByMeta           Reason = "meta"
	ByOverride       Reason = "override"
	ByDetection      Reason = "detected"
)

// Input is a document to decode and what is known about it.
type Input struct {
	Body []byte
	Kind Kind
	// ContentType is the HTTP Content-Type header, "" when there is none
	// (a file).
	ContentType string
	// Override is the source's charset (a WHATWG label), "" for none. It
	// applies only to a document that is not UTF-8 and declares nothing
	// usable.
	Override string
}

// Decision is the encoding chosen for a document and why.
type Decision struct {
	// Encoding is the WHATWG name of the encoding the body was read as:
	// "utf-8", "gb18030", "big5", "windows-1252", "utf-16le", "utf-32be"…
	Encoding string
	Reason   Reason
	// Confidence is the detector's confidence in its pick, 0 to 1; 1 for
	// every other reason.
	Confidence float64
	// Contradicted is the label (as the document or server wrote it)
	// that the decision went against; "" when every label agreed or
	// there was none.
	Contradicted string
	// Repaired counts the bad UTF-8 sequences replaced by U+FFFD.
	Repaired int
}

// Guessed reports whether the decision is one an operator should hear
// about: a detection, a repair, or a label overruled.
func (d Decision) Guessed() bool {
	return d.Reason == ByDetection || d.Reason == ByUTF8Repaired || d.Contradicted != ""
}

// String is the decision for people: "gb18030 (detected 0.93, label said
// utf-8)".
func (d Decision) String() string {
	why := string(d.Reason)
	switch d.Reason {
	case ByDetection:
		why = fmt.Sprintf("detected %.2f", d.Confidence)
	case ByUTF8Repaired:
		why = fmt.Sprintf("utf8-repaired, %d bad sequence(s) replaced", d.Repaired)
	}
	if d.Contradicted != "" {
		why += ", label said " + d.Contradicted
	}
	return d.Encoding + " (" + why + ")"
}

// Decode decodes in.Body to UTF-8 and says how. The result has no
// byte-order mark, and an XML declaration in it says UTF-8, so that a feed
// parser does not decode it a second time. Undecodable bytes become U+FFFD:
// decoding itself never fails.
func Decode(in Input) ([]byte, Decision) {
	enc, d := decide(in)
	out := in.Body
	switch {
	case d.Encoding != "utf-8":
		out = decodeWith(enc, out)
	case d.Reason != ByUTF8Valid: // a BOM, the detector or the override may pick UTF-8 for bytes that are not all valid
		out = bytes.ToValidUTF8(out, []byte("\uFFFD"))
	}
	out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	return declareUTF8(out), d
}

// decodeWith decodes b with e; x/text's decoders replace what they cannot
// read with U+FFFD, so an error is a bug in the decoder: the bytes are then
// kept as they are, made valid UTF-8.
func decodeWith(e encoding.Encoding, b []byte) []byte {
	out, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// declareUTF8 rewrites the encoding of the XML declaration near the start
// of b to UTF-8.
func declareUTF8(b []byte) []byte {
	m := xmlDecl.FindSubmatchIndex(b[:min(len(b), declWindow)])
	if m == nil || strings.EqualFold(string(b[m[2]:m[3]]), "utf-8") {
		return b
	}
	return append(append(append(make([]byte, 0, len(b)), b[:m[2]]...), "UTF-8"...), b[m[3]:]...)
}

// decide picks the encoding of in.Body.
func decide(in Input) (encoding.Encoding, Decision) {
	labels := findLabels(in)
	if e, d, ok := unicodeByBytes(in.Body); ok {
		d.Contradicted = contradicting(labels, d.Encoding)
		return e, d
	}
	if u := checkUTF8(in.Body); u.valid || u.repairable() {
		d := Decision{Encoding: "utf-8", Reason: ByUTF8Valid, Confidence: 1}
		if !u.valid {
			d.Reason, d.Repaired = ByUTF8Repaired, u.bad
		}
		if u.multi > 0 || u.bad > 0 {
			d.Contradicted = contradicting(labels, "utf-8")
		}
		return utf8Enc, d
	}
	scores := detect(in.Body)
	for _, l := range labels {
		if l.enc != nil && plausible(l, scores) {
			return l.enc, Decision{Encoding: l.name, Reason: l.reason, Confidence: 1}
		}
	}
	wrong := ""
	if len(labels) > 0 {
		wrong = labels[0].raw
	}
	if e, name := lookup(in.Override); e != nil && !isWide(name) {
		return e, Decision{Encoding: name, Reason: ByOverride, Confidence: 1, Contradicted: wrong}
	}
	best := scores.best()
	return best.enc, Decision{Encoding: best.name, Reason: ByDetection, Confidence: scores.confidence(), Contradicted: wrong}
}

// contradicting is the first label that names another encoding than name
// (or none that is known), as written; "" when none does.
func contradicting(labels []label, name string) string {
	for _, l := range labels {
		if family(l.name) != family(name) {
			return l.raw
		}
	}
	return ""
}

// family is name with UTF-16 and UTF-32 byte orders folded: a "utf-16"
// label agrees with a big-endian body.
func family(name string) string {
	switch {
	case strings.HasPrefix(name, "utf-16"):
		return "utf-16"
	case strings.HasPrefix(name, "utf-32"):
		return "utf-32"
	}
	return name
}

package fetch

import (
	"bytes"
	"fmt"
	"mime"
	"net/url"
	"regexp"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// UTF8 returns the body of an HTML document decoded to UTF-8; see Decode.
func (r *Response) UTF8() ([]byte, error) { return r.Decode("") }

// Decode returns the body decoded to UTF-8. override, when set, names the
// charset to use whatever the document says (a per-source setting for
// sites that lie). Otherwise the charset comes from a BOM, the
// Content-Type header, the XML declaration or a <meta> tag, in that order;
// a header that cannot be right is passed over (a Latin-1 label on valid
// UTF-8, a UTF-8 label on bytes that are not). GB2312 and GBK are read as
// their superset GB18030. An undeclared document that is not UTF-8 is
// read as GB18030. An XML document's declaration is rewritten to say
// UTF-8, so that a feed parser does not decode it a second time.
func (r *Response) Decode(override string) ([]byte, error) {
	out, name, err := Decode(r.Body, r.Header.Get("Content-Type"), override)
	if err != nil {
		return nil, fmt.Errorf("decode %s as %s: %w", r.URL, name, err)
	}
	return out, nil
}

var (
	xmlDecl     = regexp.MustCompile(`^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']`)
	metaCharset = regexp.MustCompile(`(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)`)
)

// Decode decodes body as described at Response.Decode and returns the
// charset it used.
func Decode(body []byte, contentType, override string) ([]byte, string, error) {
	enc, name := pick(body, contentType, override)
	out := body
	if name != "utf-8" {
		var err error
		if out, err = enc.NewDecoder().Bytes(body); err != nil {
			return nil, name, err
		}
	}
	out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	if m := xmlDecl.FindSubmatchIndex(out); m != nil && !bytes.EqualFold(out[m[2]:m[3]], []byte("utf-8")) {
		out = append(append(append([]byte{}, out[:m[2]]...), "UTF-8"...), out[m[3]:]...)
	}
	return out, name, nil
}

// pick chooses the encoding of body.
func pick(body []byte, contentType, override string) (encoding.Encoding, string) {
	if e, name := lookup(override); e != nil {
		return e, name
	}
	switch {
	case bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")):
		return encoding.Nop, "utf-8"
	case bytes.HasPrefix(body, []byte("\xFE\xFF")):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	case bytes.HasPrefix(body, []byte("\xFF\xFE")):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	}
	valid := utf8.Valid(body)
	if _, params, err := mime.ParseMediaType(contentType); err == nil {
		if e, name := lookup(params["charset"]); e != nil && plausible(name, body, valid) {
			return e, name
		}
	}
	head := body[:min(len(body), 4096)]
	for _, re := range []*regexp.Regexp{xmlDecl, metaCharset} {
		if m := re.FindSubmatch(head); m != nil {
			if e, name := lookup(string(m[1])); e != nil && plausible(name, body, valid) {
				return e, name
			}
		}
	}
	if valid {
		return encoding.Nop, "utf-8"
	}
	return simplifiedchinese.GB18030, "gb18030"
}

// plausible reports whether a declared charset can be right for body.
func plausible(name string, body []byte, valid bool) bool {
	switch name {
	case "utf-8":
		return valid
	case "windows-1252", "iso-8859-2", "iso-8859-15":
		return !valid || !hasHighBit(body)
	}
	return true
}

func hasHighBit(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// lookup finds the encoding of a WHATWG charset label; GB2312 and GBK are
// read as GB18030.
func lookup(label string) (encoding.Encoding, string) {
	if label == "" {
		return nil, ""
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil, ""
	}
	name, _ := htmlindex.Name(e)
	switch name {
	case "utf-8":
		return encoding.Nop, name
	case "gbk", "gb18030":
		return simplifiedchinese.GB18030, "gb18030"
	}
	return e, name
}

// KnownCharset reports whether label names a charset Decode can use.
func KnownCharset(label string) bool {
	e, _ := lookup(label)
	return e != nil
}

// Page is an HTML page's body decoded to UTF-8 (override as for Decode)
// with the URL it was finally read from, after redirects: what a caller
// resolves the page's relative links against.
func (r *Response) Page(override string) ([]byte, *url.URL, error) {
	page, err := r.Decode(override)
	if err != nil {
		return nil, nil, err
	}
	final, err := url.Parse(r.URL)
	if err != nil {
		return nil, nil, fmt.Errorf("final URL %q: %w", r.URL, err)
	}
	return page, final, nil
}

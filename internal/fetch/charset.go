package fetch

import (
	"fmt"
	"net/url"

	"github.com/newsmirror/newsmirror/internal/decode"
)

// Decode returns the body, a document of kind, decoded to UTF-8 as
// decode.Decode decides from its bytes, its declarations and the
// Content-Type header; override is the source's charset, used only for a
// body that is not UTF-8 and declares nothing usable. The decision says
// which encoding was used and why.
func (r *Response) Decode(kind decode.Kind, override string) ([]byte, decode.Decision) {
	return decode.Decode(decode.Input{Body: r.Body, Kind: kind, ContentType: r.Header.Get("Content-Type"), Override: override})
}

// KnownCharset reports whether label names a charset an override can use.
func KnownCharset(label string) bool { return decode.Known(label) }

// Page is an HTML page's body decoded to UTF-8 (override as for Decode)
// with the URL it was finally read from, after redirects: what a caller
// resolves the page's relative links against; and how it was decoded.
func (r *Response) Page(override string) ([]byte, *url.URL, decode.Decision, error) {
	page, d := r.Decode(decode.HTML, override)
	final, err := url.Parse(r.URL)
	if err != nil {
		return nil, nil, d, fmt.Errorf("final URL %q: %w", r.URL, err)
	}
	return page, final, d, nil
}

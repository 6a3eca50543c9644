package fetch

import (
	"bytes"
	"fmt"
	"io"

	"golang.org/x/net/html/charset"
)

// UTF8 returns the body of an HTML document decoded to UTF-8, using the
// Content-Type header, a BOM or a <meta> declaration, in that order.
func (r *Response) UTF8() ([]byte, error) {
	_, name, _ := charset.DetermineEncoding(r.Body, r.Header.Get("Content-Type"))
	if name == "utf-8" {
		return r.Body, nil
	}
	dec, err := charset.NewReader(bytes.NewReader(r.Body), r.Header.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("decode %s as %s: %w", r.URL, name, err)
	}
	out, err := io.ReadAll(dec)
	if err != nil {
		return nil, fmt.Errorf("decode %s as %s: %w", r.URL, name, err)
	}
	return out, nil
}

package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// wellFormed returns the first syntax error a strict XML decoder finds in
// doc, or nil.
func wellFormed(doc []byte) error {
	d := xml.NewDecoder(bytes.NewReader(doc))
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// FuzzReadSalvagesSafely checks, on any input, that the repair never
// panics, stays within a small multiple of the input's size and yields
// well-formed XML, and that reading never returns an item without an
// absolute http(s) URL and a title.
func FuzzReadSalvagesSafely(f *testing.F) {
	files, _ := filepath.Glob("testdata/broken/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<rss><channel><item><title>a<b</title><link>http://x.example/1</link></item></channel></rss>`))
	f.Add([]byte(`<feed><entry><title x=1 y='2'>&nbsp;&#0;&#x41;</title></entry><entry><id>http://x.example/2</id>`))
	f.Add([]byte(strings.Repeat("<a>", 300) + "</b>" + strings.Repeat("</a>", 300)))
	f.Fuzz(func(t *testing.T, data []byte) {
		var w warnings
		out := repair(data, &w)
		if len(out) > 6*len(data)+64 {
			t.Errorf("repair grew %d bytes to %d", len(data), len(out))
		}
		if err := wellFormed(out); err != nil {
			t.Errorf("repaired document is not well-formed: %v\n%q\nfrom\n%q", err, out, data)
		}
		res, err := parseFeed(data, "http://x.example/feed", &Options{})
		if err == nil && len(res.Items) == 0 && w.count[WarnTruncated] > 0 {
			t.Errorf("a truncated feed with no item read without error: %v", res.Warnings)
		}
		for _, it := range res.Items {
			if !isAbsolute(it.URL) || it.Title == "" {
				t.Errorf("item without an absolute URL or a title: %+v", it)
			}
		}
	})
}

package decode_test

import (
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsmirror/newsmirror/internal/decode"
)

// FuzzDecode checks that whatever the bytes and labels, decoding returns
// valid UTF-8 and a decision naming an encoding.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(page(simplified)), "text/html; charset=gbk", "", 0)
	f.Add(enc(f, simplifiedchinese.GBK, `<?xml version="1.0" encoding="gb2312"?><rss>`+simplified[0].Title), "", "big5", 1)
	f.Add([]byte("\xFF\xFE<\x00?\x00x\x00"), "application/json; charset=utf-16", "", 2)
	f.Add([]byte("\x00\x00\x00<\x00\x00\x00?"), "", "", 1)
	f.Fuzz(func(t *testing.T, body []byte, contentType, override string, kind int) {
		out, d := decode.Decode(decode.Input{Body: body, Kind: decode.Kind(kind % 3), ContentType: contentType, Override: override})
		if !utf8.Valid(out) {
			t.Errorf("decision %s: output is not valid UTF-8: %q", d, out)
		}
		if d.Encoding == "" || d.Reason == "" {
			t.Errorf("empty decision %+v", d)
		}
	})
}

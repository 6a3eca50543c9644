package decode_test

import (
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsmirror/newsmirror/internal/decode"
)

// BenchmarkDecode decodes a 40 KiB article page: valid UTF-8 (the common
// case: one validity pass), GBK that declares itself (the label checked
// against the detector), and undeclared GBK (the detector alone).
func BenchmarkDecode(b *testing.B) {
	text := strings.Repeat(page(simplified), 20)
	gbk := enc(b, simplifiedchinese.GBK, text)
	declared := append([]byte(`<meta charset="gbk">`), gbk...)
	for _, bc := range []struct {
		name string
		body []byte
	}{{"utf-8", []byte(text)}, {"gbk-declared", declared}, {"gbk-undeclared", gbk}} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(int64(len(bc.body)))
			for b.Loop() {
				decode.Decode(decode.Input{Body: bc.body, Kind: decode.HTML})
			}
		})
	}
}

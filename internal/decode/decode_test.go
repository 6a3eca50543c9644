package decode_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/newsmirror/newsmirror/internal/decode"
)

func enc(t testing.TB, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatalf("encode %.20q: %v", s, err)
	}
	return b
}

func page(s []story) string {
	var b strings.Builder
	for _, st := range s {
		b.WriteString("<h2>" + st.Title + "</h2><p>" + st.Body + "</p>\n")
	}
	return b.String()
}

// Text in languages the detector does not weigh, to show that their labels
// are followed.
const (
	korean1   = "서울시는 월요일 신규 확진자가 역대 최다를 기록했다고 발표했다. 전문가들은 의료 체계의 부담을 우려하고 있다."
	japanese1 = "東京都は月曜日、新型ウイルスの感染者が過去最多になったと発表した。専門家は医療体制の逼迫を懸念している。"
	russian1  = "Московские власти в понедельник сообщили о рекордном числе новых случаев заражения."
)

func TestDecodeDecidesByBytesBeforeLabels(t *testing.T) {
	zh, tw, fr := page(simplified), page(traditional), page(western)
	for _, tc := range []struct {
		name, contentType, override string
		kind                        decode.Kind
		body                        []byte
		want                        string
		encoding                    string
		reason                      decode.Reason
		guessed                     bool
	}{
		{"valid UTF-8 beats a gbk header", "text/html; charset=gbk", "", decode.HTML, []byte(zh), zh, "utf-8", decode.ByUTF8Valid, true},
		{"valid UTF-8 beats a gb2312 meta", "", "", decode.HTML, []byte(`<meta charset="gb2312">` + zh), zh, "utf-8", decode.ByUTF8Valid, true},
		{"valid UTF-8 beats a UTF-16 header", "text/html; charset=utf-16", "", decode.HTML, []byte(zh), zh, "utf-8", decode.ByUTF8Valid, true},
		{"valid UTF-8 JSON beats the override", "", "gb18030", decode.JSON, []byte(`[["1","` + simplified[0].Title + `"]]`), simplified[0].Title, "utf-8", decode.ByUTF8Valid, false},
		{"ASCII under a gbk label is no contradiction", "text/html; charset=gbk", "", decode.HTML, []byte("<p>hello</p>"), "hello", "utf-8", decode.ByUTF8Valid, false},
		{"one bad byte in UTF-8 is repaired", "", "", decode.HTML, []byte(zh[:28] + "\xFF" + zh[28:]), zh[28:], "utf-8", decode.ByUTF8Repaired, true},
		{"a cut last character is repaired", "", "", decode.HTML, []byte(zh[:len(zh)-6]), zh[:len(zh)-8], "utf-8", decode.ByUTF8Repaired, true},
		{"GBK by meta", "", "", decode.HTML, enc(t, simplifiedchinese.GBK, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`+zh), zh, "gb18030", decode.ByMeta, false},
		{"GBK undeclared is detected", "", "", decode.HTML, enc(t, simplifiedchinese.GBK, zh), zh, "gb18030", decode.ByDetection, true},
		{"Big5 undeclared is detected", "", "", decode.HTML, enc(t, traditionalchinese.Big5, tw), tw, "big5", decode.ByDetection, true},
		{"Big5 under a gbk header is detected", "text/html; charset=gbk", "", decode.HTML, enc(t, traditionalchinese.Big5, tw), tw, "big5", decode.ByDetection, true},
		{"GBK under a big5 meta is detected", "", "", decode.HTML, enc(t, simplifiedchinese.GBK, `<meta charset="big5">`+zh), zh, "gb18030", decode.ByDetection, true},
		{"GBK under a utf-8 header is detected", "text/html; charset=utf-8", "", decode.HTML, enc(t, simplifiedchinese.GBK, zh), zh, "gb18030", decode.ByDetection, true},
		{"Windows-1252 undeclared is detected", "", "", decode.HTML, enc(t, charmap.Windows1252, fr), fr, "windows-1252", decode.ByDetection, true},
		{"Windows-1252 by an iso-8859-1 header", "text/html; charset=iso-8859-1", "", decode.HTML, enc(t, charmap.Windows1252, fr), fr, "windows-1252", decode.ByHTTPHeader, false},
		{"override for a page that declares nothing", "", "big5", decode.HTML, enc(t, traditionalchinese.Big5, tw), tw, "big5", decode.ByOverride, false},
		{"override beats a lying utf-8 label", "text/html; charset=utf-8", "big5", decode.HTML, enc(t, traditionalchinese.Big5, tw), tw, "big5", decode.ByOverride, true},
		{"a right label beats the override", "text/html; charset=gbk", "big5", decode.HTML, enc(t, simplifiedchinese.GBK, zh), zh, "gb18030", decode.ByHTTPHeader, false},
		{"EUC-KR by its header", "text/html; charset=euc-kr", "", decode.HTML, enc(t, korean.EUCKR, korean1), korean1, "euc-kr", decode.ByHTTPHeader, false},
		{"Shift_JIS by its meta", "", "", decode.HTML, enc(t, japanese.ShiftJIS, `<meta charset="shift_jis">`+japanese1), japanese1, "shift_jis", decode.ByMeta, false},
		{"KOI8-R by its header", "text/html; charset=koi8-r", "", decode.HTML, enc(t, charmap.KOI8R, russian1), russian1, "koi8-r", decode.ByHTTPHeader, false},
		{"GBK under a euc-kr label is detected", "text/html; charset=euc-kr", "", decode.HTML, enc(t, simplifiedchinese.GBK, zh), zh, "gb18030", decode.ByDetection, true},
		{"UTF-16LE with a BOM", "", "", decode.Feed, enc(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), `<?xml version="1.0"?><p>`+zh), zh, "utf-16le", decode.ByBOM, false},
		{"UTF-16BE by its XML declaration", "", "", decode.Feed, enc(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), `<?xml version="1.0" encoding="UTF-16"?><p>`+tw), tw, "utf-16be", decode.ByXMLDeclaration, false},
		{"UTF-16LE JSON by its zeros", "", "", decode.JSON, enc(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), `["`+zh+`"]`), zh, "utf-16le", decode.ByZeroPattern, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, d := decode.Decode(decode.Input{Body: tc.body, Kind: tc.kind, ContentType: tc.contentType, Override: tc.override})
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("decoded %.80q…, want it to hold %.40q", out, tc.want)
			}
			if d.Encoding != tc.encoding || d.Reason != tc.reason || d.Guessed() != tc.guessed {
				t.Errorf("decision %s, guessed %v; want %s (%s), guessed %v", d, d.Guessed(), tc.encoding, tc.reason, tc.guessed)
			}
		})
	}
}

func TestDecodeRewritesTheXMLDeclaration(t *testing.T) {
	body := enc(t, simplifiedchinese.GBK, `<?xml version="1.0" encoding="gb2312"?><rss><channel><title>`+simplified[1].Title+`</title></channel></rss>`)
	out, d := decode.Decode(decode.Input{Body: body, Kind: decode.Feed})
	if !strings.HasPrefix(string(out), `<?xml version="1.0" encoding="UTF-8"?>`) || d.Reason != decode.ByXMLDeclaration {
		t.Errorf("decision %s, output %.60q", d, out)
	}
}

func TestDecodeFindsTheXMLDeclarationAfterJunk(t *testing.T) {
	body := enc(t, simplifiedchinese.GBK, "\n<b>Warning</b>: session_start() failed\n"+`<?xml version="1.0" encoding="gbk"?><rss><channel><title>`+simplified[2].Title+`</title></channel></rss>`)
	out, d := decode.Decode(decode.Input{Body: body, Kind: decode.Feed})
	if !strings.Contains(string(out), `<?xml version="1.0" encoding="UTF-8"?>`) || !strings.Contains(string(out), simplified[2].Title) || d.Reason != decode.ByXMLDeclaration {
		t.Errorf("decision %s, output %.120q", d, out)
	}
}

func TestDecodeAlwaysReturnsValidUTF8(t *testing.T) {
	zh := page(simplified)
	gbkBytes := string(enc(t, simplifiedchinese.GBK, "新闻"))
	for name, body := range map[string]string{
		"BOM on damaged UTF-8":      "\xEF\xBB\xBF" + zh[:28] + "\xFF\xFE" + zh[28:],
		"UTF-8 with GBK pasted in":  zh[:100] + strings.Repeat(gbkBytes, 20) + zh[100:400],
		"UTF-8 override on garbage": "\x81\x82\xFF\xFE\x80",
	} {
		out, d := decode.Decode(decode.Input{Body: []byte(body), Override: "utf-8"})
		if !utf8.Valid(out) {
			t.Errorf("%s: decision %s, output not valid UTF-8: %q", name, d, out)
		}
	}
}

func TestDecisionSaysWhatItChose(t *testing.T) {
	_, d := decode.Decode(decode.Input{Body: enc(t, simplifiedchinese.GBK, page(simplified)), ContentType: "text/html; charset=utf-8"})
	if s := d.String(); !strings.HasPrefix(s, "gb18030 (detected ") || !strings.HasSuffix(s, ", label said utf-8)") || d.Confidence < 0.5 {
		t.Errorf("decision reads %q (confidence %.2f)", s, d.Confidence)
	}
}

func TestKnownLabels(t *testing.T) {
	for label, want := range map[string]bool{"gbk": true, "GB2312": true, "big5": true, "latin1": true, "utf-16": false, "klingon": false, "": false} {
		if got := decode.Known(label); got != want {
			t.Errorf("Known(%q) = %v, want %v", label, got, want)
		}
	}
}

package fetch_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
)

func encode(t *testing.T, e encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := e.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeFindsTheCharset(t *testing.T) {
	const zh = "大纪元新闻网：温水煮青蛙"
	const tw = "新唐人電視台：臺灣與香港"
	gbk := simplifiedchinese.GBK
	big5 := traditionalchinese.Big5
	for _, tc := range []struct {
		name, contentType, override string
		body                        []byte
		want                        string
	}{
		{"GBK page by <meta>", "text/html", "", append([]byte(`<html><head><meta charset="gbk"></head><body>`), encode(t, gbk, zh)...), zh},
		{"GB2312 page by http-equiv", "text/html", "", append([]byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312"><p>`), encode(t, gbk, zh)...), zh},
		{"GB18030-only characters in a page labelled gb2312", "text/html; charset=gb2312", "", encode(t, simplifiedchinese.GB18030, "𠮷"+zh), "𠮷" + zh},
		{"Big5 page by header", "text/html; charset=big5", "", append([]byte(`<p>`), encode(t, big5, tw)...), tw},
		{"UTF-8 with BOM beats a wrong header", "text/html; charset=gbk", "", append([]byte("\xEF\xBB\xBF<p>"), zh...), zh},
		{"wrong Latin-1 header on UTF-8", "text/html; charset=iso-8859-1", "", []byte("<p>" + zh), zh},
		{"wrong UTF-8 header on GBK with <meta>", "text/html; charset=utf-8", "", append([]byte(`<meta charset="gbk"><p>`), encode(t, gbk, zh)...), zh},
		{"undeclared GBK", "", "", encode(t, gbk, zh), zh},
		{"source override beats a lying page", "text/html; charset=utf-8", "big5", append([]byte(`<meta charset="utf-8"><p>`), encode(t, big5, tw)...), tw},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &fetch.Response{URL: "http://x/", Header: http.Header{"Content-Type": {tc.contentType}}, Body: tc.body}
			out, _ := r.Decode(decode.HTML, tc.override)
			if !strings.Contains(string(out), tc.want) {
				t.Errorf("decoded %q, want it to hold %q", out, tc.want)
			}
		})
	}
}

func TestGBKAndBig5FeedsAreDecodedOnce(t *testing.T) {
	for _, tc := range []struct {
		label string
		enc   encoding.Encoding
		title string
	}{
		{"gb2312", simplifiedchinese.GBK, "上海男子：一间急诊室挤150病患"},
		{"GBK", simplifiedchinese.GBK, "华人毒枭与陆大使密切往来"},
		{"big5", traditionalchinese.Big5, "華人毒梟與陸大使密切往來"},
	} {
		t.Run(tc.label, func(t *testing.T) {
			xml := `<?xml version="1.0" encoding="` + tc.label + `"?><rss version="2.0"><channel><title>t</title>` +
				`<item><title>` + tc.title + `</title><link>http://news.example/a/1.html</link></item></channel></rss>`
			// No charset in the header: only the declaration says it.
			r := &fetch.Response{URL: "http://news.example/feed.xml", Header: http.Header{"Content-Type": {"application/rss+xml"}}, Body: encode(t, tc.enc, xml)}
			data, d := r.Decode(decode.Feed, "")
			if d.Reason != decode.ByXMLDeclaration {
				t.Errorf("decision %s, want the XML declaration's", d)
			}
			if !strings.HasPrefix(string(data), `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("declaration not rewritten: %.60q", data)
			}
			items, err := feed.Parse(data, r.URL)
			if err != nil {
				t.Fatal(err)
			}
			if len(items) != 1 || items[0].Title != tc.title {
				t.Errorf("items %+v, want one titled %q", items, tc.title)
			}
		})
	}
}

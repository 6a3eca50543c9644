package fetch_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/fetch"
)

func TestPageDecodesWithOverrideAndKeepsFinalURL(t *testing.T) {
	body, err := simplifiedchinese.GBK.NewEncoder().String("<p>看中国新闻</p>")
	if err != nil {
		t.Fatal(err)
	}
	resp := &fetch.Response{
		URL:    "https://www.example.test/news/gb/994979.html",
		Header: http.Header{"Content-Type": {"text/html; charset=iso-8859-1"}},
		Body:   []byte(body),
	}
	page, final, d, err := resp.Page("gbk")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "看中国新闻") {
		t.Errorf("page = %q, want the GBK text decoded", page)
	}
	if d.Encoding != "gb18030" || d.Reason != decode.ByOverride || d.Contradicted != "iso-8859-1" {
		t.Errorf("decision %s, want the override over the header's label", d)
	}
	if final.Host != "www.example.test" || final.Path != "/news/gb/994979.html" {
		t.Errorf("final URL = %v", final)
	}
	resp.URL = "http://bad host/"
	if _, _, _, err := resp.Page(""); err == nil || !strings.Contains(err.Error(), "final URL") {
		t.Errorf("bad final URL: err = %v", err)
	}
}

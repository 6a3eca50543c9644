package cli_test

import (
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/testfix/presetpages"
)

// ogTitle finds a page's og:title, the title try reports for it.
var ogTitle = regexp.MustCompile(`<meta property="og:title" content="([^"]*)">`)

func TestTryFileUsesTheConfiguredChannelRules(t *testing.T) {
	page := presetpages.Page(t, "secretchina", "1003540")
	file := filepath.Join(t.TempDir(), "1003540.html")
	if err := os.WriteFile(file, page, 0o644); err != nil {
		t.Fatal(err)
	}
	title := html.UnescapeString(string(ogTitle.FindSubmatch(page)[1]))
	code, out, errOut := run(t, "try", "-c", "../../examples/goodnews.yaml", "--file", file,
		"--url", "https://www.secretchina.com/news/gb/2022/04/20/1003540.html")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{
		"rules     secretchina/p1 (../../examples/goodnews.yaml, feed host secretchina.com)",
		"matched   body[0] div.article_right",
		"title     " + title,
		"images    2",
		"warnings  none",
		"sanitized ok",
		"── page pages/p1/1003540.md ──",
		"### " + title,
		"💌 退出中共组织",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestTryFetchesALoopbackURLAndPrintsTheBody(t *testing.T) {
	page := presetpages.Page(t, "ntdtv", "a102517471")
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	}))
	defer srv.Close()
	code, out, errOut := run(t, "try", srv.URL+"/gb/2019/02/22/a102517471.html", "--preset", "ntdtv", "--html")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"rules     preset ntdtv", "images    4", "── body HTML ──", `<div class="featured_image">`, "<!-- promo -->"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "print_link") || strings.Contains(out, "<script") {
		t.Errorf("body keeps removed parts:\n%s", out)
	}
}

func TestTryWarnsWhenTheSelectorMisses(t *testing.T) {
	dir := t.TempDir()
	page := dir + "/p.html"
	os.WriteFile(page, []byte(`<html><head><title>改版</title></head><body><main><article>`+
		strings.Repeat("<p>这是网站改版之后的文章正文，原来的选择器已经找不到它了。</p>", 8)+`</article></main></body></html>`), 0o644)
	code, out, _ := run(t, "try", "--preset", "rfa", "--file", page, "--url", "https://www.rfa.org/mandarin/x.html")
	if code != cli.ExitOK {
		t.Fatalf("exit %d", code)
	}
	for _, want := range []string{"matched   readability", "! body selector div#storytext matched nothing", "! fallback used"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// TestTryKeepsEveryParagraphOfAnUnclosedForm: old CMS pages wrap the whole
// article in one <form>, sometimes unclosed; every paragraph must reach
// the page, the form controls must not, and the retention shows it.
func TestTryKeepsEveryParagraphOfAnUnclosedForm(t *testing.T) {
	paras := []string{"第一段：区议会昨晚通过了新一年的预算案。", "第二段：道路维修是预算中最大的一项。",
		"第三段：图书馆的经费被削减，引起了争议。", "第四段：议长说明年春天会再举行听证。"}
	page := filepath.Join(t.TempDir(), "p.html")
	body := `<html><head><title>区议会通过新预算</title></head><body><div class="article_right">` +
		`<form name="aspnetForm" method="post" action="./news.aspx"><input type="hidden" name="__VIEWSTATE" value="dDwtMTA4MTk=">` +
		"<p>" + strings.Join(paras, "</p><p>") + `</p><input type="text" name="q"><button>搜索</button></div></body></html>`
	if err := os.WriteFile(page, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := run(t, "try", "--preset", "secretchina", "--file", page, "--url", "https://www.secretchina.com/news/gb/1.html", "--html")
	if code != cli.ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range append(paras, "100% of the", "warnings  none", "sanitized ok") {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, not := range []string{"VIEWSTATE", "搜索", "<form", "<input"} {
		if strings.Contains(out, not) {
			t.Errorf("output keeps %q:\n%s", not, out)
		}
	}
}

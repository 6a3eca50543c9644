package weigh_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/weigh"
)

func TestPageCountsLocalRemoteAndBrokenResources(t *testing.T) {
	dir := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("assets/ab/ab.png", "0123456789")
	write("style.css", "body{}")
	write("pages/c/1.md", `### 标题
<img src="../../assets/ab/ab.png"/> <img src='../../assets/ab/ab.png?x'/>
![图](../../assets/ab/ab.png) <img src="/kzgd/ad.gif"/> <img src="data:image/gif;base64,R0lG"/>
<img src='https://cdn.example/q.png'/> <img src="//img.example/a.jpg"/> <img src="../../assets/zz/missing.png"/>
[链接](../../README.md)
`)
	write("pages/c/1.html", `<link rel="stylesheet" href="../../style.css"><img src="../../assets/ab/ab.png"><a href="https://x.example/">x</a>`)

	md, err := weigh.Page(dir, "pages/c/1.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(md.Local) != 1 || md.Inline != 1 || len(md.Remote) != 2 || len(md.Broken) != 2 {
		t.Errorf("md: local %v, inline %d, remote %v, broken %v", md.Local, md.Inline, md.Remote, md.Broken)
	}
	if md.Requests() != 1+1+2+2 || !strings.Contains(md.String(), "img.example×1") {
		t.Errorf("md: %d requests; %s", md.Requests(), md)
	}
	page, err := weigh.Page(dir, "pages/c/1.html")
	if err != nil {
		t.Fatal(err)
	}
	if page.Requests() != 3 || len(page.Remote) != 0 || page.Bytes() != page.PageBytes+10+6 {
		t.Errorf("html: %s (a link is not a request; the stylesheet and image are)", page)
	}
}

package seedsource

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// The digests of the page and feed this transformation gave when the
// rebuilt files were still committed (they were built, and checked, by
// hand from the reference page): a change in the rebuild shows here.
const (
	pageSHA256 = "27146ab549eae761c2fe57d3d9f3346f333eabf62eb222aeed0afaf06472d029"
	feedSHA256 = "abed9c9e4f0569231026e059ac2fe924b56c4aba9d1b3872581769ad5c5aa5df"
)

func TestRebuildGivesTheRecordedSourceByteForByte(t *testing.T) {
	if got := fmt.Sprintf("%x", sha256.Sum256(Page(t))); got != pageSHA256 {
		t.Errorf("page sha256 %s, want %s", got, pageSHA256)
	}
	if got := fmt.Sprintf("%x", sha256.Sum256(Feed(t))); got != feedSHA256 {
		t.Errorf("feed sha256 %s, want %s", got, feedSHA256)
	}
}

// miniReference is a published page of our own in the reference's shape:
// prettify()'s indentation, <span href>, a <br> closed around its text, a
// promo in the ad slot, block elements nested in the last paragraph.
const miniReference = `### 小标题
------------------------

#### [首页](../../README.md?1)

<div class="article_right">
 <p>
  <img alt="图" src="https://img.example.test/a.jpg"/>
  <br>
   图片说明
  </br>
 </p>
 <div id="txt-mid1-t21-2017">
  

#### [ 💌 推广](https://example.test/promo.md?1)

<div>
  </div>
 </div>
 <p>
  【看中国2024年5月1日讯】第一句。第二句。第三句。
  <span href="https://www.example.test/tag/a" target="_blank">
   标签
  </span>
 </p>
 <div>
  <center>
   <div id="div-gpt-ad-1-0">
   </div>
  </center>
 </div>
 <p>
  第二段。
 </p>
 <p>
  最后一段。
  <div>
   <center>
    <ins class="adsbygoogle" data-ad-slot="1">
    </ins>
   </center>
  </div>
  <p>
   来源:
   <span href="/tag/x">
    某台
   </span>
  </p>
 </p>
</div>

<hr/>
手机上长按并复制下列链接或二维码分享本文章：<br/>
`

func TestRebuildUndoesTheMirrorsChanges(t *testing.T) {
	page, feed, err := Rebuild([]byte(miniReference))
	if err != nil {
		t.Fatal(err)
	}
	body := string(page)
	body = body[strings.Index(body, `<div class="article_right">`):strings.Index(body, "</div>\n</div>\n<div class=\"sidebar\">")]
	want := `<div class="article_right">
<p><img alt="图" src="//img.example.test/a.jpg"/><br/>图片说明</p>
<div id="txt-mid1-t21-2017"><div></div></div>
<p>【看中国2024年5月1日讯】第一句。第二句。第三句。<a href="https://www.example.test/tag/a" target="_blank">标签</a></p>
<div><center><div id="div-gpt-ad-1-0"><script>googletag.cmd.push(function() { googletag.display('div-gpt-ad-1-0'); });</script></div></center></div>
<p>第二段。</p>
<iframe width="600" height="338" src="https://www.youtube.com/embed/xyz" frameborder="0" allow="autoplay; encrypted-media" allowfullscreen></iframe>
<p>最后一段。</p>
<div><center><script async src="//pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script><ins class="adsbygoogle" data-ad-slot="1"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></center></div>
<p>来源:<a href="/tag/x">某台</a></p>
`
	if body != want {
		t.Errorf("article div =\n%s\nwant\n%s", body, want)
	}
	for _, s := range []string{"<title>小标题</title>", `<meta name="description" content="第一句。第二句。">`} {
		if !strings.Contains(string(page), s) {
			t.Errorf("page lacks %s", s)
		}
	}
	if !strings.Contains(string(feed), "<title>小标题</title>\r\n") || strings.Contains(strings.ReplaceAll(string(feed), "\r\n", ""), "\n") {
		t.Errorf("feed lacks the title or has a bare LF:\n%s", feed)
	}
}

func TestRebuildSaysWhatItCouldNotFind(t *testing.T) {
	for ref, want := range map[string]string{
		"no title\n":        "not a ### title",
		"### t\n<p>x</p>\n": "no article div",
		"### t\n<div class=\"article_right\"><p>x</div>\n<hr/>\n": "closes",
	} {
		if _, _, err := Rebuild([]byte(ref)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Rebuild(%q) = %v, want an error saying %q", ref, err, want)
		}
	}
}

package presetpages

import (
	"crypto/sha256"
	"fmt"
	"strings"
	"testing"
)

// recorded are the SHA-256 digests of the cases as the first
// reconstruction (a Python script, since ported here) wrote them when they
// were committed: a change in the rebuild shows here, case by case.
var recorded = map[string]string{
	"epochtimes/feed-content-1": "5ccc37b2f16d6bee7736da54e32ba4d5d219aba7d66d88c3e90846a850c30ee6",
	"epochtimes/feed-content-2": "39f1308b4b491fceb7f240777070885c81f596c491fab2a97d5667894426a765",
	"epochtimes/n12414284":      "72c1c11b427dfae69823293a5a268a6d128abd24fc382df41489158f6db14804",
	"epochtimes/n12475327":      "803c72273b4d04ac0dd8ad74e4e5a43d1ecac4d30598008ba98bab36d2a22961",
	"minghui/418641":            "da60ce75b2e094f78a2751eb3f26af4038e6b5aceb154cde9dbda57b9664e62a",
	"minghui/419093":            "05c31b837bcc20fe3853f81eafb69b5b0f92754d49a7610ba8385f54b952a146",
	"ntdtv/a102517471":          "7470705c49bac447f23d449e6e862fdb17686cc89d7aab69746cd9cbbdccd15b",
	"ntdtv/a102964127":          "1be7b4e7180006d28040029d244855055b21deed5be3ca2d8778a174b8621c76",
	"rfa/bl-06202016123531":     "821a605977c8ad2f1e64fb840e9c1dd65ab4fc202de01b8734e0dd5a91b84e78",
	"rfa/hp-07162020134057":     "7eb9e04b47c7fc23ab2dd3ac7156d4d45259ca0413b1376c84fd2ffdcc047b91",
	"secretchina/1003540":       "9032b6bd094f3af68f2cd73e6fadd8643ea83028f94b2a79c8c8641cad9e2a05",
	"secretchina/947290":        "45e82b23e8c723145f83062228e01294d3e39dbbcbf03cd005c63c9fab0905c2",
	"soundofhope/218313":        "686c02ad099d5320f60001ed81b2b730204e0196528ebc02522e90b48f1e240b",
	"soundofhope/595855":        "b742a76892e57f3637317c4de9102d32f52dc4dfe9aa628b3db77d48bb02a8d7",
}

func TestCasesAreTheRecordedReconstructions(t *testing.T) {
	cases := Cases(t)
	if len(cases) != len(recorded) {
		t.Errorf("%d cases, want %d", len(cases), len(recorded))
	}
	for _, c := range cases {
		key := c.Preset + "/" + c.Name
		if got := fmt.Sprintf("%x", sha256.Sum256(c.Page)); got != recorded[key] {
			t.Errorf("%s: sha256 %s, want %s", key, got, recorded[key])
		}
	}
}

// published is a page of our own in the reference system's shape.
const published = "### 标题 <一>\n------------------------\n\n" +
	"#### [首页](../../README.md?1)  &nbsp;|&nbsp; [频道](../../indexes/x.md?1)\n\n\n" +
	"<div><img alt=\"图\" src=\"https://img.example.test/a.jpg\"/><br/> <figcaption>说明</figcaption></div><hr/>\n" +
	"#### [ 💌 推广](https://example.test/promo.md?1)\n\n" +
	"<div><h4>小标题</h4><p>正文<ok href=\"https://example.test/x\">链接</ok>。</p></div>\n\n<hr/>\n" +
	"手机上长按并复制下列链接或二维码分享本文章：<br/>\n"

func TestSitesUndoThePublishedForm(t *testing.T) {
	title, text, err := chunk(published)
	if err != nil {
		t.Fatal(err)
	}
	if title != "标题 <一>" || strings.Contains(text, "💌") || strings.HasSuffix(text, "<hr/>") {
		t.Fatalf("chunk = %q, %q", title, text)
	}
	for name, build := range map[string]func(string, string, string) string{
		"epochtimes": epochtimes, "ntdtv": ntdtv, "soundofhope": soundofhope, "rfa": rfa, "minghui": minghui, "secretchina": secretchina,
	} {
		page := build(title, text, "https://example.test/1.html")
		for _, want := range []string{`<link rel="canonical" href="https://example.test/1.html">`, "<title>标题 &lt;一&gt; | ",
			`<a href="https://example.test/x">链接</a>`, `<div class="sidebar">`} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: page lacks %s:\n%s", name, want, page)
			}
		}
		if strings.Contains(page, "<ok") {
			t.Errorf("%s: page keeps <ok>", name)
		}
	}
	if page := epochtimes(title, text, "u"); !strings.Contains(page, `<img class="lazy" alt="图" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="https://img.example.test/a.jpg"/><noscript>`) ||
		!strings.Contains(page, "<h2>小标题</h2>") {
		t.Errorf("epochtimes: no lazy lead image or <h2> restored:\n%s", page)
	}
	if page := soundofhope(title, text, "u"); !strings.Contains(page, `<figure class="OImage__StyledFigure-sc-1lfley0-0 hHSfVg"><img alt="图" src="https://img.example.test/a.jpg"/><figcaption>`) {
		t.Errorf("soundofhope: lead figure not rebuilt:\n%s", page)
	}
}

func TestRefillAdSlotPutsAnAdWhereThePromoWas(t *testing.T) {
	for in, want := range map[string]string{
		`<div id="txt-mid1-t21-2017">promo</div> </div><p>x</p>`:    `<div id="txt-mid1-t21-2017"><div class="ad"><script>googletag.display("ad")</script></div></div><p>x</p>`,
		`<div id="txt-mid1-t21-2017">promo<div>x</div></div></div>`: `<div id="txt-mid1-t21-2017">promo<div>x</div></div></div>`,
		`<div id="txt-mid1-t21-2017">a</div>b</div></div><p>y</p>`:  `<div id="txt-mid1-t21-2017"><div class="ad"><script>googletag.display("ad")</script></div></div><p>y</p>`,
	} {
		if got := refillAdSlot(in); got != want {
			t.Errorf("refillAdSlot(%q) =\n%q\nwant\n%q", in, got, want)
		}
	}
}

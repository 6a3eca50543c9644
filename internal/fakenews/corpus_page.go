package fakenews

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
	"time"
)

// phrases are the pieces paragraphs are made of.
var phrases = []string{
	"哈萨克斯坦局势牵涉各大国", "包括中国在当地的大量利益", "俄罗斯在中亚的影响", "随着当局这次出兵而增大",
	"土耳其在经济领域中的参与虽然不多", "但双方却在安全情报和文化交流领域密切合作", "外长视频会议讨论局势",
	"专家呼吁民众尽快接种加强针", "数据显示过去24小时新增病例创新高", "消息人士透露", "据知情人士说",
	"官方媒体对此保持沉默", "网民在社交媒体上纷纷留言", "分析人士认为这一举措意义重大", "当地居民表示生活受到影响",
	"这一政策引发了广泛争议", "经济学家警告通胀压力持续上升", "房地产市场继续低迷", "地方政府债务问题日益突出",
	"历史学家指出", "在那个动荡的年代", "许多家庭因此失散", "文化传统在变迁中得以保存", "记者在现场看到",
	"人权组织发表声明", "要求当局释放被关押的人士", "国际社会对此表示关注", "北京时间周三上午",
}

var punct = []string{"，", "，", "，", "。", "；", "、"}

var corpusTags = []string{"普京", "习近平", "哈萨克斯坦", "土耳其", "疫情", "经济", "人权", "历史", "文化", "房地产"}

type corpusArticle struct {
	id      int
	channel int
	title   string
	lead    string
	tags    []string
	source  string
	date    time.Time
	// photos, when set, are the page's only pictures: the lead picture
	// and then one inline picture for each of the rest.
	photos []string
}

func newCorpusArticle(rng *rand.Rand, id, channel int, date time.Time) *corpusArticle {
	a := &corpusArticle{id: id, channel: channel, date: date, source: []string{"美国之音", "自由亚洲", "看中国"}[rng.IntN(3)]}
	a.title = phrase(rng) + " " + phrase(rng) + "(图)"
	a.lead = sentence(rng, 4)
	for range 2 + rng.IntN(4) {
		a.tags = append(a.tags, corpusTags[rng.IntN(len(corpusTags))])
	}
	return a
}

func phrase(rng *rand.Rand) string { return phrases[rng.IntN(len(phrases))] }

// sentence is n phrases joined by punctuation, ending with a full stop.
func sentence(rng *rand.Rand, n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(phrase(rng))
		if i == n-1 {
			b.WriteString("。")
		} else {
			b.WriteString(punct[rng.IntN(len(punct))])
		}
	}
	return b.String()
}

func (a *corpusArticle) path() string {
	return fmt.Sprintf("news/gb/%s/%d.html", a.date.Format("2006/01/02"), a.id)
}

// feedItem links the page by its path: the corpus is served on any address.
func (a *corpusArticle) feedItem() rssItem {
	return rssItem{Title: a.title, Link: "/" + a.path(), Description: a.lead, PubDate: a.date.Format(time.RFC1123Z), GUID: "/" + a.path()}
}

// page renders the article's page, its body grown to about size bytes.
func (a *corpusArticle) page(rng *rand.Rand, size int) []byte {
	var b strings.Builder
	b.Grow(size + 4096)
	ch := CorpusChannels[a.channel]
	fmt.Fprintf(&b, pageHead, a.title, strings.Join(a.tags, ","), a.lead, a.path(), a.path())
	for _, c := range CorpusChannels {
		fmt.Fprintf(&b, "<li><a href=\"/news/gb/%s.html\">%s</a></li>\n", c.ID, c.Name)
	}
	fmt.Fprintf(&b, articleHead, ch.ID, ch.Name, a.title, a.date.Format("2006-01-02 15:04"), a.source)
	a.writeLead(&b, rng)
	inline := 1
	fmt.Fprintf(&b, "<p>【看中国%s讯】<ok><a href=\"https://www.secretchina.com/news/gb/tag/%s\" target=\"_blank\">%s</a></ok>%s</p>\n",
		a.date.Format("2006年1月2日"), a.tags[0], a.tags[0], a.lead)
	tail := len(articleTail) + len(pageTail) + 600
	for i := 0; b.Len()+tail < size; i++ {
		switch {
		case i%7 == 6:
			fmt.Fprintf(&b, "<h4><ok>%s</ok></h4>\n", phrase(rng))
		case i%3 == 2:
			b.WriteString("<div><center><div id=\"div-gpt-ad-1589559869784-0\"></div></center></div>\n")
		case i%11 == 10:
			b.WriteString("<script>window.ad=(window.ad||0)+1</script>\n<p><iframe src=\"https://ads.example.invalid/x\" width=\"300\" height=\"250\" frameborder=\"0\"></iframe></p>\n")
		case i%13 == 12 && a.photos != nil && inline < len(a.photos):
			fmt.Fprintf(&b, "<p style=\"text-align: center;\"><img alt=\"%s\" src=\"%s\"/><br/>%s</p>\n", phrase(rng), html.EscapeString(a.photos[inline]), phrase(rng))
			inline++
		case i%13 == 12 && a.photos == nil:
			fmt.Fprintf(&b, "<p style=\"text-align: center;\"><img alt=\"%s\" src=\"//img5.secretchina.com/pic/%d-%d.jpg\" style=\"height:337px; width:600px\"/><br/>%s</p>\n", phrase(rng), a.id, i, phrase(rng))
		default:
			t := corpusTags[rng.IntN(len(corpusTags))]
			fmt.Fprintf(&b, "<p>%s<a href=\"/news/gb/tag/%s\" target=\"_blank\">%s</a>%s</p>\n", sentence(rng, 3+rng.IntN(6)), t, t, sentence(rng, 2+rng.IntN(8)))
		}
	}
	fmt.Fprintf(&b, articleTail, a.source, a.source)
	for _, t := range a.tags {
		fmt.Fprintf(&b, "<a href=\"/news/gb/tag/%s\">%s</a> ", t, t)
	}
	fmt.Fprintf(&b, pageTail, a.id)
	return []byte(b.String())
}

// writeLead writes the lead picture: the first of photos, or the
// reference site's picture URL.
func (a *corpusArticle) writeLead(b *strings.Builder, rng *rand.Rand) {
	if len(a.photos) == 0 {
		fmt.Fprintf(b, leadImage, a.title, a.date.Format("2006/1-2"), a.id, phrase(rng))
		return
	}
	lead := strings.Replace(leadImage, "//img5.secretchina.com/pic/%s/p%d-ss.jpg", "%s", 1)
	fmt.Fprintf(b, lead, a.title, html.EscapeString(a.photos[0]), phrase(rng))
}

const pageHead = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<meta name="keywords" content="%s">
<meta name="description" content="%s">
<meta property="og:url" content="https://www.secretchina.com/%s">
<link rel="canonical" href="https://www.secretchina.com/%s">
<link rel="stylesheet" href="/news/css/gb/article.css">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/21732118914/secretchina_article_in', [300, 250], 'div-gpt-ad-1589559869784-0').addService(googletag.pubads());
    googletag.enableServices();
  });
</script>
</head>
<body>
<div class="header">
<div class="logo"><a href="https://www.secretchina.com/"><img src="//img5.secretchina.com/images/logo_gb.png" alt="看中国"></a></div>
<ul class="nav">
<li><a href="/news/gb/">首页</a></li>
`

const articleHead = `</ul>
</div>
<div class="main">
<div class="article">
<div class="crumb"><a href="/news/gb/">首页</a> &gt; <a href="/news/gb/%s.html">%s</a> &gt; 正文</div>
<h1>%s</h1>
<div class="info"><span class="time">%s</span> <span class="source">%s</span></div>
<div class="article_right" style="fone-color:#000">
`

const leadImage = `<p style="text-align: center;"><img alt="%s" src="//img5.secretchina.com/pic/%s/p%d-ss.jpg" style="height:337px; width:600px"/><br/>%s（图片来源：Getty Images）<span id="hideid" style="color:red;display:none;"><a href="https://www.secretchina.com"></a></span></p>
<div id="txt-mid1-t21-2017"><div></div></div>
`

const articleTail = `<p>来源:<a href="/news/gb/tag/%s">%s</a></p>
<p>本文短网址:<input name="lname" onclick="javascript:this.focus();this.select();" type="text" value="http://kzg.io/gb4Aq3"/>版权所有，任何形式转载需看中国授权许可。<span style="color:red">严禁建立镜像网站</span>.</p>
<center><div><div id="txt-mid2-t22-2017"><script async src="//pagead2.googlesyndication.com/pagead/js/adsbygoogle.js"></script><ins class="adsbygoogle" data-ad-client="ca-pub-1276641434651360"></ins><script>(adsbygoogle = window.adsbygoogle || []).push({});</script></div></div></center>
</div>
</div>
<div class="tags">标签：`

const pageTail = `</div>
<div class="sidebar">
<h3>相关文章</h3>
<ul class="related">
<li><a href="/news/gb/2022/01/12/994901.html">哈萨克斯坦骚乱平息后 托卡耶夫任命新总理(图)</a></li>
<li><a href="/news/gb/2022/01/11/994836.html">集安组织维和部队入驻阿拉木图机场 中亚局势牵动各方(图)</a></li>
</ul>
</div>
</div>
<div class="footer">
<p><a href="/news/gb/about.html">关于我们</a> | <a href="/news/gb/contact.html">联系我们</a></p>
<p>Copyright &copy; 2002-2026 secretchina.com 看中国 版权所有</p>
</div>
<script>
  (function() { var s = document.createElement('script'); s.async = true; s.src = '//stat.secretchina.com/count.js?id=%d'; document.body.appendChild(s); })();
</script>
</body>
</html>
`

package seedsource

// The parts of the source page and feed that newsmirror's authors
// invented around the article: the site's head, menu, sidebar, footer and
// tracking script, and the channel's feed with two more items. The
// article's title and description come from the reference page.

const pageHead = `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<meta name="keywords" content="普京,习近平,埃尔多安,哈萨克斯坦,土耳其">
<meta name="description" content="{{.Description}}">
<meta property="og:title" content="{{.Title}}">
<meta property="og:url" content="https://www.secretchina.com/news/gb/2022/01/13/994979.html">
<meta property="og:image" content="https://img5.secretchina.com/pic/2022/1-1/p3070852a686610461-ss.jpg">
<link rel="canonical" href="https://www.secretchina.com/news/gb/2022/01/13/994979.html">
<link rel="stylesheet" href="/news/css/gb/article.css">
<script async src="https://securepubads.g.doubleclick.net/tag/js/gpt.js"></script>
<script>
  window.googletag = window.googletag || {cmd: []};
  googletag.cmd.push(function() {
    googletag.defineSlot('/21732118914/secretchina_article_in', [300, 250], 'div-gpt-ad-1589559869784-0').addService(googletag.pubads());
    googletag.defineSlot('/21732118914/secretchina_article_mid', [300, 250], 'div-gpt-ad-1624511609196-0').addService(googletag.pubads());
    googletag.enableServices();
  });
</script>
</head>
<body>
<div class="header">
<div class="logo"><a href="https://www.secretchina.com/"><img src="//img5.secretchina.com/images/logo_gb.png" alt="看中国"></a></div>
<ul class="nav">
<li><a href="/news/gb/">首页</a></li>
<li><a href="/news/gb/p1.html">看大陆</a></li>
<li><a href="/news/gb/p2.html">看官场</a></li>
<li><a href="/news/gb/p3.html">看民生</a></li>
<li><a href="/news/gb/p9.html" class="current">看世界</a></li>
<li><a href="/news/gb/p6.html">看史海</a></li>
<li><a href="/news/b5/2022/01/13/994979.html">繁體</a></li>
</ul>
</div>
<div class="main">
<div class="article">
<div class="crumb"><a href="/news/gb/">首页</a> &gt; <a href="/news/gb/p9.html">看世界</a> &gt; 正文</div>
<h1>{{.Title}}</h1>
<div class="info"><span class="time">2022-01-13 11:05</span> <span class="source">美国之音</span></div>
`

const pageTail = `</div>
<div class="sidebar">
<h3>相关文章</h3>
<ul class="related">
<li><a href="/news/gb/2022/01/12/994901.html">哈萨克斯坦骚乱平息后 托卡耶夫任命新总理(图)</a></li>
<li><a href="/news/gb/2022/01/11/994836.html">集安组织维和部队入驻阿拉木图机场 中亚局势牵动各方(图)</a></li>
<li><a href="/news/gb/2022/01/10/994760.html">俄美日内瓦会谈无突破 乌克兰边境局势仍紧张(图)</a></li>
</ul>
<h3>热门排行</h3>
<ol class="hot">
<li><a href="/news/gb/2022/01/13/994950.html">德国新增确诊病例再创新高 专家吁尽快接种加强针(图)</a></li>
<li><a href="/news/gb/2022/01/13/994980.html">托卡耶夫宣布集安组织部队两天后开始撤离哈萨克斯坦(图)</a></li>
</ol>
</div>
</div>
<div class="footer">
<p><a href="/news/gb/about.html">关于我们</a> | <a href="/news/gb/contact.html">联系我们</a> | <a href="/kzgd/subscribe.html">荣誉会员</a></p>
<p>Copyright &copy; 2002-2022 secretchina.com 看中国 版权所有</p>
</div>
<script>
  (function() { var s = document.createElement('script'); s.async = true; s.src = '//stat.secretchina.com/count.js?id=994979'; document.body.appendChild(s); })();
</script>
</body>
</html>
`

// feedTemplate is an RSS 2.0 feed in the style of the real secretchina
// feeds; items 994980 and 994950 are invented and have no page.
const feedTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0">
  <channel>
    <title>看中國 看世界 http://www.secretchina.com</title>
    <link>http://www.secretchina.com</link>
    <description>http://www.secretchina.com  看中國</description>
    <copyright>Copyright @ 2002-2022,    secretchina.com</copyright>
    <dc:rights>Copyright @ 2002-2022,    secretchina.com</dc:rights>
    <item>
      <title>{{.Title}}</title>
      <link>https://www.secretchina.com/news/gb/2022/01/13/994979.html</link>
      <description>{{.Description}}中国、土耳其等各方都在关注着哈萨克局势发展。</description>
      <pubDate>Thu, 13 Jan 2022 03:05:27 GMT</pubDate>
      <guid>https://www.secretchina.com/news/gb/2022/01/13/994979.html</guid>
      <dc:creator>www.secretchina.com</dc:creator>
      <dc:date>2022-01-13T03:05:27Z</dc:date>
    </item>
    <item>
      <title>托卡耶夫宣布集安组织部队两天后开始撤离哈萨克斯坦(图)</title>
      <link>https://www.secretchina.com/news/gb/2022/01/13/994980.html</link>
      <description>哈薩克斯坦總統托卡耶夫11日表示，由俄羅斯主導的集體安全條約組織派遣的部隊已完成主要任務，將於兩天後開始分階段撤離。</description>
      <pubDate>Thu, 13 Jan 2022 02:41:09 GMT</pubDate>
      <guid>https://www.secretchina.com/news/gb/2022/01/13/994980.html</guid>
      <dc:creator>www.secretchina.com</dc:creator>
      <dc:date>2022-01-13T02:41:09Z</dc:date>
    </item>
    <item>
      <title>德国新增确诊病例再创新高 专家吁尽快接种加强针(图)</title>
      <link>https://www.secretchina.com/news/gb/2022/01/13/994950.html</link>
      <description>德国罗伯特·科赫研究所公布的数据显示，德国过去24小时新增新冠确诊病例超过8万例，创疫情暴发以来单日新高。专家呼吁民众尽快接种加强针。</description>
      <pubDate>Thu, 13 Jan 2022 00:18:52 GMT</pubDate>
      <guid>https://www.secretchina.com/news/gb/2022/01/13/994950.html</guid>
      <dc:creator>www.secretchina.com</dc:creator>
      <dc:date>2022-01-13T00:18:52Z</dc:date>
    </item>
  </channel>
</rss>

`

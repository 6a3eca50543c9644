package presetpages

import "strings"

// page wraps the article container (its "{inner}" replaced by inner) in
// invented page furniture: head with scripts, menu, search form, share
// bar, sidebar, footer, analytics script and tracking pixel.
func page(title, url, container, inner, site string) string {
	r := strings.NewReplacer("{title}", escape(title), "{url}", url, "{site}", site,
		"{content}", strings.Replace(container, "{inner}", inner, 1))
	return r.Replace(pageTemplate)
}

const pageTemplate = `<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<title>{title} | {site}</title>
<meta property="og:title" content="{title}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}</script>
</head><body>
<div class="header"><ul class="menu"><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li><li><a href="/opinion/">评论</a></li></ul>
<form action="/search"><input name="q"></form></div>
<div class="main">
<div class="share_bar"><a href="https://www.facebook.com/sharer.php?u={url}">分享</a><a href="javascript:window.print()">打印</a></div>
{content}
<div class="sidebar"><h3>热门文章</h3><ul><li><a href="/hot/1.html">热门一</a></li><li><a href="/hot/2.html">热门二</a></li></ul></div>
</div>
<div class="footer">© {site}</div>
<script src="//cdn.example-analytics.com/a.js"></script>
<img src="https://stat.{site}/pixel.gif?u=1" width="1" height="1" alt="">
</body></html>
`

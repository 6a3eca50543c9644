#!/usr/bin/env python3
"""Builds the preset fixtures (testdata/<site>/<case>.html) from the article
HTML embedded in real published pages of the reference system
(../shared/fixtures/real/pages, see SOURCES.md there).

The reference system published each article's HTML inside a Markdown page,
with <a> rewritten to <ok>, the lead image block and the body in <div>
wrappers separated by <hr/>, and a promo block in between. This script undoes
that (promo lines dropped, <ok> back to <a>, wrappers removed, demoted
headings restored, lazy-loading put back where the site used it) and wraps
the result in the site's page container with the usual page furniture
(menus, scripts, share bars, related posts, tracking pixel) so the presets
have something to remove. The containers follow each site's markup as the
reference scripts selected it; they are reconstructions, not captures.

Run from internal/extract:  python3 testdata/mkfixtures.py ../../../shared/fixtures/real
"""
import os, re, sys, html

REAL = sys.argv[1] if len(sys.argv) > 1 else "../../../shared/fixtures/real"
OUT = os.path.dirname(os.path.abspath(__file__))

def chunk(md):
    """The embedded HTML of a published page: between the nav bar and the share block."""
    lines = md.replace("\r\n", "\n").split("\n")
    start = next(i for i, l in enumerate(lines) if l.startswith("#### [首页]")) + 1
    end = max(i for i, l in enumerate(lines) if l.startswith("手机上长按"))
    body = [l for l in lines[start:end] if not l.startswith("####")]
    text = "\n".join(body).strip()
    text = re.sub(r"<hr/>\s*$", "", text).strip()
    title = lines[0].lstrip("# ").strip()
    return title, text

def unok(s):
    return s.replace("<ok ", "<a ").replace("<ok>", "<a>").replace("</ok>", "</a>")

def unwrap(s):
    s = s.strip()
    if s.startswith("<div>") and s.endswith("</div>"):
        return s[5:-6].strip()
    return s

def split_lead(text):
    """(lead, body) when the page starts with a lead block and <hr/>."""
    m = re.match(r"(?s)^(<div>.*?</div>)<hr/>\s*(.*)$", text)
    if m and "<img" in m.group(1) and len(m.group(1)) < 3000:
        return unwrap(m.group(1)), m.group(2).strip()
    return "", text

def page(title, url, container, inner, site):
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8">
<title>{html.escape(title)} | {site}</title>
<meta property="og:title" content="{html.escape(title, quote=True)}">
<link rel="canonical" href="{url}">
<link rel="stylesheet" href="/static/site.css">
<script>window.dataLayer=[];function gtag(){{dataLayer.push(arguments)}}</script>
</head><body>
<div class="header"><ul class="menu"><li><a href="/">首页</a></li><li><a href="/news/">新闻</a></li><li><a href="/opinion/">评论</a></li></ul>
<form action="/search"><input name="q"></form></div>
<div class="main">
<div class="share_bar"><a href="https://www.facebook.com/sharer.php?u={url}">分享</a><a href="javascript:window.print()">打印</a></div>
{container.format(inner=inner)}
<div class="sidebar"><h3>热门文章</h3><ul><li><a href="/hot/1.html">热门一</a></li><li><a href="/hot/2.html">热门二</a></li></ul></div>
</div>
<div class="footer">© {site}</div>
<script src="//cdn.example-analytics.com/a.js"></script>
<img src="https://stat.{site}/pixel.gif?u=1" width="1" height="1" alt="">
</body></html>
"""

def demote_back(s, pairs):
    for to, frm in pairs:
        s = re.sub(rf"<(/?){frm}(\s|>)", rf"<\1{to}\2", s)
    return s

def lazy(lead):
    """Lead image lazy-loaded, with a <noscript> copy, as epochtimes served it."""
    def rep(m):
        tag = m.group(0)
        src = re.search(r'src="([^"]*)"', tag).group(1)
        lazy_tag = tag.replace(f'src="{src}"', f'src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="{src}"').replace("<img ", '<img class="lazy" ', 1)
        return f"{lazy_tag}<noscript>{tag}</noscript>"
    return re.sub(r"<img [^>]*/?>", rep, lead, count=1)

def write(site, case, content):
    os.makedirs(os.path.join(OUT, site), exist_ok=True)
    with open(os.path.join(OUT, site, case + ".html"), "w") as f:
        f.write(content)

def read(path):
    with open(os.path.join(REAL, "pages", path), encoding="utf-8") as f:
        return f.read()

RELATED = '<div class="post_related"><h3>相关文章</h3><ul><li><a href="/gb/1.html">相关一</a></li></ul></div>'
PRINT = '<div class="print_link"><a href="javascript:window.print()">打印本文</a></div>'

def secretchina(path, case, url):
    title, text = chunk(read(path))
    # The reference wrote its promo into the ad slot in place of the ad's
    # inner <div>; put an ad back so the slot is balanced again.
    text = re.sub(r'(?s)(<div id="txt-mid1-t21-2017">)(?:(?!<div).)*?</div>\s*</div>',
                  r'\1<div class="ad"><script>googletag.display("ad")</script></div></div>', text)
    write("secretchina", case, page(title, url, '<div class="article_left"><a href="/news/gb/">看中国</a></div>\n{inner}', unok(text), "secretchina.com"))

def ntdtv(path, case, url):
    title, text = chunk(read(path))
    lead, body = split_lead(text)
    body = unwrap(body)
    body = re.sub(r"</div>\s*$", RELATED + PRINT + "\n</div>", body)
    inner = unok(f'<h1 class="article_title">{html.escape(title)}</h1>\n{lead}\n{body}')
    write("ntdtv", case, page(title, url, '<div class="article_content">\n{inner}\n</div>', inner, "ntdtv.com"))

def epochtimes(path, case, url):
    title, text = chunk(read(path))
    lead, body = split_lead(text)
    lead = lazy(lead)
    img = re.match(r"(?s)(.*?</noscript>)(.*)$", lead)
    lead = f'<div class="featured_image"><a href="#">{img.group(1)}</a>{img.group(2)}</div>' if img else ""
    body = demote_back(unwrap(body), [("h2", "h4")])
    inner = unok(f'<h1 class="title">{html.escape(title)}</h1>\n{lead}\n<div id="artbody" itemprop="articleBody">\n{body}\n{PRINT}\n<div class="single_ad">广告</div>\n</div>')
    write("epochtimes", case, page(title, url, '<div class="post_content_wrap">\n{inner}\n</div>', inner, "epochtimes.com"))

def soundofhope(path, case, url):
    title, text = chunk(read(path))
    lead, body = split_lead(text)
    lead = re.sub(r"<br/>\s*", "", lead)
    lead = f'<div class="ArticleHeader__Wrapper-sc-x1 kLmNo"><h1>{html.escape(title)}</h1><figure class="OImage__StyledFigure-sc-1lfley0-0 hHSfVg">{lead}</figure></div>' if lead else ""
    body = demote_back(re.sub(r"(<img [^>]*/>)\s*<br/>\s*(<figcaption)", r"\1\2", unwrap(body)), [("h1", "h3")])
    inner = unok(f'{lead}\n{body}')
    write("soundofhope", case, page(title, url, '<article class="Article__Wrapper-sc-y2 abCd">\n{inner}\n</article>', inner, "soundofhope.org"))

def rfa(path, case, url):
    title, text = chunk(read(path))
    lead, body = split_lead(text)
    inner = unok(f'<h1>{html.escape(title)}</h1>\n{lead}\n<div id="sharethis"><a href="#">分享</a></div>\n{unwrap(body)}\n<div id="related"><a href="/mandarin/x.html">相关</a></div>')
    write("rfa", case, page(title, url, '<div id="storypagemaincol">\n{inner}\n</div>', inner, "rfa.org"))

def minghui(path, case, url):
    title, text = chunk(read(path))
    body = demote_back(text, [("h2", "h4")])
    inner = unok(f'<div class="ar_articleTitle"><h1>{html.escape(title)}</h1></div>\n{body}\n<div id="ar_relateNews"><a href="/mh/1.html">相关文章</a></div>')
    write("minghui", case, page(title, url, '<div id="ar_article1">\n{inner}\n</div>', inner, "minghui.org"))

Z, B, M = "zydd999+banned-news2/", "begood0513+goodnews/", "gfw-breaker+mh-news/"
secretchina(Z + "p1/947290.md", "947290", "https://www.secretchina.com/news/gb/2020/10/16/947290.html")
secretchina(B + "p9/1003540.md", "1003540", "https://www.secretchina.com/news/gb/2022/04/20/1003540.html")
ntdtv(B + "prog204/a102517471.md", "a102517471", "https://www.ntdtv.com/gb/2019/02/22/a102517471.html")
ntdtv(Z + "prog204/a102964127.md", "a102964127", "https://www.ntdtv.com/gb/2020/10/16/a102964127.html")
epochtimes(Z + "nsc412/n12475327.md", "n12475327", "https://www.epochtimes.com/gb/20/10/14/n12475327.htm")
epochtimes(Z + "nf4514/n12414284.md", "n12414284", "https://www.epochtimes.com/gb/20/9/22/n12414284.htm")
soundofhope(Z + "soh3/218313.md", "218313", "https://www.soundofhope.org/post/218313")
soundofhope(B + "soh5/595855?lang=b5.md", "595855", "https://www.soundofhope.org/post/595855?lang=b5")
rfa(Z + "pinglun/hp-07162020134057.md", "hp-07162020134057", "https://www.rfa.org/mandarin/pinglun/hp-07162020134057.html")
rfa(B + "guojishijiao/bl-06202016123531.md", "bl-06202016123531", "https://www.rfa.org/mandarin/pinglun/guojishijiao/bl-06202016123531.html")
minghui(M + "91/418641.md", "418641", "https://www.minghui.org/mh/articles/2020/10/15/418641.html")
minghui(M + "19/419093.md", "419093", "https://www.minghui.org/mh/articles/2020/10/24/419093.html")

# epochtimes full content: the first item's <content> of the real feed.
with open(os.path.join(REAL, "feeds/zztianx1x+zddadfsdaaaa/nsc993.EXCERPT-first3items.xml"), encoding="utf-8") as f:
    feed = f.read()
contents = re.findall(r"(?s)<content><!\[CDATA\[(.*?)\]\]></content>", feed)
links = re.findall(r"<link>(.*?)</link>", feed)[1:]
for i, c in enumerate(contents[:2]):
    write("epochtimes", f"feed-content-{i+1}", f"<!-- feed content of {links[i]} -->\n" + c)

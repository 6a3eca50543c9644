package presetpages

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// chunk is a published page's title and embedded HTML: the lines between
// the top navigation bar and the share block, Markdown headings (the
// promo) left out, a trailing <hr/> dropped.
func chunk(md string) (title, text string, err error) {
	lines := strings.Split(md, "\n")
	start, end := -1, -1
	for i, l := range lines {
		if start < 0 && strings.HasPrefix(l, "#### [首页]") {
			start = i + 1
		}
		if strings.HasPrefix(l, "手机上长按") {
			end = i
		}
	}
	if start < 0 || end < start {
		return "", "", errors.New("no navigation bar before a share block")
	}
	var body []string
	for _, l := range lines[start:end] {
		if !strings.HasPrefix(l, "####") {
			body = append(body, l)
		}
	}
	text = strings.TrimSpace(strings.Join(body, "\n"))
	text = strings.TrimSpace(trailingRule.ReplaceAllString(text, ""))
	return strings.TrimSpace(strings.TrimLeft(lines[0], "# ")), text, nil
}

var trailingRule = regexp.MustCompile(`<hr/>\s*$`)

// unok turns the reference's <ok> back into the <a> it was.
func unok(s string) string {
	return strings.NewReplacer("<ok ", "<a ", "<ok>", "<a>", "</ok>", "</a>").Replace(s)
}

// unwrap drops one <div> wrapper around s.
func unwrap(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "<div>") && strings.HasSuffix(s, "</div>") {
		return strings.TrimSpace(s[len("<div>") : len(s)-len("</div>")])
	}
	return s
}

var leadBlock = regexp.MustCompile(`(?s)^(<div>.*?</div>)<hr/>\s*(.*)$`)

// splitLead is (lead, body) when the page starts with a lead image block
// and <hr/>; else ("", text).
func splitLead(text string) (lead, body string) {
	m := leadBlock.FindStringSubmatch(text)
	if m != nil && strings.Contains(m[1], "<img") && utf8.RuneCountInString(m[1]) < 3000 {
		return unwrap(m[1]), strings.TrimSpace(m[2])
	}
	return "", text
}

// escape is Python's html.escape (quotes too), which the fixtures were
// first written with.
var escape = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#x27;").Replace

// demoteBack renames the headings the reference demoted (from → to).
func demoteBack(s, to, from string) string {
	re := regexp.MustCompile(`<(/?)` + from + `(\s|>)`)
	return re.ReplaceAllString(s, "<${1}"+to+"${2}")
}

var firstImg = regexp.MustCompile(`<img [^>]*/?>`)
var srcAttr = regexp.MustCompile(`src="([^"]*)"`)

// lazy makes the first image lazy-loaded with a <noscript> copy, as
// epochtimes served it.
func lazy(lead string) string {
	loc := firstImg.FindStringIndex(lead)
	if loc == nil {
		return lead
	}
	tag := lead[loc[0]:loc[1]]
	m := srcAttr.FindStringSubmatch(tag)
	if m == nil {
		return lead
	}
	src := m[1]
	lazyTag := strings.ReplaceAll(tag, `src="`+src+`"`, `src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="`+src+`"`)
	lazyTag = strings.Replace(lazyTag, "<img ", `<img class="lazy" `, 1)
	return lead[:loc[0]] + lazyTag + "<noscript>" + tag + "</noscript>" + lead[loc[1]:]
}

const (
	related   = `<div class="post_related"><h3>相关文章</h3><ul><li><a href="/gb/1.html">相关一</a></li></ul></div>`
	printLink = `<div class="print_link"><a href="javascript:window.print()">打印本文</a></div>`
)

// secretchina puts an ad back into the ad slot the reference wrote its
// promo into, so the slot is balanced again.
func secretchina(title, text, url string) string {
	text = refillAdSlot(text)
	return page(title, url, `<div class="article_left"><a href="/news/gb/">看中国</a></div>`+"\n{inner}", unok(text), "secretchina.com")
}

const adSlot = `<div id="txt-mid1-t21-2017">`

// refillAdSlot replaces what follows each ad slot's opening tag, up to the
// first "</div>" (before any "<div") that a second "</div>" follows, with
// an ad.
func refillAdSlot(text string) string {
	var b strings.Builder
	for {
		i := strings.Index(text, adSlot)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		head, rest := text[:i+len(adSlot)], text[i+len(adSlot):]
		b.WriteString(head)
		if n := slotEnd(rest); n >= 0 {
			b.WriteString(`<div class="ad"><script>googletag.display("ad")</script></div></div>`)
			rest = rest[n:]
		}
		text = rest
	}
}

var closeClose = regexp.MustCompile(`^</div>\s*</div>`)

// slotEnd is the length of the slot's promo and its two closing tags in
// rest, or -1.
func slotEnd(rest string) int {
	limit := strings.Index(rest, "<div")
	if limit < 0 {
		limit = len(rest)
	}
	for p := 0; p <= limit; {
		j := strings.Index(rest[p:], "</div>")
		if j < 0 || p+j > limit {
			return -1
		}
		if m := closeClose.FindStringIndex(rest[p+j:]); m != nil {
			return p + j + m[1]
		}
		p += j + 1
	}
	return -1
}

func ntdtv(title, text, url string) string {
	lead, body := splitLead(text)
	body = closingDiv.ReplaceAllString(unwrap(body), related+printLink+"\n</div>")
	inner := unok(fmt.Sprintf("<h1 class=\"article_title\">%s</h1>\n%s\n%s", escape(title), lead, body))
	return page(title, url, "<div class=\"article_content\">\n{inner}\n</div>", inner, "ntdtv.com")
}

var closingDiv = regexp.MustCompile(`</div>\s*$`)

var upToNoscript = regexp.MustCompile(`(?s)^(.*?</noscript>)(.*)$`)

func epochtimes(title, text, url string) string {
	lead, body := splitLead(text)
	lead = lazy(lead)
	if m := upToNoscript.FindStringSubmatch(lead); m != nil {
		lead = `<div class="featured_image"><a href="#">` + m[1] + "</a>" + m[2] + "</div>"
	} else {
		lead = ""
	}
	body = demoteBack(unwrap(body), "h2", "h4")
	inner := unok(fmt.Sprintf("<h1 class=\"title\">%s</h1>\n%s\n<div id=\"artbody\" itemprop=\"articleBody\">\n%s\n%s\n<div class=\"single_ad\">广告</div>\n</div>",
		escape(title), lead, body, printLink))
	return page(title, url, "<div class=\"post_content_wrap\">\n{inner}\n</div>", inner, "epochtimes.com")
}

var (
	breaks       = regexp.MustCompile(`<br/>\s*`)
	imgBrCaption = regexp.MustCompile(`(<img [^>]*/>)\s*<br/>\s*(<figcaption)`)
)

func soundofhope(title, text, url string) string {
	lead, body := splitLead(text)
	lead = breaks.ReplaceAllString(lead, "")
	if lead != "" {
		lead = `<div class="ArticleHeader__Wrapper-sc-x1 kLmNo"><h1>` + escape(title) + `</h1><figure class="OImage__StyledFigure-sc-1lfley0-0 hHSfVg">` + lead + "</figure></div>"
	}
	body = demoteBack(imgBrCaption.ReplaceAllString(unwrap(body), "${1}${2}"), "h1", "h3")
	return page(title, url, "<article class=\"Article__Wrapper-sc-y2 abCd\">\n{inner}\n</article>", unok(lead+"\n"+body), "soundofhope.org")
}

func rfa(title, text, url string) string {
	lead, body := splitLead(text)
	inner := unok(fmt.Sprintf("<h1>%s</h1>\n%s\n<div id=\"sharethis\"><a href=\"#\">分享</a></div>\n%s\n<div id=\"related\"><a href=\"/mandarin/x.html\">相关</a></div>",
		escape(title), lead, unwrap(body)))
	return page(title, url, "<div id=\"storypagemaincol\">\n{inner}\n</div>", inner, "rfa.org")
}

func minghui(title, text, url string) string {
	body := demoteBack(text, "h2", "h4")
	inner := unok(fmt.Sprintf("<div class=\"ar_articleTitle\"><h1>%s</h1></div>\n%s\n<div id=\"ar_relateNews\"><a href=\"/mh/1.html\">相关文章</a></div>",
		escape(title), body))
	return page(title, url, "<div id=\"ar_article1\">\n{inner}\n</div>", inner, "minghui.org")
}

var (
	contentElem = regexp.MustCompile(`(?s)<content><!\[CDATA\[(.*?)\]\]></content>`)
	linkElem    = regexp.MustCompile(`<link>(.*?)</link>`)
)

// feedContents are the first n items' full content of a feed whose
// items carry it in <content><![CDATA[…]]></content>, each after a line
// naming the item's link.
func feedContents(feed string, n int) ([]string, error) {
	contents := contentElem.FindAllStringSubmatch(feed, n)
	links := linkElem.FindAllStringSubmatch(feed, -1)
	if len(contents) < n || len(links) < n+1 {
		return nil, fmt.Errorf("%d items with content and %d links, want %d", len(contents), len(links)-1, n)
	}
	out := make([]string, n)
	for i := range n {
		out[i] = "<!-- feed content of " + links[i+1][1] + " -->\n" + contents[i][1]
	}
	return out, nil
}

package fakenews

import (
	"strings"
	"time"
)

// pageData is what article.html.tmpl renders.
type pageData struct {
	Host     string
	Article  Article
	Channel  Channel
	Date     string // "2026-11-02 08:15"
	ISO      string // RFC 3339 in the site's zone
	Dateline string // "2026年11月2日", for 【看中国…讯】
	Lead     lead
	Body     []block
	Related  []link
	Latest   []link
	Channels []Channel
}

// lead is the first paragraph, split around its first tag so the tag can be
// rendered as a link.
type lead struct {
	Subhead, Before, Tag, After string
}

// block is one element of the article body after the lead: a subheading, a
// paragraph or an ad slot.
type block struct {
	Subhead string
	Text    string
	Ad      bool
}

type link struct {
	Title, Path string
}

// indexData is what index.html.tmpl renders.
type indexData struct {
	Title    string
	Channels []Channel
	Lists    []channelList
}

type channelList struct {
	Channel  Channel
	FeedPath string
	Articles []link
}

func (s *Site) pageData(a Article, host string) pageData {
	c, _ := s.channel(a.Channel)
	t := a.Published.In(siteZone())
	return pageData{
		Host:     host,
		Article:  a,
		Channel:  c,
		Date:     t.Format("2006-01-02 15:04"),
		ISO:      t.Format(time.RFC3339),
		Dateline: t.Format("2006年1月2日"),
		Lead:     leadOf(a),
		Body:     bodyOf(a),
		Related:  s.related(a),
		Latest:   s.latest(a.Channel),
		Channels: s.Channels(),
	}
}

// leadOf splits the first paragraph at the first occurrence of the first
// tag; if the tag does not occur, the link goes after the text.
func leadOf(a Article) lead {
	l := lead{Subhead: a.Subheads[0]}
	if len(a.Paragraphs) > 0 {
		l.Before = a.Paragraphs[0]
	}
	if len(a.Tags) == 0 {
		return l
	}
	l.Tag = a.Tags[0]
	if before, after, ok := strings.Cut(l.Before, l.Tag); ok {
		l.Before, l.After = before, after
	}
	return l
}

// bodyOf lays out paragraphs 1… with their subheadings, and an ad slot
// after every third paragraph (counting the lead) except the last.
func bodyOf(a Article) []block {
	var out []block
	n := len(a.Paragraphs)
	for i := 1; i < n; i++ {
		if h := a.Subheads[i]; h != "" {
			out = append(out, block{Subhead: h})
		}
		out = append(out, block{Text: a.Paragraphs[i]})
		if (i+1)%3 == 0 && i != n-1 {
			out = append(out, block{Ad: true})
		}
	}
	if n > 0 && n < 3 {
		out = append(out, block{Ad: true})
	}
	return out
}

// related lists up to six other articles of the same channel, newest first.
func (s *Site) related(a Article) []link {
	var out []link
	for _, o := range s.channelArticles(a.Channel) {
		if o.ID != a.ID && len(out) < 6 {
			out = append(out, link{o.Title, o.URLPath()})
		}
	}
	return out
}

// latest lists the newest article of each other channel.
func (s *Site) latest(except string) []link {
	var out []link
	for _, c := range s.Channels() {
		if list := s.channelArticles(c.ID); c.ID != except && len(list) > 0 {
			out = append(out, link{list[0].Title, list[0].URLPath()})
		}
	}
	return out
}

func (s *Site) list(c Channel) channelList {
	l := channelList{Channel: c, FeedPath: s.FeedPath(c.ID)}
	for _, a := range s.channelArticles(c.ID) {
		l.Articles = append(l.Articles, link{a.Title, a.URLPath()})
	}
	return l
}

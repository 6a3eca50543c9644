package fakenews

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"net/http"
	"time"
)

type rss struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language"`
	LastBuildDate string    `xml:"lastBuildDate,omitempty"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string `xml:"title"`
	Link        string `xml:"link"`
	Description string `xml:"description"`
	PubDate     string `xml:"pubDate,omitempty"` // none for an undated article
	GUID        string `xml:"guid"`
}

// serveFeed serves a channel's RSS 2.0 feed, newest first, with absolute
// links on the request's host.
func (s *Site) serveFeed(w http.ResponseWriter, r *http.Request, c Channel) {
	base := "http://" + hostOf(r)
	doc := rss{Version: "2.0", Channel: rssChannel{
		Title:       "看中国 - " + c.Name,
		Link:        base + "/news/gb/" + c.ID + ".html",
		Description: "看中国" + c.Name + "频道（示例站点）",
		Language:    "zh-cn",
	}}
	for _, a := range s.channelArticles(c.ID) {
		doc.Channel.Items = append(doc.Channel.Items, feedItem(a, hostOf(r)))
	}
	if items := doc.Channel.Items; len(items) > 0 {
		doc.Channel.LastBuildDate = items[0].PubDate
	}
	data, err := encodeFeed(doc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
	w.Write(data)
}

// encodeFeed is the one RSS writer of the site and the corpus.
func encodeFeed(doc rss) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	enc := xml.NewEncoder(&buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, fmt.Errorf("write feed: %w", err)
	}
	buf.WriteByte('\n')
	return buf.Bytes(), nil
}

func feedItem(a Article, host string) rssItem {
	link := a.URL(host)
	var desc string
	if len(a.Paragraphs) > 0 {
		desc = a.Paragraphs[0]
	}
	item := rssItem{Title: a.Title, Link: link, Description: desc, GUID: link}
	if !a.Published.IsZero() {
		item.PubDate = a.Published.In(siteZone()).Format(time.RFC1123Z)
	}
	return item
}

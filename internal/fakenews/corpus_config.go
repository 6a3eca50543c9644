package fakenews

import (
	"fmt"
	"strings"
)

// CorpusConfig is a newsmirror configuration that mirrors the corpus served at
// addr into out, laid out as examples/goodnews.yaml (images not localised,
// as the reference pipeline did not).
func CorpusConfig(addr, out string) string {
	var b strings.Builder
	fmt.Fprintf(&b, configHead, out)
	for _, c := range CorpusChannels {
		fmt.Fprintf(&b, "      - {id: %s, name: %s, feed: \"http://%s/%s\"}\n", c.ID, c.Name, addr, CorpusFeedPath(c.ID))
	}
	return b.String()
}

const configHead = `# Written by tools/corpus: mirrors the benchmark corpus served on loopback
# ("go run ./tools/corpus -serve -out DIR"), then "newsmirror sync -c DIR/newsmirror.yaml".
output:
  dir: %s
  page_url: "https://github.com/begood0513/goodnews/blob/master/{path}"
  qr_url: "https://cdn.jsdelivr.net/gh/begood0513/goodnews/{path}.png"
  pixel_url: "http://gfw-breaker.win/goodnews/{path}"
  timezone: Asia/Shanghai
fetch:
  workers: 2
  allow: [127.0.0.1]
site:
  title: 禁闻聚合【新闻、评论、历史等】
  hot_name: 热点推荐
  nav:
    - {label: 翻墙教程, url: "https://github.com/gfw-breaker/guides/blob/master/README.md"}
  promo:
    - links:
        - {label: " 💌 退出中共组织，良心的选择、前途的选择", url: "https://github.com/begood0513/goodnews/blob/master/quit/letter.md"}
    - links:
        - {label: " 🔥  禁书下载", url: "https://github.com/gfw-breaker/books/blob/master/README.md"}
sources:
  - id: secretchina
    name: 看中国新闻网
    prefix: S
    rules:
      body: div.article_right
      promo_anchor: "div#txt-mid1-t21-2017"
      link_mode: span
    channels:
`

package counter

import "strings"

// botMarks are lower-case User-Agent substrings of crawlers, link previewers,
// monitors and HTTP libraries: their requests are answered, not counted.
// GitHub's image proxy ("github-camo") fetches the pixel for real readers
// and is deliberately absent.
var botMarks = []string{
	"bot", "crawl", "spider", "slurp", "archiver", "scrapy",
	"facebookexternalhit", "embedly", "preview", "headlesschrome", "phantomjs", "lighthouse",
	"curl/", "wget/", "python-requests", "python-urllib", "aiohttp", "go-http-client",
	"java/", "okhttp", "libwww", "httpclient", "node-fetch", "axios/",
	"monitor", "uptime", "pingdom", "check_http",
}

// bots tells crawler User-Agents from readers.
type bots struct{ marks []string }

func newBots(extra []string) bots {
	marks := append([]string(nil), botMarks...)
	for _, e := range extra {
		if e = strings.ToLower(strings.TrimSpace(e)); e != "" {
			marks = append(marks, e)
		}
	}
	return bots{marks: marks}
}

// is reports whether ua is a bot's; an empty User-Agent is one.
func (b bots) is(ua string) bool {
	if strings.TrimSpace(ua) == "" {
		return true
	}
	ua = strings.ToLower(ua)
	for _, m := range b.marks {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}

// relayMarks are lower-case User-Agent substrings of image proxies that
// fetch the pixel on behalf of many readers from a few addresses: GitHub's
// camo, for everyone reading the mirror on github.com. Their hits are not
// deduplicated per client (that would count one reader per proxy node);
// the token bucket still bounds them, so a client claiming to be one gains
// no more than any client did before deduplication.
var relayMarks = []string{"github-camo"}

// relay reports whether ua is a known image proxy's.
func relay(ua string) bool {
	ua = strings.ToLower(ua)
	for _, m := range relayMarks {
		if strings.Contains(ua, m) {
			return true
		}
	}
	return false
}

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

// Package outage tells a failing article from a failing host. It classes
// each failure as permanent (an answer about the article itself) or
// transient (the host, the network or this machine), finds a host down
// when most of a run's articles on it failed transiently, and keeps the
// hosts an earlier run found down backed off. The state database holds
// the record; this package only decides.
package outage

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/store"
)

// HostDownError is an article not requested because its host is down:
// most of its articles failed transiently in this run, or an earlier run
// found it down and its backoff has not ended.
type HostDownError struct {
	Host  string
	Since time.Time
	// Until is when it is asked again; zero for the rest of this run.
	Until time.Time
}

func (e *HostDownError) Error() string {
	if e.Until.IsZero() {
		return fmt.Sprintf("host %s down since %s: not requested again this run", e.Host, e.Since.Format(time.RFC3339))
	}
	return fmt.Sprintf("host %s down since %s: backed off until %s", e.Host, e.Since.Format(time.RFC3339), e.Until.Format(time.RFC3339))
}

// Class is store.Permanent for an answer about the article itself (404,
// 410 and the other 4xx, a page that answered 200 with nothing to
// extract), store.Transient for everything else (fetch.Transient): the
// host or the network failing, or a fault of this machine.
func Class(err error) string {
	var miss *extract.MissError
	if errors.As(err, &miss) || !fetch.Transient(err) {
		return store.Permanent
	}
	return store.Transient
}

// HostOf is the host of an article URL, "" when it has none.
func HostOf(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return u.Host
}

// Reason is err's message without the failure's URL, which the failure
// line names once already: "extract U: fetch U: HTTP 404" becomes
// "HTTP 404", `Get "U": EOF` becomes "EOF". A message that would be left
// empty is kept whole.
func Reason(err error, rawURL string) string {
	msg := err.Error()
	if rawURL == "" {
		return msg
	}
	re := regexp.MustCompile(`(?:[A-Za-z]+ )?"?` + regexp.QuoteMeta(rawURL) + `"?: `)
	if short := re.ReplaceAllString(msg, ""); strings.TrimSpace(short) != "" {
		return short
	}
	return msg
}

package mirror

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"
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

// failureClass is store.Permanent for an answer about the article itself
// (404, 410 and the other 4xx, a page that answered 200 with nothing to
// extract), store.Transient for everything else (fetch.Transient): the
// host or the network failing, or a fault of this machine.
func failureClass(err error) string {
	var miss *extract.MissError
	if errors.As(err, &miss) || !fetch.Transient(err) {
		return store.Permanent
	}
	return store.Transient
}

// hostMinDown is how many transient failures a host needs in a run before
// it can be found down.
const hostMinDown = 2

// hosts tracks how the hosts of a run's articles are doing; workers share
// it. A host is down when at least hostMinDown of its articles failed
// transiently and they outnumber the rest of its articles tried.
type hosts struct {
	mu    sync.Mutex
	known map[string]store.Host // down before this run
	runs  map[string]*hostRun
}

type hostRun struct {
	ok, transient, permanent int
	down                     bool
	since                    time.Time
}

func newHosts(known map[string]store.Host) *hosts {
	return &hosts{known: known, runs: map[string]*hostRun{}}
}

func (h *hosts) run(host string) *hostRun {
	hr := h.runs[host]
	if hr == nil {
		hr = &hostRun{}
		h.runs[host] = hr
	}
	return hr
}

// blocked returns why host must not be asked now, nil when it may be.
func (h *hosts) blocked(host string, now time.Time) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if hr := h.runs[host]; hr != nil && hr.down {
		return &HostDownError{Host: host, Since: hr.since}
	}
	if k, ok := h.known[host]; ok && now.Before(k.NotBefore) {
		return &HostDownError{Host: host, Since: k.DownSince, Until: k.NotBefore}
	}
	return nil
}

// note counts one article's outcome on host (class "" for a success) and
// reports whether that made the host down.
func (h *hosts) note(host, class string, now time.Time) (wentDown bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	hr := h.run(host)
	switch class {
	case "":
		hr.ok++
	case store.Transient:
		hr.transient++
	default:
		hr.permanent++
	}
	if hr.down || hr.transient < hostMinDown || hr.transient <= hr.ok+hr.permanent {
		return false
	}
	hr.down, hr.since = true, now
	if k, ok := h.known[host]; ok {
		hr.since = k.DownSince
	}
	return true
}

// wasDown reports whether host was known down before this run.
func (h *hosts) wasDown(host string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	_, ok := h.known[host]
	return ok
}

// hostOf is the host of an article URL, "" when it has none.
func hostOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Host
}

// recordFailure counts a failed article in its host's run and in the state
// database; the first time its host is found down it says so, once, and
// backs the host off.
func (r *run) recordFailure(ctx context.Context, j job, err error) {
	class := failureClass(err)
	host := hostOf(j.item.URL)
	var down *HostDownError
	if !errors.As(err, &down) && r.hosts.note(host, class, r.now) {
		r.hostDown(ctx, host, err)
	}
	f := store.Failure{URL: j.item.URL, Source: j.src.ID, Channel: j.ch.ID, Host: host, Title: j.item.Title,
		Published: j.item.Published, Reason: err.Error(), Class: class, At: r.now}
	if serr := r.db.SaveFailure(ctx, f); serr != nil {
		r.log.Error("record failure", "url", j.item.URL, "err", serr)
	}
}

// hostDown logs host down and records its backoff.
func (r *run) hostDown(ctx context.Context, host string, cause error) {
	h, err := r.db.HostDown(ctx, host, r.now, cause.Error(), r.cfg.Fetch.HostBackoffFor)
	if err != nil {
		r.log.Error("record host down", "host", host, "err", err)
	}
	r.log.Warn("host down: its articles are not requested again this run and are retried later",
		"host", host, "since", h.DownSince, "next_try", h.NotBefore, "err", cause)
}

// recordSuccess notes an article of host that came through: a host that
// was down is up again.
func (r *run) recordSuccess(ctx context.Context, j job) {
	host := hostOf(j.item.URL)
	r.hosts.note(host, "", r.now)
	if r.hosts.wasDown(host) {
		if err := r.db.HostUp(ctx, host); err != nil {
			r.log.Error("record host up", "host", host, "err", err)
		}
	}
}

// cutoff is the give-up cutoff: an article failing permanently since
// before it is given up.
func (r *run) cutoff() time.Time { return r.now.Add(-r.cfg.Fetch.GiveUpAfter) }

// reason is err's message without the failure's URL, which the failure
// line names once already: "extract U: fetch U: HTTP 404" becomes
// "HTTP 404", `Get "U": EOF` becomes "EOF".
func reason(err error, rawURL string) string {
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

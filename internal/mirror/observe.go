package mirror

import (
	"context"
	"errors"
	"net"
	"sync"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

// Progress is how far a run has got, reported after each channel's feed is
// read and after each article is finished (mirrored or failed).
type Progress struct {
	Channels     int // channels of the configuration
	ChannelsRead int // channels whose feed has been read (or failed)
	Articles     int // new articles found so far
	ArticlesDone int // of those, finished
}

// tracker reports a run's progress to Deps.Progress; workers share it.
type tracker struct {
	mu sync.Mutex
	fn func(Progress)
	p  Progress
}

func newTracker(fn func(Progress), channels int) *tracker {
	return &tracker{fn: fn, p: Progress{Channels: channels}}
}

func (t *tracker) update(change func(*Progress)) {
	if t.fn == nil {
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	change(&t.p)
	t.fn(t.p)
}

// channelRead notes a channel read with jobs new articles.
func (t *tracker) channelRead(jobs int) {
	t.update(func(p *Progress) { p.ChannelsRead++; p.Articles += jobs })
}

// articleDone notes a finished article.
func (t *tracker) articleDone() { t.update(func(p *Progress) { p.ArticlesDone++ }) }

// observeFetch counts a fetch of source's feed or page.
func (r *run) observeFetch(source string, resp *fetch.Response, err error) {
	n := 0
	if resp != nil {
		n = len(resp.Body)
	}
	r.metrics.Fetch(source, fetchResult(err), n)
}

// fetchResult is the "result" label of a fetch that ended with err.
func fetchResult(err error) string {
	var status *fetch.StatusError
	var large *fetch.TooLargeError
	var netErr net.Error
	switch {
	case err == nil:
		return "ok"
	case errors.As(err, &status) && status.Code >= 500:
		return "http_5xx"
	case errors.As(err, &status):
		return "http_4xx"
	case errors.As(err, &large):
		return "too_large"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return "timeout"
	}
	return "error"
}

// observePage counts a page written for an article that was known as k.
func (r *run) observePage(k store.Known) {
	if k.State == store.Pending || k.State == store.Committed {
		r.metrics.Pages(metrics.PageUpdated, 1)
	} else {
		r.metrics.Pages(metrics.PageWritten, 1)
	}
}

// observeRun records the run's duration and the pages retention removed.
func (r *run) observeRun(start time.Time) {
	r.metrics.Pages(metrics.PageRemoved, len(r.report.Removed))
	r.metrics.Run(time.Since(start), time.Now())
}

func channelCount(cfg *config.Config) int {
	n := 0
	for _, s := range cfg.Sources {
		n += len(s.Channels)
	}
	return n
}

// extractOutcome is what one extraction did.
type extractOutcome int

const (
	extracted extractOutcome = iota // the rules found the body
	fallback                        // readability found it
	missed                          // nothing did
)

// extractEvent is one extraction of j's page as a health event; alert
// says what went wrong when outcome is not extracted.
func extractEvent(j job, outcome extractOutcome, alert, warning string, at time.Time) store.Event {
	e := store.Event{Subject: store.SubjectExtract, Source: j.src.ID, Channel: j.ch.ID, Warning: warning, At: at}
	switch outcome {
	case fallback:
		e.Fallbacks, e.Err, e.URL = 1, alert, j.item.URL
	case missed:
		e.Failed, e.Err, e.URL = 1, alert, j.item.URL
	default:
		e.OK = 1
	}
	return e
}

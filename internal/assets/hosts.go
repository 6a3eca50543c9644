package assets

import (
	"context"
	"fmt"
	"net/url"
	"sync"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// hostFailures is how many images of one host must fail transiently in a
// body, none coming through, before its other images are not asked for:
// a hanging image host then costs two timeouts, not one per image.
const hostFailures = 2

// HostFailingError is an image not asked for (or cut short) because other
// images of its host failed transiently in the same body.
type HostFailingError struct {
	Host     string
	Failures int
	// Last is the last of those failures.
	Last error
}

func (e *HostFailingError) Error() string {
	return fmt.Sprintf("not asked: %d images of host %s failed in this article (last: %v)", e.Failures, e.Host, e.Last)
}

func (e *HostFailingError) Unwrap() error { return e.Last }

// hostWatch gives each image host of one body its own context, cancelled
// once the host has failed hostFailures times without a success.
type hostWatch struct {
	parent context.Context
	mu     sync.Mutex
	hosts  map[string]*hostState
}

type hostState struct {
	ctx        context.Context
	cancel     context.CancelCauseFunc
	ok, failed int
}

func newHostWatch(parent context.Context) *hostWatch {
	return &hostWatch{parent: parent, hosts: map[string]*hostState{}}
}

// enter returns the context to fetch src with, and its host.
func (w *hostWatch) enter(src string) (context.Context, string) {
	host := hostOf(src)
	w.mu.Lock()
	defer w.mu.Unlock()
	h := w.hosts[host]
	if h == nil {
		ctx, cancel := context.WithCancelCause(w.parent)
		h = &hostState{ctx: ctx, cancel: cancel}
		w.hosts[host] = h
	}
	return h.ctx, host
}

// note counts one download of host; err nil for a success.
func (w *hostWatch) note(host string, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	h := w.hosts[host]
	switch {
	case err == nil:
		h.ok++
	case fetch.Transient(err) && h.ctx.Err() == nil:
		h.failed++
		if h.failed >= hostFailures && h.ok == 0 {
			h.cancel(&HostFailingError{Host: host, Failures: h.failed, Last: err})
		}
	}
}

// stop releases every host's context.
func (w *hostWatch) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, h := range w.hosts {
		h.cancel(nil)
	}
}

// hostOf is the host of an image URL, "" when it has none.
func hostOf(src string) string {
	if u, err := url.Parse(src); err == nil {
		return u.Host
	}
	return ""
}

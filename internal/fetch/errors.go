package fetch

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// ErrTooManyRedirects ends a request redirected more than 10 times.
var ErrTooManyRedirects = errors.New("stopped after 10 redirects")

// StatusError is an HTTP answer other than 200 OK (or an expected 304).
type StatusError struct {
	Code int
	URL  string
	// RetryAfter is the wait the server asked for, 0 when none.
	RetryAfter time.Duration
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// TooLargeError is a body longer than a cap: the client's MaxBodyBytes
// (counted after decompression; Size is 0, the reading stopped at the
// cap) or a stage's own, such as an image over images.max_bytes (Size is
// the body's length). It is the one "too large" error of newsmirror.
type TooLargeError struct {
	Limit int64
	URL   string
	Size  int64
}

func (e *TooLargeError) Error() string {
	msg := fmt.Sprintf("body exceeds %d bytes", e.Limit)
	if e.Size > 0 {
		msg = fmt.Sprintf("%d bytes exceeds %d", e.Size, e.Limit)
	}
	if e.URL == "" {
		return msg
	}
	return fmt.Sprintf("fetch %s: %s", e.URL, msg)
}

// readCapped reads r, failing with a *TooLargeError as soon as more than
// limit bytes arrive: a gzip bomb is never inflated past the cap.
func readCapped(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if int64(len(body)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	return body, nil
}

// Transient reports whether a failed fetch says nothing about the document
// itself, so that it is worth trying again later: the network or the
// server failed (DNS, refused or reset connections, timeouts, TLS, a proxy,
// 5xx, 429, 408), or the fetch was cut short. It is false for answers that
// are about the document and would be the same next time: 404, 410 and the
// other 4xx, a body over the size cap, an address the guard refuses, a
// redirect loop, a URL that is not http(s). Any error it does not know is
// taken as transient: an outage must never be read as a verdict.
func Transient(err error) bool {
	var status *StatusError
	if errors.As(err, &status) {
		return status.Code >= 500 || status.Code == http.StatusTooManyRequests || status.Code == http.StatusRequestTimeout
	}
	var guard *BlockedError
	var large *TooLargeError
	var notHTTP *URLError
	return err != nil && !errors.As(err, &guard) && !errors.As(err, &large) &&
		!errors.Is(err, ErrTooManyRedirects) && !errors.As(err, &notHTTP)
}

// URLError is a URL the client cannot fetch: not absolute http(s).
type URLError struct{ URL string }

func (e *URLError) Error() string { return fmt.Sprintf("fetch %s: not an absolute http(s) URL", e.URL) }

// RetryLaterError ends a fetch of a Deferring client that would otherwise
// wait: the server asked (Retry-After) not to be asked again before At.
// Err is the failure that asked; the fetch is transient.
type RetryLaterError struct {
	At  time.Time
	Err error
	// Asked is true when this fetch's own request was answered with the
	// wait, false when the host was paused already and nothing was sent.
	Asked bool
}

func (e *RetryLaterError) Error() string {
	return fmt.Sprintf("%v (retry after %s)", e.Err, e.At.Format(time.RFC3339))
}

func (e *RetryLaterError) Unwrap() error { return e.Err }

// askedToWait reports whether err carries a server's Retry-After.
func askedToWait(err error) bool {
	var status *StatusError
	return errors.As(err, &status) && status.RetryAfter > 0
}

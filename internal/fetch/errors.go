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

// TooLargeError is a body longer than the configured cap (counted after
// decompression).
type TooLargeError struct {
	Limit int64
	URL   string
}

func (e *TooLargeError) Error() string {
	if e.URL == "" {
		return fmt.Sprintf("body exceeds %d bytes", e.Limit)
	}
	return fmt.Sprintf("fetch %s: body exceeds %d bytes", e.URL, e.Limit)
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

package fetch

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryWait says whether the attempt'th failure with err is retried, and
// after how long: exponential backoff from RetryWait with full jitter on
// its upper half, or the server's Retry-After when longer. A Retry-After
// over MaxRetryWait is not waited for.
func (c *Client) retryWait(ctx context.Context, attempt int, err error) (time.Duration, bool) {
	if attempt >= c.opts.Retries || ctx.Err() != nil || !retryable(err) {
		return 0, false
	}
	back := c.opts.RetryWait << attempt
	back = back/2 + rand.N(back/2+1)
	var status *StatusError
	if errors.As(err, &status) && status.RetryAfter > back {
		back = status.RetryAfter
	}
	if back > c.opts.MaxRetryWait {
		if status != nil && status.RetryAfter > c.opts.MaxRetryWait {
			return 0, false
		}
		back = c.opts.MaxRetryWait
	}
	return back, true
}

// retryable reports whether err is worth another attempt: a timeout, a
// connection cut short, a 5xx or a 429.
func retryable(err error) bool {
	var status *StatusError
	if errors.As(err, &status) {
		return status.Code >= 500 || status.Code == http.StatusTooManyRequests
	}
	var guard *BlockedError
	var large *TooLargeError
	if errors.As(err, &guard) || errors.As(err, &large) || errors.Is(err, ErrTooManyRedirects) {
		return false
	}
	var netErr net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, io.ErrUnexpectedEOF) ||
		(errors.As(err, &netErr) && netErr.Timeout())
}

// maxRetryAfter is the longest Retry-After read: a server asking for more
// (or for an absurd number that would overflow a Duration) is read as
// asking for this, which is past any max_retry_wait, so the request ends
// with its status instead of being retried on the short backoff.
const maxRetryAfter = time.Hour

// retryAfter reads a Retry-After header: seconds or an HTTP date, at most
// maxRetryAfter.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if isDigits(v) {
		s, err := strconv.ParseInt(v, 10, 64)
		if err != nil || s > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return min(t.Sub(now), maxRetryAfter)
	}
	return 0
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

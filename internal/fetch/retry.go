package fetch

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
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

// retryAfter reads a Retry-After header: seconds or an HTTP date.
func retryAfter(h http.Header, now time.Time) time.Duration {
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(v); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

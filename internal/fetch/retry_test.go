package fetch

import (
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterIsBoundedAndNeverOverflows(t *testing.T) {
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for v, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"120":                           2 * time.Minute,
		"3600":                          time.Hour,
		"3601":                          time.Hour,
		"9223372037":                    time.Hour, // seconds that overflow a Duration
		"99999999999999999999999999999": time.Hour, // past int64
		"-5":                            0,
		"1.5":                           0,
		"soon":                          0,
		"Fri, 02 Jan 2026 03:05:05 GMT": time.Minute,
		"Fri, 31 Dec 9999 23:59:59 GMT": time.Hour,
		"Thu, 01 Jan 2026 00:00:00 GMT": 0, // past
	} {
		h := http.Header{}
		h.Set("Retry-After", v)
		if got := retryAfter(h, now); got != want {
			t.Errorf("Retry-After %q = %s, want %s", v, got, want)
		}
	}
}

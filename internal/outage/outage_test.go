package outage_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/store"
)

func TestClassTellsAnswersAboutTheArticleFromOutages(t *testing.T) {
	const u = "http://news.example/a/1.html"
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"not found", &fetch.StatusError{Code: 404, URL: u}, store.Permanent},
		{"gone, wrapped", fmt.Errorf("extract %s: %w", u, &fetch.StatusError{Code: 410, URL: u}), store.Permanent},
		{"nothing to extract", fmt.Errorf("extract %s: %w", u, &extract.MissError{Selector: "div.article"}), store.Permanent},
		{"server error", &fetch.StatusError{Code: 503, URL: u}, store.Transient},
		{"too many requests", &fetch.StatusError{Code: 429, URL: u}, store.Transient},
		{"connection cut", fmt.Errorf("fetch %s: %w", u, io.ErrUnexpectedEOF), store.Transient},
		{"refused", &net.OpError{Op: "dial", Err: errors.New("connection refused")}, store.Transient},
		{"deadline", context.DeadlineExceeded, store.Transient},
		{"unknown error", errors.New("something odd"), store.Transient},
	}
	for _, c := range cases {
		if got := outage.Class(c.err); got != c.want {
			t.Errorf("%s: Class(%v) = %q, want %q", c.name, c.err, got, c.want)
		}
	}
}

func TestHostOfIsTheURLsHostWithPort(t *testing.T) {
	cases := map[string]string{
		"http://news.example/a/1.html": "news.example",
		"https://127.0.0.1:8080/x?y=1": "127.0.0.1:8080",
		"http://[::1]:9/p":             "[::1]:9",
		"/relative/path":               "",
		"http://bad host/%zz":          "",
		"":                             "",
	}
	for raw, want := range cases {
		if got := outage.HostOf(raw); got != want {
			t.Errorf("HostOf(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestReasonDropsTheURLTheFailureLineNames(t *testing.T) {
	const u = "http://news.example/a/1.html?x=(1)"
	cases := []struct {
		err  error
		url  string
		want string
	}{
		{fmt.Errorf("extract %s: fetch %s: HTTP 404", u, u), u, "HTTP 404"},
		{fmt.Errorf("Get %q: EOF", u), u, "EOF"},
		{errors.New("state database locked"), u, "state database locked"},
		{fmt.Errorf("fetch %s: HTTP 500", u), "", "fetch " + u + ": HTTP 500"},
		// Nothing left once the URL is gone: the message is kept whole.
		{fmt.Errorf("fetch %s: ", u), u, "fetch " + u + ": "},
	}
	for _, c := range cases {
		if got := outage.Reason(c.err, c.url); got != c.want {
			t.Errorf("Reason(%q) = %q, want %q", c.err, got, c.want)
		}
	}
}

func TestHostDownErrorSaysWhenTheHostIsAskedAgain(t *testing.T) {
	since := time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)
	thisRun := &outage.HostDownError{Host: "a.example", Since: since}
	if got := thisRun.Error(); !strings.Contains(got, "not requested again this run") || !strings.Contains(got, "2026-03-01T08:00:00Z") {
		t.Errorf("found down in this run: %q", got)
	}
	later := &outage.HostDownError{Host: "a.example", Since: since, Until: since.Add(time.Hour)}
	if got := later.Error(); !strings.Contains(got, "backed off until 2026-03-01T09:00:00Z") {
		t.Errorf("backed off: %q", got)
	}
}

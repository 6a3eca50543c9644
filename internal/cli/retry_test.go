package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store"
)

// TestRetryRequeuesGivenUpArticlesAndStatusTellsThemApart: one article
// gave up (a 404 for 8 days), one is retrying on a host found down;
// status says which is which, and retry puts the given-up one back.
func TestRetryRequeuesGivenUpArticlesAndStatusTellsThemApart(t *testing.T) {
	path, db := statusState(t)
	ctx := context.Background()
	now := time.Now()
	db.SaveFailure(ctx, store.Failure{URL: "http://news.example.test/9.html", Source: "ex", Channel: "gone", Host: "news.example.test",
		Title: "九", Reason: "fetch http://news.example.test/9.html: HTTP 404 Not Found", Class: store.Permanent, At: now.Add(-8 * 24 * time.Hour)})
	db.SaveFailure(ctx, store.Failure{URL: "http://cdn.example.test/5.html", Source: "ex", Channel: "world", Host: "cdn.example.test",
		Title: "五", Reason: `Get "http://cdn.example.test/5.html": EOF`, Class: store.Transient, At: now.Add(-time.Hour)})
	db.HostDown(ctx, "cdn.example.test", now.Add(-3*time.Hour), "EOF", func(int) time.Duration { return time.Hour })
	db.Close()

	_, stdout, _ := run(t, "status", "-c", path)
	for _, want := range []string{
		"ex/world: 1 retrying (host down since ",
		"ex/gone: 1 gave up (HTTP 404 Not Found since ",
		"newsmirror retry --channel gone requeues them",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("status lacks %q:\n%s", want, stdout)
		}
	}

	code, stdout, stderr := run(t, "retry", "-c", path, "--channel", "gone")
	if code != cli.ExitOK || !strings.Contains(stdout, "requeued ex/gone http://news.example.test/9.html\n1 articles requeued") {
		t.Errorf("retry: exit %d\n%s%s", code, stdout, stderr)
	}
	_, stdout, _ = run(t, "status", "-c", path)
	if strings.Contains(stdout, "gave up") || !strings.Contains(stdout, "ex/gone: 1 retrying") {
		t.Errorf("after retry, status still shows it given up:\n%s", stdout)
	}
	if code, _, _ := run(t, "retry", "-c", path, "http://news.example.test/never-failed.html"); code != cli.ExitUsage {
		t.Errorf("retry of a URL that never failed: exit %d, want %d", code, cli.ExitUsage)
	}
	if code, _, _ := run(t, "retry", "-c", path, "--channel", "nope"); code != cli.ExitUsage {
		t.Errorf("retry of an unknown channel: exit %d, want %d", code, cli.ExitUsage)
	}
}

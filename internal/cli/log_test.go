package cli

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/mirror"
)

func TestSplitLogFormatFindsTheFlagAnywhere(t *testing.T) {
	for _, tc := range []struct {
		args   []string
		rest   []string
		format string
	}{
		{[]string{"sync", "-c", "f.yaml"}, []string{"sync", "-c", "f.yaml"}, "text"},
		{[]string{"--log-format", "json", "sync", "-c", "f.yaml"}, []string{"sync", "-c", "f.yaml"}, "json"},
		{[]string{"serve", "-c", "f.yaml", "--log-format=json"}, []string{"serve", "-c", "f.yaml"}, "json"},
		{[]string{"serve", "-log-format", "text", "-c", "f"}, []string{"serve", "-c", "f"}, "text"},
		{[]string{"sync", "--", "--log-format", "json"}, []string{"sync", "--", "--log-format", "json"}, "text"},
	} {
		rest, format, err := splitLogFormat(tc.args)
		if err != nil || format != tc.format || !slices.Equal(rest, tc.rest) {
			t.Errorf("splitLogFormat(%q) = %q, %q, %v; want %q, %q", tc.args, rest, format, err, tc.rest, tc.format)
		}
	}
	for _, bad := range [][]string{{"sync", "--log-format"}, {"--log-format=xml", "sync"}} {
		if _, _, err := splitLogFormat(bad); err == nil {
			t.Errorf("splitLogFormat(%q) accepted", bad)
		}
	}
}

func TestProgressBarHidesForShortSyncsAndKeepsLogsAbove(t *testing.T) {
	var out bytes.Buffer
	clock := time.Unix(1_800_000_000, 0)
	b := newProgressBar(&out)
	b.start, b.now = clock, func() time.Time { return clock }
	b.update(mirror.Progress{Channels: 4, ChannelsRead: 1})
	if out.Len() != 0 {
		t.Fatalf("bar drawn within the first second: %q", out.String())
	}
	clock = clock.Add(2 * time.Second)
	b.update(mirror.Progress{Channels: 4, ChannelsRead: 2, Articles: 4, ArticlesDone: 2})
	want := "[###############---------------] channels 2/4, articles 2/4"
	if out.String() != want {
		t.Fatalf("bar = %q, want %q", out.String(), want)
	}
	b.Write([]byte("level=WARN msg=skipped\n"))
	if got := out.String(); !strings.HasSuffix(got, "\r\x1b[2Klevel=WARN msg=skipped\n"+want) {
		t.Errorf("log record not written above the bar: %q", got)
	}
	b.done()
	if !strings.HasSuffix(out.String(), want+"\r\x1b[2K") {
		t.Errorf("bar not cleared at the end: %q", out.String())
	}
}

func TestLogsCarryDurationsAsStringsAndKeysWithoutSpaces(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		var buf bytes.Buffer
		newLogger(&buf, format).Info("run finished", "next in", 90*time.Second, "exit", 0)
		if format == "text" {
			if !strings.Contains(buf.String(), "next_in=1m30s") {
				t.Errorf("text record %q: want next_in=1m30s", buf.String())
			}
			continue
		}
		var rec map[string]any
		if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
			t.Fatalf("%v: %s", err, buf.Bytes())
		}
		if rec["next_in"] != "1m30s" {
			t.Errorf("record %v: want next_in 1m30s", rec)
		}
	}
}

package config

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"text/template"
	"time"
)

// URLTemplate is a URL with placeholders: {path} (the file's path in the
// repository, e.g. "pages/p9/994979.md"), {channel} and {id}.
type URLTemplate string

var placeholders = []string{"{path}", "{channel}", "{id}"}

// Validate reports an unknown placeholder or a template that is not a URL.
func (t URLTemplate) Validate() error {
	if t == "" {
		return nil
	}
	rest := string(t)
	for _, p := range placeholders {
		rest = strings.ReplaceAll(rest, p, "x")
	}
	if i := strings.IndexAny(rest, "{}"); i >= 0 {
		return fmt.Errorf("unknown placeholder near %q (known: %s)", rest[i:], strings.Join(placeholders, " "))
	}
	u, err := url.Parse(rest)
	if err != nil {
		return fmt.Errorf("bad URL: %w", err)
	}
	if u.Scheme == "" || u.Host == "" {
		return fmt.Errorf("want an absolute URL, got %q", string(t))
	}
	return nil
}

// Expand fills the placeholders. An empty template expands to "".
func (t URLTemplate) Expand(path, channel, id string) string {
	if t == "" {
		return ""
	}
	r := strings.NewReplacer("{path}", path, "{channel}", channel, "{id}", id)
	return r.Replace(string(t))
}

// CommitFields are the fields of the commit message template.
type CommitFields struct {
	Time                     time.Time
	Month, Day, Hour, Minute int
	Pages                    int // pages written or updated by the run
}

// CommitData returns the commit template's data for time t.
func CommitData(t time.Time, pages int) CommitFields {
	return CommitFields{Time: t, Month: int(t.Month()), Day: t.Day(), Hour: t.Hour(), Minute: t.Minute(), Pages: pages}
}

// CommitMessage renders the commit message for a run that ended at t. A
// message the template cannot make within MaxCommitBytes, or makes empty,
// is "newsmirror sync" (check refuses such templates for its sample data).
func (c *Config) CommitMessage(t time.Time, pages int) string {
	w := &cappedWriter{max: MaxCommitBytes}
	err := c.CommitTemplate.Execute(w, CommitData(t.In(c.Location), pages))
	if msg := strings.TrimSpace(w.String()); err == nil && msg != "" {
		return w.String()
	}
	return "newsmirror sync"
}

// Budget of a template rendered at check time: a template that writes
// more, or takes longer, with sample data is refused.
const (
	MaxCommitBytes = 16 << 10
	templateTime   = time.Second
)

// checkCommitTemplate renders the commit message template with sample data
// (a run that wrote many pages) under the size and time budget, and
// reports one that fails, runs over or renders empty. A template still
// running at the deadline is left to finish: check and every command stop
// on the error anyway.
func checkCommitTemplate(t *template.Template) error {
	w := &cappedWriter{max: MaxCommitBytes}
	done := make(chan error, 1)
	go func() { done <- t.Execute(w, CommitData(time.Date(2026, 12, 31, 23, 59, 0, 0, time.UTC), 100000)) }()
	select {
	case err := <-done:
		switch {
		case errors.Is(err, errTooLong):
			return fmt.Errorf("renders more than %d bytes", MaxCommitBytes)
		case err != nil:
			return err
		case strings.TrimSpace(w.String()) == "":
			return errors.New("renders an empty message (git refuses it)")
		}
		return nil
	case <-time.After(templateTime):
		return fmt.Errorf("takes more than %s to render", templateTime)
	}
}

var errTooLong = errors.New("template output over budget")

// cappedWriter keeps at most max bytes and fails the write past them,
// which stops a template's execution.
type cappedWriter struct {
	mu  sync.Mutex
	b   bytes.Buffer
	max int
}

func (w *cappedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.b.Len()+len(p) > w.max {
		return 0, errTooLong
	}
	return w.b.Write(p)
}

func (w *cappedWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.String()
}

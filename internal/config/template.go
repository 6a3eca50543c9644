package config

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
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

// CommitMessage renders the commit message for a run that ended at t.
func (c *Config) CommitMessage(t time.Time, pages int) string {
	var b bytes.Buffer
	if err := c.CommitTemplate.Execute(&b, CommitData(t.In(c.Location), pages)); err != nil {
		return "newsmirror sync" // unreachable: the template was executed at load
	}
	return b.String()
}

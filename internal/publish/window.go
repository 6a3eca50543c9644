package publish

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Window is how much of the mirror branch's history is kept
// (publish.history): the commits of the last Age, or the last Commits
// commits. The zero Window keeps everything.
type Window struct {
	Age     time.Duration
	Commits int
}

// IsZero reports whether w keeps the whole history.
func (w Window) IsZero() bool { return w.Age <= 0 && w.Commits <= 0 }

// MinWindowAge is the shortest age window: a shorter one would re-root
// (and force-push) every few runs.
const MinWindowAge = 24 * time.Hour

// UnmarshalText reads "90d", "12w", "2160h" (any Go duration), "500" or
// "500 commits"; "", "0" and "full" keep everything.
func (w *Window) UnmarshalText(text []byte) error {
	s := strings.ToLower(strings.TrimSpace(string(text)))
	*w = Window{}
	if s == "" || s == "0" || s == "full" {
		return nil
	}
	if n, ok := strings.CutSuffix(s, "commits"); ok || isDigits(s) {
		c, err := strconv.Atoi(strings.TrimSpace(n))
		if err != nil || c < 0 {
			return windowError(s)
		}
		w.Commits = c
		return nil
	}
	unit := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[s[len(s)-1]]
	if unit > 0 && isDigits(s[:len(s)-1]) {
		n, err := strconv.Atoi(s[:len(s)-1])
		if err != nil {
			return windowError(s)
		}
		w.Age = time.Duration(n) * unit
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return windowError(s)
	}
	w.Age = d
	return nil
}

// UnmarshalYAML reads a scalar as UnmarshalText does, and says on which
// line a bad one is.
func (w *Window) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind != yaml.ScalarNode {
		return fmt.Errorf("line %d: publish.history: %v", n.Line, windowError(""))
	}
	if err := w.UnmarshalText([]byte(n.Value)); err != nil {
		return fmt.Errorf("line %d: publish.history: %w", n.Line, err)
	}
	return nil
}

func windowError(s string) error {
	return fmt.Errorf("want an age such as 90d, 12w or 2160h, or a number of commits such as 500, got %q", s)
}

func isDigits(s string) bool {
	return s != "" && strings.Trim(s, "0123456789") == ""
}

// MarshalText writes w as UnmarshalText reads it.
func (w Window) MarshalText() ([]byte, error) { return []byte(w.String()), nil }

// String is "full", "500 commits", "90d" or a Go duration.
func (w Window) String() string {
	switch {
	case w.Commits > 0:
		return strconv.Itoa(w.Commits) + " commits"
	case w.Age <= 0:
		return "full"
	case w.Age%(24*time.Hour) == 0:
		return strconv.FormatInt(int64(w.Age/(24*time.Hour)), 10) + "d"
	}
	return w.Age.String()
}

// margin is how far past the window the history may grow before a
// re-root: a tenth of the window (at least one commit), so that remotes
// are force-pushed about once per tenth of the window, not every run.
func (w Window) margin() (time.Duration, int) {
	return w.Age / 10, max(w.Commits/10, 1)
}

// validate reports a window that cannot work.
func (w Window) validate() error {
	if w.Age > 0 && w.Commits > 0 {
		return fmt.Errorf("give an age or a number of commits, not both")
	}
	if w.Age > 0 && w.Age < MinWindowAge {
		return fmt.Errorf("must be at least 1d (a shorter window would force-push every few runs), got %s", w)
	}
	return nil
}

package cli_test

import (
	"context"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/cli"
)

// screen is a terminal's screen as far as the progress bar uses one: text,
// "\n", "\r" (back to the line's start) and ESC[2K (erase the line). It
// keeps every byte written too.
type screen struct {
	mu    sync.Mutex
	lines []string
	col   int
	raw   strings.Builder
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.raw.Write(p)
	if len(s.lines) == 0 {
		s.lines = []string{""}
	}
	text := string(p)
	for len(text) > 0 {
		last := &s.lines[len(s.lines)-1]
		switch {
		case strings.HasPrefix(text, "\x1b[2K"):
			*last, text = "", text[len("\x1b[2K"):]
		case text[0] == '\r':
			s.col, text = 0, text[1:]
		case text[0] == '\n':
			s.lines, s.col, text = append(s.lines, ""), 0, text[1:]
		default:
			n := strings.IndexAny(text, "\r\n\x1b")
			if n < 0 {
				n = len(text)
			} else if n == 0 {
				n = 1
			}
			runes := []rune(*last)
			for len(runes) < s.col {
				runes = append(runes, ' ')
			}
			add := []rune(text[:n])
			end := min(len(runes), s.col+len(add))
			*last = string(append(append(runes[:s.col:s.col], add...), runes[end:]...))
			s.col += len(add)
			text = text[n:]
		}
	}
	return len(p), nil
}

func (s *screen) shown() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{}, s.lines...)
}

// TestProgressBarLeavesTheSummaryIntact syncs a slow site on a terminal:
// the progress bar is drawn, and once it is cleared every line of the
// summary is on the screen whole, none of them overwritten by the bar.
func TestProgressBarLeavesTheSummaryIntact(t *testing.T) {
	dir := t.TempDir()
	slow := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasPrefix(r.URL.Path, "/news/") {
				time.Sleep(150 * time.Millisecond)
			}
			h.ServeHTTP(w, r)
		})
	}
	siteURL, _ := crashSite(t, slow)
	cfg := writeCrashConfig(t, dir, siteURL)
	var s screen
	if code := cli.RunOnTerminal(context.Background(), []string{"sync", "-c", cfg}, &s); code != 0 {
		t.Fatalf("sync exit %d:\n%s", code, s.raw.String())
	}
	if !strings.Contains(s.raw.String(), "] channels 3/3, articles") {
		t.Fatalf("no progress bar drawn in a sync of over a second:\n%q", s.raw.String())
	}
	lines := s.shown()
	head := gitIn(t, filepath.Join(dir, "mirror"), "rev-parse", "--short=10", "HEAD")
	var summary []string
	for i, l := range lines {
		if l == "pages written: 27" {
			summary = lines[i:]
			break
		}
	}
	if len(summary) < 2 || !strings.HasPrefix(summary[1], "commit: "+head+" ") {
		t.Fatalf("summary not on the screen whole:\n%s", strings.Join(lines, "\n"))
	}
	for _, l := range lines {
		if strings.Contains(l, "] channels") {
			t.Errorf("progress bar left on the screen: %q", l)
		}
	}
}

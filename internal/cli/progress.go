package cli

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/newsmirror/newsmirror/internal/mirror"
)

// progressBar draws a sync's progress on the last line of a terminal. It
// stays hidden for the first second, so short syncs print nothing. Log
// records are written through it: it clears the bar, writes the record and
// draws the bar again below it.
type progressBar struct {
	mu    sync.Mutex
	w     io.Writer
	start time.Time
	drawn time.Time
	line  string // the bar on screen, "" when none
	now   func() time.Time
}

const (
	progressDelay = time.Second
	progressEvery = 100 * time.Millisecond
	progressWidth = 30
)

func newProgressBar(w io.Writer) *progressBar {
	return &progressBar{w: w, now: time.Now, start: time.Now()}
}

// Write writes a log record above the bar.
func (b *progressBar) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clear()
	n, err := b.w.Write(p)
	if b.line != "" {
		io.WriteString(b.w, b.line)
	}
	return n, err
}

// update redraws the bar, at most every progressEvery.
func (b *progressBar) update(p mirror.Progress) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.now()
	if now.Sub(b.start) < progressDelay || now.Sub(b.drawn) < progressEvery {
		return
	}
	b.drawn = now
	b.clear()
	b.line = renderProgress(p)
	io.WriteString(b.w, b.line)
}

// done removes the bar.
func (b *progressBar) done() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.clear()
	b.line = ""
}

func (b *progressBar) clear() {
	if b.line != "" {
		io.WriteString(b.w, "\r\x1b[2K")
	}
}

// renderProgress is the bar's text: channels read, then articles finished.
func renderProgress(p mirror.Progress) string {
	total, done := p.Channels+p.Articles, p.ChannelsRead+p.ArticlesDone
	filled := 0
	if total > 0 {
		filled = progressWidth * done / total
	}
	return fmt.Sprintf("[%s%s] channels %d/%d, articles %d/%d",
		strings.Repeat("#", filled), strings.Repeat("-", progressWidth-filled),
		p.ChannelsRead, p.Channels, p.ArticlesDone, p.Articles)
}

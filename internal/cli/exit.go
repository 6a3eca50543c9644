package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/newsmirror/newsmirror/internal/mirror"
)

// outcome is the exit code of a sync that ran to its end, and why when it
// is not 0: nothing read, too many failures, some failures or a failed
// push (in that order).
func outcome(rep *mirror.Report, maxShare float64) (int, string) {
	var pushFailed int
	for _, p := range rep.Pushes {
		if p.Err != nil {
			pushFailed++
		}
	}
	failed, tried := len(rep.Failures), rep.Channels+rep.Articles
	share := 0.0
	if tried > 0 {
		share = float64(failed) / float64(tried)
	}
	switch {
	case rep.Channels > 0 && rep.ChannelsRead == 0:
		return ExitNothingRead, fmt.Sprintf("nothing could be read: all %d channels failed", rep.Channels)
	case share > maxShare:
		return ExitTooManyFailed, fmt.Sprintf("%d of %d channels and articles failed (%.0f%%), over publish.max_failed_share (%.0f%%)",
			failed, tried, 100*share, 100*maxShare)
	case failed > 0 || pushFailed > 0:
		return ExitPartial, partialReason(failed, tried, share, pushFailed, len(rep.Pushes))
	}
	return ExitOK, ""
}

func partialReason(failed, tried int, share float64, pushFailed, remotes int) string {
	msg := fmt.Sprintf("%d of %d channels and articles failed (%.0f%%)", failed, tried, 100*share)
	if pushFailed > 0 {
		msg += fmt.Sprintf("; push failed to %d of %d remotes", pushFailed, remotes)
	}
	return msg
}

// Stop is the cause of a context cancelled by a signal.
type Stop struct{ Signal os.Signal }

func (s *Stop) Error() string { return s.Signal.String() + " received" }

// code is the shell's convention for a command ended by the signal: 128 +
// its number (130 for SIGINT, 143 for SIGTERM).
func (s *Stop) code() int {
	if n, ok := s.Signal.(syscall.Signal); ok {
		return 128 + int(n)
	}
	return 128 + int(syscall.SIGINT)
}

// stopped reports whether ctx was ended by a signal, and which. A context
// cancelled otherwise counts as SIGINT.
func stopped(ctx context.Context) (*Stop, bool) {
	if ctx.Err() == nil {
		return nil, false
	}
	var s *Stop
	if errors.As(context.Cause(ctx), &s) {
		return s, true
	}
	return &Stop{Signal: os.Interrupt}, true
}

// NotifyContext is signal.NotifyContext whose context, cancelled by one of
// signals, has a *Stop naming it as its cause, so that a sync can exit
// with the signal's code.
func NotifyContext(parent context.Context, signals ...os.Signal) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, signals...)
	go func() {
		select {
		case s := <-ch:
			cancel(&Stop{Signal: s})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

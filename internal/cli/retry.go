package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/store"
)

// runRetry puts failed articles (given up or not) back in the queue: the
// next sync tries them as new, with a fresh give-up clock, even when the
// feed no longer lists them.
func runRetry(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "retry")
	channel := fs.String("channel", "", "requeue only this channel's articles (`ID`)")
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	if *channel != "" && !hasChannel(cfg.Sources, *channel) {
		fmt.Fprintf(e.stderr, "newsmirror retry: no channel %q in %s\n", *channel, *file)
		return ExitUsage
	}
	if _, err := os.Stat(cfg.StatePath()); err != nil && !store.IsPostgres(cfg.StatePath()) {
		fmt.Fprintf(e.stderr, "newsmirror retry: no state database at %s: %v\n", cfg.StatePath(), errors.Unwrap(err))
		return ExitFatal
	}
	db, err := store.Open(ctx, cfg.StatePath())
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror retry:", err)
		return ExitFatal
	}
	defer db.Close()
	list, err := db.Requeue(ctx, *channel, fs.Args())
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror retry:", err)
		return ExitFatal
	}
	for _, a := range list {
		fmt.Fprintf(e.stdout, "requeued %s/%s %s\n", a.Source, a.Channel, a.URL)
	}
	fmt.Fprintf(e.stdout, "%d articles requeued; the next sync tries them\n", len(list))
	if len(list) == 0 && fs.NArg() > 0 {
		return ExitUsage // the URLs named are not failed articles
	}
	return ExitOK
}

func hasChannel(sources []config.Source, id string) bool {
	for _, src := range sources {
		for _, ch := range src.Channels {
			if ch.ID == id {
				return true
			}
		}
	}
	return false
}

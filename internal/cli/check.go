package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/indexes"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/store"
)

func runCheck(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "check")
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	if !checkPublishFiles(e, cfg) {
		return ExitUsage
	}
	if err := checkState(ctx, cfg); err != nil {
		fmt.Fprintf(e.stderr, "%s: output.state: %v\n", *file, err)
		return ExitFatal
	}
	channels := 0
	for _, s := range cfg.Sources {
		channels += len(s.Channels)
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d sources, %d channels)\n", *file, len(cfg.Sources), channels)
	printPixelHosts(e, cfg.Output.PixelURL)
	warnHistory(e, cfg.Publish)
	return ExitOK
}

// warnHistory warns of a history window that bounds nothing: every remote
// keeps the full history (none is marked rewrite), so the mirror keeps it
// too, for them.
func warnHistory(e *env, p publish.Options) {
	if p.History.IsZero() || len(p.Remotes) == 0 {
		return
	}
	var full []string
	for _, rm := range p.Remotes {
		if !rm.Rewrite {
			full = append(full, rm.Name)
		}
	}
	switch {
	case len(full) == len(p.Remotes):
		fmt.Fprintf(e.stderr, "warning: publish.history: %s bounds nothing: no remote is marked rewrite, so every remote keeps the full history, and the mirror keeps it too to push it; mark the remote readers clone (e.g. GitHub) rewrite: true\n", p.History)
	case len(full) > 0:
		fmt.Fprintf(e.stdout, "publish.history %s: %s get the re-rooted branch; %s keep the full history, which the mirror keeps too (docs/publishing.md)\n", p.History, strings.Join(rewriteNames(p.Remotes), ", "), strings.Join(full, ", "))
	}
}

// rewriteNames are the names of the remotes marked rewrite.
func rewriteNames(remotes []publish.Remote) []string {
	var names []string
	for _, rm := range remotes {
		if rm.Rewrite {
			names = append(names, rm.Name)
		}
	}
	return names
}

// printPixelHosts names the counter hosts the pages' pixels load.
func printPixelHosts(e *env, urls config.PixelURLs) {
	switch hosts := urls.Hosts(); len(hosts) {
	case 0:
	case 1:
		fmt.Fprintf(e.stdout, "counter pixel: %s\n", hosts[0])
	default:
		fmt.Fprintf(e.stdout, "counter pixel: %d hosts, each page loads one picked from its path: %s\n", len(hosts), strings.Join(hosts, ", "))
	}
}

// stateTimeout bounds how long check waits for a PostgreSQL state.
const stateTimeout = 10 * time.Second

// checkState reaches a PostgreSQL state database (a SQLite file needs
// nothing: the first run creates it).
func checkState(ctx context.Context, cfg *config.Config) error {
	ctx, cancel := context.WithTimeout(ctx, stateTimeout)
	defer cancel()
	return store.Reach(ctx, cfg.StatePath())
}

// checkPublishFiles parses the templates folder and reads the links files
// the configuration names: an unreadable file or a bad template fails the
// check, a bad row only warns (a run skips it too).
func checkPublishFiles(e *env, cfg *config.Config) bool {
	ok := true
	if r, err := render.New(cfg.Site, cfg.Output); err != nil {
		fmt.Fprintln(e.stderr, err)
		ok = false
	} else if err := r.Check(); err != nil {
		fmt.Fprintln(e.stderr, err)
		ok = false
	}
	if cfg.Output.Feeds.Enabled && cfg.Output.PageURL == "" {
		fmt.Fprintln(e.stderr, "warning: output.feeds: no feed is written without output.page_url (Atom needs absolute URLs)")
	}
	files := []string{cfg.Indexes.Editors.File}
	for _, s := range cfg.Indexes.Sticky {
		files = append(files, s.File)
	}
	for _, f := range files {
		if f == "" {
			continue
		}
		_, bad, err := indexes.ReadCSV(f)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			ok = false
		}
		for _, b := range bad {
			fmt.Fprintf(e.stderr, "warning: %v\n", b)
		}
	}
	return ok
}

package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

func runSync(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("sync", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	file := fs.String("c", "newsmirror.yaml", "configuration `file`")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := config.Load(*file)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return ExitUsage
	}
	return syncOnce(ctx, e, cfg, nil)
}

// syncOnce runs one pass and prints its summary.
func syncOnce(ctx context.Context, e *env, cfg *config.Config, dial fetch.DialFunc) int {
	deps := mirror.Deps{Client: fetch.New(cfg.Fetch, fetch.WithDial(dial)), Log: e.log}
	if e.bar != nil {
		deps.Progress = e.bar.update
		defer e.bar.done()
	}
	rep, err := mirror.Sync(ctx, cfg, deps)
	if rep != nil {
		printReport(e.stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror:", err)
		return ExitFatal
	}
	if len(rep.Failures) > 0 {
		return ExitPartial
	}
	return ExitOK
}

func printReport(w io.Writer, rep *mirror.Report) {
	fmt.Fprintf(w, "pages written: %d\n", len(rep.Written))
	if len(rep.Failures) > 0 {
		fmt.Fprintf(w, "failed: %d\n", len(rep.Failures))
		for _, f := range rep.Failures {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	printImages(w, rep.Images)
	if rep.Commit != "" {
		fmt.Fprintf(w, "commit: %s %s\n", shortHash(rep.Commit), rep.Message)
	} else {
		fmt.Fprintln(w, "commit: none (nothing new)")
	}
}

// printImages tells, per source, how many images were stored in the mirror
// and how many kept their original URL.
func printImages(w io.Writer, counts map[string]mirror.ImageCount) {
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		c := counts[id]
		fmt.Fprintf(w, "images %s: %d localised, %d kept at their original URL\n", id, c.Localized, c.Failed)
		if c.LastError != "" {
			fmt.Fprintf(w, "  last image failure: %s\n", c.LastError)
		}
	}
}

func shortHash(h string) string {
	if len(h) > 10 {
		return h[:10]
	}
	return h
}

package cli

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
)

func runSync(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "sync")
	rebuild := fs.Bool("rebuild", false, "re-render every index and list and apply retention to every channel, even with nothing new (after changing indexes.*, publish.keep or the templates)")
	adopt := adoptFlag(fs)
	dry := fs.Bool("dry-run", false, "fetch, extract and render as sync does, print the files it would write and remove and the commit it would make, and write nothing (no file, no state, no commit, no push)")
	fs.BoolVar(&e.json, "json", false, "print the run's summary as JSON (a versioned shape: docs/operations.md)")
	hostID := hostIDFlag(fs)
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	deps := mirror.Deps{Client: fetch.New(cfg.Fetch), Log: e.log, Rebuild: *rebuild, Adopt: *adopt, DryRun: *dry}
	if *dry {
		if !*adopt {
			if err := mirror.CheckFolder(cfg); err != nil {
				fmt.Fprintln(e.stderr, "newsmirror:", err)
				return refusedCode(err)
			}
		}
		return syncWith(ctx, e, cfg, deps)
	}
	held, err := lockMirror(cfg, *adopt)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror:", err)
		return refusedCode(err)
	}
	defer held.Release()
	deps.Lock = held
	el := &election{cfg: cfg, host: cmp.Or(*hostID, defaultHostID(cfg)), ttl: DefaultLeaseTTL, log: e.log}
	defer el.close()
	h, err := el.once(ctx)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror:", err)
		return ExitFatal
	}
	defer el.stop(h)
	deps.Lease, deps.TakeOver = h.lease, el.takeover
	return syncWith(h.ctx, e, cfg, deps)
}

// adoptFlag is --adopt: write into a folder that holds files and is not a
// mirror yet.
func adoptFlag(fs *flag.FlagSet) *bool {
	return fs.Bool(strings.TrimPrefix(publish.AdoptFlag, "--"), false,
		"make output.dir a mirror although it holds files and is not one: newsmirror takes the paths it writes (home page, indexes, pages/<channel>/, assets/), every other file stays untouched")
}

// refusedCode is the exit code of a run that could not start: 2 for a
// folder that is not a mirror (the configuration points at the wrong
// folder, or --adopt is missing), else 1.
func refusedCode(err error) int {
	if errors.Is(err, publish.ErrForeign) {
		return ExitUsage
	}
	return ExitFatal
}

// lockMirror refuses a folder that is not a mirror (unless adopt), then
// takes the lock inside the mirror folder that keeps a second newsmirror
// off it while this one runs, whatever configuration the other one reads.
func lockMirror(cfg *config.Config, adopt bool) (*publish.MirrorLock, error) {
	if !adopt {
		if err := mirror.CheckFolder(cfg); err != nil {
			return nil, err
		}
	}
	return publish.Lock(cfg.Output.Dir)
}

// syncOnce runs one pass and prints its summary.
func syncOnce(ctx context.Context, e *env, cfg *config.Config, dial fetch.DialFunc, adopt bool) int {
	return syncWith(ctx, e, cfg, mirror.Deps{Client: fetch.New(cfg.Fetch, fetch.WithDial(dial)), Log: e.log, Adopt: adopt})
}

// syncWith runs one pass with deps and prints its summary.
func syncWith(ctx context.Context, e *env, cfg *config.Config, deps mirror.Deps) int {
	code, _ := syncReport(ctx, e, cfg, deps)
	return code
}

// syncReport runs one pass with deps, prints its summary and returns its
// exit code and report (nil when the run could not start).
func syncReport(ctx context.Context, e *env, cfg *config.Config, deps mirror.Deps) (int, *mirror.Report) {
	if e.bar != nil {
		deps.Progress = e.bar.update
	}
	rep, err := mirror.Sync(ctx, cfg, deps)
	if e.bar != nil {
		e.bar.done() // before the summary, which the bar's line would cover
	}
	if rep != nil && !e.json {
		printReport(e.stdout, rep)
	}
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror:", err)
		if rep != nil && e.json {
			printReportJSON(e.stdout, rep, ExitFatal, err.Error())
		}
		return ExitFatal, rep
	}
	code, why := outcome(rep, cfg.Publish.MaxFailedShare)
	if stop, ok := stopped(ctx); ok {
		e.log.Warn("sync stopped by signal; what was complete is committed", "signal", stop.Signal.String())
		code, why = stop.code(), fmt.Sprintf("stopped by %s before the end; what was complete is committed", stop.Signal)
	}
	switch {
	case e.json:
		if err := printReportJSON(e.stdout, rep, code, why); err != nil {
			fmt.Fprintln(e.stderr, "newsmirror:", err)
		}
	case why != "":
		fmt.Fprintf(e.stdout, "exit %d: %s\n", code, why)
	}
	return code, rep
}

func printReport(w io.Writer, rep *mirror.Report) {
	if rep.DryRun {
		printDryRun(w, rep)
		return
	}
	fmt.Fprintf(w, "pages written: %d\n", len(rep.Written))
	if len(rep.Failures) > 0 {
		fmt.Fprintf(w, "failed: %d\n", len(rep.Failures))
		for _, f := range rep.Failures {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	printImages(w, rep.Images)
	if len(rep.Removed) > 0 {
		fmt.Fprintf(w, "pages removed (retention): %d\n", len(rep.Removed))
	}
	for _, msg := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", msg)
	}
	if rep.Commit != "" {
		fmt.Fprintf(w, "commit: %s %s\n", shortHash(rep.Commit), rep.Message)
	} else {
		fmt.Fprintln(w, "commit: none (nothing new)")
	}
	if h := rep.Reroot; h != nil {
		fmt.Fprintf(w, "history: re-rooted (publish.history): %d commits before %s became one root commit, %d kept, %s now\n",
			h.Cut, h.Since.Format(time.RFC3339), h.Kept, shortHash(h.New))
	}
	if h := rep.StateReroot; h != nil {
		fmt.Fprintf(w, "history: %s re-rooted too: %d commits before %s became one root commit, %d kept\n",
			publish.StateBranch, h.Cut, h.Since.Format(time.RFC3339), h.Kept)
	}
	printPushes(w, rep.Pushes)
}

// printPushes prints one line per remote; errors never hold credentials.
func printPushes(w io.Writer, pushes []publish.PushResult) {
	for _, p := range pushes {
		if p.Err != nil {
			fmt.Fprintf(w, "push %s: FAILED: %v (retried next run)\n", p.Remote, p.Err)
		} else {
			fmt.Fprintf(w, "push %s: ok %s\n", p.Remote, shortHash(p.Commit))
		}
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

// printDryRun prints what a dry run found: what sync would have written,
// removed and committed, file by file.
func printDryRun(w io.Writer, rep *mirror.Report) {
	fmt.Fprintln(w, "dry run: nothing was written, committed or pushed")
	fmt.Fprintf(w, "pages to write: %d\n", len(rep.Written))
	if len(rep.Failures) > 0 {
		fmt.Fprintf(w, "failed: %d\n", len(rep.Failures))
		for _, f := range rep.Failures {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	printImages(w, rep.Images)
	if len(rep.Removed) > 0 {
		fmt.Fprintf(w, "pages to remove (retention): %d\n", len(rep.Removed))
	}
	for _, msg := range rep.Warnings {
		fmt.Fprintf(w, "warning: %s\n", msg)
	}
	ops := map[string]int{}
	for _, c := range rep.Changes {
		ops[c.Op]++
	}
	fmt.Fprintf(w, "files: %d new, %d changed, %d removed\n", ops["A"], ops["M"], ops["D"])
	for _, c := range rep.Changes {
		fmt.Fprintf(w, "  %s %s\n", c.Op, c.Path)
	}
	if rep.Message != "" {
		fmt.Fprintf(w, "would commit: %s\n", strings.TrimRight(rep.Message, "\n"))
	} else {
		fmt.Fprintln(w, "would commit: none (nothing new)")
	}
	printRerootPlan(w, rep.RerootPlan)
}

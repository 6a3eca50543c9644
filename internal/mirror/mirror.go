// Package mirror runs one pass of the pipeline: for every channel it reads
// the feed, mirrors each new article (fetch → extract → render → write),
// rebuilds the indexes and the home page from the state database, and
// commits the result.
package mirror

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/store"
)

// Deps are the parts a run uses that tests may replace with their own.
type Deps struct {
	// Client fetches feeds and pages; nil means one built from the config.
	Client *fetch.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Log receives progress and problems; nil discards them.
	Log *slog.Logger
	// Metrics counts fetches, pages, images and the run; nil counts nothing.
	Metrics *metrics.Metrics
	// Progress is called as channels are read and articles finished; nil
	// for none.
	Progress func(Progress)
}

// Report is what one run did.
type Report struct {
	// Written are the pages created or changed, as repository paths.
	Written []string
	// Failures are the articles and channels that could not be mirrored.
	Failures []Failure
	// Commit is the new commit's hash, "" when nothing changed.
	Commit string
	// Message is the commit message, when there was a commit.
	Message string
	// Images counts localised and failed images per source id.
	Images map[string]ImageCount
}

// Failure is one article or channel the run skipped, and why.
type Failure struct {
	Source, Channel string
	URL             string
	Err             error
}

func (f Failure) String() string {
	return fmt.Sprintf("%s/%s %s: %v", f.Source, f.Channel, f.URL, f.Err)
}

// run is the state of one Sync.
type run struct {
	cfg    *config.Config
	client *fetch.Client
	now    time.Time
	log    *slog.Logger
	db     *store.Store
	repo   *publish.Repo
	tree   publish.Tree
	render *render.Renderer
	report *Report
	// touched are the repository paths this run wrote or deleted.
	touched  map[string]bool
	images   imageTally
	html     *htmlsite.Renderer // nil unless output.html is enabled
	variants []variant          // converted trees, e.g. Traditional Chinese
	metrics  *metrics.Metrics
	progress *tracker
}

// Sync runs one pass over every source of cfg. A failing article or channel
// is recorded in the report and skipped; the error return is for failures
// that stop the whole run (state database, git, templates).
func Sync(ctx context.Context, cfg *config.Config, deps Deps) (*Report, error) {
	r, err := open(ctx, cfg, deps)
	if err != nil {
		return nil, err
	}
	defer r.db.Close()
	defer r.observeRun(time.Now())
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		for j := range src.Channels {
			r.syncChannel(ctx, src, &src.Channels[j])
		}
	}
	if err := ctx.Err(); err != nil {
		r.log.Warn("run interrupted; committing what is complete", "err", err)
		ctx = context.WithoutCancel(ctx)
	}
	r.finishImages(ctx)
	work, pending, err := r.hasWork(ctx)
	if err != nil || !work {
		return r.report, err
	}
	if err := r.sweepAssets(ctx); err != nil {
		return r.report, err
	}
	if err := r.rebuild(ctx); err != nil {
		return r.report, err
	}
	return r.report, r.commit(ctx, pending)
}

func open(ctx context.Context, cfg *config.Config, deps Deps) (*run, error) {
	r := &run{cfg: cfg, client: deps.Client, log: deps.Log, report: &Report{}, touched: map[string]bool{}}
	r.metrics, r.progress = deps.Metrics, newTracker(deps.Progress, channelCount(cfg))
	if r.client == nil {
		r.client = fetch.New(cfg.Fetch)
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	r.now = time.Now()
	if deps.Now != nil {
		r.now = deps.Now()
	}
	r.now = r.now.In(cfg.Location)
	var err error
	if r.render, err = render.New(cfg.Site, cfg.Output); err != nil {
		return nil, err
	}
	if err := r.openHTML(); err != nil {
		return nil, err
	}
	if err := r.openVariants(); err != nil {
		return nil, err
	}
	if r.repo, err = publish.OpenRepo(ctx, cfg.Output.Dir, cfg.Output.GitAuthor); err != nil {
		return nil, err
	}
	r.tree = publish.Tree{Dir: cfg.Output.Dir}
	if r.db, err = store.Open(ctx, cfg.StatePath()); err != nil {
		return nil, err
	}
	return r, nil
}

// write stores a file of the mirror and remembers it for the commit.
func (r *run) write(rel string, data []byte) (bool, error) {
	changed, err := r.tree.Write(rel, data)
	if changed {
		r.touched[rel] = true
	}
	return changed, err
}

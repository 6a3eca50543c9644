// Package mirror runs one pass of the pipeline: for every channel it reads
// the feed, runs each new article through the one per-article pipeline
// (package article: decode → extract → clean → localise images → every
// output) and persists what it returns (files, then one transaction),
// rebuilds the indexes and home pages in every tree and format (package
// output) from the state database, and commits the result.
package mirror

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/newsmirror/newsmirror/internal/article"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/overlay"
	"github.com/newsmirror/newsmirror/internal/owner"
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
	// Fetch retries are counted by the client (fetch.OnRetry); the client
	// built when Client is nil counts them here.
	Metrics *metrics.Metrics
	// Progress is called as channels are read and articles finished; nil
	// for none.
	Progress func(Progress)
	// Pull rebases the mirror on publish.upstream before writing (the
	// daemon does, so that edits made elsewhere are kept).
	Pull bool
	// Rebuild applies retention to, and re-renders, every channel and list
	// even when nothing is new: after a change to indexes.*, publish.keep
	// or the templates.
	Rebuild bool
	// Adopt lets the run make output.dir a mirror although it holds files
	// and is not one (see CheckFolder); the files newsmirror writes there
	// become its own, every other file stays the operator's.
	Adopt bool
	// Lock is the mirror's lock when the caller holds it (the daemon holds
	// it across runs); nil: Sync takes it for the run.
	Lock *publish.MirrorLock
	// DryRun runs the pass as Sync does (feeds read, articles fetched,
	// extracted and rendered, retention, lists) and writes nothing: the
	// files it would write or remove are only listed (Report.Changes), the
	// state database is read through a copy, no commit, push or pull is
	// made, and the mirror's lock is only shared (a writer waits; held
	// by another newsmirror, the dry run reads on without it).
	DryRun bool
	// Lease is the lease the run holds when hosts share the state (the
	// daemon's election): every write the run makes to the state is fenced
	// on it (store.Fence), and the run neither commits nor pushes once it
	// is lost, nor once ctx is cancelled with store.ErrLeaseLost as its
	// cause. nil: no lease (one host).
	Lease *store.Lease
	// TakeOver says another host held the lease before this one: before
	// writing, the run resets the working copy to publish.upstream's head
	// (instead of Pull) and makes the state agree with it (store.
	// ForgetUnpublished), so that it neither forks history nor mirrors
	// again an article the upstream has.
	TakeOver bool
	// StopGrace is how long the articles in hand may go on once ctx ends
	// before they are cancelled too; 0 means DefaultStopGrace, a negative
	// value cancels them at once.
	StopGrace time.Duration
}

// DefaultStopGrace is how long the articles in hand may go on after a
// stop (SIGINT, SIGTERM): long enough for an article that is nearly done,
// short of a service manager's stop timeout.
const DefaultStopGrace = 10 * time.Second

// Report is what one run did.
type Report struct {
	// Written are the pages created or changed, as repository paths.
	Written []string
	// Removed are the pages retention removed, as repository paths.
	Removed []string
	// Failures are the articles and channels that could not be mirrored.
	Failures []Failure
	// Channels counts the configuration's channels, ChannelsRead those
	// whose feed was read (a 304 counts), Articles the articles tried.
	Channels, ChannelsRead, Articles int
	// Warnings are problems that skipped nothing important, such as a bad
	// row of a links file ("file:line: message").
	Warnings []string
	// Commit is the new commit's hash, "" when nothing changed.
	Commit string
	// Message is the commit message, when there was a commit.
	Message string
	// Pushes are the outcomes of pushing to each remote, in configuration
	// order; none when the run was interrupted.
	Pushes []publish.PushResult
	// Reroot is the re-root of the branch's history the run made
	// (publish.history), nil when none.
	Reroot *publish.Rerooted
	// StateReroot is the re-root of publish.StateBranch's history the
	// run made (the same window), nil when none.
	StateReroot *publish.Rerooted
	// RerootPlan is, in a dry run, what the re-root step would do
	// (publish.history), nil when no window is set and none is pending.
	RerootPlan *publish.RerootPlan
	// Images counts localised and failed images per source id.
	Images map[string]ImageCount
	// StateBytes is the size of the state export the run committed onto
	// publish.StateBranch, 0 when it made none.
	StateBytes int
	// Took is how long the run's publishing stages took.
	Took Timings
	// DryRun is Deps.DryRun: Changes lists what the run would have
	// written and removed, Message the commit it would have made ("" for
	// none), and nothing was written, committed or pushed.
	DryRun bool
	// Changes are, in a dry run, the files of the mirror the run would
	// have created, changed or removed, by path.
	Changes []overlay.Change
	// CaughtUp says the run took over from another host: it brought the
	// working copy to the upstream's head and the state along (TakeOver).
	CaughtUp bool
}

// Timings are the wall times of a run's publishing stages.
type Timings struct {
	// Lists is retention and the rebuild of the indexes and lists.
	Lists time.Duration
	// Commit is staging and committing.
	Commit time.Duration
	// Push is the pushes to every remote (they run at once).
	Push time.Duration
}

// Failure is one article or channel the run skipped, and why.
type Failure struct {
	Source, Channel string
	URL             string
	Err             error
}

func (f Failure) String() string {
	return fmt.Sprintf("%s/%s %s: %s", f.Source, f.Channel, f.URL, outage.Reason(f.Err, f.URL))
}

// run is the state of one Sync.
type run struct {
	// rebuildAll is Deps.Rebuild.
	rebuildAll bool
	cfg        *config.Config
	client     *fetch.Client
	now        time.Time
	log        *slog.Logger
	db         *store.Store
	repo       *publish.Repo
	tree       files
	// dry is Deps.DryRun; scratch is then the dry run's own folder, and
	// frozen tells that repo is the mirror's own (which a dry run only
	// reads) rather than one made in scratch.
	dry     bool
	scratch *scratch
	frozen  bool
	report  *Report
	// touched are the repository paths this run wrote or deleted.
	touched map[string]bool
	// pipe turns one article into its files; out renders the lists and
	// home pages in every tree and format.
	pipe     *article.Pipeline
	out      *output.Set
	images   imageTally
	metrics  *metrics.Metrics
	progress *tracker
	// owner knows which files of the mirror are newsmirror's.
	owner *owner.Files
	// unlock releases the mirror's lock when the run took it.
	unlock func()
	hosts  *outage.Hosts // how the articles' hosts are doing
	// hot are the hot list's entries as this run wrote them.
	hot []render.Entry
	// claims are the page ids this run's articles took (claimID).
	claims claims
	// lease is Deps.Lease: the state's writes are fenced on it.
	lease *store.Lease
	// stopGrace is Deps.StopGrace, its default filled in.
	stopGrace time.Duration
	// warnMu guards report.Warnings: workers warn of articles that lost
	// text while the others mirror theirs.
	warnMu sync.Mutex
}

// Sync runs one pass over every source of cfg. A failing article or channel
// is recorded in the report and skipped; the error return is for failures
// that stop the whole run (state database, git, templates).
func Sync(ctx context.Context, cfg *config.Config, deps Deps) (*Report, error) {
	r, err := open(ctx, cfg, deps)
	if err != nil {
		return nil, err
	}
	defer r.scratch.remove()
	defer r.unlock()
	defer r.db.Close()
	defer r.observeRun(time.Now())
	if deps.TakeOver && !r.dry {
		if err := r.takeOver(ctx); err != nil {
			return r.report, err
		}
	} else if err := r.pull(ctx, deps.Pull && !r.dry); err != nil {
		// An unreachable or diverged upstream must not stop the mirror:
		// this run commits on what it has, and its push reports the rest.
		r.warn(err.Error())
	}
	r.syncChannels(ctx)
	if err := leaseLost(ctx); err != nil {
		return r.report, err // another host goes on: nothing is committed
	}
	interrupted := ctx.Err() != nil
	if interrupted {
		r.log.Warn("run interrupted; committing what is complete", "err", ctx.Err())
		ctx = context.WithoutCancel(ctx)
	}
	r.finishImages(ctx)
	if err := r.db.CheckFence(ctx); err != nil {
		return r.report, err
	}
	if err := r.publish(ctx); err != nil {
		return r.report, err
	}
	if r.dry {
		r.planReroot(ctx)
		return r.report, nil
	}
	if !interrupted {
		r.reroot(ctx)
	}
	r.exportState(ctx)
	if !interrupted {
		if err := r.db.CheckFence(ctx); err != nil {
			return r.report, err
		}
		r.push(ctx)
		r.finishReroot(ctx)
	}
	return r.report, nil
}

// leaseLost is the cause of ctx's end when it is the loss of the run's
// lease, else nil.
func leaseLost(ctx context.Context) error {
	if err := context.Cause(ctx); errors.Is(err, store.ErrLeaseLost) {
		return err
	}
	return nil
}

// publish turns the run into one commit: it finishes what an interrupted
// run left, applies retention, removes unused assets and rebuilds the
// indexes. Nothing new, nothing left: no commit, no file touched — unless
// the hot list is due a refresh (hotDue), which rebuilds it and the home
// page alone.
func (r *run) publish(ctx context.Context) error {
	w, err := r.findWork(ctx)
	if err != nil {
		return err
	}
	if !(w.any() || r.rebuildAll) {
		if due, err := r.hotDue(ctx); err != nil || !due {
			return err
		}
	}
	began := time.Now()
	if err := r.replay(w); err != nil {
		return err
	}
	dirty := w.dirty()
	if w.first {
		dirty = nil // rebuild writes every missing index
	}
	if r.rebuildAll {
		dirty = r.allChannels()
	}
	if err := r.expire(ctx, dirty); err != nil {
		return err
	}
	if err := r.sweepAssets(ctx); err != nil {
		return err
	}
	if err := r.rebuild(ctx, dirty); err != nil {
		return err
	}
	r.report.Took.Lists = time.Since(began)
	began = time.Now()
	defer func() { r.report.Took.Commit = time.Since(began) }()
	if err := r.commit(ctx, w.pending); err != nil {
		return err
	}
	r.saveHotShown(r.hot)
	return nil
}

// push sends the branch to every remote and records each outcome; a
// failing remote is only reported, and tried again next run.
func (r *run) push(ctx context.Context) {
	p := r.cfg.Publish
	if len(p.Remotes) == 0 {
		return
	}
	began := time.Now()
	r.report.Pushes = r.repo.Push(ctx, p.Remotes, p.Branch, p.PushTimeout, r.stateRefspecs(ctx)...)
	r.report.Took.Push = time.Since(began)
	for _, res := range r.report.Pushes {
		text := ""
		if res.Err != nil {
			text = res.Err.Error()
			r.log.Warn("push failed", "remote", res.Remote, "err", text)
		}
		r.metrics.Push(res.Remote, res.Err)
		if err := r.db.SavePush(ctx, res.Remote, time.Now(), res.Commit, text); err != nil {
			r.log.Error("record push", "remote", res.Remote, "err", err)
		}
	}
}

func open(ctx context.Context, cfg *config.Config, deps Deps) (*run, error) {
	r := &run{cfg: cfg, client: deps.Client, log: deps.Log, rebuildAll: deps.Rebuild, report: &Report{DryRun: deps.DryRun},
		touched: map[string]bool{}, unlock: func() {}, dry: deps.DryRun, lease: deps.Lease}
	r.metrics, r.progress = deps.Metrics, newTracker(deps.Progress, channelCount(cfg))
	r.stopGrace = cmp.Or(deps.StopGrace, DefaultStopGrace)
	if r.client == nil {
		r.client = fetch.New(cfg.Fetch, fetch.OnRetry(deps.Metrics.Retry))
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
	if r.pipe, err = article.New(cfg); err != nil {
		return nil, err
	}
	r.out = r.pipe.Outputs()
	if err := r.claimFolder(deps.Adopt); err != nil {
		return nil, err
	}
	if r.dry {
		if err := r.openDry(ctx, deps.Adopt); err != nil {
			r.scratch.remove()
			r.unlock()
			return nil, err
		}
		return r, nil
	}
	held, unlock, err := lockFor(cfg, deps.Lock)
	if err != nil {
		return nil, err
	}
	r.unlock = unlock
	if err := r.openTree(ctx, held, deps.Adopt); err != nil {
		unlock()
		return nil, err
	}
	return r, nil
}

func (r *run) allChannels() map[string]bool {
	all := map[string]bool{}
	for _, src := range r.cfg.Sources {
		for _, ch := range src.Channels {
			all[ch.ID] = true
		}
	}
	return all
}

// openTree opens the repository, the working tree (newsmirror's files
// only) and the state database, under the mirror's lock.
func (r *run) openTree(ctx context.Context, held *publish.MirrorLock, adopt bool) error {
	var err error
	if r.repo, err = openRepo(ctx, r.cfg, held); err != nil {
		return err
	}
	r.owner = owner.New(r.cfg)
	if err := r.owner.Watch(ctx, r.repo, owner.Options{Adopt: adopt}); err != nil {
		return err
	}
	tree := r.owner.Tree(r.cfg.Output.Dir)
	if err := tree.Clean(held); err != nil {
		return err
	}
	r.tree = tree
	return r.openState(ctx, r.cfg.StatePath())
}

// openRepo opens the mirror's repository, cloning publish.upstream into a
// new folder, and clears the git locks a killed run left behind (which
// only the holder of the mirror's lock may do).
func openRepo(ctx context.Context, cfg *config.Config, held *publish.MirrorLock) (*publish.Repo, error) {
	var repo *publish.Repo
	var err error
	if up, ok := upstream(cfg); ok {
		repo, err = publish.Clone(ctx, cfg.Output.Dir, cfg.Output.GitAuthor, up, cfg.Publish.Branch, cfg.Publish.PushTimeout)
	} else {
		repo, err = publish.OpenRepo(ctx, cfg.Output.Dir, cfg.Output.GitAuthor)
	}
	if err != nil {
		return nil, err
	}
	return repo, repo.Recover(held)
}

func upstream(cfg *config.Config) (publish.Remote, bool) {
	for _, rm := range cfg.Publish.Remotes {
		if rm.Name == cfg.Publish.Upstream {
			return rm, true
		}
	}
	return publish.Remote{}, false
}

// pull rebases the mirror on the upstream remote, when asked and set.
func (r *run) pull(ctx context.Context, want bool) error {
	up, ok := upstream(r.cfg)
	if !want || !ok {
		return nil
	}
	return r.repo.Pull(ctx, up, r.cfg.Publish.Branch, r.cfg.Publish.PushTimeout)
}

// warn logs msg and keeps it in the report's warnings; workers may call
// it at once.
func (r *run) warn(msg string) {
	r.log.Warn(msg)
	r.warnMu.Lock()
	defer r.warnMu.Unlock()
	r.report.Warnings = append(r.report.Warnings, msg)
}

// write stores a file of the mirror and remembers it for the commit.
// An operator's file at a path newsmirror writes for the first time is
// left alone with a warning, and the run goes on.
func (r *run) write(rel string, data []byte) (bool, error) {
	changed, err := r.tree.Write(rel, data)
	var foreign *publish.NotOwnedError
	if errors.As(err, &foreign) && foreign.Op == "replace" {
		r.warn(err.Error())
		return false, nil
	}
	if err == nil {
		// Staged even when unchanged: a killed run may have written the
		// same text without committing it.
		r.touched[rel] = true
	}
	return changed, err
}

package mirror

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/store"
)

// job is one feed item to mirror.
type job struct {
	src  *config.Source
	ch   *config.Channel
	item feed.Item
	// known is what the state database holds about the item's URL.
	known store.Known
}

// requeued are the jobs of the channel's articles put back in the queue by
// "newsmirror retry" that its feed no longer lists (those it lists are
// jobs already), skipping and then adding the URLs in seen.
func (r *run) requeued(ctx context.Context, src *config.Source, ch *config.Channel, seen map[string]bool) []job {
	queued, err := r.db.Queued(ctx, ch.ID)
	if err != nil {
		r.log.Error("read requeued articles", "channel", ch.ID, "err", err)
	}
	var jobs []job
	for _, q := range queued {
		if seen[q.URL] || q.Title == "" {
			continue // listed again, or failed before titles were kept
		}
		seen[q.URL] = true
		it := feed.Item{URL: q.URL, Title: q.Title, Published: q.Published}
		jobs = append(jobs, job{src: src, ch: ch, item: it, known: store.Known{State: store.Failed}})
	}
	return jobs
}

// mirrorUnlessDown mirrors j's article unless its host is down.
func (r *run) mirrorUnlessDown(ctx context.Context, j job) ([]string, error) {
	if err := r.hosts.Blocked(outage.HostOf(j.item.URL), r.now); err != nil {
		return nil, err
	}
	return r.mirrorArticle(ctx, j)
}

// syncChannels reads every channel's feed, several at once, then mirrors
// all their new items on one pool of workers (runJobs). An article listed
// by two channels is mirrored once, for the first in configuration order.
func (r *run) syncChannels(ctx context.Context) {
	known, err := r.db.Hosts(ctx)
	if err != nil {
		r.log.Error("read hosts down", "err", err)
	}
	r.hosts = outage.NewHosts(known)
	r.report.Channels = channelCount(r.cfg)
	var chans []channelRef
	for i := range r.cfg.Sources {
		src := &r.cfg.Sources[i]
		for j := range src.Channels {
			chans = append(chans, channelRef{src, &src.Channels[j]})
		}
	}
	reads := r.readFeeds(ctx, chans)
	var jobs []job
	seen := map[string]bool{}
	for i, c := range chans {
		if res, ok := <-reads[i]; ok {
			jobs = append(jobs, r.channelJobs(ctx, c.src, c.ch, res, seen)...)
		}
	}
	r.runJobs(ctx, jobs)
}

// channelRef is one channel of the configuration, with its source.
type channelRef struct {
	src *config.Source
	ch  *config.Channel
}

// feedRead is how reading one channel's feed went.
type feedRead struct {
	result    feed.Result
	unchanged bool
	err       error
}

// readFeeds reads the channels' feeds, up to fetch.workers at once (each
// host's politeness limits still hold), so that a hanging feed delays the
// others by nothing. Each channel's result arrives on its own channel, in
// the order of chans; a feed not read because ctx ended closes its
// channel without a result.
func (r *run) readFeeds(ctx context.Context, chans []channelRef) []chan feedRead {
	out := make([]chan feedRead, len(chans))
	slots := make(chan struct{}, max(r.cfg.Fetch.Workers, 1))
	for i, c := range chans {
		out[i] = make(chan feedRead, 1)
		go func() {
			defer close(out[i])
			select {
			case slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-slots }()
			if ctx.Err() != nil {
				return
			}
			res, unchanged, err := r.readFeed(ctx, c.src, c.ch)
			out[i] <- feedRead{res, unchanged, err}
		}()
	}
	return out
}

// channelJobs records how reading the channel went and returns the jobs of
// its new items, skipping (and then adding) the URLs in seen. A 304 Not
// Modified means nothing new.
func (r *run) channelJobs(ctx context.Context, src *config.Source, ch *config.Channel, read feedRead, seen map[string]bool) []job {
	res, unchanged, err := read.result, read.unchanged, read.err
	items := res.Items
	r.channelHealth(ctx, src, ch, res, unchanged, err)
	if err != nil {
		r.fail(Failure{Source: src.ID, Channel: ch.ID, URL: ch.Feed, Err: err})
		r.progress.channelRead(0)
		return nil
	}
	var jobs []job
	for _, it := range items {
		if title, cut := feed.CapTitle(it.Title, r.cfg.Site.MaxTitle); cut {
			r.warn(fmt.Sprintf("%s/%s %s: title of %d letters cut to site.max_title (%d)", src.ID, ch.ID, it.URL, utf8.RuneCountInString(it.Title), r.cfg.Site.MaxTitle))
			it.Title = title
		}
		if seen[it.URL] || r.cfg.Indexes.Blacklist.Blocks(it.Title) || src.Blacklist.Blocks(it.Title) {
			continue // another channel's, or never listed so not worth mirroring
		}
		seen[it.URL] = true
		known, err := r.db.Lookup(ctx, it.URL)
		if err != nil {
			r.fail(Failure{Source: src.ID, Channel: ch.ID, URL: it.URL, Err: err})
			continue
		}
		if !known.Done(r.cutoff()) || stillUpdating(src, known, it.Title) {
			jobs = append(jobs, job{src: src, ch: ch, item: it, known: known})
		}
	}
	jobs = append(jobs, r.requeued(ctx, src, ch, seen)...)
	jobs = r.newestKept(src, ch, jobs)
	r.report.ChannelsRead++
	r.log.Info("channel read", "source", src.ID, "channel", ch.ID, "items", len(items), "new", len(jobs), "not_modified", unchanged)
	r.progress.channelRead(len(jobs))
	return jobs
}

// newestKept keeps, of the channel's jobs, only the newest publish.keep
// (by publication date, then feed order): retention would remove the
// others in the same run, so a first run of a 10,000-item feed with
// keep: 500 mirrors 500 pages instead of writing 10,000 and deleting
// 9,500. The others are not recorded: a later run that has room for them
// (a larger keep) still finds them new.
func (r *run) newestKept(src *config.Source, ch *config.Channel, jobs []job) []job {
	keep := r.cfg.Publish.Keep
	if keep <= 0 || len(jobs) <= keep {
		return jobs
	}
	sort.SliceStable(jobs, func(a, b int) bool { return jobs[a].item.Published.After(jobs[b].item.Published) })
	r.log.Info("channel lists more new items than publish.keep; only the newest are mirrored",
		"source", src.ID, "channel", ch.ID, "new", len(jobs), "keep", keep)
	return jobs[:keep]
}

// stillUpdating reports whether a mirrored article is to be fetched again:
// its title (the feed's or the stored one) matches the source's "still
// updating" marker.
func stillUpdating(src *config.Source, k store.Known, title string) bool {
	live := k.State == store.Pending || k.State == store.Committed
	return live && src.Updating != nil && (src.Updating.MatchString(title) || src.Updating.MatchString(k.Title))
}

// channelHealth records how reading the channel went; a failure to record
// is only logged.
func (r *run) channelHealth(ctx context.Context, src *config.Source, ch *config.Channel, res feed.Result, unchanged bool, err error) {
	e := store.Event{Subject: store.SubjectFeed, Source: src.ID, Channel: ch.ID, OK: 1, Items: len(res.Items), At: r.now,
		Warning: r.salvaged(src, ch, res.Warnings)}
	switch {
	case err != nil:
		e.OK, e.Failed, e.Items, e.Err = 0, 1, -1, err.Error()
	case unchanged:
		e.Items = -1
	}
	if serr := r.db.RecordHealth(ctx, e); serr != nil {
		r.log.Error("record channel health", "err", serr)
	}
}

// readFeed fetches the channel's URL with a conditional GET and reads its
// items; unchanged is true when the server answered 304 Not Modified. The
// validators are saved only once the document has been read, so a broken
// answer is fetched whole again next run.
func (r *run) readFeed(ctx context.Context, src *config.Source, ch *config.Channel) (res feed.Result, unchanged bool, err error) {
	v, err := r.validators(ctx, src, ch)
	if err != nil {
		return res, false, err
	}
	resp, err := r.clientFor(src).GetIfChanged(ctx, ch.Feed, fetch.Validators(v))
	r.observeFetch(src.ID, resp, err)
	if err != nil {
		return res, false, err
	}
	if resp.NotModified {
		return res, true, nil
	}
	data, dec := resp.Decode(DocumentKind(ch.Kind), src.Fetch.Charset)
	r.recordEncoding(ctx, src, ch, "feed", resp.URL, dec)
	if res, err = feed.Read(ch.Kind, data, resp.URL, &src.Items); err != nil {
		return res, false, err
	}
	if err := r.db.SaveValidators(ctx, ch.Feed, store.Validators(resp.Validators()), r.now); err != nil {
		r.log.Error("save validators", "url", ch.Feed, "err", err)
	}
	return res, false, nil
}

// validators are what a conditional GET of the channel sends: none when
// the source has live articles (still_updating) or the channel failed
// articles still to retry, since a 304 would leave them unchecked.
func (r *run) validators(ctx context.Context, src *config.Source, ch *config.Channel) (store.Validators, error) {
	if src.Updating != nil {
		return store.Validators{}, nil
	}
	n, err := r.db.Retrying(ctx, ch.ID, r.cutoff())
	if err != nil || n > 0 {
		return store.Validators{}, err
	}
	return r.db.Validators(ctx, ch.Feed)
}

// pageClientFor is the client for src's article pages: it never sleeps
// out a Retry-After, which would hold a worker (runJobs requeues instead).
func (r *run) pageClientFor(src *config.Source) *fetch.Client {
	return r.clientFor(src).Deferring()
}

// clientFor is the fetch client as configured for src.
func (r *run) clientFor(src *config.Source) *fetch.Client {
	return r.client.With(src.Fetch)
}

// record notes one finished job; only dispatch calls it, so the report
// and touched need no lock here.
func (r *run) record(ctx context.Context, j job, written []string, err error) {
	r.progress.articleDone()
	r.report.Articles++
	if err != nil {
		r.fail(Failure{Source: j.src.ID, Channel: j.ch.ID, URL: j.item.URL, Err: err})
		r.recordFailure(ctx, j, err)
		return
	}
	r.recordSuccess(ctx, j)
	for _, p := range written {
		r.touched[p] = true
	}
	if len(written) > 0 {
		r.report.Written = append(r.report.Written, written[0])
		r.observePage(j.known)
	}
}

func (r *run) fail(f Failure) {
	var down *outage.HostDownError
	if errors.As(f.Err, &down) { // said once, when the host was found down
		r.log.Debug("skipped", "source", f.Source, "channel", f.Channel, "url", f.URL, "err", f.Err)
	} else {
		r.log.Warn("skipped", "source", f.Source, "channel", f.Channel, "url", f.URL, "err", outage.Reason(f.Err, f.URL))
	}
	r.report.Failures = append(r.report.Failures, f)
}

// salvaged logs what was salvaged from a broken feed and returns it as
// one line for the channel's health.
func (r *run) salvaged(src *config.Source, ch *config.Channel, ws []feed.Warning) string {
	msgs := make([]string, len(ws))
	for i, w := range ws {
		r.log.Warn("feed salvaged", "source", src.ID, "channel", ch.ID, "kind", w.Kind, "warning", w.Message)
		r.metrics.FeedSalvage(src.ID, w.Kind)
		msgs[i] = w.Message
	}
	return strings.Join(msgs, "; ")
}

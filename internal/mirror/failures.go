package mirror

import (
	"context"
	"errors"
	"time"

	"github.com/newsmirror/newsmirror/internal/outage"
	"github.com/newsmirror/newsmirror/internal/store"
)

// recordFailure counts a failed article in its host's run and in the state
// database; the first time its host is found down it says so, once, and
// backs the host off.
func (r *run) recordFailure(ctx context.Context, j job, err error) {
	class := outage.Class(err)
	host := outage.HostOf(j.item.URL)
	var down *outage.HostDownError
	if !errors.As(err, &down) && r.hosts.Note(host, class, r.now) {
		r.hostDown(ctx, host, err)
	}
	f := store.Failure{URL: j.item.URL, Source: j.src.ID, Channel: j.ch.ID, Host: host, Title: j.item.Title,
		Published: j.item.Published, Reason: err.Error(), Class: class, At: r.now}
	if serr := r.db.SaveFailure(ctx, f); serr != nil {
		r.log.Error("record failure", "url", j.item.URL, "err", serr)
	}
}

// hostDown logs host down and records its backoff.
func (r *run) hostDown(ctx context.Context, host string, cause error) {
	h, err := r.db.HostDown(ctx, host, r.now, cause.Error(), r.cfg.Fetch.HostBackoffFor)
	if err != nil {
		r.log.Error("record host down", "host", host, "err", err)
	}
	r.log.Warn("host down: its articles are not requested again this run and are retried later",
		"host", host, "since", h.DownSince, "next_try", h.NotBefore, "err", cause)
}

// recordSuccess notes an article of host that came through: a host that
// was down is up again.
func (r *run) recordSuccess(ctx context.Context, j job) {
	host := outage.HostOf(j.item.URL)
	r.hosts.Note(host, "", r.now)
	if r.hosts.WasDown(host) {
		if err := r.db.HostUp(ctx, host); err != nil {
			r.log.Error("record host up", "host", host, "err", err)
		}
	}
}

// cutoff is the give-up cutoff: an article failing permanently since
// before it is given up.
func (r *run) cutoff() time.Time { return r.now.Add(-r.cfg.Fetch.GiveUpAfter) }

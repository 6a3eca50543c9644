package mirror

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/store"
)

// extract cuts the article's body out with the channel's rules, sanitized:
// from the feed item's content when the rules say body_source: feed and
// the item has some (the page is then fetched only for a lead image), else
// from the fetched page. A miss or a fallback is counted in the channel's
// extract health, the fallback raising its alert.
func (r *run) extract(ctx context.Context, j job) (*extract.Article, error) {
	rules := j.ch.Compiled
	fromFeed := rules.FeedBody() && strings.TrimSpace(j.item.Content) != ""
	final, err := url.Parse(j.item.URL)
	if err != nil {
		return nil, fmt.Errorf("bad article URL: %w", err)
	}
	var page []byte
	if !fromFeed || rules.NeedsPage() {
		page, final, err = r.fetchPage(ctx, j)
		if err != nil && !fromFeed {
			return nil, err
		}
		if err != nil { // the body is in the feed: go on without the lead image
			r.log.Warn("page for the lead image not fetched", "url", j.item.URL, "err", err)
			page, final = nil, mustURL(j.item.URL)
		}
	}
	var art *extract.Article
	if fromFeed {
		art, err = extract.ExtractContent([]byte(j.item.Content), page, final, rules)
	} else {
		art, err = extract.Extract(page, final, rules)
	}
	var miss *extract.MissError
	switch {
	case errors.As(err, &miss):
		r.health(ctx, j, missed, err.Error())
		return nil, err
	case err != nil:
		return nil, err
	case art.Fallback:
		r.health(ctx, j, fallback, strings.Join(art.Warnings, "; "))
		r.log.Warn("selector broken? page extracted by fallback", "source", j.src.ID, "channel", j.ch.ID, "url", j.item.URL)
	default:
		r.health(ctx, j, extracted, "")
	}
	// data:image/… images stay for the image localiser; the last clean,
	// before render, drops those still inline unless the rules keep them.
	art.HTML = r.cleaners.dataImages.HTML(art.HTML)
	if art.CheckPublished(art.HTML); art.TextLost() != "" {
		r.metrics.TextLost(j.src.ID)
		r.warn(fmt.Sprintf("%s/%s %s: %s", j.src.ID, j.ch.ID, j.item.URL, art.TextLost()))
	}
	return art, nil
}

// fetchPage fetches the article's page as UTF-8, with its final URL.
func (r *run) fetchPage(ctx context.Context, j job) ([]byte, *url.URL, error) {
	resp, err := r.clientFor(j.src).Get(ctx, j.item.URL)
	r.observeFetch(j.src.ID, resp, err)
	if err != nil {
		return nil, nil, err
	}
	page, final, dec, err := resp.Page(j.src.Fetch.Charset)
	if err == nil {
		r.recordEncoding(ctx, j.src, j.ch, "page", resp.URL, dec)
	}
	return page, final, err
}

func mustURL(s string) *url.URL {
	u, _ := url.Parse(s) // parsed once already by the caller
	return u
}

// health records one extraction; a failure to record is only logged.
func (r *run) health(ctx context.Context, j job, outcome extractOutcome, alert string) {
	if outcome == fallback {
		r.metrics.Fallback(j.src.ID)
	}
	if err := r.db.RecordHealth(ctx, extractEvent(j, outcome, alert, r.now)); err != nil {
		r.log.Error("record extract health", "err", err)
	}
}

// cleaner is the sanitizer for the channel's rules.
func (r *run) cleaner(ch *config.Channel) *clean.Cleaner {
	if ch.Compiled.DataImages() {
		return r.cleaners.dataImages
	}
	return r.cleaners.plain
}

// cleaners are the run's two sanitizers, built once.
type cleaners struct{ plain, dataImages *clean.Cleaner }

func newCleaners() cleaners {
	return cleaners{plain: clean.New(clean.Options{}), dataImages: clean.New(clean.Options{DataImages: true})}
}

// unchanged reports whether j's article is mirrored already with the same
// content and title, so its page needs no rewrite.
func unchanged(j job, hash string) bool {
	live := j.known.State == store.Pending || j.known.State == store.Committed
	return live && j.known.Hash == hash && j.known.Title == j.item.Title
}

package mirror

import (
	"context"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/store"
)

// DocumentKind is how a channel of kind is decoded: a JSON listing is JSON,
// a listing page HTML, a feed a feed.
func DocumentKind(kind string) decode.Kind {
	switch kind {
	case feed.KindJSON:
		return decode.JSON
	case feed.KindListing:
		return decode.HTML
	}
	return decode.Feed
}

// recordEncoding keeps how a channel's feed or page was decoded in the
// state database; a guess is also logged and counted. A failure to record
// is only logged.
func (r *run) recordEncoding(ctx context.Context, src *config.Source, ch *config.Channel, document, url string, d decode.Decision) {
	if d.Guessed() {
		r.log.Warn("character encoding guessed", "source", src.ID, "channel", ch.ID, "url", url, "encoding", d.String())
		r.metrics.EncodingGuess(src.ID, string(d.Reason))
	}
	e := store.Encoding{Source: src.ID, Channel: ch.ID, Document: document, URL: url, Decision: d.String(), Reason: string(d.Reason)}
	if err := r.db.RecordEncoding(ctx, e, d.Guessed(), r.now); err != nil {
		r.log.Error("record encoding", "err", err)
	}
}

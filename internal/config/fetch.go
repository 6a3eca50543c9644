package config

import (
	"fmt"

	"github.com/newsmirror/newsmirror/internal/feed"
)

// compileSourceFetch checks how the source is fetched and read: its fetch
// overrides, its channels' kinds and the item options those kinds need.
func compileSourceFetch(s *errorSink, path string, src *Source) {
	s.fields(path+".fetch", src.Fetch.Validate())
	kinds := map[string]bool{}
	for i := range src.Channels {
		ch := &src.Channels[i]
		if ch.Kind == "" {
			ch.Kind = feed.KindFeed
		}
		switch ch.Kind {
		case feed.KindFeed, feed.KindListing, feed.KindJSON:
			kinds[ch.Kind] = true
		default:
			s.at(fmt.Sprintf("%s.channels[%d].kind", path, i), "want feed, listing or json, got %q", ch.Kind)
		}
	}
	if kinds[feed.KindListing] && src.Items.Listing == (feed.Listing{}) {
		s.at(path+".items.listing.item", "a listing channel needs the item selector")
	}
	s.fields(path+".items", src.Items.Validate())
}

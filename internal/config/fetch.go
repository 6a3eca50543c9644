package config

import (
	"errors"
	"fmt"

	"github.com/newsmirror/newsmirror/internal/feed"
)

// compileSourceFetch checks how the source is fetched and read: its fetch
// overrides, its channels' kinds and the item options those kinds need.
func compileSourceFetch(s *errorSink, path string, src *Source) {
	if err := src.Fetch.Validate(); err != nil {
		s.at(path+".fetch", "%v", err)
	}
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
	err := src.Items.Compile(kinds)
	var fe *feed.FieldError
	switch {
	case errors.As(err, &fe):
		s.at(path+".items."+fe.Field, "%v", fe.Err)
	case err != nil:
		s.at(path+".items", "%v", err)
	}
}

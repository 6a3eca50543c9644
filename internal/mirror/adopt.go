package mirror

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/store"
)

// pageURL finds the URLs of a page's text. The link to the article's
// original is the last one, not an image's source, whose article id
// (feed.ArticleID with the source's id rule) is the page's id, or the id
// the page was given when another article had it (suffixed). Nothing
// else of the page is trusted.
var pageURL = regexp.MustCompile(`https?://[^\s"'<>()\[\]]+`)

// adoptPage records the page file at rel (pages/<channel>/<id>.md), which
// the imported state does not know, as a committed article when its
// original URL can be found in it: so the page is listed, retired in
// turn and never mirrored a second time. at is when it was committed;
// its publication time is taken as the channel's newest known (it came
// after the export), so retention keeps its order among its neighbours.
func (r *run) adoptPage(ctx context.Context, rel string, at time.Time) (bool, error) {
	parts := strings.Split(rel, "/")
	channel, id := parts[1], strings.TrimSuffix(parts[2], ".md")
	src, ok := r.sourceOf(channel)
	if !ok {
		return false, nil
	}
	data, err := os.ReadFile(filepath.Join(r.cfg.Output.Dir, filepath.FromSlash(rel)))
	if err != nil {
		return false, nil // not in the working tree: nothing to read
	}
	text := string(data)
	found := ""
	for _, m := range pageURL.FindAllStringIndex(text, -1) {
		raw := strings.TrimRight(text[m[0]:m[1]], ".,;")
		if before := text[:m[0]]; strings.HasSuffix(before, `src="`) || strings.HasSuffix(before, "src='") {
			continue // an image, whose name may look like the id
		}
		u, err := url.Parse(raw)
		if err != nil {
			continue
		}
		if derived, err := feed.ArticleID(u, src.Items.ID); err == nil && (derived == id || suffixed(derived, raw) == id) {
			found = raw // the last one: the link to the original ends the page
		}
	}
	if found == "" {
		return false, nil
	}
	return r.db.Adopt(ctx, store.Article{URL: found, Source: src.ID, Channel: channel, ID: id,
		Title: pageTitle(text, id), Mirrored: at, Path: rel})
}

func (r *run) sourceOf(channel string) (*config.Source, bool) {
	for i := range r.cfg.Sources {
		for _, ch := range r.cfg.Sources[i].Channels {
			if ch.ID == channel {
				return &r.cfg.Sources[i], true
			}
		}
	}
	return nil, false
}

// pageTitle is the page's first heading ("### 标题"), Markdown escapes
// undone; id when there is none.
func pageTitle(text, id string) string {
	for _, line := range strings.Split(text, "\n") {
		if h, ok := strings.CutPrefix(strings.TrimSpace(line), "#"); ok {
			h = strings.TrimSpace(strings.TrimLeft(h, "#"))
			return mdUnescape.ReplaceAllString(h, "$1")
		}
	}
	return id
}

var mdUnescape = regexp.MustCompile(`\\([[:punct:]])`)

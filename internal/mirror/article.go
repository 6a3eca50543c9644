package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/qr"
	"github.com/newsmirror/newsmirror/internal/render"
	"github.com/newsmirror/newsmirror/internal/store"
)

// mirrorArticle fetches, extracts, renders and writes one article, then
// records it as pending. It returns the paths it wrote, page first.
// Files are written before the database row, so a crash in between only
// makes the next run mirror the article again.
func (r *run) mirrorArticle(ctx context.Context, j job) ([]string, error) {
	u, err := url.Parse(j.item.URL)
	if err != nil {
		return nil, fmt.Errorf("bad article URL: %w", err)
	}
	id, err := feed.ArticleID(u, j.src.Items.ID)
	if err != nil {
		return nil, err
	}
	art, err := r.extract(ctx, j)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", j.item.URL, err)
	}
	sum := sha256.Sum256([]byte(art.HTML))
	hash := hex.EncodeToString(sum[:])
	if unchanged(j, hash) {
		return nil, nil
	}
	rel := render.PagePath(j.ch.ID, id)
	body, imgs, err := r.localize(ctx, j.src, art.HTML, rel)
	if err != nil {
		return nil, err
	}
	if body != art.HTML || mayHoldDataURL(j.ch, body) {
		body = r.cleaner(j.ch).HTML(body) // localising re-serialised it: clean last
	}
	ra := render.Article{
		Path: rel, ID: id, Title: j.item.Title, ChannelID: j.ch.ID,
		IndexName: j.src.IndexName(j.ch), ChannelName: j.ch.Name,
		Body: body, OriginalURL: j.item.URL,
		Alternates: r.alternates(j.src, "", rel),
	}
	md, err := r.render.Page(ra)
	if err != nil {
		return nil, err
	}
	written, err := r.writePage(rel, md, r.cfg.Output.PageURL.Expand(rel, j.ch.ID, id))
	if err != nil {
		return nil, err
	}
	twins, err := r.writeTwins(j.src, ra, art.HTML, imgs.Local)
	if err != nil {
		return nil, err
	}
	written = r.pageFirst(append(append(written, twins...), imgs.Written...))
	err = r.db.SavePending(ctx, store.Article{
		URL: j.item.URL, Source: j.src.ID, Channel: j.ch.ID, ID: id, Title: j.item.Title,
		Published: j.item.Published, Mirrored: r.now, Hash: hash, Path: rel,
	})
	if err != nil {
		return nil, err
	}
	if err := r.db.MarkFallback(ctx, j.item.URL, art.Fallback); err != nil {
		return nil, err
	}
	return written, r.db.SetPageAssets(ctx, rel, imgs.Assets)
}

// writePage writes the QR code, then the page. The QR code encodes the
// page's public URL, or its repository path when no URL is configured.
func (r *run) writePage(rel string, md []byte, publicURL string) ([]string, error) {
	if publicURL == "" {
		publicURL = rel
	}
	png, err := qr.PNG(publicURL)
	if err != nil {
		return nil, err
	}
	var written []string
	for _, f := range []struct {
		path string
		data []byte
	}{{rel + ".png", png}, {rel, md}} {
		if r.skipMarkdown(f.path) {
			continue
		}
		changed, err := r.tree.Write(f.path, f.data)
		if err != nil {
			return nil, err
		}
		if changed {
			written = append(written, f.path)
		}
	}
	// The page first: Report.Written lists pages.
	for i, j := 0, len(written)-1; i < j; i, j = i+1, j-1 {
		written[i], written[j] = written[j], written[i]
	}
	return written, nil
}

// mayHoldDataURL reports whether the channel's last clean could still
// change body, which extract cleaned already keeping data: images: only by
// dropping one. Skipping the clean otherwise saves a second sanitizer pass,
// about a fifth of an article's time (BENCHMARKS.md).
func mayHoldDataURL(ch *config.Channel, body string) bool {
	return !ch.Compiled.DataImages() && containsDataScheme(body)
}

// containsDataScheme reports whether s holds "data:" in any letter case,
// without lowering the whole (mostly non-ASCII) text.
func containsDataScheme(s string) bool {
	for i := 4; i < len(s); i++ {
		j := strings.IndexByte(s[i:], ':')
		if j < 0 {
			return false
		}
		i += j
		if strings.EqualFold(s[i-4:i], "data") {
			return true
		}
	}
	return false
}

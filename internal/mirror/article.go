package mirror

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/newsmirror/newsmirror/internal/article"
	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/store"
)

// mirrorArticle runs one article through the pipeline, within its time
// budget (fetch.article_timeout), then persists it: its files (each
// through a temporary file and a rename), then, in one transaction, its
// row, fallback mark and assets. It returns the paths that changed, page
// first. Files are written before the database row, so a crash in between
// only makes the next run mirror the article again. Persisting is not cut
// short by ctx: an article the pipeline finished is kept.
func (r *run) mirrorArticle(ctx context.Context, j job) ([]string, error) {
	res, err := r.runPipeline(ctx, j)
	if err != nil || res.Unchanged {
		return nil, err
	}
	ctx = context.WithoutCancel(ctx)
	r.recordImages(j, res)
	written, err := r.writeFiles(res.Files)
	if err != nil {
		return nil, err
	}
	var used []string
	if res.Images != nil {
		used = res.Images.Assets
	}
	return written, r.db.SaveMirrored(ctx, store.Article{
		URL: j.item.URL, Source: j.src.ID, Channel: j.ch.ID, ID: res.ID, Title: j.item.Title,
		Published: j.item.Published, Mirrored: r.now, Hash: res.Hash, Path: res.Path,
	}, res.Fallback(), used)
}

// runPipeline fetches j's page and runs the pipeline on it, within the
// article's time budget; an article over it is a *article.BudgetError.
func (r *run) runPipeline(ctx context.Context, j job) (*article.Result, error) {
	actx, cancel := article.WithBudget(ctx, r.cfg.Fetch.ArticleTimeout)
	defer cancel()
	in, err := r.input(actx, j)
	if err != nil {
		return nil, fmt.Errorf("extract %s: %w", j.item.URL, article.OverBudget(actx, err))
	}
	res, err := r.pipe.Run(actx, in)
	err = article.OverBudget(actx, err)
	ctx = context.WithoutCancel(ctx)
	if res != nil && res.Decoded {
		r.recordEncoding(ctx, j.src, j.ch, "page", in.Page.URL, res.Decoding)
	}
	r.recordExtract(ctx, j, res, err)
	return res, err
}

// input is the pipeline's input for j: the page fetched when the pipeline
// needs it. When the body is in the feed, a page that cannot be fetched
// only costs the lead image.
func (r *run) input(ctx context.Context, j job) (article.Input, error) {
	in := article.Input{
		Source: j.src, Channel: j.ch, Item: j.item, Known: knownAssets{r}, Mirrored: r.now,
		Unchanged: func(hash string) bool { return unchanged(j, hash) },
		Claim:     func(id string) (string, error) { return r.claimID(ctx, j, id) },
	}
	if j.src.Images.Localize {
		in.Images, in.Quota = r.clientFor(j.src), r.images.quota(j.src)
	}
	if !article.NeedsPage(j.ch, j.item) {
		return in, nil
	}
	resp, err := r.pageClientFor(j.src).Get(ctx, j.item.URL)
	r.observeFetch(j.src.ID, resp, err)
	switch {
	case err == nil:
		in.Page = resp
	case article.FromFeed(j.ch, j.item):
		r.log.Warn("page for the lead image not fetched", "url", j.item.URL, "err", err)
	default:
		return in, err
	}
	return in, nil
}

// recordExtract counts one extraction in the channel's extract health: a
// miss, a fallback (raising its alert) or a success; a page that lost part
// of the source's text (the retention guard) is also counted as a warning
// there and in /metrics, and logged.
func (r *run) recordExtract(ctx context.Context, j job, res *article.Result, err error) {
	lost := ""
	if err == nil {
		if lost = res.Extracted.TextLost(); lost != "" {
			lost = fmt.Sprintf("%s (%s)", lost, j.item.URL)
			r.metrics.TextLost(j.src.ID)
			r.warn(fmt.Sprintf("%s/%s: %s", j.src.ID, j.ch.ID, lost))
		}
	}
	var miss *extract.MissError
	switch {
	case errors.As(err, &miss):
		r.health(ctx, j, missed, miss.Error(), "")
	case err != nil:
	case res.Fallback():
		r.health(ctx, j, fallback, strings.Join(res.Extracted.Warnings, "; "), lost)
		r.log.Warn("selector broken? page extracted by fallback", "source", j.src.ID, "channel", j.ch.ID, "url", j.item.URL)
	default:
		r.health(ctx, j, extracted, "", lost)
	}
}

// recordImages counts the article's images in the run's tally and logs
// those kept at their original URL.
func (r *run) recordImages(j job, res *article.Result) {
	if res.Images == nil {
		return
	}
	r.images.add(j.src.ID, res.Images)
	for _, f := range res.Images.Failed {
		r.log.Warn("image kept at its original URL", "source", j.src.ID, "page", res.Path, "err", f)
	}
	for _, w := range res.Images.Warnings {
		r.log.Warn("images over a cap", "source", j.src.ID, "page", res.Path, "url", j.item.URL, "warning", w)
	}
}

// writeFiles writes an article's files and returns those that changed.
func (r *run) writeFiles(files []output.File) ([]string, error) {
	var written []string
	for _, f := range files {
		changed, err := r.tree.Write(f.Path, f.Data)
		if err != nil {
			return nil, err
		}
		if changed {
			written = append(written, f.Path)
		}
	}
	return written, nil
}

// knownAssets looks image URLs up in the state database; a lookup or
// record that fails only costs a download.
type knownAssets struct{ r *run }

var _ assets.Known = knownAssets{}

func (k knownAssets) Asset(ctx context.Context, url string) (string, bool) {
	asset, ok, err := k.r.db.AssetForURL(ctx, url)
	if err != nil {
		k.r.log.Warn("image lookup", "url", url, "err", err)
	}
	return asset, ok && err == nil && k.r.tree.Exists(asset)
}

func (k knownAssets) Remember(ctx context.Context, url, asset string) {
	if err := k.r.db.RememberAssetURL(ctx, url, asset); err != nil {
		k.r.log.Warn("image record", "url", url, "err", err)
	}
}

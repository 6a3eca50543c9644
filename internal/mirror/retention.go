package mirror

import (
	"context"
)

// expire keeps the newest publish.keep pages of each dirty channel: older
// pages are tombstoned in the state database (so a feed still listing them
// never brings them back) and their page and QR code files are removed.
// The database journals the removals first, so a run killed half-way
// leaves them for the next run to finish.
func (r *run) expire(ctx context.Context, dirty map[string]bool) error {
	for i := range r.cfg.Sources {
		for _, ch := range r.cfg.Sources[i].Channels {
			if !dirty[ch.ID] {
				continue
			}
			pages, err := r.db.Expire(ctx, ch.ID, r.cfg.Publish.Keep, r.pageFiles)
			if err != nil {
				return err
			}
			for _, p := range pages {
				for _, f := range r.pageFiles(p) {
					if err := r.remove(f); err != nil {
						return err
					}
				}
			}
			r.report.Removed = append(r.report.Removed, pages...)
		}
	}
	return nil
}

// remove deletes a file of the mirror and remembers it for the commit.
func (r *run) remove(rel string) error {
	r.touched[rel] = true
	return r.tree.Remove(rel)
}

// pageFiles are every file the page at p may have in the mirror: in each
// tree and format, with its QR code.
func (r *run) pageFiles(p string) []string { return r.out.Files(p) }

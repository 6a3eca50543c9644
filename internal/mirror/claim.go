package mirror

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/newsmirror/newsmirror/internal/fsname"
	"github.com/newsmirror/newsmirror/internal/store"
)

// claims are the page ids articles of this run took, by channel and the
// name a case-insensitive file system sees, so that two articles of one
// run never write one page.
type claims struct {
	mu    sync.Mutex
	taken map[string]string // channel + "/" + fsname.Key(id) → URL
}

// claimID decides the id of the article at url in channel before any of
// its files is written. A page the article already has keeps its id (a
// published page never moves). Otherwise the derived id is the article's
// unless another article, in the state database or earlier in this run,
// has that id (or one differing only in letter case): then the article
// gets the id with "-" and 8 hex digits of its URL's hash, which is the
// same on every run. The page of another article is never written over.
func (r *run) claimID(ctx context.Context, j job, id string) (string, error) {
	if own, ok := ownID(j.known, j.ch.ID); ok {
		return own, nil
	}
	r.claims.mu.Lock()
	defer r.claims.mu.Unlock()
	for _, cand := range []string{id, suffixed(id, j.item.URL)} {
		free, err := r.idFree(ctx, j.ch.ID, cand, j.item.URL)
		if err != nil {
			return "", err
		}
		if free {
			if r.claims.taken == nil {
				r.claims.taken = map[string]string{}
			}
			r.claims.taken[j.ch.ID+"/"+fsname.Key(cand)] = j.item.URL
			if cand != id {
				r.log.Warn("article id taken by another article; suffixed", "channel", j.ch.ID, "url", j.item.URL, "id", cand)
			}
			return cand, nil
		}
	}
	return "", fmt.Errorf("claim id %s for %s: %w", id, j.item.URL, store.ErrDuplicateID)
}

// idFree reports whether id in channel is url's to take.
func (r *run) idFree(ctx context.Context, channel, id, url string) (bool, error) {
	if u, ok := r.claims.taken[channel+"/"+fsname.Key(id)]; ok && u != url {
		return false, nil
	}
	owners, err := r.db.PageOwners(ctx, channel, id)
	if err != nil {
		return false, err
	}
	for _, o := range owners {
		if o != url {
			return false, nil
		}
	}
	return true, nil
}

// ownID is the id of the live page k already has in channel.
func ownID(k store.Known, channel string) (string, bool) {
	if k.State != store.Pending && k.State != store.Committed {
		return "", false
	}
	dir, file := path.Split(k.Path)
	if dir != "pages/"+channel+"/" || !strings.HasSuffix(file, ".md") {
		return "", false
	}
	return strings.TrimSuffix(file, ".md"), true
}

// suffixed is id made the article's own: id, "-", 8 hex digits of the
// URL's hash, within the file name budget.
func suffixed(id, url string) string {
	sum := sha256.Sum256([]byte(url))
	tail := "-" + hex.EncodeToString(sum[:4])
	return fsname.Fit(id, fsname.MaxStemBytes-len(tail)) + tail
}

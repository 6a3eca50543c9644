package counter

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/newsmirror/newsmirror/internal/store"
)

// pathSet is the set of repository paths that count: every live page of the
// state database, every index file and the home page. It is rebuilt whole
// and swapped, never changed in place. Each path maps to itself, so that the
// buffer's keys share the set's strings instead of holding request paths.
type pathSet map[string]string

// loadPaths reads the countable paths from db and the mirror folder dir.
func loadPaths(ctx context.Context, db *store.Store, dir string) (pathSet, error) {
	pages, err := db.LivePaths(ctx)
	if err != nil {
		return nil, err
	}
	set := make(pathSet, len(pages)+64)
	for _, p := range pages {
		set[p] = p
	}
	indexes, err := os.ReadDir(filepath.Join(dir, "indexes"))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("list indexes: %w", err)
	}
	for _, e := range indexes {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".md") {
			p := "indexes/" + e.Name()
			set[p] = p
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "README.md")); err == nil {
		set["README.md"] = "README.md"
	}
	return set, nil
}

// repoPath turns the rest of a request path after the counter prefix into a
// repository path, or "" when it cannot be one (empty, "..", "//").
func repoPath(rest string) string {
	if rest == "" || strings.HasPrefix(rest, "/") || path.Clean(rest) != rest {
		return ""
	}
	return rest
}

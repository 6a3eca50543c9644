// Package owner answers "did newsmirror write this file?" for one mirror
// and configuration. newsmirror owns its home page, the stylesheet, the
// index files the configuration names, the pages of its channels
// (pages/<channel>/…), the content-addressed assets, the same files in
// each variant folder, and its block of .gitignore. Every other file of
// the mirror is the operator's: it is never written or removed.
//
// Package publish does the writing (publish.Tree) and the refusing
// (publish.Folder, publish.NotOwnedError); this package only decides,
// and remembers which named files a run created and has not committed.
package owner

import (
	"strings"
	"sync"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/site"
)

// Files knows which files of a mirror are newsmirror's. New gives one
// that answers Owns; Watch readies it for a run's writes (Creating,
// Replacing, Committed).
type Files struct {
	indexes  map[string]bool // index file names without extension
	channels map[string]bool
	variants []string // variant folders
	// interrupted are files an interrupted run changed: newsmirror's,
	// even when their channel has left the configuration since.
	interrupted map[string]bool

	// What tells newsmirror's files at the paths it names (home page,
	// indexes) from an operator's file found there: a file the repository
	// tracks, or one a run created and has not committed yet.
	mu      sync.Mutex
	opts    Options
	created map[string]bool // created, not yet committed (CreatedLog)
	log     string          // CreatedLog's path
	tracked func() (map[string]bool, error)
}

// New returns the files cfg makes newsmirror's.
func New(cfg *config.Config) *Files {
	f := &Files{indexes: map[string]bool{}, channels: map[string]bool{}, interrupted: map[string]bool{}}
	f.indexes[cfg.Site.HotName] = true
	if ed := cfg.Indexes.Editors; ed.File != "" {
		f.indexes[ed.Name] = true
	}
	seen := map[string]bool{}
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		for j := range src.Channels {
			ch := &src.Channels[j]
			f.channels[ch.ID] = true
			f.indexes[src.IndexName(ch)] = true
			f.indexes[src.IndexName(ch)+"-earlier"] = true
		}
		for _, v := range src.Variants {
			if !seen[v.Dir] {
				seen[v.Dir] = true
				f.variants = append(f.variants, v.Dir)
			}
		}
	}
	return f
}

// Owns reports whether newsmirror writes the file at rel (a slash path
// inside the mirror).
func (f *Files) Owns(rel string) bool {
	if rel == ".gitignore" || f.interrupted[rel] {
		return true
	}
	for _, v := range f.variants {
		if rest, ok := strings.CutPrefix(rel, v+"/"); ok {
			rel = rest
			break
		}
	}
	switch {
	case rel == "README.md" || rel == site.HTMLPath("README.md") || rel == site.FeedPath("README.md") || rel == htmlsite.StylePath:
		return true
	case strings.HasPrefix(rel, "assets/"):
		return assets.IsAsset(rel)
	}
	if name, ok := strings.CutPrefix(rel, "indexes/"); ok {
		stem := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, ".md"), ".html"), ".xml")
		return stem != name && f.indexes[stem]
	}
	if rest, ok := strings.CutPrefix(rel, "pages/"); ok {
		ch, file, ok := strings.Cut(rest, "/")
		return ok && file != "" && !strings.Contains(file, "/") && f.channels[ch]
	}
	return false
}

// Named reports whether rel is a file newsmirror names by configuration
// and may find an operator's file at: the home page, the stylesheet and
// the lists, in any tree. Pages and assets are the state database's; the
// .gitignore is shared by its block.
func (f *Files) Named(rel string) bool {
	if !f.Owns(rel) || rel == ".gitignore" || f.interrupted[rel] {
		return false
	}
	for _, v := range f.variants {
		rel = strings.TrimPrefix(rel, v+"/")
	}
	return !strings.HasPrefix(rel, "pages/") && !strings.HasPrefix(rel, "assets/")
}

// Interrupted notes a file an interrupted run changed (the state
// database's journal): it is newsmirror's from now on, even when its
// channel has left the configuration since. Call it before the run
// writes or removes files, not while it does.
func (f *Files) Interrupted(rel string) { f.interrupted[rel] = true }

// namedRoots are the paths under which named files live.
func (f *Files) namedRoots() []string {
	base := []string{"README.md", site.HTMLPath("README.md"), site.FeedPath("README.md"), htmlsite.StylePath, "indexes"}
	roots := append([]string{}, base...)
	for _, v := range f.variants {
		for _, b := range base {
			roots = append(roots, v+"/"+b)
		}
	}
	return roots
}

// Tree is the working tree at dir, writing only f's files.
func (f *Files) Tree(dir string) publish.Tree {
	return publish.Tree{Dir: dir, Owns: f.Owns, Creating: f.Creating, Replacing: f.Replacing}
}

// Folder is the mirror folder of cfg as publish checks it before a run
// writes there.
func Folder(cfg *config.Config) publish.Folder {
	inputs := []string{cfg.File, cfg.Indexes.Editors.File}
	for _, s := range cfg.Indexes.Sticky {
		inputs = append(inputs, s.File)
	}
	return publish.Folder{Dir: cfg.Output.Dir, State: cfg.StatePath(), Inputs: inputs, Claims: New(cfg).Owns}
}

// Ignored are newsmirror's lines in the mirror's .gitignore block.
func Ignored() []string { return []string{"/" + publish.OwnDir + "/"} }

package mirror

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/htmlsite"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/site"
)

// ignored are newsmirror's lines in the mirror's .gitignore block.
var ignored = []string{"/" + publish.OwnDir + "/"}

// owner answers "did newsmirror write this file?" for one configuration.
// newsmirror owns its home page, the stylesheet, the index files the
// configuration names, the pages of its channels (pages/<channel>/…), the
// content-addressed assets, the same files in each variant folder, and
// its block of .gitignore. Every other file of the mirror is the
// operator's: it is never written or removed.
type owner struct {
	indexes  map[string]bool // index file names without extension
	channels map[string]bool
	variants []string // variant folders
	// journaled are files an interrupted run changed: newsmirror's, even
	// when their channel has left the configuration since.
	journaled map[string]bool

	// What tells newsmirror's files at the paths it names (home page,
	// indexes) from an operator's file found there: a file the repository
	// tracks, or one a run created and has not committed yet.
	mu      sync.Mutex
	adopt   bool            // the operator lets newsmirror take such files
	created map[string]bool // created, not yet committed (createdLog)
	log     string          // createdLog's path
	// dry: a dry run's owner keeps created in memory only.
	dry     bool
	tracked func() (map[string]bool, error)
}

// createdLog lists, one per line, the named files runs created and have
// not committed yet; it outlives a killed run.
const createdLog = publish.OwnDir + "/created"

func newOwner(cfg *config.Config) *owner {
	o := &owner{indexes: map[string]bool{}, channels: map[string]bool{}, journaled: map[string]bool{}}
	o.indexes[cfg.Site.HotName] = true
	if ed := cfg.Indexes.Editors; ed.File != "" {
		o.indexes[ed.Name] = true
	}
	seen := map[string]bool{}
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		for j := range src.Channels {
			ch := &src.Channels[j]
			o.channels[ch.ID] = true
			o.indexes[src.IndexName(ch)] = true
			o.indexes[src.IndexName(ch)+"-earlier"] = true
		}
		for _, v := range src.Variants {
			if !seen[v.Dir] {
				seen[v.Dir] = true
				o.variants = append(o.variants, v.Dir)
			}
		}
	}
	return o
}

// owns reports whether newsmirror writes the file at rel.
func (o *owner) owns(rel string) bool {
	if rel == ".gitignore" || o.journaled[rel] {
		return true
	}
	for _, v := range o.variants {
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
		return stem != name && o.indexes[stem]
	}
	if rest, ok := strings.CutPrefix(rel, "pages/"); ok {
		ch, file, ok := strings.Cut(rest, "/")
		return ok && file != "" && !strings.Contains(file, "/") && o.channels[ch]
	}
	return false
}

// named reports whether rel is a file newsmirror names by configuration
// and may find an operator's file at: the home page, the stylesheet and
// the lists, in any tree. Pages and assets are the state database's; the
// .gitignore is shared by its block.
func (o *owner) named(rel string) bool {
	if !o.owns(rel) || rel == ".gitignore" || o.journaled[rel] {
		return false
	}
	for _, v := range o.variants {
		rel = strings.TrimPrefix(rel, v+"/")
	}
	return !strings.HasPrefix(rel, "pages/") && !strings.HasPrefix(rel, "assets/")
}

// watch readies the first-write check: the files earlier runs created
// and did not commit, and (asked once, when first needed) what the
// repository tracks.
func (o *owner) watch(ctx context.Context, repo *publish.Repo, adopt bool) error {
	o.adopt, o.created = adopt, map[string]bool{}
	o.log = filepath.Join(repo.Dir, filepath.FromSlash(createdLog))
	data, err := os.ReadFile(o.log)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read %s: %w", o.log, err)
	}
	for _, l := range strings.Split(string(data), "\n") {
		if l != "" {
			o.created[l] = true
		}
	}
	var once sync.Once
	var set map[string]bool
	o.tracked = func() (map[string]bool, error) {
		once.Do(func() { set, err = repo.Tracked(ctx, o.namedRoots()...) })
		return set, err
	}
	return nil
}

// namedRoots are the paths under which named files live.
func (o *owner) namedRoots() []string {
	base := []string{"README.md", site.HTMLPath("README.md"), site.FeedPath("README.md"), htmlsite.StylePath, "indexes"}
	roots := append([]string{}, base...)
	for _, v := range o.variants {
		for _, b := range base {
			roots = append(roots, v+"/"+b)
		}
	}
	return roots
}

// creating records a named file before the run creates it.
func (o *owner) creating(rel string) error {
	if !o.named(rel) {
		return nil
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.created[rel] {
		return nil
	}
	if o.dry {
		o.created[rel] = true
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(o.log), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(o.log, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("record %s as newsmirror's: %w", rel, err)
	}
	_, err = f.WriteString(rel + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("record %s as newsmirror's: %w", rel, err)
	}
	o.created[rel] = true
	return nil
}

// replacing refuses to replace a named file that newsmirror did not write:
// neither tracked by the repository nor created by a run, unless adopted.
func (o *owner) replacing(rel string) error {
	if !o.named(rel) || o.adopt {
		return nil
	}
	o.mu.Lock()
	created := o.created[rel]
	o.mu.Unlock()
	if created {
		return nil
	}
	tracked, err := o.tracked()
	if err != nil {
		return fmt.Errorf("check %s: %w", rel, err)
	}
	if tracked[rel] {
		return nil
	}
	return &publish.NotOwnedError{Path: rel, Op: "replace"}
}

// committed forgets the created files: the commit holds them now.
func (o *owner) committed() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.created = map[string]bool{}
	if err := os.Remove(o.log); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("clear %s: %w", o.log, err)
	}
	return nil
}

// folder is the mirror folder of cfg as publish checks it.
func folder(cfg *config.Config) publish.Folder {
	inputs := []string{cfg.File, cfg.Indexes.Editors.File}
	for _, s := range cfg.Indexes.Sticky {
		inputs = append(inputs, s.File)
	}
	return publish.Folder{Dir: cfg.Output.Dir, State: cfg.StatePath(), Inputs: inputs, Claims: newOwner(cfg).owns}
}

// CheckFolder returns a *publish.ForeignError when cfg's output.dir holds
// files and is not a newsmirror mirror: nothing may be written there
// unless the operator adopts the folder (Deps.Adopt). It writes nothing.
func CheckFolder(cfg *config.Config) error {
	return folder(cfg).Check()
}

// claimFolder checks the mirror folder before the run writes anything;
// with adopt, a foreign folder becomes a mirror and the files newsmirror
// takes over are reported as a warning.
func (r *run) claimFolder(adopt bool) error {
	f := folder(r.cfg)
	err := f.Check()
	if err == nil || !adopt || !errors.Is(err, publish.ErrForeign) {
		return err
	}
	taken, _ := f.Collisions()
	msg := fmt.Sprintf("adopting %s as a mirror: files newsmirror does not write stay as they are", r.cfg.Output.Dir)
	if len(taken) > 0 {
		msg += "; newsmirror now owns and rewrites " + strings.Join(taken, ", ")
	}
	r.warn(msg)
	return nil
}

// writeIgnore puts newsmirror's lines into its block of the mirror's
// .gitignore, creating the file when missing and keeping every other line.
// A block it cannot find again is a warning; the file is left alone.
func (r *run) writeIgnore() error {
	old, err := os.ReadFile(filepath.Join(r.cfg.Output.Dir, ".gitignore"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("read .gitignore: %w", err)
	}
	text, err := publish.ManageIgnore(old, ignored)
	var bad *publish.IgnoreBlockError
	if errors.As(err, &bad) {
		r.warn(err.Error())
		return nil
	}
	if err != nil {
		return err
	}
	_, err = r.write(".gitignore", text)
	return err
}

// lockFor takes the mirror's lock unless the caller holds it already.
func lockFor(cfg *config.Config, held *publish.MirrorLock) (*publish.MirrorLock, func(), error) {
	if held.Holds(cfg.Output.Dir) {
		return held, func() {}, nil
	}
	l, err := publish.Lock(cfg.Output.Dir)
	if err != nil {
		return nil, nil, err
	}
	return l, l.Release, nil
}

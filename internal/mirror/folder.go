package mirror

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/owner"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// CheckFolder returns a *publish.ForeignError when cfg's output.dir holds
// files and is not a newsmirror mirror: nothing may be written there
// unless the operator adopts the folder (Deps.Adopt). It writes nothing.
func CheckFolder(cfg *config.Config) error {
	return owner.Folder(cfg).Check()
}

// claimFolder checks the mirror folder before the run writes anything;
// with adopt, a foreign folder becomes a mirror and the files newsmirror
// takes over are reported as a warning.
func (r *run) claimFolder(adopt bool) error {
	f := owner.Folder(r.cfg)
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
	text, err := publish.ManageIgnore(old, owner.Ignored())
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

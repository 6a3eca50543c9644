package mirror

import (
	"github.com/newsmirror/newsmirror/internal/output"
	"github.com/newsmirror/newsmirror/internal/render"
)

// writeList writes a list in every tree and format.
func (r *run) writeList(l render.List, stamp string) error {
	files, err := r.out.List(l, stamp, r.tree.Exists)
	if err != nil {
		return err
	}
	return r.writeAll(files)
}

// writeHome writes the home page in every tree and format.
func (r *run) writeHome(h render.Home, stamp string) error {
	files, err := r.out.Home(h, stamp, r.tree.Exists)
	if err != nil {
		return err
	}
	return r.writeAll(files)
}

// writeAll writes files of the mirror, each remembered for the commit.
func (r *run) writeAll(files []output.File) error {
	for _, f := range files {
		if _, err := r.write(f.Path, f.Data); err != nil {
			return err
		}
	}
	return nil
}

// touchTwins adds the other files of pages left pending by an interrupted
// run (other formats, copies, QR codes) to this run's commit.
func (r *run) touchTwins(pending []string) {
	for _, p := range pending {
		for _, f := range r.out.Files(p) {
			if r.tree.Exists(f) {
				r.touched[f] = true
			}
		}
	}
}

// removeList removes the list at path in every tree and format.
func (r *run) removeList(path string) error {
	for _, f := range r.out.ListFiles(path) {
		if !r.tree.Exists(f) {
			continue
		}
		if err := r.remove(f); err != nil {
			return err
		}
	}
	return nil
}

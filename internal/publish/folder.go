package publish

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// OwnDir is the folder, at the root of a mirror, that holds newsmirror's
// own files: the lock, the files being written, and (by default) the state
// database. It is git-ignored and never holds an operator's file.
const OwnDir = ".newsmirror"

// Folder is a mirror folder as newsmirror sees it before writing into it.
type Folder struct {
	// Dir is the folder (output.dir).
	Dir string
	// State is the state database; a folder whose state exists is a mirror.
	State string
	// Inputs are files newsmirror only reads there (its configuration,
	// links files); they do not make the folder someone else's.
	Inputs []string
	// Claims reports whether newsmirror writes the file at rel (a slash
	// path) in a mirror: its home page, indexes, pages, assets.
	Claims func(rel string) bool
}

// ForeignError means the folder holds files and is not a newsmirror
// mirror; nothing was written.
type ForeignError struct {
	Dir string
	// Files are the files found (at most maxListed), as slash paths.
	Files []string
	// More counts the files found beyond Files.
	More int
	// Overwrite are the files newsmirror would replace.
	Overwrite []string
}

// AdoptFlag is the command-line flag that lets newsmirror make a folder
// holding someone's files a mirror.
const AdoptFlag = "--adopt"

func (e *ForeignError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s is not a newsmirror mirror and is not empty (%s", e.Dir, strings.Join(e.Files, ", "))
	if e.More > 0 {
		fmt.Fprintf(&b, " and %d more", e.More)
	}
	b.WriteString("); ")
	if len(e.Overwrite) > 0 {
		fmt.Fprintf(&b, "newsmirror would overwrite %s. ", strings.Join(e.Overwrite, ", "))
	} else {
		b.WriteString("newsmirror would overwrite none of them. ")
	}
	fmt.Fprintf(&b, "Nothing was written. To make this folder a mirror anyway, run again with %s", AdoptFlag)
	if len(e.Overwrite) > 0 {
		b.WriteString(" (the files listed as overwritten become newsmirror's; every other file stays yours)")
	}
	b.WriteString(", or choose an empty folder for output.dir")
	return b.String()
}

// ErrForeign is what every *ForeignError matches with errors.Is.
var ErrForeign = errors.New("folder is not a newsmirror mirror")

func (e *ForeignError) Is(target error) bool { return target == ErrForeign }

const (
	maxListed = 20     // files named in a ForeignError
	maxWalked = 20_000 // files looked at for collisions
)

// IsMirror reports whether the folder is a newsmirror mirror: its state
// database exists, or its .gitignore carries newsmirror's block (a fresh
// clone of a mirror).
func (f Folder) IsMirror() bool {
	if _, err := os.Stat(f.State); err == nil {
		return true
	}
	text, err := os.ReadFile(filepath.Join(f.Dir, ".gitignore"))
	return err == nil && HasIgnoreBlock(text)
}

// Check returns nil when newsmirror may write into the folder: it is
// missing, empty (but for a .git folder, newsmirror's own folder and its
// inputs) or a mirror. Otherwise it returns a *ForeignError that lists
// the files found and those newsmirror would overwrite.
func (f Folder) Check() error {
	if f.IsMirror() {
		return nil
	}
	files, err := f.foreignFiles()
	if err != nil || len(files) == 0 {
		return err
	}
	e := &ForeignError{Dir: f.Dir}
	e.Overwrite, _ = f.collide(files, nil)
	e.Files = files[:min(len(files), maxListed)]
	e.More = len(files) - len(e.Files)
	if len(e.Overwrite) > maxListed {
		e.Overwrite = append(e.Overwrite[:maxListed], fmt.Sprintf("… (%d in all)", len(e.Overwrite)))
	}
	return e
}

// Collisions lists the files of the folder newsmirror would overwrite
// (see Claims), for a message when a folder is adopted.
func (f Folder) Collisions() ([]string, error) {
	return f.collide(f.foreignFiles())
}

// collide keeps the files newsmirror would replace. A .gitignore is not
// among them: newsmirror only adds its block.
func (f Folder) collide(files []string, err error) ([]string, error) {
	var out []string
	for _, rel := range files {
		if rel != ".gitignore" && f.Claims != nil && f.Claims(rel) {
			out = append(out, rel)
		}
	}
	return out, err
}

// foreignFiles walks the folder for files that are neither git's,
// newsmirror's own nor its inputs, sorted.
func (f Folder) foreignFiles() ([]string, error) {
	inputs := map[string]bool{}
	for _, in := range f.Inputs {
		if abs, err := filepath.Abs(in); err == nil {
			inputs[abs] = true
		}
	}
	var files []string
	err := filepath.WalkDir(f.Dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == f.Dir && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		rel, _ := filepath.Rel(f.Dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel == ".git" || rel == OwnDir {
				return filepath.SkipDir
			}
			return nil
		}
		if abs, err := filepath.Abs(p); err == nil && inputs[abs] {
			return nil
		}
		files = append(files, rel)
		if len(files) >= maxWalked {
			return fs.SkipAll
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("look into %s: %w", f.Dir, err)
	}
	sort.Strings(files)
	return files, nil
}

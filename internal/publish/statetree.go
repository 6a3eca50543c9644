package publish

import (
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"path"
	"slices"
	"strconv"
	"strings"
)

// treeEntry is one line of git ls-tree: a blob or a folder (tree).
type treeEntry struct {
	mode, kind, id string
}

// stateTree writes files (slash paths → contents) as a tree and returns
// its id. A blob or folder that the tree of base (a commit; "" for none)
// holds with the same contents is reused, not written again: a file whose
// bytes did not change costs nothing (its blob id is worked out here, as
// git would, and compared with base's), and a folder whose files did not
// change keeps its tree.
func (r *Repo) stateTree(ctx context.Context, files map[string][]byte, base string) (string, error) {
	old, err := r.listTree(ctx, base)
	if err != nil {
		return "", err
	}
	known := map[string]bool{}
	for _, e := range old {
		known[e.id] = true
	}
	blobs := map[string]string{}
	for name, data := range files {
		id := objectID(idLength(old), "blob", data)
		if id == "" || !known[id] {
			out, err := r.gitStdin(ctx, strings.NewReader(string(data)), "hash-object", "-w", "--stdin")
			if err != nil {
				return "", fmt.Errorf("write %s: %w", name, err)
			}
			if id != "" && strings.TrimSpace(out) != id {
				return "", fmt.Errorf("write %s: git names it %s, expected %s", name, strings.TrimSpace(out), id)
			}
			id = strings.TrimSpace(out)
		}
		blobs[name] = id
	}
	return r.writeFolder(ctx, "", folderOf(blobs), old)
}

// folder is a folder of the tree being built: its files' blob ids and its
// sub-folders, by name.
type folder struct {
	files   map[string]string
	folders map[string]*folder
}

// folderOf arranges blobs (slash path → id) into folders.
func folderOf(blobs map[string]string) *folder {
	root := &folder{files: map[string]string{}, folders: map[string]*folder{}}
	for name, id := range blobs {
		f := root
		parts := strings.Split(name, "/")
		for _, p := range parts[:len(parts)-1] {
			sub := f.folders[p]
			if sub == nil {
				sub = &folder{files: map[string]string{}, folders: map[string]*folder{}}
				f.folders[p] = sub
			}
			f = sub
		}
		f.files[parts[len(parts)-1]] = id
	}
	return root
}

// writeFolder writes f, at dir ("" for the root), and its sub-folders as
// trees (mktree), reusing the tree old has at dir when its listing is the
// same.
func (r *Repo) writeFolder(ctx context.Context, dir string, f *folder, old map[string]treeEntry) (string, error) {
	var lines []string
	for name, id := range f.files {
		lines = append(lines, "100644 blob "+id+"\t"+name)
	}
	for name, sub := range f.folders {
		id, err := r.writeFolder(ctx, path.Join(dir, name), sub, old)
		if err != nil {
			return "", err
		}
		lines = append(lines, "040000 tree "+id+"\t"+name)
	}
	slices.Sort(lines)
	listing := strings.Join(lines, "\n") + "\n"
	if e, ok := old[dir]; ok && dir != "" && listing == oldListing(dir, old) {
		return e.id, nil
	}
	out, err := r.gitStdin(ctx, strings.NewReader(listing), "mktree")
	if err != nil {
		return "", fmt.Errorf("write folder %q: %w", dir, err)
	}
	return strings.TrimSpace(out), nil
}

// oldListing is the listing writeFolder would give for old's folder dir.
func oldListing(dir string, old map[string]treeEntry) string {
	var lines []string
	for name, e := range old {
		if name != dir && path.Dir(name) == dir {
			lines = append(lines, e.mode+" "+e.kind+" "+e.id+"\t"+path.Base(name))
		}
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// listTree lists every blob and folder of commit's tree by path (nothing
// when commit is "").
func (r *Repo) listTree(ctx context.Context, commit string) (map[string]treeEntry, error) {
	entries := map[string]treeEntry{}
	if commit == "" {
		return entries, nil
	}
	out, err := r.git(ctx, "ls-tree", "-r", "-t", "-z", commit)
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", commit, err)
	}
	for _, rec := range strings.Split(out, "\x00") {
		meta, name, ok := strings.Cut(rec, "\t")
		f := strings.Fields(meta)
		if !ok || len(f) != 3 {
			continue
		}
		entries[name] = treeEntry{mode: f[0], kind: f[1], id: f[2]}
	}
	return entries, nil
}

// idLength is the length of the object ids in entries (40 for SHA-1, 64
// for SHA-256), 0 when there are none.
func idLength(entries map[string]treeEntry) int {
	for _, e := range entries {
		return len(e.id)
	}
	return 0
}

// objectID is the id git gives an object of kind holding data, in a
// repository whose ids are idLen hex digits; "" for an unknown length.
func objectID(idLen int, kind string, data []byte) string {
	var h hash.Hash
	switch idLen {
	case 2 * sha1.Size:
		h = sha1.New()
	case 2 * sha256.Size:
		h = sha256.New()
	default:
		return ""
	}
	h.Write([]byte(kind + " " + strconv.Itoa(len(data)) + "\x00"))
	h.Write(data)
	return hex.EncodeToString(h.Sum(nil))
}

// readFiles reads every blob of commit's tree, by slash path, in one
// git cat-file.
func (r *Repo) readFiles(ctx context.Context, commit string) (map[string][]byte, error) {
	entries, err := r.listTree(ctx, commit)
	if err != nil {
		return nil, err
	}
	var names []string
	var ids strings.Builder
	for name, e := range entries {
		if e.kind == "blob" {
			names = append(names, name)
			ids.WriteString(e.id + "\n")
		}
	}
	out, err := r.gitStdin(ctx, strings.NewReader(ids.String()), "cat-file", "--batch")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", commit, err)
	}
	files := map[string][]byte{}
	rest := []byte(out)
	for _, name := range names {
		var data []byte
		if data, rest, err = batchObject(rest, entries[name].id); err != nil {
			return nil, fmt.Errorf("read %s:%s: %w", commit, name, err)
		}
		files[name] = data
	}
	return files, nil
}

// batchObject cuts the object id off the front of git cat-file --batch's
// output out, returning its contents and what follows.
func batchObject(out []byte, id string) (data, rest []byte, err error) {
	head, body, ok := bytes.Cut(out, []byte("\n"))
	f := strings.Fields(string(head))
	if !ok || len(f) != 3 || f[0] != id {
		return nil, nil, fmt.Errorf("git cat-file answered %q", head)
	}
	size, err := strconv.Atoi(f[2])
	if err != nil || size+1 > len(body) {
		return nil, nil, fmt.Errorf("git cat-file answered %q and %d bytes", head, len(body))
	}
	return body[:size], body[size+1:], nil
}

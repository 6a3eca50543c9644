// Package site is the one source of truth for where the files of the
// mirror live and how they link to each other. A Loc names a file by the
// tree it is in (the original, or a variant folder such as "zh-Hant") and
// its path from that tree's root; every relative link, cache-busting query
// and public URL of a page, a list, an image or an alternate copy is
// computed here, for Markdown and HTML alike.
package site

import (
	"strings"

	"github.com/newsmirror/newsmirror/internal/config"
)

// Loc is where one file of the mirror lives.
type Loc struct {
	// Tree is the variant folder the file is in ("zh-Hant"), "" for the
	// original tree at the repository root.
	Tree string
	// Path is the file's path from its tree's root, always the Markdown
	// name of a generated file ("pages/p9/1.md", "README.md"), whatever
	// format is written.
	Path string
}

// At is the file at path of the original tree.
func At(path string) Loc { return Loc{Path: path} }

// In is the same file in tree ("" for the original).
func (l Loc) In(tree string) Loc { return Loc{Tree: tree, Path: l.Path} }

// Repo is the file's repository path: "zh-Hant/pages/p9/1.md".
func (l Loc) Repo() string {
	if l.Tree == "" {
		return l.Path
	}
	return l.Tree + "/" + l.Path
}

// Public expands a URL template (output.page_url, qr_url…) for the file:
// {path} is its repository path. An empty template gives "".
func (l Loc) Public(t config.URLTemplate, channel, id string) string {
	return t.Expand(l.Repo(), channel, id)
}

// PerTree reports whether path (from a tree's root) names a file that
// every tree holds its own copy of: pages, indexes and the home page with
// its stylesheet and feed. Everything else (assets, the operator's own files)
// exists once, in the original tree.
func PerTree(path string) bool {
	switch path {
	case "README.md", "index.html", "index.xml", "style.css":
		return true
	}
	return strings.HasPrefix(path, "pages/") || strings.HasPrefix(path, "indexes/")
}

// To is the relative URL from l to target: from the root of l's tree
// when both are in the same tree, else from the repository root.
func (l Loc) To(target Loc) string {
	if l.Tree == target.Tree {
		return up(l.Path) + target.Path
	}
	return up(l.Repo()) + target.Repo()
}

// up climbs from the folder of the file at path to the root path is
// relative to.
func up(path string) string { return strings.Repeat("../", strings.Count(path, "/")) }

// Target is the file a local link names, seen from l: a per-tree file in
// l's own tree, anything else in the original tree.
func (l Loc) Target(path string) Loc {
	if PerTree(path) {
		return Loc{Tree: l.Tree, Path: path}
	}
	return Loc{Path: path}
}

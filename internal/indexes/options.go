// Package indexes decides what the mirror's lists show: which titles a
// channel index drops (the blacklist), where the sticky links go, where an
// index overflows onto its "earlier" page, and how the editors' list CSV
// reads. It knows nothing of templates, files or the database.
package indexes

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Options configure every list of the mirror.
type Options struct {
	// Length is how many entries a channel index shows; the rest of the
	// channel's pages go to its "earlier" page.
	Length int `yaml:"length"`
	// EarlierLabel labels the link to the "earlier" page.
	EarlierLabel string `yaml:"earlier_label"`
	// Blacklist drops titles from every source's indexes.
	Blacklist Blacklist `yaml:"blacklist"`
	// Sticky are blocks of links inserted into every channel index.
	Sticky []Sticky `yaml:"sticky"`
	// Editors is the editors' list.
	Editors Editors `yaml:"editors"`
}

// Sticky is a CSV file of "url,title" rows shown at a fixed position.
type Sticky struct {
	// File is the CSV, relative to the configuration file.
	File string `yaml:"file"`
	// Position is the 1-based entry the block goes before; past the end
	// of the index it goes last.
	Position int `yaml:"position"`
}

// Editors is the editors' list: a CSV of "url,title" rows.
type Editors struct {
	// File is the CSV, relative to the configuration file; empty for none.
	File string `yaml:"file"`
	// Name is the list's label and its index name (indexes/<name>.md).
	Name string `yaml:"name"`
	// Home is how many of its first entries the home page shows.
	Home int `yaml:"home"`
}

// DefaultOptions returns the options of a configuration that says nothing:
// the reference's 60-entry indexes.
func DefaultOptions() Options {
	return Options{
		Length:       60,
		EarlierLabel: "更早内容",
		Editors:      Editors{Name: "编辑推荐", Home: 3},
	}
}

// Validate reports every option that cannot work.
func (o *Options) Validate() error {
	var errs option.Errors
	bad := errs.Addf
	if o.Length < 1 {
		bad("length", "must be at least 1, got %d", o.Length)
	}
	if strings.TrimSpace(o.EarlierLabel) == "" {
		bad("earlier_label", "must not be empty")
	}
	for i, s := range o.Sticky {
		if s.File == "" {
			bad(fmt.Sprintf("sticky[%d].file", i), "must not be empty")
		}
		if s.Position < 1 {
			bad(fmt.Sprintf("sticky[%d].position", i), "must be at least 1, got %d", s.Position)
		}
	}
	if o.Editors.Name == "" || strings.ContainsAny(o.Editors.Name, "/\\") {
		bad("editors.name", "must be a non-empty file name")
	}
	if err := o.Blacklist.Validate(); err != nil {
		errs = append(errs, option.Under("blacklist", err))
	}
	return errs.Err()
}

var (
	_ option.Validator = (*Options)(nil)
	_ option.Validator = (*Blacklist)(nil)
)

// Blacklist drops index entries by title.
type Blacklist struct {
	// Contains are substrings; a title holding any is dropped.
	Contains []string `yaml:"contains"`
	// Patterns are Go regular expressions; a title matching any is dropped.
	Patterns []string `yaml:"patterns"`

	compiled []*regexp.Regexp
}

// Validate checks the entries and parses the patterns; it must run before
// Blocks.
func (b *Blacklist) Validate() error {
	b.compiled = b.compiled[:0]
	for i, p := range b.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return &option.FieldError{Field: fmt.Sprintf("patterns[%d]", i), Err: err}
		}
		b.compiled = append(b.compiled, re)
	}
	for i, s := range b.Contains {
		if s == "" {
			return option.Errorf(fmt.Sprintf("contains[%d]", i), "must not be empty")
		}
	}
	return nil
}

// Blocks reports whether title is blacklisted.
func (b *Blacklist) Blocks(title string) bool {
	for _, s := range b.Contains {
		if strings.Contains(title, s) {
			return true
		}
	}
	for _, re := range b.compiled {
		if re.MatchString(title) {
			return true
		}
	}
	return false
}

package indexes

import "time"

// Item is one line of a list: a title and either a page of the mirror
// (Path, relative to the repository root) or an outside URL (Path holding
// an absolute URL).
type Item struct {
	Title string
	Path  string
	// Time dates a page of the mirror (published, else mirrored); zero
	// for outside links.
	Time time.Time
}

// Block is a run of sticky items placed before the entry at Position
// (1-based).
type Block struct {
	Position int
	Items    []Item
}

// Page is a channel index split in two: what the index shows and what its
// "earlier" page shows.
type Page struct {
	Main, Earlier []Item
}

// Layout drops blacklisted titles from items (newest first), keeps the
// first length on the index and the rest for the earlier page, and puts the
// sticky blocks into the index at their positions.
func Layout(items []Item, length int, sticky []Block, lists ...*Blacklist) Page {
	kept := make([]Item, 0, len(items))
	for _, it := range items {
		if !blocked(it.Title, lists) {
			kept = append(kept, it)
		}
	}
	var p Page
	if len(kept) > length {
		p.Earlier = kept[length:]
		kept = kept[:length]
	}
	p.Main = place(kept, sticky)
	return p
}

func blocked(title string, lists []*Blacklist) bool {
	for _, l := range lists {
		if l != nil && l.Blocks(title) {
			return true
		}
	}
	return false
}

// place inserts the blocks; positions count entries of items, so two
// blocks at the same position appear in configuration order.
func place(items []Item, blocks []Block) []Item {
	if len(blocks) == 0 {
		return items
	}
	out := make([]Item, 0, len(items)+len(blocks))
	for i := 0; i <= len(items); i++ {
		for _, b := range blocks {
			if b.Position-1 == i || (i == len(items) && b.Position-1 > i) {
				out = append(out, b.Items...)
			}
		}
		if i < len(items) {
			out = append(out, items[i])
		}
	}
	return out
}

package feed

import (
	"fmt"
	"strings"
)

// Warning is one salvage: something in a broken document that made the
// reader guess, repair or drop, said for the operator. Reading goes on; a
// warning is recorded in the channel's health and logged.
type Warning struct {
	// Kind names the salvage, one of the Warn… constants.
	Kind string
	// Message says what was found and what was done, e.g. "feed
	// truncated in item 13: kept 12 complete items".
	Message string
}

func (w Warning) String() string { return w.Message }

// Warning kinds.
const (
	WarnTruncated   = "truncated"      // the document ends inside an item or before its root closes
	WarnJunk        = "junk"           // bytes before the XML declaration or after the root element
	WarnUnescaped   = "unescaped"      // a bare '<' or '&' in text, escaped
	WarnBadChar     = "bad-char"       // a character XML forbids (control character, bad reference), removed
	WarnMismatched  = "mismatched-tag" // an end tag that closes nothing or skips open elements
	WarnUnclosed    = "unclosed-item"  // an item never closed, ended where the next one begins
	WarnTooDeep     = "too-deep"       // elements nested beyond MaxDepth, dropped with their item
	WarnTooMany     = "too-many"       // items beyond MaxItems, ignored
	WarnNoLink      = "no-link"        // an item without a usable article URL, skipped
	WarnNoTitle     = "no-title"       // an item without a title, skipped
	WarnIDAsLink    = "id-as-link"     // an Atom or JSON Feed entry's URL id used as its link
	WarnUnparseable = "unparseable"    // the parser read fewer items than the repair found complete
)

// warnings collects salvages, one Warning per kind: the first occurrence
// says where, and a count says how many more there were.
type warnings struct {
	order []string
	first map[string]string
	count map[string]int
}

// again counts one more warning of kind when one is recorded already, and
// reports whether it was: hot paths call it first, so that a feed with
// millions of the same fault costs no formatting.
func (w *warnings) again(kind string) bool {
	if w.count[kind] == 0 {
		return false
	}
	w.count[kind]++
	return true
}

func (w *warnings) add(kind, format string, args ...any) {
	if w.first == nil {
		w.first, w.count = map[string]string{}, map[string]int{}
	}
	if w.count[kind] == 0 {
		w.order = append(w.order, kind)
		w.first[kind] = fmt.Sprintf(format, args...)
	}
	w.count[kind]++
}

// set records a warning of kind that replaces any earlier one: a summary
// such as the truncation's.
func (w *warnings) set(kind, format string, args ...any) {
	w.add(kind, format, args...)
	w.first[kind] = fmt.Sprintf(format, args...)
	w.count[kind] = 1
}

func (w *warnings) list() []Warning {
	out := make([]Warning, 0, len(w.order))
	for _, k := range w.order {
		msg := w.first[k]
		if n := w.count[k] - 1; n > 0 {
			msg += fmt.Sprintf(" (and %d more)", n)
		}
		out = append(out, Warning{Kind: k, Message: msg})
	}
	return out
}

// joinWarnings is ws as one line.
func joinWarnings(ws []Warning) string {
	s := make([]string, len(ws))
	for i, w := range ws {
		s[i] = w.Message
	}
	return strings.Join(s, "; ")
}

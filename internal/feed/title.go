package feed

import "unicode/utf8"

// CapTitle returns title cut to at most max letters (runes), the last
// being "…", and whether it was cut. A feed can send a title of megabytes,
// which would otherwise fill the page and every index listing it.
func CapTitle(title string, max int) (string, bool) {
	if max <= 0 || utf8.RuneCountInString(title) <= max {
		return title, false
	}
	n := 0
	for i := range title {
		if n == max-1 {
			return title[:i] + "…", true
		}
		n++
	}
	return title, false
}

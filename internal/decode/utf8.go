package decode

import "unicode/utf8"

// utf8Check is how well a body reads as UTF-8.
type utf8Check struct {
	valid bool
	multi int  // well-formed multi-byte sequences
	bad   int  // ill-formed sequences (a run of bad bytes counts once)
	tail  bool // the only bad sequence is a character cut off at the end
}

// checkUTF8 reads b as UTF-8.
func checkUTF8(b []byte) utf8Check {
	if utf8.Valid(b) {
		c := utf8Check{valid: true}
		for _, x := range b {
			if x >= 0xC0 { // a lead byte
				c.multi++
			}
		}
		return c
	}
	var c utf8Check
	inBad := false
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if !inBad {
				c.bad++
				c.tail = c.bad == 1 && !utf8.FullRune(b[i:])
			}
			inBad = true
		case r >= utf8.RuneSelf:
			c.multi++
			inBad = false
		default:
			inBad = false
		}
		i += n
	}
	return c
}

// repairable reports whether a body that is not valid UTF-8 is still UTF-8
// with a few bytes damaged: at most one bad sequence in 20 well-formed
// multi-byte ones (and at least 4 of those), or only its last character cut
// off. Text in GB18030, Big5 or Windows-1252 read as UTF-8 has far more bad
// sequences than good ones, so these bounds leave it to the other steps.
func (c utf8Check) repairable() bool {
	if c.valid {
		return false
	}
	if c.tail && c.bad == 1 && c.multi >= 1 {
		return true
	}
	return c.multi >= 4 && c.bad*20 <= c.multi
}

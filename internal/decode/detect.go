package decode

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// The detector reads the body in each candidate encoding and scores the
// text that comes out by how much it looks like news text: frequent Chinese
// characters and CJK punctuation score high, accented Latin letters inside
// words score high, decoding errors, C1 controls, private-use characters and
// letters standing alone among symbols score low. The encoding whose text
// scores best per non-ASCII byte wins. GB18030 text read as Big5 (or the
// reverse) decodes without errors but into rarer characters, which is what
// the frequency tiers tell apart.

// candidates are the encodings the detector chooses among.
var candidates = []struct {
	name string
	enc  encoding.Encoding
}{
	{"gb18030", simplifiedchinese.GB18030},
	{"big5", traditionalchinese.Big5},
	{"utf-8", utf8Enc},
	{"windows-1252", charmap.Windows1252},
	{"windows-1251", charmap.Windows1251},
}

// sampleHigh bounds how much of a body is scored: up to the first ASCII
// byte after this many non-ASCII bytes, a few thousand characters of text,
// which settles any real document.
const sampleHigh = 8 << 10

// scored is one candidate's score.
type scored struct {
	name   string
	enc    encoding.Encoding
	score  float64 // per non-ASCII byte of the sample
	errors int     // undecodable sequences (U+FFFD)
}

// scoreboard is every candidate's score for one body.
type scoreboard struct {
	all    []scored // in candidates' order
	sample []byte
	high   int // non-ASCII bytes in the sample
}

// detect scores b in every candidate encoding.
func detect(b []byte) scoreboard {
	s := scoreboard{sample: b}
	for i, c := range b {
		if c >= utf8.RuneSelf {
			s.high++
		} else if s.high >= sampleHigh {
			s.sample = b[:i]
			break
		}
	}
	for _, c := range candidates {
		s.all = append(s.all, s.read(c.name, c.enc))
	}
	return s
}

// read scores the sample read in e.
func (s scoreboard) read(name string, e encoding.Encoding) scored {
	c := scored{name: name, enc: e}
	if s.high == 0 {
		return c
	}
	text := string(s.sample)
	if e != utf8Enc {
		text = string(decodeWith(e, s.sample))
	}
	total, errors := textScore(text)
	c.score, c.errors = total/float64(s.high), errors
	return c
}

// best is the candidate with the highest score; the first listed wins a
// tie.
func (s scoreboard) best() scored {
	b := s.all[0]
	for _, c := range s.all[1:] {
		if c.score > b.score {
			b = c
		}
	}
	return b
}

// confidence is 0 to 1: how far the best score is from the runner-up's and
// from nothing, scaled down for bodies with little non-ASCII text.
func (s scoreboard) confidence() float64 {
	b := s.best()
	second := -1e9
	for _, c := range s.all {
		if c.name != b.name && c.score > second {
			second = c.score
		}
	}
	clamp := func(x float64) float64 { return max(0, min(1, x)) }
	return clamp(b.score) * clamp((b.score-second)/0.5) * clamp(float64(s.high)/40)
}

// labelMargin is how much worse per non-ASCII byte than the detector's pick
// a label's reading may score and still be followed.
const labelMargin = 0.5

// plausible reports whether following l reads the body about as well as
// the detector's pick. On a body with too little non-ASCII text to judge
// by frequency, a label is followed unless it reads worse than nothing or
// meets more undecodable bytes than the pick.
func plausible(l label, s scoreboard) bool {
	if isWide(l.name) || l.name == "utf-8" {
		return false // established by the bytes alone, and they did not
	}
	b := s.best()
	if l.name == b.name {
		return true
	}
	c := s.read(l.name, l.enc)
	if !isCandidate(l.name) {
		// Korean, Japanese, Cyrillic…: the frequency tiers know only
		// Chinese and Western text, so such a label is followed unless
		// reading by it meets undecodable bytes or reads as noise.
		return c.errors <= b.errors+s.high/200 && c.score > 0
	}
	if s.high < 32 && c.score >= 0 && c.errors <= b.errors {
		return true
	}
	return c.score >= b.score-labelMargin
}

// isCandidate reports whether the detector weighs name itself.
func isCandidate(name string) bool {
	for _, c := range candidates {
		if c.name == name {
			return true
		}
	}
	return false
}

// textScore scores decoded text (ASCII counts nothing) and counts its
// undecodable sequences.
func textScore(text string) (total float64, errors int) {
	t := tables()
	prev := ' '
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		i += n
		if r >= utf8.RuneSelf {
			next, _ := utf8.DecodeRuneInString(text[i:])
			total += weight(r, prev, next, t)
		}
		if r == utf8.RuneError {
			errors++
		}
		prev = r
	}
	return total, errors
}

// weight is one non-ASCII character's contribution to a text's score.
func weight(r, prev, next rune, t *freqTable) float64 {
	if r >= hanLo && r <= hanHi && t[r-hanLo] > 0 {
		return float64(t[r-hanLo])
	}
	switch {
	case r == utf8.RuneError:
		return -4
	case r < 0xA0, r >= 0xE000 && r <= 0xF8FF, r >= 0xF0000:
		return -3 // C1 controls, private use
	case cjkPunct(r):
		return 2
	case unicode.Is(unicode.Han, r):
		return 0 // a rare character: neither for nor against
	case unicode.Is(unicode.Latin, r):
		if asciiLetter(prev) || asciiLetter(next) {
			return 2 // café, Zürich
		}
		return -1 // ÖÐ¹ú: Chinese bytes read as Latin-1
	case unicode.IsLetter(r):
		if (unicode.IsLetter(prev) && prev >= 0x80) || (unicode.IsLetter(next) && next >= 0x80) {
			return 0.5 // a word in Cyrillic, Greek, kana…
		}
		return -1
	case unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsSpace(r):
		if prev < utf8.RuneSelf || next < utf8.RuneSelf {
			return 1 // “quoted”, 5 €, 20 °C
		}
		return -1
	}
	return -1
}

func asciiLetter(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }

// cjkPunct reports whether r is CJK or full-width punctuation, or the
// quotation marks and dots Chinese text uses.
func cjkPunct(r rune) bool {
	switch {
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF01 && r <= 0xFF65:
		return true
	}
	switch r {
	case '“', '”', '‘', '’', '…', '—', '·', '─':
		return true
	}
	return false
}

// hanLo and hanHi bound the CJK ideographs the frequency table covers
// (Extension A and the Unified block).
const hanLo, hanHi = 0x3400, 0x9FFF

// freqTable is the weight of each ideograph from hanLo to hanHi; 0 for
// one that is not common.
type freqTable [hanHi - hanLo + 1]int8

func (t *freqTable) set(r rune, w int8) {
	if r >= hanLo && r <= hanHi {
		t[r-hanLo] = w
	}
}

// tables weighs frequent and common Chinese characters: tier 1 scores 3,
// tier 2 scores 2, the rest of GB2312's level 1 and of Big5's frequent
// block (A440–C67E) score 1.
var tables = sync.OnceValue(func() *freqTable {
	t := new(freqTable)
	add := func(b []byte, e encoding.Encoding) {
		for _, r := range string(decodeWith(e, b)) {
			if r >= hanLo && r <= hanHi && t[r-hanLo] == 0 {
				t[r-hanLo] = 1
			}
		}
	}
	var gb, big5 []byte
	for lead := 0xB0; lead <= 0xD7; lead++ {
		for trail := 0xA1; trail <= 0xFE; trail++ {
			gb = append(gb, byte(lead), byte(trail))
		}
	}
	for lead := 0xA4; lead <= 0xC6; lead++ {
		for _, rng := range [][2]int{{0x40, 0x7E}, {0xA1, 0xFE}} {
			for trail := rng[0]; trail <= rng[1] && (lead < 0xC6 || trail <= 0x7E); trail++ {
				big5 = append(big5, byte(lead), byte(trail))
			}
		}
	}
	for _, s := range []string{tier2Simplified, tier2Traditional} {
		for _, r := range s {
			t.set(r, 2)
		}
	}
	for _, s := range []string{tier1Simplified, tier1Traditional} {
		for _, r := range s {
			t.set(r, 3)
		}
	}
	add(gb, simplifiedchinese.GB18030)
	add(big5, traditionalchinese.Big5)
	return t
})

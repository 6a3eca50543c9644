package zhconv

import "strings"

// Document converts the text of a Markdown or HTML document and leaves its
// markup as it is: tags with their attributes, Markdown link destinations
// ("](…)") and bare http(s) URLs, so that links, file names and image
// sources keep working.
func (c *Converter) Document(s string) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/4)
	text := 0 // start of the pending run of text
	flush := func(end int) {
		b.WriteString(c.Text(s[text:end]))
	}
	for i := 0; i < len(s); {
		n := markupAt(s, i)
		if n == 0 {
			i++
			continue
		}
		flush(i)
		b.WriteString(s[i : i+n])
		i += n
		text = i
	}
	flush(len(s))
	return b.String()
}

// markupAt is the length of the markup that starts at s[i], or 0.
func markupAt(s string, i int) int {
	rest := s[i:]
	switch {
	case isTagStart(rest):
		if end := strings.IndexByte(rest, '>'); end > 0 {
			return end + 1
		}
	case strings.HasPrefix(rest, "]("):
		if end := strings.IndexByte(rest, ')'); end > 0 {
			return end + 1
		}
	case strings.HasPrefix(rest, "http://") || strings.HasPrefix(rest, "https://"):
		if end := strings.IndexAny(rest, " \t\r\n<>\"'()"); end > 0 {
			return end
		}
		return len(rest)
	}
	return 0
}

// isTagStart reports whether s starts an HTML tag, end tag or comment.
func isTagStart(s string) bool {
	if len(s) < 2 || s[0] != '<' {
		return false
	}
	c := s[1]
	return c == '/' || c == '!' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

package publish

import (
	"bytes"
	"fmt"
)

// The lines that open and close newsmirror's block in a mirror's
// .gitignore. Everything outside the block is the operator's and is kept
// byte for byte.
const (
	IgnoreBegin = "# BEGIN newsmirror (managed: edits inside this block are replaced)"
	IgnoreEnd   = "# END newsmirror"
)

// ignoreBeginPrefix recognises the opening line whatever its comment says.
const ignoreBeginPrefix = "# BEGIN newsmirror"

// legacyIgnore is the whole .gitignore that newsmirror wrote before it
// managed a block; it is replaced by the block.
const legacyIgnore = "/.newsmirror/\n/.tmp/\n.tmp-*\n"

// IgnoreBlockError is a .gitignore whose newsmirror block cannot be found
// again: an opening line without its closing line, or two blocks.
type IgnoreBlockError struct {
	Line int // 1-based line of the problem
	Msg  string
}

func (e *IgnoreBlockError) Error() string {
	return fmt.Sprintf(".gitignore:%d: %s; fix the block by hand (newsmirror left the file as it is)", e.Line, e.Msg)
}

// ManageIgnore returns the .gitignore text old with newsmirror's block
// holding exactly lines. The rest of old is kept byte for byte; a file
// without the block gets it appended (a missing file is old == nil). The
// .gitignore newsmirror wrote whole before it managed a block is replaced.
func ManageIgnore(old []byte, lines []string) ([]byte, error) {
	var block bytes.Buffer
	block.WriteString(IgnoreBegin + "\n")
	for _, l := range lines {
		block.WriteString(l + "\n")
	}
	block.WriteString(IgnoreEnd + "\n")
	if bytes.HasPrefix(old, []byte(legacyIgnore)) && !bytes.Contains(old, []byte(ignoreBeginPrefix)) {
		old = old[len(legacyIgnore):]
	}
	begin, end, err := findBlock(old)
	if err != nil {
		return nil, err
	}
	if begin < 0 {
		out := append([]byte{}, old...)
		if len(out) > 0 && out[len(out)-1] != '\n' {
			out = append(out, '\n')
		}
		return append(out, block.Bytes()...), nil
	}
	out := append([]byte{}, old[:begin]...)
	out = append(out, block.Bytes()...)
	return append(out, old[end:]...), nil
}

// HasIgnoreBlock reports whether a .gitignore carries newsmirror's block
// (or is the file newsmirror wrote whole before it managed one): the
// folder it sits in is a mirror.
func HasIgnoreBlock(text []byte) bool {
	begin, _, _ := findBlock(text)
	return begin >= 0 || bytes.HasPrefix(text, []byte(legacyIgnore))
}

// findBlock returns the byte range of the block, from the start of its
// opening line to the end of its closing line (newline included); begin
// is -1 when there is none.
func findBlock(text []byte) (begin, end int, err error) {
	begin = -1
	line, off := 0, 0
	for off < len(text) {
		line++
		n := bytes.IndexByte(text[off:], '\n')
		next := len(text)
		if n >= 0 {
			next = off + n + 1
		}
		l := bytes.TrimRight(text[off:next], "\r\n")
		switch {
		case bytes.HasPrefix(l, []byte(ignoreBeginPrefix)):
			if begin >= 0 {
				return -1, -1, &IgnoreBlockError{line, "a second '" + ignoreBeginPrefix + "' line"}
			}
			begin = off
		case string(bytes.TrimSpace(l)) == IgnoreEnd && begin >= 0:
			if end > 0 {
				return -1, -1, &IgnoreBlockError{line, "a second '" + IgnoreEnd + "' line"}
			}
			end = next
		}
		off = next
	}
	if begin >= 0 && end == 0 {
		return -1, -1, &IgnoreBlockError{bytes.Count(text[:begin], []byte("\n")) + 1, "'" + ignoreBeginPrefix + "' has no '" + IgnoreEnd + "' line after it"}
	}
	return begin, end, nil
}

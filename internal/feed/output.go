package feed

import (
	"encoding/xml"
	"io"
)

// output is the repaired document. While the repair has only kept the
// source's tokens in order it is a slice of the source (src[origin:next]),
// so a well-formed feed is never copied; the first change copies it once.
type output struct {
	src          []byte
	origin, next int
	buf          []byte
	dirty        bool
}

// raw writes token t as the source has it.
func (o *output) raw(t token) {
	if !o.dirty && t.start == o.next {
		o.next += len(t.raw)
		return
	}
	o.write(t.raw)
}

// skip notes that a token of the source is left out.
func (o *output) skip() { o.materialize() }

// write writes b, copying the document so far on the first change.
func (o *output) write(b []byte) {
	o.materialize()
	o.buf = append(o.buf, b...)
}

func (o *output) materialize() {
	if o.dirty {
		return
	}
	o.buf = make([]byte, 0, len(o.src)-o.origin+len(o.src)/16+64)
	o.buf = append(o.buf, o.src[o.origin:o.next]...)
	o.dirty = true
}

func (o *output) len() int {
	if o.dirty {
		return len(o.buf)
	}
	return o.next - o.origin
}

// truncate takes back what was written after the first n bytes.
func (o *output) truncate(n int) {
	if o.dirty {
		o.buf = o.buf[:n]
		return
	}
	o.next = o.origin + n
}

func (o *output) bytes() []byte {
	if o.dirty {
		return o.buf
	}
	return o.src[o.origin:o.next]
}

func xmlEscape(w io.Writer, b []byte) error { return xml.EscapeText(w, b) }

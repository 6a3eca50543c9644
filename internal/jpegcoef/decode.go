package jpegcoef

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
)

// Decode reads a JPEG's coefficients. A JPEG it does not handle is an
// *UnsupportedError; broken bytes are a *FormatError.
func Decode(data []byte) (*Image, error) {
	return DecodeLimit(data, 2*3*maxPixels)
}

// DecodeLimit is Decode refusing with a *LimitError, before allocating
// them, coefficients that would take more than maxBytes: two bytes a
// sample, every plane padded to whole blocks (or MCUs). A 4:2:0 JPEG
// takes 3 bytes a pixel, a 4:4:4 one 6, a grey one 2: twice what
// decoding it to pixels takes.
func DecodeLimit(data []byte, maxBytes int) (*Image, error) {
	p := parser{data: data}
	if err := p.headers(); err != nil {
		return nil, err
	}
	if n := 2 * 64 * p.img.blockCount(); n > maxBytes {
		return nil, &LimitError{Bytes: n, Limit: maxBytes}
	}
	if err := p.scan(false); err != nil {
		return nil, err
	}
	return &p.img, nil
}

// Check reports whether data is a whole JPEG, allocating nothing in
// proportion to its size: for a JPEG Decode reads, its scan decodes to
// the last block and an end-of-image marker follows; for others, the
// header segments are sound and an end-of-image marker follows the
// first scan's header. Any error is a *FormatError.
func Check(data []byte) error {
	p := parser{data: data}
	err := p.headers()
	if err == nil {
		err = p.scan(true)
	}
	if u := (*UnsupportedError)(nil); errors.As(err, &u) {
		if bytes.LastIndex(data, eoi) < p.pos {
			return &FormatError{"no end of image"}
		}
		return nil
	}
	return err
}

var eoi = []byte{0xFF, 0xD9}

// maxPixels bounds what Decode allocates whatever the header claims; the
// caller is expected to bound it far lower.
const maxPixels = 1 << 26

// parser walks a JPEG's segments.
type parser struct {
	data          []byte
	pos           int // the next marker, then the scan header
	img           Image
	width, height int
	progressive   bool
	metadata      int
	unsupported   string
	restart       int
	dc, ac        [4]*huffDecoder
	defined       [4]bool // quantisation tables seen
}

// headers reads the segments up to the first scan; p.pos is then at the
// scan header's length.
func (p *parser) headers() error {
	d := p.data
	if len(d) < 4 || d[0] != 0xFF || d[1] != 0xD8 {
		return &FormatError{"no start of image"}
	}
	p.pos = 2
	for {
		// Bytes where a marker is due are skipped, as libjpeg and
		// image/jpeg skip them.
		for p.pos < len(d) && d[p.pos] != 0xFF {
			p.pos++
		}
		for p.pos < len(d) && d[p.pos] == 0xFF {
			p.pos++ // fill bytes
		}
		if p.pos+2 >= len(d) {
			return errShort
		}
		marker := d[p.pos]
		p.pos++
		if marker == 0x01 || marker >= 0xD0 && marker <= 0xD8 {
			continue // no length
		}
		n := int(d[p.pos])<<8 | int(d[p.pos+1])
		if n < 2 || p.pos+n > len(d) {
			return errShort
		}
		if marker == 0xDA {
			if err := p.scanTables(d[p.pos+2 : p.pos+n]); err != nil {
				return err
			}
			if p.unsupported != "" {
				return &UnsupportedError{p.unsupported}
			}
			if p.width == 0 {
				return &FormatError{"scan before frame header"}
			}
			return nil
		}
		if err := p.segment(marker, d[p.pos-2:p.pos+n]); err != nil {
			return err
		}
		p.pos += n
	}
}

// segment reads one header segment, seg being its marker, length and body.
func (p *parser) segment(marker byte, seg []byte) error {
	body := seg[4:]
	switch {
	case marker == 0xC0 || marker == 0xC1:
		return p.frame(body)
	case marker == 0xC2:
		p.progressive = true
		p.unsupport("progressive")
		return p.frame(body)
	case marker >= 0xC3 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC:
		p.unsupport("lossless or arithmetic coding")
		return p.frame(body)
	case marker == 0xCC:
		p.unsupport("arithmetic coding")
	case marker == 0xC4:
		return p.huffman(body)
	case marker == 0xDB:
		return p.quant(body)
	case marker == 0xDD:
		if len(body) < 2 {
			return errShort
		}
		p.restart = int(body[0])<<8 | int(body[1])
	case marker == 0xD9:
		return &FormatError{"end of image before any scan"}
	case marker >= 0xE0 && marker <= 0xEF || marker == 0xFE:
		p.metadata += len(seg)
		if kept(marker, body) {
			p.img.Keep = append(p.img.Keep, slices.Clone(seg))
		}
	}
	return nil
}

// kept reports whether an APPn segment says how to read colours.
func kept(marker byte, body []byte) bool {
	switch marker {
	case 0xE0:
		return len(body) >= 5 && string(body[:5]) == "JFIF\x00"
	case 0xE2:
		return len(body) >= 12 && string(body[:12]) == "ICC_PROFILE\x00"
	case 0xEE:
		return len(body) >= 5 && string(body[:5]) == "Adobe"
	}
	return false
}

func (p *parser) unsupport(reason string) {
	if p.unsupported == "" {
		p.unsupported = reason
	}
}

// frame reads a start-of-frame segment.
func (p *parser) frame(b []byte) error {
	if p.width != 0 {
		return &FormatError{"two frame headers"}
	}
	if len(b) < 6 {
		return errShort
	}
	if b[0] != 8 {
		p.unsupport(fmt.Sprintf("%d-bit samples", b[0]))
	}
	p.height, p.width = int(b[1])<<8|int(b[2]), int(b[3])<<8|int(b[4])
	nc := int(b[5])
	if p.width == 0 {
		return &FormatError{"zero width"}
	}
	if len(b) < 6+3*nc {
		return errShort
	}
	switch {
	case p.height == 0:
		p.unsupport("height given after the scan")
	case nc != 1 && nc != 3:
		p.unsupport(fmt.Sprintf("%d components", nc))
	case p.width*p.height > maxPixels:
		p.unsupport("too many pixels")
	}
	p.img.Width, p.img.Height = p.width, p.height
	for i := range nc {
		c := b[6+3*i:]
		comp := Component{ID: c[0], H: int(c[1] >> 4), V: int(c[1] & 15), Table: int(c[2])}
		if comp.H < 1 || comp.H > 4 || comp.V < 1 || comp.V > 4 || comp.Table > 3 {
			return &FormatError{"bad component"}
		}
		p.img.hmax, p.img.vmax = max(p.img.hmax, comp.H), max(p.img.vmax, comp.V)
		p.img.Components = append(p.img.Components, comp)
	}
	return nil
}

// scanTables checks that every component the scan header b codes has
// its quantisation table defined: libjpeg refuses a JPEG that uses an
// undefined one, image/jpeg takes every step as zero, and requantising
// it would blank the plane.
func (p *parser) scanTables(b []byte) error {
	if len(b) < 1 || len(b) < 1+2*int(b[0]) {
		return errShort
	}
	for i := range int(b[0]) {
		for _, c := range p.img.Components {
			if c.ID == b[1+2*i] && !p.defined[c.Table] {
				return formatErrorf("component %d uses quantisation table %d, never defined", c.ID, c.Table)
			}
		}
	}
	return nil
}

// quant reads a quantisation table segment.
func (p *parser) quant(b []byte) error {
	for len(b) > 0 {
		prec, id := b[0]>>4, int(b[0]&15)
		if id > 3 || prec > 1 {
			return &FormatError{"bad quantisation table"}
		}
		n := 64 << prec
		if len(b) < 1+n {
			return errShort
		}
		p.defined[id] = true
		for k := range 64 {
			if prec == 0 {
				p.img.Quant[id][k] = uint16(b[1+k])
			} else {
				p.img.Quant[id][k] = uint16(b[1+2*k])<<8 | uint16(b[2+2*k])
			}
			if p.img.Quant[id][k] == 0 {
				return &FormatError{"zero quantisation step"}
			}
		}
		b = b[1+n:]
	}
	return nil
}

// huffman reads a Huffman table segment.
func (p *parser) huffman(b []byte) error {
	for len(b) > 0 {
		if len(b) < 17 {
			return errShort
		}
		class, id := b[0]>>4, int(b[0]&15)
		if class > 1 || id > 3 {
			return &FormatError{"bad Huffman table"}
		}
		var counts [17]int
		total := 0
		for l := 1; l <= 16; l++ {
			counts[l] = int(b[l])
			total += counts[l]
		}
		if total > 256 || len(b) < 17+total {
			return &FormatError{"bad Huffman table"}
		}
		h, err := newHuffDecoder(counts, b[17:17+total])
		if err != nil {
			return err
		}
		if class == 0 {
			p.dc[id] = h
		} else {
			p.ac[id] = h
		}
		b = b[17+total:]
	}
	return nil
}

package jpegcoef

import "bytes"

// scan reads the scan header at p.pos and decodes the entropy-coded
// data after it into p.img's components; when check is set, it only
// decodes it, one block at a time, and wants an end-of-image marker
// after it.
func (p *parser) scan(check bool) error {
	m := &p.img
	var scratch [64]int16
	into := func(int, blockRef) []int16 { return scratch[:] } // values a check does not look at
	if !check {
		into = m.blockOf
	}
	end, err := p.entropy(!check, into, nil)
	if err != nil {
		return err
	}
	if check && bytes.LastIndex(p.data[end:], eoi) < 0 {
		return &FormatError{"no end of image after the scan"}
	}
	return nil
}

// entropy reads the scan header at p.pos and decodes the entropy-coded
// data after it: block r of MCU i into into(i, r), which must be zero;
// after each row of MCUs, rowDone (when not nil) is called with the
// row's index. alloc is passed to layout. It returns the offset where
// the coded data ends.
func (p *parser) entropy(alloc bool, into func(i int, r blockRef) []int16, rowDone func(row int)) (int, error) {
	d := p.data
	n := int(d[p.pos])<<8 | int(d[p.pos+1])
	b := d[p.pos+2 : p.pos+n]
	m := &p.img
	if len(b) < 1 || len(b) < 1+2*int(b[0])+3 {
		return 0, errShort
	}
	ns := int(b[0])
	if ns != len(m.Components) {
		return 0, &UnsupportedError{"components in separate scans"}
	}
	dcs, acs := make([]*huffDecoder, ns), make([]*huffDecoder, ns)
	for i := range ns {
		id, tables := b[1+2*i], b[2+2*i]
		if m.Components[i].ID != id {
			return 0, &UnsupportedError{"scan components out of frame order"}
		}
		dcs[i], acs[i] = p.dc[tables>>4&3], p.ac[tables&3]
		if dcs[i] == nil || acs[i] == nil {
			return 0, &FormatError{"scan uses a missing Huffman table"}
		}
	}
	if ss, se, a := b[1+2*ns], b[2+2*ns], b[3+2*ns]; ss != 0 || se != 63 || a != 0 {
		return 0, &FormatError{"sequential scan with spectral selection"}
	}
	// Every block takes two bits at least: a file far too short for the
	// blocks its header claims is refused before they are allocated.
	if blocks := m.blockCount(); blocks > 4*len(d) {
		return 0, errShort
	}
	mcus, shape, across := m.layout(alloc), m.mcuShape(), m.mcusPerRow()
	br := bitReader{data: d, pos: p.pos + n}
	var preds [3]int32
	for i := range mcus {
		if p.restart > 0 && i > 0 && i%p.restart == 0 {
			if err := br.restart(); err != nil {
				return 0, err
			}
			preds = [3]int32{}
		}
		if br.truncated() {
			return 0, errShort
		}
		for _, r := range shape {
			if err := br.block(into(i, r), dcs[r.c], acs[r.c], &preds[r.c]); err != nil {
				return 0, err
			}
		}
		if rowDone != nil && (i+1)%across == 0 {
			rowDone(i / across)
		}
	}
	if br.truncated() {
		return 0, errShort
	}
	return br.pos, nil
}

// mcusPerRow is the number of MCUs in a row of the scan.
func (m *Image) mcusPerRow() int {
	if len(m.Components) == 1 {
		return (m.Width + 7) / 8
	}
	return m.mcusAcross()
}

// blockCount is the number of blocks the scan codes.
func (m *Image) blockCount() int {
	if len(m.Components) == 1 {
		return ((m.Width + 7) / 8) * ((m.Height + 7) / 8)
	}
	n := 0
	for _, c := range m.Components {
		n += c.H * c.V
	}
	return n * m.mcusAcross() * ((m.Height + 8*m.vmax - 1) / (8 * m.vmax))
}

// layout sizes the components' block planes, allocating them when alloc
// is set, and returns the MCU count.
func (m *Image) layout(alloc bool) int {
	if len(m.Components) == 1 {
		// A lone component is not interleaved: its blocks are the MCUs,
		// whatever its sampling factors say.
		c := &m.Components[0]
		c.BlocksW, c.BlocksH = (m.Width+7)/8, (m.Height+7)/8
		if alloc {
			c.Coef = make([]int16, c.BlocksW*c.BlocksH*64)
		}
		return c.BlocksW * c.BlocksH
	}
	mx, my := m.mcusAcross(), (m.Height+8*m.vmax-1)/(8*m.vmax)
	for i := range m.Components {
		c := &m.Components[i]
		c.BlocksW, c.BlocksH = mx*c.H, my*c.V
		if alloc {
			c.Coef = make([]int16, c.BlocksW*c.BlocksH*64)
		}
	}
	return mx * my
}

func (m *Image) mcusAcross() int { return (m.Width + 8*m.hmax - 1) / (8 * m.hmax) }

// blockRef is one block of an MCU: its component and offset.
type blockRef struct{ c, dx, dy int }

// mcuShape lists an MCU's blocks in the order they are coded.
func (m *Image) mcuShape() []blockRef {
	if len(m.Components) == 1 {
		return []blockRef{{}}
	}
	var refs []blockRef
	for ci, c := range m.Components {
		for v := range c.V {
			for h := range c.H {
				refs = append(refs, blockRef{ci, h, v})
			}
		}
	}
	return refs
}

// blockOf returns block r of MCU i.
func (m *Image) blockOf(i int, r blockRef) []int16 {
	c := &m.Components[r.c]
	if len(m.Components) == 1 {
		return c.Block(i%c.BlocksW, i/c.BlocksW)
	}
	mx, my := i%m.mcusAcross(), i/m.mcusAcross()
	return c.Block(mx*c.H+r.dx, my*c.V+r.dy)
}

// huffDecoder decodes one Huffman table: codes up to lookupBits long by
// one lookup, longer ones by length (JPEG's Annex F).
type huffDecoder struct {
	lookup  [1 << lookupBits]uint16 // length<<8 | symbol; 0 for a longer code
	maxcode [17]int32               // largest code of each length, -1 if none
	mincode [17]int32
	valptr  [17]int32
	vals    []byte
}

const lookupBits = 9

func newHuffDecoder(counts [17]int, vals []byte) (*huffDecoder, error) {
	h := &huffDecoder{vals: vals}
	code, k := int32(0), int32(0)
	for l := 1; l <= 16; l++ {
		h.valptr[l], h.mincode[l] = k, code
		if code+int32(counts[l]) > 1<<l {
			return nil, &FormatError{"over-subscribed Huffman table"}
		}
		for range counts[l] {
			if l <= lookupBits {
				shift := lookupBits - l
				for s := range int32(1) << shift {
					h.lookup[code<<shift|s] = uint16(l)<<8 | uint16(vals[k])
				}
			}
			code++
			k++
		}
		h.maxcode[l] = code - 1
		if counts[l] == 0 {
			h.maxcode[l] = -1
		}
		code <<= 1
	}
	return h, nil
}

// bitReader reads the entropy-coded data: bytes unstuffed (0xFF 0x00 is
// 0xFF), stopping at a marker, past which it reads zeros.
type bitReader struct {
	data   []byte
	pos    int
	acc    uint64 // the next bits, most significant first
	n      uint   // bits in acc
	pad    uint   // zero bytes read past a marker or the end
	marker bool
}

func (b *bitReader) fill() {
	for b.n <= 56 {
		var c byte
		switch {
		case b.marker || b.pos >= len(b.data):
			b.pad++
		case b.data[b.pos] != 0xFF:
			c = b.data[b.pos]
			b.pos++
		case b.pos+1 < len(b.data) && b.data[b.pos+1] == 0:
			c = 0xFF
			b.pos += 2
		default:
			b.marker = true
			b.pad++
		}
		b.acc |= uint64(c) << (56 - b.n)
		b.n += 8
	}
}

// truncated reports whether decoding used bits that were not there.
func (b *bitReader) truncated() bool { return b.n < 8*b.pad }

// restart skips to the restart marker ending an interval.
func (b *bitReader) restart() error {
	if b.truncated() {
		return errShort
	}
	b.acc, b.n, b.pad, b.marker = 0, 0, 0, false
	for ; b.pos+1 < len(b.data); b.pos++ {
		if b.data[b.pos] == 0xFF && b.data[b.pos+1] >= 0xD0 && b.data[b.pos+1] <= 0xD7 {
			b.pos += 2
			return nil
		}
	}
	return &FormatError{"missing restart marker"}
}

func (b *bitReader) decode(h *huffDecoder) (byte, error) {
	if b.n < 16 {
		b.fill()
	}
	if e := h.lookup[b.acc>>(64-lookupBits)]; e != 0 {
		b.acc <<= e >> 8
		b.n -= uint(e >> 8)
		return byte(e), nil
	}
	for l := lookupBits + 1; l <= 16; l++ {
		code := int32(b.acc >> (64 - l))
		if code <= h.maxcode[l] {
			i := h.valptr[l] + code - h.mincode[l]
			if int(i) >= len(h.vals) {
				break
			}
			b.acc <<= l
			b.n -= uint(l)
			return h.vals[i], nil
		}
	}
	return 0, &FormatError{"bad Huffman code"}
}

// receive reads s bits as a signed value (JPEG's EXTEND).
func (b *bitReader) receive(s uint) int32 {
	if b.n < s {
		b.fill()
	}
	v := int32(b.acc >> (64 - s))
	b.acc <<= s
	b.n -= s
	if v < 1<<(s-1) {
		v += -1<<s + 1
	}
	return v
}

// block decodes one block's coefficients into blk (zigzag order).
func (b *bitReader) block(blk []int16, dc, ac *huffDecoder, pred *int32) error {
	s, err := b.decode(dc)
	if err != nil {
		return err
	}
	if s > 11 {
		return &FormatError{"DC difference out of range"}
	}
	if s > 0 {
		*pred += b.receive(uint(s))
	}
	blk[0] = int16(*pred)
	for k := 1; k < 64; {
		rs, err := b.decode(ac)
		if err != nil {
			return err
		}
		r, s := int(rs>>4), uint(rs&15)
		if s == 0 {
			if r != 15 {
				return nil // end of block
			}
			k += 16
			continue
		}
		k += r
		if k > 63 || s > 10 {
			return &FormatError{"AC coefficient out of range"}
		}
		blk[k] = int16(b.receive(s))
		k++
	}
	return nil
}

package jpegcoef

import (
	"io"
	"math/bits"
)

// Encode writes m as a sequential JPEG in one scan, with Huffman tables
// made for its coefficients (as jpegtran -optimize does): baseline unless
// a quantisation step exceeds 255, without restart markers, with the
// segments of m.Keep. Components' planes must be laid out as Decode lays
// them out: whole MCUs when interleaved. The output goes to w in chunks
// of about flushSize bytes.
func (m *Image) Encode(w io.Writer) error {
	shape, mcus, err := m.encodeShape()
	if err != nil {
		return err
	}
	var freq [2][2][257]int
	m.countSymbols(&freq, shape, mcus)
	var tw tableWriter
	for class := range 2 {
		for t := range min(len(m.Components), 2) {
			tw.tables[class][t] = optimalTable(&freq[class][t])
		}
	}
	return m.write(w, &tw, shape, mcus)
}

// encodeShape checks that m can be written and returns its MCUs' shape
// and count.
func (m *Image) encodeShape() ([]blockRef, int, error) {
	if len(m.Components) != 1 && len(m.Components) != 3 {
		return nil, 0, &UnsupportedError{"not one or three components"}
	}
	m.hmax, m.vmax = 0, 0
	for _, c := range m.Components {
		m.hmax, m.vmax = max(m.hmax, c.H), max(m.vmax, c.V)
	}
	return m.mcuShape(), m.mcuCount(), nil
}

// write writes m to w with tw's tables.
func (m *Image) write(w io.Writer, tw *tableWriter, shape []blockRef, mcus int) error {
	tw.w = w
	tw.out = m.header(make([]byte, 0, flushSize+64), tw)
	m.entropy(tw, shape, mcus)
	tw.flush()
	tw.out = append(tw.out, 0xFF, 0xD9)
	tw.drain()
	return tw.err
}

// flushSize is how many bytes Encode gathers before writing them.
const flushSize = 32 << 10

// mcuCount is the number of MCUs of m's planes as laid out.
func (m *Image) mcuCount() int {
	if len(m.Components) == 1 {
		return m.Components[0].BlocksW * m.Components[0].BlocksH
	}
	return m.mcusAcross() * m.Components[0].BlocksH / m.Components[0].V
}

// countSymbols counts the Huffman symbols of every block, by class (0
// DC, 1 AC) and table.
func (m *Image) countSymbols(freq *[2][2][257]int, shape []blockRef, mcus int) {
	var preds [3]int32
	for i := range mcus {
		for _, r := range shape {
			blk, t := m.blockOf(i, r), min(r.c, 1)
			diff := int32(blk[0]) - preds[r.c]
			preds[r.c] = int32(blk[0])
			s, _ := magnitude(diff)
			freq[0][t][s]++
			ac := &freq[1][t]
			run := 0
			for _, c := range blk[1:] {
				if c == 0 {
					run++
					continue
				}
				for ; run > 15; run -= 16 {
					ac[0xF0]++
				}
				s, _ := magnitude(int32(c))
				ac[run<<4|int(s)]++
				run = 0
			}
			if run > 0 {
				ac[0]++
			}
		}
	}
}

// entropy writes every block in scan order.
func (m *Image) entropy(tw *tableWriter, shape []blockRef, mcus int) {
	var preds [3]int32
	for i := range mcus {
		for _, r := range shape {
			t := min(r.c, 1)
			tw.block(m.blockOf(i, r), &tw.tables[0][t], &tw.tables[1][t], &preds[r.c])
		}
		if len(tw.out) >= flushSize {
			tw.drain()
		}
	}
}

// block writes one block: each symbol's code and the value's bits after
// it in one go.
func (t *tableWriter) block(blk []int16, dc, ac *huffTable, pred *int32) {
	diff := int32(blk[0]) - *pred
	*pred = int32(blk[0])
	s, v := magnitude(diff)
	t.bits(uint32(dc.code[s])<<s|v, uint(dc.size[s])+s)
	run := 0
	for _, c := range blk[1:] {
		if c == 0 {
			run++
			continue
		}
		for ; run > 15; run -= 16 {
			t.bits(uint32(ac.code[0xF0]), uint(ac.size[0xF0]))
		}
		s, v := magnitude(int32(c))
		sym := run<<4 | int(s)
		t.bits(uint32(ac.code[sym])<<s|v, uint(ac.size[sym])+s)
		run = 0
	}
	if run > 0 {
		t.bits(uint32(ac.code[0]), uint(ac.size[0]))
	}
}

// magnitude is a value's size category and its bits as JPEG codes them.
func magnitude(v int32) (uint, uint32) {
	a, b := v, v
	if v < 0 {
		a, b = -v, v-1
	}
	s := uint(bits.Len32(uint32(a)))
	return s, uint32(b) & (1<<s - 1)
}

// huffTable is a Huffman table as written (counts by length, symbols) and
// as used (code and length by symbol).
type huffTable struct {
	counts [17]byte
	vals   []byte
	code   [256]uint16
	size   [256]uint8
}

// tableWriter writes the coded stream with its tables, stuffing 0xFF.
type tableWriter struct {
	tables [2][2]huffTable
	out    []byte // bytes not yet written to w
	w      io.Writer
	err    error // the first write's error
	acc    uint64
	n      uint
}

// drain writes out what has been gathered.
func (t *tableWriter) drain() {
	if t.err == nil {
		_, t.err = t.w.Write(t.out)
	}
	t.out = t.out[:0]
}

// bits appends the n low bits of v (n ≤ 27: a code and a value).
func (t *tableWriter) bits(v uint32, n uint) {
	t.acc = t.acc<<n | uint64(v)
	t.n += n
	if t.n < 32 {
		return
	}
	for t.n >= 8 {
		t.n -= 8
		c := byte(t.acc >> t.n)
		t.out = append(t.out, c)
		if c == 0xFF {
			t.out = append(t.out, 0)
		}
	}
}

// flush pads the last byte with one bits.
func (t *tableWriter) flush() {
	if pad := (8 - t.n%8) % 8; pad > 0 {
		t.acc = t.acc<<pad | (1<<pad - 1)
		t.n += pad
	}
	for t.n >= 8 {
		t.n -= 8
		c := byte(t.acc >> t.n)
		t.out = append(t.out, c)
		if c == 0xFF {
			t.out = append(t.out, 0)
		}
	}
}

// optimalTable builds a length-limited Huffman table for freq (symbol
// 256 reserved so that no code is all ones), as JPEG's Annex K.2 does.
func optimalTable(freq *[257]int) huffTable {
	f := *freq
	f[256] = 1
	for {
		if sizes, ok := codeSizes(f); ok {
			return tableFromSizes(sizes)
		}
		for i := range f { // too deep: flatten the counts and retry
			if f[i] > 0 {
				f[i] = (f[i] + 1) / 2
			}
		}
	}
}

const maxCodeSize = 32

// codeSizes returns each symbol's Huffman code length; false when a code
// would be longer than maxCodeSize.
func codeSizes(freq [257]int) ([257]int, bool) {
	var size [257]int
	var others [257]int
	for i := range others {
		others[i] = -1
	}
	for {
		c1, c2 := -1, -1
		for i := range freq { // c1: least frequent, the last on ties
			if freq[i] > 0 && (c1 < 0 || freq[i] <= freq[c1]) {
				c1 = i
			}
		}
		for i := range freq {
			if freq[i] > 0 && i != c1 && (c2 < 0 || freq[i] <= freq[c2]) {
				c2 = i
			}
		}
		if c2 < 0 {
			break
		}
		freq[c1] += freq[c2]
		freq[c2] = 0
		for size[c1]++; others[c1] >= 0; size[c1]++ {
			c1 = others[c1]
		}
		others[c1] = c2
		for size[c2]++; others[c2] >= 0; size[c2]++ {
			c2 = others[c2]
		}
	}
	for _, s := range size {
		if s > maxCodeSize {
			return size, false
		}
	}
	return size, true
}

// tableFromSizes limits the code lengths to 16 bits, drops the reserved
// symbol and assigns canonical codes.
func tableFromSizes(size [257]int) huffTable {
	var n [maxCodeSize + 1]int
	for _, s := range size {
		if s > 0 {
			n[s]++
		}
	}
	for i := maxCodeSize; i > 16; i-- {
		for n[i] > 0 {
			j := i - 2
			for n[j] == 0 {
				j--
			}
			n[i] -= 2
			n[i-1]++
			n[j+1] += 2
			n[j]--
		}
	}
	i := 16
	for n[i] == 0 {
		i--
	}
	n[i]-- // the reserved symbol's code, the longest
	var h huffTable
	for l := 1; l <= 16; l++ {
		h.counts[l] = byte(n[l])
	}
	for l := 1; l <= maxCodeSize; l++ {
		for s := range 256 {
			if size[s] == l {
				h.vals = append(h.vals, byte(s))
			}
		}
	}
	h.assignCodes()
	return h
}

// header appends the segments before the entropy-coded data.
func (m *Image) header(out []byte, tw *tableWriter) []byte {
	out = append(out, 0xFF, 0xD8)
	for _, seg := range m.Keep {
		out = append(out, seg...)
	}
	extended := false
	written := [4]bool{}
	for _, c := range m.Components {
		if written[c.Table] {
			continue
		}
		written[c.Table] = true
		prec := byte(0)
		for _, v := range m.Quant[c.Table] {
			if v > 255 {
				prec, extended = 1, true
			}
		}
		out = append(out, 0xFF, 0xDB)
		out = be16(out, 2+1+64<<prec)
		out = append(out, prec<<4|byte(c.Table))
		for _, v := range m.Quant[c.Table] {
			if prec == 1 {
				out = append(out, byte(v>>8))
			}
			out = append(out, byte(v))
		}
	}
	sof := byte(0xC0)
	if extended {
		sof = 0xC1
	}
	out = append(out, 0xFF, sof)
	out = be16(out, 8+3*len(m.Components))
	out = append(out, 8)
	out = be16(out, m.Height)
	out = be16(out, m.Width)
	out = append(out, byte(len(m.Components)))
	for _, c := range m.Components {
		out = append(out, c.ID, byte(c.H<<4|c.V), byte(c.Table))
	}
	for t := range min(len(m.Components), 2) {
		for class := range 2 {
			h := &tw.tables[class][t]
			out = append(out, 0xFF, 0xC4)
			out = be16(out, 2+1+16+len(h.vals))
			out = append(out, byte(class<<4|t))
			out = append(out, h.counts[1:]...)
			out = append(out, h.vals...)
		}
	}
	out = append(out, 0xFF, 0xDA)
	out = be16(out, 6+2*len(m.Components))
	out = append(out, byte(len(m.Components)))
	for i, c := range m.Components {
		t := byte(min(i, 1))
		out = append(out, c.ID, t<<4|t)
	}
	return append(out, 0, 63, 0)
}

func be16(out []byte, v int) []byte { return append(out, byte(v>>8), byte(v)) }

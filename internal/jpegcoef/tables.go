package jpegcoef

import "io"

// Tables are Huffman tables made once and used to write many images
// (DC and AC, for luma and chroma). Every symbol a sequential 8-bit JPEG
// can code has a code in them, so they write any image whose coefficients
// are in that range, not only the image they were made for.
type Tables struct {
	h          [2][2]huffTable
	components int
}

// CompleteTables returns Tables made for m's coefficients, as Encode
// makes them, in which each symbol m does not use still has a code (one
// of the longest): images like m (a crop of it, its coefficients moved a
// little) are written by EncodeWith almost as compactly as by Encode, in
// one pass over their coefficients instead of two.
func (m *Image) CompleteTables() (*Tables, error) {
	shape, mcus, err := m.encodeShape()
	if err != nil {
		return nil, err
	}
	var freq [2][2][257]int
	m.countSymbols(&freq, shape, mcus)
	t := &Tables{components: len(m.Components)}
	for tab := range min(len(m.Components), 2) {
		for s := range 12 { // DC: size categories 0–11
			freq[0][tab][s] = max(freq[0][tab][s], 1)
		}
		ac := &freq[1][tab]
		ac[0x00], ac[0xF0] = max(ac[0x00], 1), max(ac[0xF0], 1) // end of block, 16 zeros
		for run := range 16 {
			for s := 1; s <= 10; s++ { // AC: a run of zeros, size 1–10
				ac[run<<4|s] = max(ac[run<<4|s], 1)
			}
		}
		for class := range 2 {
			t.h[class][tab] = optimalTable(&freq[class][tab])
		}
	}
	return t, nil
}

// EncodeWith writes m as Encode does, but with the Huffman tables t
// instead of tables made for m. m must not have more components than the
// image t was made for.
func (m *Image) EncodeWith(w io.Writer, t *Tables) error {
	shape, mcus, err := m.encodeShape()
	if err != nil {
		return err
	}
	if len(m.Components) > t.components {
		return &UnsupportedError{"more components than the Huffman tables were made for"}
	}
	tw := tableWriter{tables: t.h}
	return m.write(w, &tw, shape, mcus)
}

// Shuffled returns tables that give each symbol a code as long as t
// gives it but, where several symbols have codes of one length, not
// necessarily the same code: shuffle (rand.Shuffle, say) orders each
// length's symbols. An image written with them takes as many coded bits
// as with t (its size differs only by the zero bytes stuffed after 0xFF
// bytes), and its bits differ from those of the same coefficients
// written with t.
func (t *Tables) Shuffled(shuffle func(n int, swap func(i, j int))) *Tables {
	s := *t
	for class := range 2 {
		for tab := range 2 {
			h := &s.h[class][tab]
			h.vals = append([]byte(nil), h.vals...)
			k := 0
			for l := 1; l <= 16; l++ {
				same := h.vals[k : k+int(h.counts[l])]
				shuffle(len(same), func(i, j int) { same[i], same[j] = same[j], same[i] })
				k += len(same)
			}
			h.assignCodes()
		}
	}
	return &s
}

// assignCodes gives h's symbols their canonical codes: by length, in the
// order of h.vals.
func (h *huffTable) assignCodes() {
	code, k := uint16(0), 0
	for l := 1; l <= 16; l++ {
		for range h.counts[l] {
			h.code[h.vals[k]], h.size[h.vals[k]] = code, uint8(l)
			code++
			k++
		}
		code <<= 1
	}
}

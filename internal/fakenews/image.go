package fakenews

import (
	"bytes"
	"hash/fnv"
	"image"
	"image/png"
	"net/http"
	"strings"
)

// Picture size, the usual 16:9 lead image of the real site.
const picW, picH = 600, 337

// servePic serves "/pic/<id>.png" for known articles.
func (s *Site) servePic(w http.ResponseWriter, r *http.Request) {
	id, ok := strings.CutSuffix(r.PathValue("file"), ".png")
	if _, found := s.lookup(id); !ok || !found {
		http.NotFound(w, r)
		return
	}
	b, err := s.pic(id)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "max-age=86400")
	w.Write(b)
}

// pic returns the cached PNG for id, generating it on first use.
func (s *Site) pic(id string) ([]byte, error) {
	s.picMu.Lock()
	defer s.picMu.Unlock()
	if b, ok := s.pics[id]; ok {
		return b, nil
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, gradient(id)); err != nil {
		return nil, err
	}
	s.pics[id] = buf.Bytes()
	return s.pics[id], nil
}

// gradient draws a diagonal gradient from a colour derived from id to its
// complement; the same id always gives the same image.
func gradient(id string) *image.RGBA {
	h := fnv.New32a()
	h.Write([]byte(id))
	v := h.Sum32()
	c0 := [3]int{int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)}
	img := image.NewRGBA(image.Rect(0, 0, picW, picH))
	span := picW + picH - 2
	for y := 0; y < picH; y++ {
		row := img.Pix[y*img.Stride:]
		for x := 0; x < picW; x++ {
			t := x + y
			for k := 0; k < 3; k++ {
				row[4*x+k] = uint8((c0[k]*(span-t) + (255-c0[k])*t) / span)
			}
			row[4*x+3] = 0xff
		}
	}
	return img
}

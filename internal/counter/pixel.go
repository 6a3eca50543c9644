package counter

import (
	"net/http"
	"strconv"
)

// pixel is a 1×1 transparent GIF.
var pixel = []byte{
	'G', 'I', 'F', '8', '9', 'a', 1, 0, 1, 0, 0x80, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff,
	'!', 0xf9, 4, 1, 0, 0, 0, 0,
	',', 0, 0, 0, 0, 1, 0, 1, 0, 0,
	2, 2, 'D', 1, 0, ';',
}

var pixelLength = strconv.Itoa(len(pixel))

// writePixel answers with the pixel and forbids every cache from keeping it,
// so each view of a page reaches the counter.
func writePixel(w http.ResponseWriter) {
	h := w.Header()
	h["Content-Type"] = []string{"image/gif"}
	h["Content-Length"] = []string{pixelLength}
	h["Cache-Control"] = []string{"no-cache, no-store, must-revalidate, max-age=0"}
	h["Pragma"] = []string{"no-cache"}
	h["Expires"] = []string{"Thu, 01 Jan 1970 00:00:00 GMT"}
	w.Write(pixel)
}

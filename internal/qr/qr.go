// Package qr draws the QR code PNG that sits beside every page, so a reader
// can pass a page on by scanning a phone screen.
package qr

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// Size is the PNG's width and height in pixels.
const Size = 256

// PNG encodes content (the page's public URL) as a QR code PNG.
func PNG(content string) ([]byte, error) {
	png, err := qrcode.Encode(content, qrcode.Medium, Size)
	if err != nil {
		return nil, fmt.Errorf("qr code for %q: %w", content, err)
	}
	return png, nil
}

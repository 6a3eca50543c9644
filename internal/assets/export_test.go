package assets

// Helpers only the tests use: string-in, string-out forms of the node
// functions the pipeline calls.

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"strings"

	"golang.org/x/net/html"
)

// Localize stores every image of body (HTML as extract returns it). A
// failing image is recorded in Result.Failed; the error return is for a
// body that does not parse or a tree that cannot be written.
func (l *Localizer) Localize(ctx context.Context, body string) (*Result, error) {
	nodes, err := Parse(body)
	if err != nil {
		return nil, err
	}
	return l.LocalizeNodes(ctx, nodes)
}

// Rewrite points every localised image of body at urlFor(asset path) and
// drops srcset candidates that were not localised (a <source> left with
// none is removed). A body without localised images is returned as is.
func Rewrite(body string, local map[string]string, urlFor func(asset string) string) (string, error) {
	if len(local) == 0 {
		return body, nil
	}
	nodes, err := Parse(body)
	if err != nil {
		return "", err
	}
	RewriteNodes(nodes, local, urlFor)
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return "", fmt.Errorf("render localised body: %w", err)
		}
	}
	return b.String(), nil
}

// Fit is FitSizes over HTML: width and height attributes made true to the
// images stored scaled down.
func Fit(body string, sizes map[string]Size) (string, error) {
	nodes, err := Parse(body)
	if err != nil {
		return "", err
	}
	FitSizes(nodes, sizes)
	var b strings.Builder
	for _, n := range nodes {
		if err := html.Render(&b, n); err != nil {
			return "", err
		}
	}
	return b.String(), nil
}

// ApplyViaPixels is Apply for a JPEG or PNG that takes the way through
// pixels (image/jpeg or image/png decode, scale, encode) whatever the
// image, as Apply did for every wide JPEG before it scaled them in the
// DCT domain: the reference the DCT path is measured against.
func (o Shrink) ApplyViaPixels(data []byte) Shrunk {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return Shrunk{Data: data, Warning: err.Error()}
	}
	out := Shrunk{Data: data, Width: cfg.Width, Height: cfg.Height, NewWidth: cfg.Width, NewHeight: cfg.Height}
	o.viaPixels(data, "image/"+format, &out)
	return out
}

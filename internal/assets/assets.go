// Package assets localises an article's images: it downloads each one
// through the fetch client, keeps only real images (JPEG, PNG, GIF, WebP,
// sniffed from the bytes), stores them content-addressed in the mirror as
// assets/<2 hex>/<sha256>.<ext>, and rewrites the body so that every image
// the reader loads comes from the mirror itself.
package assets

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/option"
)

// Options configure image localisation for one source.
type Options struct {
	// Localize downloads the body's images into the mirror.
	Localize bool `yaml:"localize"`
	// MaxBytes caps one image; a larger one keeps its original URL.
	MaxBytes int64 `yaml:"max_bytes"`
	// MaxPerArticle caps the distinct images of one article that are
	// localised, in body order; the others keep their original URL and
	// the article gets a warning.
	MaxPerArticle int `yaml:"max_per_article"`
	// MaxPerRun caps the images the source downloads in one run (images
	// stored by earlier pages and data: images are not counted); past it
	// images keep their original URL, with a warning.
	MaxPerRun int `yaml:"max_per_run"`
	// MaxWidth is the widest image stored: a wider JPEG or PNG is scaled
	// down to it, its height in proportion.
	MaxWidth int `yaml:"max_width"`
	// JPEGQuality is the quality (1-100) JPEGs are re-encoded at; the
	// re-encoded image is kept only when it is smaller.
	JPEGQuality int `yaml:"jpeg_quality"`
	// MaxPixels is the largest image (width × height) decoded for
	// conversion; a larger one is stored as it is, with a warning.
	MaxPixels int `yaml:"max_pixels"`
	// KeepOriginals stores every image byte for byte, unconverted.
	KeepOriginals bool `yaml:"keep_originals"`
}

// Shrink is how o converts images before storing them.
func (o Options) Shrink() Shrink {
	o = o.Fill()
	return Shrink{MaxWidth: o.MaxWidth, Quality: o.JPEGQuality, MaxPixels: o.MaxPixels}
}

// DefaultOptions returns the options of a source that says nothing: off,
// with a 5 MiB cap, 100 images an article and 2,000 a run once turned on.
func DefaultOptions() Options {
	return Options{MaxBytes: 5 << 20, MaxPerArticle: 100, MaxPerRun: 2000,
		MaxWidth: 1000, JPEGQuality: 75, MaxPixels: 50_000_000}
}

// Fill gives the zero fields of o their defaults.
func (o Options) Fill() Options {
	d := DefaultOptions()
	if o.MaxBytes == 0 {
		o.MaxBytes = d.MaxBytes
	}
	if o.MaxPerArticle == 0 {
		o.MaxPerArticle = d.MaxPerArticle
	}
	if o.MaxPerRun == 0 {
		o.MaxPerRun = d.MaxPerRun
	}
	if o.MaxWidth == 0 {
		o.MaxWidth = d.MaxWidth
	}
	if o.JPEGQuality == 0 {
		o.JPEGQuality = d.JPEGQuality
	}
	if o.MaxPixels == 0 {
		o.MaxPixels = d.MaxPixels
	}
	return o
}

// Bounds past which a cap is a typo, not a need.
const (
	maxPerArticleLimit = 10_000
	maxPerRunLimit     = 1_000_000
)

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var es option.Errors
	if o.MaxBytes <= 0 {
		es.Addf("max_bytes", "must be positive")
	}
	if o.MaxPerArticle < 1 || o.MaxPerArticle > maxPerArticleLimit {
		es.Addf("max_per_article", "must be 1 to %d, got %d", maxPerArticleLimit, o.MaxPerArticle)
	}
	if o.MaxPerRun < 1 || o.MaxPerRun > maxPerRunLimit {
		es.Addf("max_per_run", "must be 1 to %d, got %d", maxPerRunLimit, o.MaxPerRun)
	}
	if o.MaxWidth < 16 || o.MaxWidth > 10_000 {
		es.Addf("max_width", "must be 16 to 10000 pixels, got %d", o.MaxWidth)
	}
	if o.JPEGQuality < 1 || o.JPEGQuality > 100 {
		es.Addf("jpeg_quality", "must be 1 to 100, got %d", o.JPEGQuality)
	}
	if o.MaxPixels < 1 || o.MaxPixels > 500_000_000 {
		es.Addf("max_pixels", "must be 1 to 500000000, got %d", o.MaxPixels)
	}
	return es.Err()
}

// Quota is how many more images a source may download in this run; the
// articles of the source share it. It is safe for concurrent use.
type Quota struct {
	mu        sync.Mutex
	left, cap int
}

// NewQuota returns a quota of n downloads.
func NewQuota(n int) *Quota { return &Quota{left: n, cap: n} }

// take uses one download; false when none is left (a nil quota is
// unlimited).
func (q *Quota) take() bool {
	if q == nil {
		return true
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.left <= 0 {
		return false
	}
	q.left--
	return true
}

var _ option.Validator = Options{}

// Dir is the mirror folder that holds every asset.
const Dir = "assets"

// types maps the sniffed content types that are kept to file extensions.
var types = map[string]string{
	"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp",
}

// Getter fetches a URL; *fetch.Client is one.
type Getter interface {
	Get(ctx context.Context, url string) (*fetch.Response, error)
}

// Writer stores a file of the mirror; publish.Tree is one. It reports
// whether the file changed.
type Writer interface {
	Write(rel string, data []byte) (bool, error)
}

// NotImageError is a download whose bytes are none of the kept types.
type NotImageError struct {
	URL  string
	Type string // the sniffed content type
}

func (e *NotImageError) Error() string {
	return fmt.Sprintf("image %s: %s is not jpeg, png, gif or webp", short(e.URL), e.Type)
}

// short keeps error messages readable when the URL is a data: URI.
func short(u string) string {
	if len(u) > 80 {
		return u[:60] + "…"
	}
	return u
}

// Path is the repository path of an image with data, or an error when data
// is not one of the kept types.
func Path(data []byte) (string, error) {
	ctype := http.DetectContentType(data)
	ext, ok := types[ctype]
	if !ok {
		return "", &NotImageError{Type: ctype}
	}
	sum := sha256.Sum256(data)
	h := hex.EncodeToString(sum[:])
	return Dir + "/" + h[:2] + "/" + h + "." + ext, nil
}

// IsAsset reports whether rel is a path under the assets folder.
func IsAsset(rel string) bool { return strings.HasPrefix(rel, Dir+"/") }

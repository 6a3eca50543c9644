// Package extract cuts an article's body out of its page with per-site rules
// and turns it into inert, self-contained HTML through a chain of transforms
// over the parsed document. When the rules miss, a readability fallback
// still finds the article and the result says so.
package extract

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/andybalholm/cascadia"
	"go.yaml.in/yaml/v3"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Link modes say what becomes of the <a> elements of a body.
const (
	LinkSpan     = "span"     // <a> becomes an inert <span>, keeping its text and attributes
	LinkKeep     = "keep"     // <a> stays, its href as the page wrote it
	LinkAbsolute = "absolute" // <a> stays, with an absolute href
)

// Promo modes say where, relative to the promo anchor, the promo block goes.
const (
	PromoInside  = "inside"  // first child of the anchor (default)
	PromoReplace = "replace" // the anchor is replaced by the block
	PromoBefore  = "before"  // right before the anchor
	PromoAfter   = "after"   // right after the anchor
)

// Fallback modes say what happens when the body selectors miss.
const (
	FallbackReadability = "readability" // find the article with readability (default)
	FallbackNone        = "none"        // fail the article
)

// DefaultMinText is the body length, in non-space characters, under which
// the rules are taken to have missed and the fallback runs.
const DefaultMinText = 60

// Rules are one site's extraction rules, as written in the configuration.
// The zero value of a field means "not set": a preset or the source's rules
// fill it (see Over).
type Rules struct {
	// Preset names built-in rules (see Presets) that these rules override.
	Preset string `yaml:"preset"`
	// BodySource is "page" (default): the body is cut out of the fetched
	// page; or "feed": the feed item's full content is the body, and the
	// page is fetched only when LeadImage needs it (items without content
	// still use the page).
	BodySource string `yaml:"body_source"`
	// Body selects the article body: one selector or a list tried in order;
	// the first element the first matching selector finds is used.
	Body Selectors `yaml:"body"`
	// LeadImage selects, on the whole page, the lead image block put before
	// the body, e.g. "div.featured_image". A <noscript> in it (lazy pages)
	// is read as the HTML it holds.
	LeadImage string `yaml:"lead_image"`
	// LeadCaption selects, on the whole page, the caption added to the lead
	// image block when the block itself has none.
	LeadCaption string `yaml:"lead_caption"`
	// Remove selects elements deleted from the body (ads, share bars).
	Remove []string `yaml:"remove"`
	// DropAttributes lists, per element name ("*" for all), attributes
	// deleted from the body, e.g. {img: [width, height]}.
	DropAttributes map[string][]string `yaml:"drop_attributes"`
	// LinkMode is "span" (default), "keep" or "absolute".
	LinkMode string `yaml:"link_mode"`
	// Headings renames heading elements, e.g. {h2: h4, h1: h3}.
	Headings map[string]string `yaml:"headings"`
	// FigureBreaks puts a <br/> after every <figure> image and before its
	// <figcaption>, so captions sit on their own line where CSS is stripped.
	FigureBreaks *bool `yaml:"figure_breaks"`
	// LazyAttributes are the <img> attributes that hold the real image
	// address on lazy-loading pages, tried in order; srcset's first
	// candidate is the last resort. Default: data-src, data-original,
	// data-lazy-src.
	LazyAttributes []string `yaml:"lazy_attributes"`
	// Scheme is given to protocol-relative ("//host/x") URLs: "https"
	// (default) or "http".
	Scheme string `yaml:"scheme"`
	// PromoAnchor selects the element the promo block is placed at; when it
	// matches nothing the block goes after the lead image, then at the top.
	PromoAnchor string `yaml:"promo_anchor"`
	// PromoMode is "inside" (default), "replace", "before" or "after".
	PromoMode string `yaml:"promo_mode"`
	// Replace are literal or regular-expression replacements applied to the
	// body's text nodes, in order; a last-resort escape hatch.
	Replace []Replacement `yaml:"replace"`
	// Tracking are substrings of image URLs that are the source's tracking
	// pixels; such images are removed, as are 0×0 and 1×1 images.
	Tracking []string `yaml:"tracking"`
	// MinText is the body length (non-space characters) under which the
	// rules count as missed; 0 means DefaultMinText.
	MinText int `yaml:"min_text"`
	// Fallback is "readability" (default) or "none".
	Fallback string `yaml:"fallback"`
	// DataImages keeps <img src="data:image/…"> images through the sanitizer.
	DataImages *bool `yaml:"data_images"`
	// MinRetained is the share (0…1) of the source's visible text the
	// body must keep; under it the article is published with a "text
	// lost" warning. 0 means DefaultMinRetained.
	MinRetained float64 `yaml:"min_retained"`
}

// Replacement is one text replacement: Find (literal) or Regex, never both.
type Replacement struct {
	Find  string `yaml:"find"`
	Regex string `yaml:"regex"`
	With  string `yaml:"with"`
}

// Selectors are one CSS selector or a list of them. In YAML either a string
// or a sequence of strings.
type Selectors []string

// UnmarshalYAML accepts a scalar or a sequence.
func (s *Selectors) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*s = Selectors{n.Value}
		return nil
	}
	var list []string
	if err := n.Decode(&list); err != nil {
		return err
	}
	*s = list
	return nil
}

// Over returns r with every field r leaves unset taken from base. Maps are
// merged key by key, r winning.
func (r Rules) Over(base Rules) Rules {
	out := base
	setString(&out.Preset, r.Preset)
	setString(&out.BodySource, r.BodySource)
	setSlice(&out.Body, r.Body)
	setString(&out.LeadImage, r.LeadImage)
	setString(&out.LeadCaption, r.LeadCaption)
	setSlice(&out.Remove, r.Remove)
	out.DropAttributes = mergeMap(base.DropAttributes, r.DropAttributes)
	setString(&out.LinkMode, r.LinkMode)
	out.Headings = mergeMap(base.Headings, r.Headings)
	if r.FigureBreaks != nil {
		out.FigureBreaks = r.FigureBreaks
	}
	setSlice(&out.LazyAttributes, r.LazyAttributes)
	setString(&out.Scheme, r.Scheme)
	setString(&out.PromoAnchor, r.PromoAnchor)
	setString(&out.PromoMode, r.PromoMode)
	setSlice(&out.Replace, r.Replace)
	setSlice(&out.Tracking, r.Tracking)
	if r.MinText != 0 {
		out.MinText = r.MinText
	}
	setString(&out.Fallback, r.Fallback)
	if r.DataImages != nil {
		out.DataImages = r.DataImages
	}
	if r.MinRetained != 0 {
		out.MinRetained = r.MinRetained
	}
	return out
}

func setString(dst *string, v string) {
	if v != "" {
		*dst = v
	}
}

func setSlice[S ~[]E, E any](dst *S, v S) {
	if v != nil {
		*dst = v
	}
}

func mergeMap[V any](base, over map[string]V) map[string]V {
	if len(base) == 0 && len(over) == 0 {
		return nil
	}
	out := maps.Clone(base)
	if out == nil {
		out = map[string]V{}
	}
	maps.Copy(out, over)
	return out
}

// Compiled are Rules checked and ready to run. The zero value is not usable;
// use Rules.Compile.
type Compiled struct {
	body         []cascadia.SelectorGroup
	leadImage    cascadia.SelectorGroup
	leadCaption  cascadia.SelectorGroup
	remove       []cascadia.SelectorGroup
	promoAnchor  cascadia.SelectorGroup
	replace      []replacer
	headings     map[string]string
	dropAttrs    map[string][]string
	lazyAttrs    []string
	linkMode     string
	promoMode    string
	scheme       string
	figureBreaks bool
	minText      int
	minRetained  float64
	fallback     string
	bodySource   string
	dataImages   bool
	source       Rules
}

// Validate reports the first rule that does not compile, as a
// *option.FieldError; Compile is the same check that also returns the
// compiled rules.
func (r Rules) Validate() error {
	_, err := r.Compile()
	return err
}

var _ option.Validator = Rules{}

// Compile resolves the preset and parses every selector and expression.
// The first problem is returned as a *option.FieldError.
func (r Rules) Compile() (*Compiled, error) {
	if r.Preset != "" {
		base, ok := Presets[r.Preset]
		if !ok {
			return nil, &option.FieldError{Field: "preset", Err: fmt.Errorf("unknown preset %q (have %s)", r.Preset, strings.Join(PresetNames(), ", "))}
		}
		r = r.Over(base)
	}
	c := &Compiled{source: r, headings: r.Headings, dropAttrs: r.DropAttributes,
		lazyAttrs: r.LazyAttributes, figureBreaks: r.FigureBreaks != nil && *r.FigureBreaks,
		dataImages: r.DataImages != nil && *r.DataImages, minText: r.MinText, minRetained: r.MinRetained}
	if len(r.Body) == 0 {
		return nil, &option.FieldError{Field: "body", Err: fmt.Errorf("a body selector is required (or a preset)")}
	}
	for i, s := range r.Body {
		g, err := parseSelector(s)
		if err != nil {
			return nil, &option.FieldError{Field: indexed("body", i, len(r.Body)), Err: err}
		}
		c.body = append(c.body, g)
	}
	var err error
	for _, f := range []struct {
		key string
		src string
		dst *cascadia.SelectorGroup
	}{{"lead_image", r.LeadImage, &c.leadImage}, {"lead_caption", r.LeadCaption, &c.leadCaption}, {"promo_anchor", r.PromoAnchor, &c.promoAnchor}} {
		if f.src == "" {
			continue
		}
		if *f.dst, err = parseSelector(f.src); err != nil {
			return nil, &option.FieldError{Field: f.key, Err: err}
		}
	}
	for i, s := range r.Remove {
		g, err := parseSelector(s)
		if err != nil {
			return nil, &option.FieldError{Field: fmt.Sprintf("remove[%d]", i), Err: err}
		}
		c.remove = append(c.remove, g)
	}
	if err := c.compileOptions(r); err != nil {
		return nil, err
	}
	return c, nil
}

// compileOptions checks the enumerations, maps and replacements.
func (c *Compiled) compileOptions(r Rules) error {
	var err error
	if c.linkMode, err = oneOf("link_mode", r.LinkMode, LinkSpan, LinkKeep, LinkAbsolute); err != nil {
		return err
	}
	if c.promoMode, err = oneOf("promo_mode", r.PromoMode, PromoInside, PromoReplace, PromoBefore, PromoAfter); err != nil {
		return err
	}
	if c.scheme, err = oneOf("scheme", r.Scheme, "https", "http"); err != nil {
		return err
	}
	if c.fallback, err = oneOf("fallback", r.Fallback, FallbackReadability, FallbackNone); err != nil {
		return err
	}
	if c.bodySource, err = oneOf("body_source", r.BodySource, "page", "feed"); err != nil {
		return err
	}
	if c.minText < 0 {
		return &option.FieldError{Field: "min_text", Err: fmt.Errorf("must not be negative, got %d", c.minText)}
	}
	if c.minText == 0 {
		c.minText = DefaultMinText
	}
	if c.minRetained < 0 || c.minRetained > 1 {
		return &option.FieldError{Field: "min_retained", Err: fmt.Errorf("want a share between 0 and 1, got %g", c.minRetained)}
	}
	if c.minRetained == 0 {
		c.minRetained = DefaultMinRetained
	}
	if c.lazyAttrs == nil {
		c.lazyAttrs = []string{"data-src", "data-original", "data-lazy-src"}
	}
	for _, from := range slices.Sorted(maps.Keys(r.Headings)) {
		if !isHeading(from) || !isHeading(r.Headings[from]) {
			return &option.FieldError{Field: "headings." + from, Err: fmt.Errorf("want h1…h6 → h1…h6, got %s → %s", from, r.Headings[from])}
		}
	}
	for i, rep := range r.Replace {
		rp, err := compileReplacement(rep)
		if err != nil {
			return &option.FieldError{Field: fmt.Sprintf("replace[%d]", i), Err: err}
		}
		c.replace = append(c.replace, rp)
	}
	return nil
}

func oneOf(key, v string, allowed ...string) (string, error) {
	if v == "" {
		return allowed[0], nil
	}
	if slices.Contains(allowed, v) {
		return v, nil
	}
	return "", &option.FieldError{Field: key, Err: fmt.Errorf("want %s, got %q", strings.Join(allowed, ", "), v)}
}

func indexed(key string, i, n int) string {
	if n == 1 {
		return key
	}
	return fmt.Sprintf("%s[%d]", key, i)
}

func isHeading(s string) bool { return len(s) == 2 && s[0] == 'h' && s[1] >= '1' && s[1] <= '6' }

// replacer is one compiled Replacement.
type replacer struct {
	find string
	re   *regexp.Regexp
	with string
}

func compileReplacement(r Replacement) (replacer, error) {
	switch {
	case r.Find != "" && r.Regex != "":
		return replacer{}, fmt.Errorf("set find or regex, not both")
	case r.Find != "":
		return replacer{find: r.Find, with: r.With}, nil
	case r.Regex != "":
		re, err := regexp.Compile(r.Regex)
		if err != nil {
			return replacer{}, fmt.Errorf("bad regex: %w", err)
		}
		return replacer{re: re, with: r.With}, nil
	}
	return replacer{}, fmt.Errorf("find or regex is required")
}

func (r replacer) apply(s string) string {
	if r.re != nil {
		return r.re.ReplaceAllString(s, r.with)
	}
	return strings.ReplaceAll(s, r.find, r.with)
}

func parseSelector(s string) (cascadia.SelectorGroup, error) {
	g, err := cascadia.ParseGroup(s)
	if err != nil {
		return nil, fmt.Errorf("bad selector %q: %w", s, err)
	}
	return g, nil
}

// Rules returns the rules c was compiled from, preset applied.
func (c *Compiled) Rules() Rules { return c.source }

// DataImages says whether the sanitizer keeps data:image/… images.
func (c *Compiled) DataImages() bool { return c.dataImages }

// FeedBody says whether the body comes from the feed item's content.
func (c *Compiled) FeedBody() bool { return c.bodySource == "feed" }

// NeedsPage says whether the page must be fetched even when the body comes
// from the feed: to find the lead image.
func (c *Compiled) NeedsPage() bool { return c.leadImage != nil }

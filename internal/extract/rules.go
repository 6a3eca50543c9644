// Package extract cuts an article's body out of its page with per-site rules
// and turns it into inert, self-contained HTML through a chain of transforms
// over the parsed document.
package extract

import (
	"fmt"

	"github.com/andybalholm/cascadia"
)

// Link modes say what becomes of the <a> elements of a body.
const (
	LinkSpan     = "span"     // <a> becomes an inert <span>, keeping its text and attributes
	LinkKeep     = "keep"     // <a> stays as it is
	LinkAbsolute = "absolute" // <a> stays, with an absolute href
)

// Rules are one site's extraction rules, as written in the configuration.
type Rules struct {
	// Body selects the article body; the first match is used.
	Body string `yaml:"body"`
	// Remove selects elements deleted from the body (ads, share bars).
	Remove []string `yaml:"remove"`
	// PromoAnchor selects the element the promo block is put into; when it
	// matches nothing the block goes after the lead image, then at the top.
	PromoAnchor string `yaml:"promo_anchor"`
	// LinkMode is "span" (default), "keep" or "absolute".
	LinkMode string `yaml:"link_mode"`
}

// Compiled are Rules checked and ready to run. The zero value is not usable;
// use Rules.Compile.
type Compiled struct {
	body        cascadia.SelectorGroup
	remove      []cascadia.SelectorGroup
	promoAnchor cascadia.SelectorGroup
	linkMode    string
	source      Rules
}

// FieldError is a rule that does not compile; Field is its YAML key.
type FieldError struct {
	Field string
	Err   error
}

func (e *FieldError) Error() string { return fmt.Sprintf("%s: %v", e.Field, e.Err) }
func (e *FieldError) Unwrap() error { return e.Err }

// Compile parses every selector. The first problem is returned as a *FieldError.
func (r Rules) Compile() (*Compiled, error) {
	c := &Compiled{linkMode: r.LinkMode, source: r}
	var err error
	if r.Body == "" {
		return nil, &FieldError{"body", fmt.Errorf("a body selector is required")}
	}
	if c.body, err = parseSelector(r.Body); err != nil {
		return nil, &FieldError{"body", err}
	}
	for i, s := range r.Remove {
		g, err := parseSelector(s)
		if err != nil {
			return nil, &FieldError{fmt.Sprintf("remove[%d]", i), err}
		}
		c.remove = append(c.remove, g)
	}
	if r.PromoAnchor != "" {
		if c.promoAnchor, err = parseSelector(r.PromoAnchor); err != nil {
			return nil, &FieldError{"promo_anchor", err}
		}
	}
	switch r.LinkMode {
	case "":
		c.linkMode = LinkSpan
	case LinkSpan, LinkKeep, LinkAbsolute:
	default:
		return nil, &FieldError{"link_mode", fmt.Errorf("want span, keep or absolute, got %q", r.LinkMode)}
	}
	return c, nil
}

func parseSelector(s string) (cascadia.SelectorGroup, error) {
	g, err := cascadia.ParseGroup(s)
	if err != nil {
		return nil, fmt.Errorf("bad selector %q: %w", s, err)
	}
	return g, nil
}

// Rules returns the rules c was compiled from.
func (c *Compiled) Rules() Rules { return c.source }

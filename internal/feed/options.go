package feed

import (
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/andybalholm/cascadia"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Channel kinds: what a channel's URL serves.
const (
	KindFeed    = "feed"    // RSS 0.9x/1.0/2.0, Atom or JSON Feed
	KindListing = "listing" // an HTML page listing articles (Options.Listing)
	KindJSON    = "json"    // a JSON array of arrays (Options.JSON)
)

// Options say how a source's channels are read into items.
type Options struct {
	// TimeZone is the zone of item dates that carry none (IANA name);
	// empty means UTC.
	TimeZone string `yaml:"timezone"`
	// IDPattern is a regular expression matched against the article URL;
	// its first group (or whole match) is the article id. Empty: the last
	// path segment without its extension.
	IDPattern string `yaml:"id_pattern"`
	// Listing reads the channels of kind "listing".
	Listing Listing `yaml:"listing"`
	// JSON reads the channels of kind "json".
	JSON JSONListing `yaml:"json"`

	// Location is TimeZone, loaded.
	Location *time.Location `yaml:"-"`
	// ID is IDPattern, compiled; nil when unset.
	ID *regexp.Regexp `yaml:"-"`

	listing compiledListing
}

// Listing are the CSS selectors that find articles on a listing page.
type Listing struct {
	// Item selects each article's container, e.g. "div.list_wrapper div.one_post".
	Item string `yaml:"item"`
	// Link selects the article's link inside the container; default "a[href]".
	Link string `yaml:"link"`
	// Title selects the element whose text is the title; default the link.
	Title string `yaml:"title"`
	// Date selects the element whose text (or datetime attribute) is the
	// item's date; none by default.
	Date string `yaml:"date"`
	// DateLayout is the Go time layout of Date's text; empty tries the
	// common formats.
	DateLayout string `yaml:"date_layout"`
}

// JSONListing maps a JSON listing's arrays to items.
type JSONListing struct {
	// Fields names each array position: "link", "title", "date" or ""
	// (ignored). Default minghui's [id, title, date, path]: ["", title,
	// date, link].
	Fields []string `yaml:"fields"`
	// DateLayout is the Go time layout of the date field; default
	// "2006年01月02日".
	DateLayout string `yaml:"date_layout"`
	// Base resolves relative links; default the listing's own URL.
	Base string `yaml:"base"`
}

type compiledListing struct {
	item, link, title, date cascadia.Matcher
}

// Validate checks the options and fills the compiled fields: the time
// zone, the id pattern, the listing selectors when a listing is set and
// the JSON mapping (with its defaults). A problem is a *option.FieldError.
// That a listing channel has a listing is the configuration's to check.
func (o *Options) Validate() error {
	o.Location = time.UTC
	if o.TimeZone != "" {
		loc, err := time.LoadLocation(o.TimeZone)
		if err != nil {
			return &option.FieldError{Field: "timezone", Err: fmt.Errorf("unknown time zone %q", o.TimeZone)}
		}
		o.Location = loc
	}
	if o.IDPattern != "" {
		re, err := regexp.Compile(o.IDPattern)
		if err != nil {
			return &option.FieldError{Field: "id_pattern", Err: err}
		}
		o.ID = re
	}
	if o.Listing != (Listing{}) {
		if err := o.compileListing(); err != nil {
			return err
		}
	}
	return o.compileJSON()
}

var _ option.Validator = (*Options)(nil)

func (o *Options) compileListing() error {
	l := o.Listing
	if l.Item == "" {
		return &option.FieldError{Field: "listing.item", Err: fmt.Errorf("a listing channel needs the item selector")}
	}
	if l.Link == "" {
		l.Link = "a[href]"
	}
	var err error
	for _, s := range []struct {
		key, sel string
		dst      *cascadia.Matcher
	}{{"item", l.Item, &o.listing.item}, {"link", l.Link, &o.listing.link}, {"title", l.Title, &o.listing.title}, {"date", l.Date, &o.listing.date}} {
		if s.sel == "" {
			continue
		}
		if *s.dst, err = cascadia.ParseGroup(s.sel); err != nil {
			return &option.FieldError{Field: "listing." + s.key, Err: fmt.Errorf("bad selector %q: %w", s.sel, err)}
		}
	}
	return nil
}

func (o *Options) compileJSON() error {
	j := &o.JSON
	if len(j.Fields) == 0 {
		j.Fields = []string{"", "title", "date", "link"}
	}
	if j.DateLayout == "" {
		j.DateLayout = "2006年01月02日"
	}
	roles := map[string]bool{}
	for _, f := range j.Fields {
		if f != "" && f != "link" && f != "title" && f != "date" {
			return &option.FieldError{Field: "json.fields", Err: fmt.Errorf("unknown field %q (want link, title, date or \"\")", f)}
		}
		if f != "" && roles[f] {
			return &option.FieldError{Field: "json.fields", Err: fmt.Errorf("field %q named twice", f)}
		}
		roles[f] = true
	}
	if !roles["link"] || !roles["title"] {
		return &option.FieldError{Field: "json.fields", Err: fmt.Errorf("need a link and a title position")}
	}
	if j.Base != "" {
		if u, err := url.Parse(j.Base); err != nil || !u.IsAbs() {
			return &option.FieldError{Field: "json.base", Err: fmt.Errorf("want an absolute URL, got %q", j.Base)}
		}
	}
	return nil
}

// Package config loads, validates and compiles a newsmirror configuration file.
//
// A configuration is YAML. Load decodes it strictly (unknown keys are errors),
// fills defaults, and compiles everything that can be checked before a run:
// selectors, URL templates, the commit message template and the time zone.
// Every problem is reported as "file:line: message".
package config

import (
	"regexp"
	"text/template"
	"time"

	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/indexes"
	"github.com/newsmirror/newsmirror/internal/publish"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

// Config is one mirror: where it writes, how pages look, and what it reads.
type Config struct {
	Output  Output        `yaml:"output"`
	Site    Site          `yaml:"site"`
	Fetch   fetch.Options `yaml:"fetch"`
	Sources []Source      `yaml:"sources"`
	// Serve configures the hit counter ("newsmirror serve").
	Serve counter.Options `yaml:"serve"`
	// Indexes shape the channel indexes and the mirror's lists.
	Indexes indexes.Options `yaml:"indexes"`
	// Publish is retention and the remotes the mirror is pushed to.
	Publish publish.Options `yaml:"publish"`

	// File is the path the configuration was read from ("" for a string).
	File string `yaml:"-"`
	// Location is Output.TimeZone, loaded.
	Location *time.Location `yaml:"-"`
	// CommitTemplate is Output.CommitMessage, parsed.
	CommitTemplate *template.Template `yaml:"-"`
}

// Output says where the mirror is written and how its public URLs look.
type Output struct {
	// Dir is the mirror repository folder, relative to the config file.
	Dir string `yaml:"dir"`
	// State is the state database: a SQLite file, relative to Dir unless
	// absolute (the default ".newsmirror/state.db" is git-ignored in the
	// mirror), or a PostgreSQL address shared by several hosts,
	// "postgres://user:${PGPASSWORD}@host:5432/database".
	State string `yaml:"state"`
	// PageURL is the public URL of a mirrored file, e.g. the repository's
	// blob URL "https://github.com/OWNER/REPO/blob/master/{path}".
	PageURL URLTemplate `yaml:"page_url"`
	// QRURL is where readers fetch a page's QR code PNG, e.g.
	// "https://cdn.jsdelivr.net/gh/OWNER/REPO/{path}.png".
	QRURL URLTemplate `yaml:"qr_url"`
	// PixelURL is the invisible counter image of every page; empty for none.
	// A list names several counter hosts: each page loads one, always the
	// same, picked from its path (see PixelURLs.For).
	PixelURL PixelURLs `yaml:"pixel_url"`
	// HTML is the static HTML site written beside the Markdown tree.
	HTML HTML `yaml:"html"`
	// Feeds are the mirror's own Atom feeds, one per channel index and one
	// for the home page, in every tree.
	Feeds Feeds `yaml:"feeds"`
	// AssetURL is where readers load a localised image ({path} is
	// "assets/ab/ab….jpg"); empty means a path relative to the page.
	AssetURL URLTemplate `yaml:"asset_url"`
	// TimeZone names the zone of commit messages and index stamps.
	TimeZone string `yaml:"timezone"`
	// CommitMessage is a text/template; see docs/config.md for its fields.
	CommitMessage string `yaml:"commit_message"`
	// GitAuthor is the author and committer of mirror commits, "Name <email>".
	GitAuthor string `yaml:"git_author"`
	// Templates is a folder whose *.tmpl files replace the embedded
	// templates of the same name; empty for none.
	Templates string `yaml:"templates"`
}

// HTML configures the static HTML site.
type HTML struct {
	// Enabled writes index.html, indexes/*.html and pages/*/*.html beside
	// the Markdown files, with style.css at the root.
	Enabled bool `yaml:"enabled"`
	// Only writes the HTML site instead of the Markdown tree: no .md file
	// is written (the state database still names pages by their .md path).
	Only bool `yaml:"only"`
	// Lang is the pages' language tag (<html lang>).
	Lang string `yaml:"lang"`
}

// Feeds configures the mirror's own Atom feeds: "indexes/<index>.xml"
// beside each channel index and "index.xml" beside the home page, in the
// original tree and in each variant folder. Atom needs absolute URLs, so
// no feed is written without PageURL (check warns).
type Feeds struct {
	// Enabled writes the feeds; off by default.
	Enabled bool `yaml:"enabled"`
	// Length is how many of the newest pages a feed lists (1-1000).
	Length int `yaml:"length"`
	// URL is where readers fetch a feed ({path} is its repository path,
	// e.g. "indexes/S看世界.xml"): the feed's id and self link. Empty
	// means PageURL.
	URL URLTemplate `yaml:"url"`
}

// FeedsOn reports whether the feeds are written: enabled, with a PageURL
// to give their entries absolute URLs.
func (o Output) FeedsOn() bool { return o.Feeds.Enabled && o.PageURL != "" }

// FeedURL is the template of the feeds' own URLs: Feeds.URL, else PageURL.
func (o Output) FeedURL() URLTemplate {
	if o.Feeds.URL != "" {
		return o.Feeds.URL
	}
	return o.PageURL
}

// Site holds every label, link and text block of the published pages.
type Site struct {
	// Title heads the home page README.md.
	Title string `yaml:"title"`
	// Header is optional Markdown printed under the home page title.
	Header string `yaml:"header"`
	// HomeLabel is the label of the link to the home page.
	HomeLabel string `yaml:"home_label"`
	// HotName is the hot list's label and the name of its index file.
	HotName string `yaml:"hot_name"`
	// HotWindow is how far back page hits count for the hot list.
	HotWindow time.Duration `yaml:"hot_window"`
	// HotLength is how many pages the hot list shows.
	HotLength int `yaml:"hot_length"`
	// HotRefresh is how often a run with nothing new looks at the hot
	// list again: when it last did so this long ago or more and the list
	// now shows other pages, the run rebuilds the hot list and the home
	// page (fresh stamps) and commits them. 0 turns it off: the hot list
	// then changes only with new articles.
	HotRefresh time.Duration `yaml:"hot_refresh"`
	// MaxTitle is the most letters (runes) of an article title; a longer
	// one is cut, with "…", and a warning logged.
	MaxTitle int `yaml:"max_title"`
	// Nav are extra links appended to every navigation bar. A relative URL
	// is relative to the repository root and is rewritten for each page.
	Nav []Link `yaml:"nav"`
	// Promo is the block injected into every article, one line per entry.
	Promo []PromoLine `yaml:"promo"`
	// ShareText introduces the page's own URL and QR code.
	ShareText string `yaml:"share_text"`
	// OriginalText introduces the original article URL.
	OriginalText string `yaml:"original_text"`
}

// Link is a labelled URL.
type Link struct {
	Label string `yaml:"label"`
	URL   string `yaml:"url"`
}

// PromoLine is one line of the promo block: one or more links.
type PromoLine struct {
	Links []Link `yaml:"links"`
}

// Source is one news site.
type Source struct {
	// ID names the source in logs and the state database.
	ID string `yaml:"id"`
	// Name is the display name on the home page.
	Name string `yaml:"name"`
	// Prefix starts the file name of each channel index: Prefix+channel name.
	Prefix string `yaml:"prefix"`
	// Rules cut the article out of the source's pages; see docs/rules.md.
	Rules extract.Rules `yaml:"rules"`
	// StillUpdating is a regular expression; an article whose title matches
	// it (a live report, "更新") is fetched again on every run, and its page
	// rewritten when its content changed.
	StillUpdating string `yaml:"still_updating"`
	// Images says whether the article images are stored in the mirror.
	Images assets.Options `yaml:"images"`
	// Variants are converted copies of every page (e.g. Traditional
	// Chinese for a Simplified source), each in its own folder.
	Variants []zhconv.Variant `yaml:"variants"`
	// Channels are the source's feeds, in home page order.
	Channels []Channel `yaml:"channels"`
	// Blacklist drops titles from this source's indexes, on top of
	// indexes.blacklist.
	Blacklist indexes.Blacklist `yaml:"blacklist"`
	// Fetch overrides the fetch options for this source (fetch.go).
	Fetch fetch.SourceOptions `yaml:"fetch"`
	// Items say how the source's channels are read: time zone, full
	// content, article ids, listing selectors, JSON mapping.
	Items feed.Options `yaml:"items"`

	// Compiled is Rules, compiled at load.
	Compiled *extract.Compiled `yaml:"-"`
	// Updating is StillUpdating, compiled; nil when unset.
	Updating *regexp.Regexp `yaml:"-"`
}

// Channel is one feed of a source, mirrored into pages/<ID>/.
type Channel struct {
	// ID is the channel's folder under pages/; a safe file name.
	ID string `yaml:"id"`
	// Name is the channel's display name and, with the source prefix, its index name.
	Name string `yaml:"name"`
	// Feed is the URL of the channel's RSS, Atom or JSON feed, listing
	// page or JSON listing.
	Feed string `yaml:"feed"`
	// Kind is what Feed serves: "feed" (default), "listing" or "json".
	Kind string `yaml:"kind"`
	// Rules override the source's rules for this channel's articles, key
	// by key (docs/rules.md).
	Rules *extract.Rules `yaml:"rules"`

	// Compiled are the channel's rules (the source's, overridden), compiled.
	Compiled *extract.Compiled `yaml:"-"`
}

// IndexName is the channel index's name: "S看世界" for prefix S and channel 看世界.
func (s *Source) IndexName(ch *Channel) string { return s.Prefix + ch.Name }

// Default returns the configuration every file starts from.
func Default() Config {
	return Config{
		Output: Output{
			Dir:           ".",
			State:         ".newsmirror/state.db",
			TimeZone:      "Asia/Shanghai",
			CommitMessage: "同步于: {{.Month}}月{{.Day}}日{{.Hour}}时{{.Minute}}分",
			GitAuthor:     "newsmirror <newsmirror@localhost>",
			HTML:          HTML{Lang: "zh-Hans"},
			Feeds:         Feeds{Length: 20},
		},
		Site: Site{
			Title:        "新闻镜像",
			HomeLabel:    "首页",
			HotName:      "热点推荐",
			HotWindow:    24 * time.Hour,
			HotLength:    50,
			HotRefresh:   time.Hour,
			MaxTitle:     500,
			ShareText:    "手机上长按并复制下列链接或二维码分享本文章：",
			OriginalText: "原文地址（需翻墙访问）：",
		},
		Fetch:   fetch.DefaultOptions(),
		Serve:   counter.DefaultOptions(),
		Indexes: indexes.DefaultOptions(),
		Publish: publish.DefaultOptions(),
	}
}

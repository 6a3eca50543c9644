package config

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/option"
	"github.com/newsmirror/newsmirror/internal/zhconv"
)

var safeID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`)

// compile checks every value and fills the compiled fields.
func (c *Config) compile(s *errorSink) {
	c.compileOutput(s)
	c.compileSite(s)
	c.compilePublish(s)
	expandProxy(s, "fetch.proxy", &c.Fetch.Proxy)
	s.fields("fetch", c.Fetch.Validate())
	s.fields("serve", c.Serve.Validate())
	if len(c.Sources) == 0 {
		s.at("sources", "at least one source is required")
	}
	c.checkSourceIDs(s)
	seen := map[string]string{}
	lists := names{}
	checkIndexName(s, "site.hot_name", c.Site.HotName, lists)
	checkIndexName(s, "indexes.editors.name", c.Indexes.Editors.Name, lists)
	for i := range c.Sources {
		c.compileSource(s, fmt.Sprintf("sources[%d]", i), &c.Sources[i], seen, lists)
	}
}

func (c *Config) compileOutput(s *errorSink) {
	o := &c.Output
	if o.Dir == "" {
		s.at("output.dir", "must not be empty")
	}
	o.State = expandState(s, o.State)
	compileState(s, o.State)
	checkTemplate(s, "output.page_url", o.PageURL)
	checkTemplate(s, "output.qr_url", o.QRURL)
	checkPixelURLs(s, "output.pixel_url", o.PixelURL)
	checkTemplate(s, "output.asset_url", o.AssetURL)
	checkTemplate(s, "output.feeds.url", o.Feeds.URL)
	if o.Feeds.Length < 1 || o.Feeds.Length > 1000 {
		s.at("output.feeds.length", "want 1 to 1000 entries, got %d", o.Feeds.Length)
	}
	if o.HTML.Only && !o.HTML.Enabled {
		s.at("output.html.only", "the HTML site must be enabled to replace the Markdown tree")
	}
	loc, err := time.LoadLocation(o.TimeZone)
	if err != nil {
		s.at("output.timezone", "unknown time zone %q", o.TimeZone)
		loc = time.UTC
	}
	c.Location = loc
	tmpl, err := template.New("commit").Option("missingkey=error").Parse(o.CommitMessage)
	if err == nil {
		err = checkCommitTemplate(tmpl)
	}
	if err != nil {
		s.at("output.commit_message", "bad template: %v", err)
	}
	c.CommitTemplate = tmpl
	if !strings.Contains(o.GitAuthor, "<") || !strings.HasSuffix(o.GitAuthor, ">") {
		s.at("output.git_author", "want \"Name <email>\", got %q", o.GitAuthor)
	}
}

// checkPixelURLs checks each counter host's template; a list names its
// entries by index, a single string by the key alone.
func checkPixelURLs(s *errorSink, path string, list PixelURLs) {
	seen := map[URLTemplate]bool{}
	for i, t := range list {
		at := elemPath(s, path, i)
		switch {
		case t == "":
			s.at(at, "empty URL (remove the entry)")
		case seen[t]:
			s.at(at, "%q is listed twice", string(t))
		default:
			checkTemplate(s, at, t)
		}
		seen[t] = true
	}
}

// elemPath is the path of a list's i-th element, or of the list itself
// when the file wrote one scalar in its place.
func elemPath(s *errorSink, path string, i int) string {
	p := fmt.Sprintf("%s[%d]", path, i)
	if _, ok := s.lines[p]; !ok && i == 0 {
		return path
	}
	return p
}

func checkTemplate(s *errorSink, path string, t URLTemplate) {
	if err := t.Validate(); err != nil {
		s.at(path, "%v", err)
	}
}

func (c *Config) compileSite(s *errorSink) {
	if c.Site.MaxTitle < 10 || c.Site.MaxTitle > 10000 {
		s.at("site.max_title", "must be 10 to 10000 letters, got %d", c.Site.MaxTitle)
	}
	if c.Site.HotWindow < time.Hour {
		s.at("site.hot_window", "must be at least 1h, got %s", c.Site.HotWindow)
	}
	if c.Serve.KeepHits < c.Site.HotWindow {
		s.at("serve.keep_hits", "must cover site.hot_window (%s), got %s", c.Site.HotWindow, c.Serve.KeepHits)
	}
	if c.Site.HotRefresh != 0 && c.Site.HotRefresh < time.Minute {
		s.at("site.hot_refresh", "must be 0 (off) or at least 1m, got %s", c.Site.HotRefresh)
	}
	if c.Site.HotLength < 1 || c.Site.HotLength > 1000 {
		s.at("site.hot_length", "must be 1 to 1000, got %d", c.Site.HotLength)
	}
	for i, l := range c.Site.Nav {
		checkLink(s, fmt.Sprintf("site.nav[%d]", i), l)
	}
	for i, line := range c.Site.Promo {
		p := fmt.Sprintf("site.promo[%d]", i)
		if len(line.Links) == 0 {
			s.at(p, "a promo line needs at least one link")
		}
		for j, l := range line.Links {
			checkLink(s, fmt.Sprintf("%s.links[%d]", p, j), l)
		}
	}
}

func checkLink(s *errorSink, path string, l Link) {
	if strings.TrimSpace(l.Label) == "" {
		s.at(path+".label", "must not be empty")
	}
	if l.URL == "" {
		s.at(path+".url", "must not be empty")
	} else if _, err := url.Parse(l.URL); err != nil {
		s.at(path+".url", "bad URL: %v", err)
	}
}

func (c *Config) compileSource(s *errorSink, path string, src *Source, seen map[string]string, lists names) {
	if !safeID.MatchString(src.ID) {
		s.at(path+".id", "want letters, digits, '.', '_' or '-', got %q", src.ID)
	}
	if src.Name == "" {
		src.Name = src.ID
	}
	src.Compiled = compileRules(s, path+".rules", src.Rules)
	if src.StillUpdating != "" {
		re, err := regexp.Compile(src.StillUpdating)
		if err != nil {
			s.at(path+".still_updating", "bad regular expression: %v", err)
		}
		src.Updating = re
	}
	src.Images = src.Images.Fill()
	s.fields(path+".images", src.Images.Validate())
	s.fields(path+".blacklist", src.Blacklist.Validate())
	if len(src.Channels) == 0 {
		s.at(path+".channels", "at least one channel is required")
	}
	for i, v := range src.Variants {
		compileVariant(s, fmt.Sprintf("%s.variants[%d]", path, i), v, seen)
	}
	for i := range src.Channels {
		compileChannel(s, fmt.Sprintf("%s.channels[%d]", path, i), src, &src.Channels[i], lists)
	}
	expandProxy(s, path+".fetch.proxy", &src.Fetch.Proxy)
	compileSourceFetch(s, path, src)
}

func compileChannel(s *errorSink, path string, src *Source, ch *Channel, lists names) {
	if !safeID.MatchString(ch.ID) {
		s.at(path+".id", "want letters, digits, '.', '_' or '-', got %q", ch.ID)
	} else if prev, dup := lists.claim("channel", ch.ID, path); dup {
		s.at(path+".id", "channel id %q is already used at %s (folder names that differ only in letter case are one folder on macOS and Windows)", ch.ID, prev)
	} else {
		checkFolder(s, path+".id", ch.ID)
	}
	ch.Compiled = src.Compiled
	if ch.Rules != nil {
		ch.Compiled = compileChannelRules(s, path+".rules", *ch.Rules, src.Rules)
	}
	if ch.Name == "" || strings.ContainsAny(ch.Name, "/\\\x00") || strings.HasPrefix(ch.Name, ".") {
		s.at(path+".name", "must be a non-empty name without '/', '\\' or a leading '.'")
	}
	checkIndexName(s, path+".name", src.IndexName(ch), lists)
	u, err := url.Parse(ch.Feed)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		s.at(path+".feed", "want an absolute http(s) URL, got %q", ch.Feed)
	}
}

// reservedDirs are the mirror's own top folders, never a variant's.
var reservedDirs = map[string]bool{"pages": true, "indexes": true, "assets": true, ".newsmirror": true, ".git": true}

func compileVariant(s *errorSink, path string, v zhconv.Variant, seen map[string]string) {
	if !slices.Contains(zhconv.Configs, v.Convert) {
		s.at(path+".convert", "unknown conversion %q (known: %s)", v.Convert, strings.Join(zhconv.Configs, ", "))
	}
	if !safeID.MatchString(v.Dir) || reservedDirs[strings.ToLower(v.Dir)] {
		s.at(path+".dir", "want a folder name of letters, digits, '.', '_' or '-' other than pages, indexes and assets, got %q", v.Dir)
	} else {
		checkFolder(s, path+".dir", v.Dir)
	}
	if prev, ok := seen["variant:"+v.Dir]; ok && prev != v.Convert {
		s.at(path+".dir", "folder %q already holds the %s conversion", v.Dir, prev)
	}
	seen["variant:"+v.Dir] = v.Convert
}

// compileChannelRules compiles a channel's rules over its source's. A
// problem the source's rules have on their own is reported there only.
func compileChannelRules(s *errorSink, path string, over, base extract.Rules) *extract.Compiled {
	compiled, err := over.Over(base).Compile()
	var fe, baseFE *option.FieldError
	if errors.As(err, &fe) {
		if _, baseErr := base.Compile(); errors.As(baseErr, &baseFE) && baseFE.Field == fe.Field {
			// Compile stops at the first problem: retry without the base's
			// broken preset to find the channel's own.
			if fe.Field != "preset" || over.Preset != "" {
				return nil
			}
			base.Preset = ""
			compiled, err = over.Over(base).Compile()
		}
	}
	return reportRules(s, path, compiled, err)
}

// compileRules compiles extraction rules, reporting a bad rule at its key.
func compileRules(s *errorSink, path string, r extract.Rules) *extract.Compiled {
	compiled, err := r.Compile()
	return reportRules(s, path, compiled, err)
}

func reportRules(s *errorSink, path string, compiled *extract.Compiled, err error) *extract.Compiled {
	s.fields(path, err)
	return compiled
}

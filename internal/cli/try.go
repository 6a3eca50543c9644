package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"strings"

	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/render"
)

// tryFlags are the flags of `newsmirror try`.
type tryFlags struct {
	config, file, url, channel, preset string
	html                               bool
}

// runTry runs one article through the rules and shows what came out: the
// rule author's loop.
func runTry(ctx context.Context, e *env, args []string) int {
	fl, err := parseTry(e.stderr, args)
	if err != nil {
		return ExitUsage
	}
	cfg, err := loadTryConfig(fl.config)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return ExitUsage
	}
	pageURL, err := url.Parse(fl.url)
	if err != nil || pageURL.Host == "" {
		fmt.Fprintf(e.stderr, "newsmirror try: want an absolute article URL, got %q\n", fl.url)
		return ExitUsage
	}
	pick, err := pickRules(cfg, pageURL, fl)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror try:", err)
		return ExitUsage
	}
	page, finalURL, dec, err := readTryPage(ctx, cfg, fl, pageURL, pick.charset)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror try:", err)
		return ExitFatal
	}
	printEncoding(e.stdout, dec)
	art, err := extract.Extract(page, finalURL, pick.rules)
	if err != nil {
		fmt.Fprintf(e.stdout, "%-9s %s\n%-9s %v\n", "rules", pick.name, "FAILED", err)
		return ExitPartial
	}
	body := clean.New(clean.Options{DataImages: pick.rules.DataImages()}).HTML(art.HTML)
	art.CheckPublished(body)
	printSummary(e.stdout, pick.name, art, clean.Audit(body))
	if fl.html {
		fmt.Fprintf(e.stdout, "\n── body HTML ──\n%s\n", strings.ReplaceAll(body, extract.PromoMarker, "<!-- promo -->"))
		return ExitOK
	}
	md, err := renderTry(cfg, pick, art, body, finalURL)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror try:", err)
		return ExitFatal
	}
	fmt.Fprintf(e.stdout, "\n── page %s ──\n%s", pick.path, md)
	return ExitOK
}

func parseTry(stderr io.Writer, args []string) (*tryFlags, error) {
	fl := &tryFlags{}
	fs := flag.NewFlagSet("try", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&fl.config, "c", "", "configuration `file` (default newsmirror.yaml when it exists)")
	fs.StringVar(&fl.file, "file", "", "read the article page from `PATH` instead of fetching it (needs --url)")
	fs.StringVar(&fl.url, "url", "", "the article's `URL` (with --file)")
	fs.StringVar(&fl.channel, "channel", "", "use this channel's rules (`ID`) instead of matching the URL's host")
	fs.StringVar(&fl.preset, "preset", "", "use this built-in preset (`NAME`) instead of the configuration")
	fs.BoolVar(&fl.html, "html", false, "print the sanitized body HTML instead of the rendered page")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: newsmirror try [-c FILE] [flags] URL\n       newsmirror try [-c FILE] [flags] --file PATH --url URL\n\nflags:")
		fs.PrintDefaults()
	}
	// Flags may come before or after the URL.
	var rest []string
	for len(args) > 0 {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) > 0 {
			rest, args = append(rest, args[0]), args[1:]
		}
	}
	switch {
	case len(rest) == 1 && fl.url == "" && fl.file == "":
		fl.url = rest[0]
	case len(rest) == 0 && fl.file != "" && fl.url != "":
	default:
		fs.Usage()
		return nil, errors.New("usage")
	}
	return fl, nil
}

// loadTryConfig loads the configuration; without -c, newsmirror.yaml when
// it exists, else the defaults (presets only).
func loadTryConfig(path string) (*config.Config, error) {
	if path == "" {
		if _, err := os.Stat("newsmirror.yaml"); errors.Is(err, fs.ErrNotExist) {
			cfg := config.Default()
			return &cfg, nil
		}
		path = "newsmirror.yaml"
	}
	return config.Load(path)
}

// tryPick is the rules try uses and where they come from.
type tryPick struct {
	name    string // for people: "secretchina/p9 (config)" or "preset ntdtv"
	rules   *extract.Compiled
	channel string
	index   string
	path    string
	charset string // the source's charset override, "" for none
}

// pickRules chooses the rules: --preset, else --channel, else the channel
// whose feed is on the article's host, else the preset named in the host.
func pickRules(cfg *config.Config, u *url.URL, fl *tryFlags) (*tryPick, error) {
	if fl.preset != "" {
		return presetPick(fl.preset, "")
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	for i := range cfg.Sources {
		src := &cfg.Sources[i]
		for j := range src.Channels {
			ch := &src.Channels[j]
			f, _ := url.Parse(ch.Feed)
			if ch.ID == fl.channel || fl.channel == "" && f != nil && strings.TrimPrefix(f.Hostname(), "www.") == host {
				why := "feed host " + host
				if fl.channel != "" {
					why = "--channel"
				}
				return &tryPick{name: fmt.Sprintf("%s/%s (%s, %s)", src.ID, ch.ID, cfg.File, why), rules: ch.Compiled,
					channel: ch.ID, index: src.IndexName(ch), charset: src.Fetch.Charset}, nil
			}
		}
	}
	if fl.channel != "" {
		return nil, fmt.Errorf("no channel %q in %s", fl.channel, cfg.File)
	}
	for _, name := range extract.PresetNames() {
		if strings.Contains(host, name) {
			return presetPick(name, " (guessed from the host)")
		}
	}
	return nil, fmt.Errorf("no channel reads %s and no preset is named after it; use --preset (%s) or -c", host, strings.Join(extract.PresetNames(), ", "))
}

func presetPick(name, why string) (*tryPick, error) {
	rules, err := extract.Rules{Preset: name}.Compile()
	if err != nil {
		return nil, err
	}
	return &tryPick{name: "preset " + name + why, rules: rules, channel: name, index: name}, nil
}

// readTryPage reads --file, or fetches the URL with the configured client,
// and decodes the page as sync does.
func readTryPage(ctx context.Context, cfg *config.Config, fl *tryFlags, u *url.URL, charset string) ([]byte, *url.URL, decode.Decision, error) {
	if fl.file != "" {
		data, err := os.ReadFile(fl.file)
		if err != nil {
			return nil, nil, decode.Decision{}, fmt.Errorf("read page: %w", err)
		}
		page, d := decode.Decode(decode.Input{Body: data, Kind: decode.HTML, Override: charset})
		return page, u, d, nil
	}
	// The operator named this URL: its host passes the address guard
	// (what it redirects to is still checked).
	resp, err := fetch.New(cfg.Fetch, fetch.Allow(u.Hostname())).Get(ctx, u.String())
	if err != nil {
		return nil, nil, decode.Decision{}, err
	}
	return resp.Page(charset)
}

// printEncoding prints how the page was decoded, marked "!" when that was
// a guess.
func printEncoding(w io.Writer, d decode.Decision) {
	mark := ""
	if d.Guessed() {
		mark = "! "
	}
	fmt.Fprintf(w, "%-9s %s%s\n", "encoding", mark, d)
}

// printSummary prints the report block of try.
func printSummary(w io.Writer, rules string, a *extract.Article, problems []string) {
	row := func(k, format string, args ...any) { fmt.Fprintf(w, "%-9s "+format+"\n", append([]any{k}, args...)...) }
	row("rules", "%s", rules)
	row("matched", "%s", a.Rule)
	row("title", "%s", orNone(a.Title))
	row("text", "%d characters", a.TextLen)
	row("images", "%d", len(a.Images))
	for _, img := range a.Images {
		fmt.Fprintf(w, "%-9s   %s\n", "", img)
	}
	row("removed", "%d elements", a.Removed)
	row("promo", "%s", a.PromoAt)
	if len(a.Warnings) == 0 {
		row("warnings", "none")
	}
	for i, warn := range a.Warnings {
		k := ""
		if i == 0 {
			k = "warnings"
		}
		row(k, "! %s", warn)
	}
	if len(problems) == 0 {
		row("sanitized", "ok")
	} else {
		row("sanitized", "%d PROBLEMS: %s", len(problems), strings.Join(problems, "; "))
	}
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// renderTry renders the page as sync would write it.
func renderTry(cfg *config.Config, pick *tryPick, a *extract.Article, body string, u *url.URL) ([]byte, error) {
	id, err := feed.ArticleID(u, nil)
	if err != nil {
		id = "article"
	}
	pick.path = render.PagePath(pick.channel, id)
	r, err := render.New(cfg.Site, cfg.Output)
	if err != nil {
		return nil, err
	}
	title := a.Title
	if title == "" {
		title = "(no title)"
	}
	return r.Page(render.Article{Path: pick.path, ID: id, Title: title, ChannelID: pick.channel,
		IndexName: pick.index, ChannelName: pick.channel, Body: body, OriginalURL: u.String()})
}

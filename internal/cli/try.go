package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/article"
	"github.com/newsmirror/newsmirror/internal/assets"
	"github.com/newsmirror/newsmirror/internal/clean"
	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/decode"
	"github.com/newsmirror/newsmirror/internal/extract"
	"github.com/newsmirror/newsmirror/internal/feed"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
)

// tryFlags are the flags of `newsmirror try`.
type tryFlags struct {
	config, file, url, channel, preset string
	html                               bool
}

// runTry runs one article through the pipeline sync uses and shows what
// came out: the rule author's loop. The page printed is byte for byte the
// one sync would write, given the same feed item.
func runTry(ctx context.Context, e *env, args []string) int {
	fl, err := parseTry(e, args)
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
	picks, err := pickRules(cfg, pageURL, fl)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror try:", err)
		return ExitUsage
	}
	// The operator named this URL: its host passes the address guard
	// (what it redirects to is still checked).
	client := fetch.New(cfg.Fetch, fetch.Allow(pageURL.Hostname()))
	return tryArticle(ctx, e, cfg, client, picks, fl, pageURL)
}

// tryArticle finds the feed item, reads the page and runs the pipeline.
func tryArticle(ctx context.Context, e *env, cfg *config.Config, client *fetch.Client, picks []*tryPick, fl *tryFlags, u *url.URL) int {
	pick, item, lacks := findItem(ctx, client, picks, fl, u)
	client = client.With(pick.src.Fetch)
	in := article.Input{Source: pick.src, Channel: pick.ch, Item: item, Mirrored: time.Now()}
	if article.NeedsPage(pick.ch, item) {
		page, err := readTryPage(ctx, client, fl, u)
		if err != nil {
			fmt.Fprintln(e.stderr, "newsmirror try:", err)
			return ExitFatal
		}
		in.Page = page
	}
	if pick.src.Images.Localize {
		in.Images = client
	}
	pipe, err := article.New(cfg)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror try:", err)
		return ExitFatal
	}
	res, err := pipe.Run(ctx, in)
	if res != nil && res.Decoded {
		printEncoding(e.stdout, res.Decoding)
	}
	if err != nil {
		fmt.Fprintf(e.stdout, "%-9s %s\n%-9s %v\n", "rules", pick.name, "FAILED", err)
		return ExitPartial
	}
	printSummary(e.stdout, pick.name, res.Extracted, clean.Audit(res.Extracted.HTML))
	printItem(e.stdout, lacks)
	printAssets(e.stdout, res.Images)
	if fl.html {
		fmt.Fprintf(e.stdout, "\n── body HTML ──\n%s\n", strings.ReplaceAll(res.Extracted.HTML, extract.PromoMarker, "<!-- promo -->"))
		return ExitOK
	}
	page := res.Files[0]
	fmt.Fprintf(e.stdout, "\n── page %s ──\n%s", page.Path, page.Data)
	return ExitOK
}

func parseTry(e *env, args []string) (*tryFlags, error) {
	fl := &tryFlags{}
	fs := newFlags(e, "try")
	fs.StringVar(&fl.config, "c", "", "configuration `file` (default newsmirror.yaml when it exists)")
	fs.StringVar(&fl.file, "file", "", "read the article page from `PATH` instead of fetching it (needs --url)")
	fs.StringVar(&fl.url, "url", "", "the article's `URL` (with --file)")
	fs.StringVar(&fl.channel, "channel", "", "use this channel's rules (`ID`) instead of matching the URL's host")
	fs.StringVar(&fl.preset, "preset", "", "use this built-in preset (`NAME`) instead of the configuration")
	fs.BoolVar(&fl.html, "html", false, "print the sanitized body HTML instead of the rendered page")
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

// tryPick is the source and channel try uses and where they come from.
type tryPick struct {
	name string // for people: "secretchina/p9 (config)" or "preset ntdtv"
	src  *config.Source
	ch   *config.Channel
	// listed says whether the channel has a feed of the configuration's.
	listed bool
}

// pickRules lists the rules to choose from: --preset, else --channel,
// else the channels whose feed is on the article's host (findItem takes
// the one whose feed lists the article), else the preset named in the
// host.
func pickRules(cfg *config.Config, u *url.URL, fl *tryFlags) ([]*tryPick, error) {
	if fl.preset != "" {
		return presetPick(fl.preset, "")
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	var picks []*tryPick
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
				picks = append(picks, &tryPick{name: fmt.Sprintf("%s/%s (%s, %s)", src.ID, ch.ID, cfg.File, why), src: src, ch: ch, listed: true})
			}
		}
	}
	if len(picks) > 0 {
		return picks, nil
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

// presetPick is a channel of its own for a built-in preset, named after it.
func presetPick(name, why string) ([]*tryPick, error) {
	rules, err := extract.Rules{Preset: name}.Compile()
	if err != nil {
		return nil, err
	}
	src := &config.Source{ID: name, Compiled: rules}
	ch := &config.Channel{ID: name, Name: name, Compiled: rules}
	return []*tryPick{{name: "preset " + name + why, src: src, ch: ch}}, nil
}

// findItem is the article's item in the feed of the first channel of
// picks that lists it, as sync reads it; when no feed is read (--file, a
// preset) or none lists the URL, the first pick and an item with the URL
// only, and what that item lacks, for people.
func findItem(ctx context.Context, client *fetch.Client, picks []*tryPick, fl *tryFlags, u *url.URL) (*tryPick, feed.Item, string) {
	pick := picks[0]
	why := "no channel of the configuration"
	switch {
	case fl.file != "" && pick.listed:
		why = "--file: the channel's feed was not read"
	case pick.listed:
		for _, p := range picks {
			found, note, err := feedItem(ctx, client.With(p.src.Fetch), p, u)
			if err == nil {
				return p, found, note
			}
			why = err.Error()
		}
	}
	lacks := "title (the page's own is used), published date"
	if pick.ch.Compiled.FeedBody() {
		lacks += ", feed content (body_source: feed; the body is cut from the page)"
	}
	return pick, feed.Item{URL: u.String()}, why + "; the item lacks: " + lacks
}

// feedItem reads the channel's feed and finds the item of u in it; note
// says, for people, what was salvaged from a broken feed ("" for none).
func feedItem(ctx context.Context, client *fetch.Client, pick *tryPick, u *url.URL) (it feed.Item, note string, err error) {
	resp, err := client.Get(ctx, pick.ch.Feed)
	if err != nil {
		return it, "", fmt.Errorf("feed not read: %w", err)
	}
	data, _ := resp.Decode(mirror.DocumentKind(pick.ch.Kind), pick.src.Fetch.Charset)
	read, err := feed.Read(pick.ch.Kind, data, resp.URL, &pick.src.Items)
	if err != nil {
		return it, "", fmt.Errorf("feed not read: %w", err)
	}
	var salvaged []string
	for _, w := range read.Warnings {
		salvaged = append(salvaged, w.Message)
	}
	if len(salvaged) > 0 {
		note = "from the channel's feed, salvaged: " + strings.Join(salvaged, "; ")
	}
	for _, it := range read.Items {
		if it.URL == u.String() {
			return it, note, nil
		}
	}
	if note != "" {
		return it, "", fmt.Errorf("not in the channel's feed (%d items; %s)", len(read.Items), strings.TrimPrefix(note, "from the channel's feed, "))
	}
	return it, "", fmt.Errorf("not in the channel's feed (%d items)", len(read.Items))
}

// readTryPage reads --file, or fetches the URL.
func readTryPage(ctx context.Context, client *fetch.Client, fl *tryFlags, u *url.URL) (*fetch.Response, error) {
	if fl.file == "" {
		return client.Get(ctx, u.String())
	}
	data, err := os.ReadFile(fl.file)
	if err != nil {
		return nil, fmt.Errorf("read page: %w", err)
	}
	return &fetch.Response{URL: u.String(), Header: http.Header{}, Body: data}, nil
}

// printItem says where the item came from: the feed, or what it lacks.
func printItem(w io.Writer, lacks string) {
	if lacks == "" {
		fmt.Fprintf(w, "%-9s %s\n", "item", "from the channel's feed, as sync reads it")
		return
	}
	fmt.Fprintf(w, "%-9s ! %s\n", "item", lacks)
}

// printAssets says how image localisation went, when it ran.
func printAssets(w io.Writer, res *assets.Result) {
	if res == nil {
		return
	}
	fmt.Fprintf(w, "%-9s %d localised, %d kept at their original URL\n", "assets", len(res.Assets), len(res.Failed))
	for _, err := range res.Failed {
		fmt.Fprintf(w, "%-9s   ! %v\n", "", err)
	}
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
	row("text", "%d characters, %.0f%% of the %d the source shows", a.TextLen, 100*a.Retained, a.SourceText)
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

package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/template"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
)

// demoHost is the sample site's host name in the demo configuration. The
// demo's client dials it on the loopback server, so the URLs (and with them
// the article ids) are the same on every run whatever the port.
const demoHost = "demo.newsmirror.test"

func runDemo(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "demo")
	dir := fs.String("dir", "newsmirror-demo", "`folder` of the mirror repository")
	adopt := adoptFlag(fs)
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	site, err := fakenews.Load()
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror demo:", err)
		return ExitFatal
	}
	addr, stop, err := serveLoopback(site)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror demo:", err)
		return ExitFatal
	}
	defer stop()
	fmt.Fprintf(e.stdout, "sample site: http://%s/ (as http://%s/)\n", addr, demoHost)
	cfg, err := writeDemoConfig(*dir, site, *adopt)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror demo:", err)
		return refusedCode(err)
	}
	code := syncOnce(ctx, e, cfg, dialOnly(demoHost, addr), *adopt)
	if code == ExitOK || code == ExitPartial {
		printTree(e, cfg.Output.Dir)
		printNextSteps(e, cfg)
	}
	return code
}

// serveLoopback serves h on a free port of 127.0.0.1.
func serveLoopback(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return ln.Addr().String(), func() { srv.Close() }, nil
}

// dialOnly sends connections for host (any port) to addr and refuses others.
func dialOnly(host, addr string) fetch.DialFunc {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return func(ctx context.Context, network, target string) (net.Conn, error) {
		h, _, err := net.SplitHostPort(target)
		if err != nil || h != host {
			return nil, fmt.Errorf("demo: refusing to dial %s: only %s is served", target, host)
		}
		return d.DialContext(ctx, network, addr)
	}
}

var demoConfig = template.Must(template.New("demo").Parse(`# Written by "newsmirror demo". Run it again to mirror the sample site anew.
# To make your own mirror, copy this file, point output.dir at a new folder,
# replace the sources with your site's (docs/config.md, docs/rules.md) and
# drop fetch.allow; then: newsmirror check -c FILE && newsmirror sync -c FILE
output:
  dir: {{printf "%q" .Dir}}
  page_url: "https://github.com/newsmirror/demo/blob/main/{path}"
  qr_url: "https://cdn.jsdelivr.net/gh/newsmirror/demo/{path}.png"
  pixel_url: "http://127.0.0.1:8080/hit/{path}"
  html: {enabled: true}
fetch:
  # The sample site is served on loopback, which the address guard
  # refuses unless allowed.
  allow: [127.0.0.1]
site:
  title: 新闻镜像示例
  nav:
    - {label: 翻墙教程, url: "https://github.com/gfw-breaker/guides/blob/master/README.md"}
  promo:
    - links: [{label: " 📖 使用说明", url: "https://github.com/newsmirror/newsmirror/blob/main/README.md"}]
sources:
  - id: sample
    name: 示例新闻网
    prefix: S
    images: {localize: true}
    variants: [{convert: s2tw, dir: zh-Hant}]
    rules:
      body: div.article_right
      promo_anchor: "div#txt-mid1-t21-2017"
      remove: ["div[id^=div-gpt-ad]", "ins.adsbygoogle"]
    channels:
{{- range .Channels}}
      - {id: {{.ID}}, name: {{.Name}}, feed: "http://{{$.Host}}{{$.Site.FeedPath .ID}}"}
{{- end}}
`))

// writeDemoConfig writes the demo's configuration into dir/.newsmirror
// (ignored by the mirror's Git) and loads it. Unless adopt, a folder that
// holds files and is not a mirror is refused and left as it was.
func writeDemoConfig(dir string, site *fakenews.Site, adopt bool) (*config.Config, error) {
	path := filepath.Join(dir, publish.OwnDir, "demo.yaml")
	_, statErr := os.Stat(filepath.Dir(path))
	cfg, err := loadDemoConfig(path, site)
	if err == nil && !adopt {
		err = mirror.CheckFolder(cfg)
	}
	if err != nil && errors.Is(statErr, fs.ErrNotExist) {
		os.RemoveAll(filepath.Dir(path)) // it was not there before
	}
	return cfg, err
}

func loadDemoConfig(path string, site *fakenews.Site) (*config.Config, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	var b strings.Builder
	// An absolute folder, so that a copy of the file works from anywhere.
	dir, err := filepath.Abs(filepath.Dir(filepath.Dir(path)))
	if err != nil {
		return nil, err
	}
	data := struct {
		Host, Dir string
		Site      *fakenews.Site
		Channels  []fakenews.Channel
	}{demoHost, dir, site, site.Channels()}
	if err := demoConfig.Execute(&b, data); err != nil {
		return nil, err
	}
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		return nil, err
	}
	return config.Load(path)
}

// printTree tells what the mirror holds and which page to open.
func printTree(e *env, dir string) {
	var pages, indexes []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return errors.Unwrap(err)
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.IsDir() && (rel == ".git" || rel == ".newsmirror"):
			return filepath.SkipDir
		case strings.HasPrefix(rel, "pages"+string(filepath.Separator)) && strings.HasSuffix(rel, ".md"):
			pages = append(pages, rel)
		case strings.HasPrefix(rel, "indexes"+string(filepath.Separator)) && strings.HasSuffix(rel, ".md"):
			indexes = append(indexes, rel) // once each, whatever the formats
		}
		return nil
	})
	sort.Strings(pages)
	fmt.Fprintf(e.stdout, "mirror: %s\n  %d pages (each with its .md.png QR code)\n  %d indexes: %s\n  home: %s\n",
		dir, len(pages), len(indexes), strings.Join(indexes, ", "), filepath.Join(dir, "README.md"))
	if len(pages) > 0 {
		fmt.Fprintf(e.stdout, "open a page: %s\n", filepath.Join(dir, pages[0]))
	}
}

// printNextSteps tells what to open and how to go on from the demo.
func printNextSteps(e *env, cfg *config.Config) {
	fmt.Fprintln(e.stdout, "\nnext steps:")
	if cfg.Output.HTML.Enabled {
		fmt.Fprintf(e.stdout, "  open the HTML site in a browser: %s\n", filepath.Join(cfg.Output.Dir, "index.html"))
	}
	fmt.Fprintf(e.stdout, "  the configuration it used:       %s\n", cfg.File)
	fmt.Fprintf(e.stdout, "  see the mirror's history:        git -C %s log --stat\n", cfg.Output.Dir)
	fmt.Fprintln(e.stdout, "  make your own mirror: copy that file, set output.dir to a new folder, put your")
	fmt.Fprintln(e.stdout, "  site's feeds and rules under sources (newsmirror try URL finds the rules), then")
	fmt.Fprintln(e.stdout, "    newsmirror check -c my.yaml && newsmirror sync -c my.yaml")
	fmt.Fprintln(e.stdout, "  (README.md, \"Make your own mirror in 5 minutes\")")
}

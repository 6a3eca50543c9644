// Package weigh measures what a reader's browser loads for one page of the
// mirror: the page itself and every resource it references (images,
// stylesheets, scripts, frames), which of them the mirror holds and which
// come from other hosts. It reads files only; it fetches nothing.
package weigh

import (
	"fmt"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"golang.org/x/net/html"
)

// Report is the weight of one page.
type Report struct {
	Page string
	// PageBytes is the page file's size.
	PageBytes int64
	// Local are the resources the mirror holds, with their sizes.
	Local map[string]int64
	// Remote are the resources loaded from other hosts, as URLs.
	Remote []string
	// Broken are references that resolve to nothing: a missing local file,
	// or a root-relative path in a Markdown page (which GitHub resolves
	// against github.com itself).
	Broken []string
	// Inline counts data: URIs (no request, bytes in the page).
	Inline int
}

// Requests is how many requests a browser makes: the page and each
// distinct resource (a broken one still costs its request).
func (r *Report) Requests() int { return 1 + len(r.Local) + len(r.Remote) + len(r.Broken) }

// Bytes is the page plus its local resources.
func (r *Report) Bytes() int64 {
	n := r.PageBytes
	for _, s := range r.Local {
		n += s
	}
	return n
}

// Hosts lists the other hosts the page loads from, with request counts.
func (r *Report) Hosts() map[string]int {
	hosts := map[string]int{}
	for _, u := range r.Remote {
		if p, err := url.Parse(u); err == nil {
			hosts[p.Host]++
		}
	}
	return hosts
}

// String is one line: page, bytes, requests, third-party requests, hosts.
func (r *Report) String() string {
	hosts := r.Hosts()
	names := make([]string, 0, len(hosts))
	for h, n := range hosts {
		names = append(names, fmt.Sprintf("%s×%d", h, n))
	}
	sort.Strings(names)
	return fmt.Sprintf("%s\t%d B\t%d requests\t%d third-party\t%d broken\t%s",
		r.Page, r.Bytes(), r.Requests(), len(r.Remote), len(r.Broken), strings.Join(names, " "))
}

var mdImage = regexp.MustCompile(`!\[[^\]]*\]\(\s*<?([^)\s>]+)`)

// Page weighs the page at rel (slash-separated, inside dir): a Markdown
// page as GitHub shows it (its HTML and Markdown images), or an HTML page.
func Page(dir, rel string) (*Report, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return nil, fmt.Errorf("weigh %s: %w", rel, err)
	}
	r := &Report{Page: rel, PageBytes: int64(len(data)), Local: map[string]int64{}}
	refs := references(string(data))
	markdown := strings.HasSuffix(rel, ".md")
	if markdown {
		for _, m := range mdImage.FindAllStringSubmatch(string(data), -1) {
			refs = append(refs, m[1])
		}
	}
	seen := map[string]bool{}
	for _, ref := range refs {
		if ref = strings.TrimSpace(ref); ref == "" || seen[ref] {
			continue
		}
		seen[ref] = true
		r.add(dir, rel, ref, markdown)
	}
	return r, nil
}

func (r *Report) add(dir, rel, ref string, markdown bool) {
	switch {
	case strings.HasPrefix(ref, "data:"):
		r.Inline++
	case strings.HasPrefix(ref, "http://"), strings.HasPrefix(ref, "https://"):
		r.Remote = append(r.Remote, ref)
	case strings.HasPrefix(ref, "//"):
		r.Remote = append(r.Remote, "https:"+ref)
	case strings.HasPrefix(ref, "/") && markdown:
		r.Broken = append(r.Broken, ref)
	default:
		p := ref
		if i := strings.IndexAny(p, "?#"); i >= 0 {
			p = p[:i]
		}
		if u, err := url.PathUnescape(p); err == nil {
			p = u
		}
		if !strings.HasPrefix(p, "/") {
			p = path.Join(path.Dir(rel), p)
		}
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(strings.TrimPrefix(p, "/"))))
		if err != nil {
			r.Broken = append(r.Broken, ref)
			return
		}
		r.Local[p] = st.Size()
	}
}

// loaded are the attributes through which a browser loads a resource.
var loaded = map[string][]string{
	"img": {"src"}, "script": {"src"}, "iframe": {"src"}, "frame": {"src"}, "embed": {"src"},
	"video": {"src", "poster"}, "audio": {"src"}, "source": {"src"}, "track": {"src"},
	"object": {"data"}, "input": {"src"},
}

// references lists the URLs an HTML text (or the HTML inside Markdown)
// makes the browser load.
func references(text string) []string {
	var out []string
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			attrs[a.Key] = a.Val
		}
		for _, key := range loaded[tok.Data] {
			if v, ok := attrs[key]; ok {
				out = append(out, v)
			}
		}
		if tok.Data == "link" && strings.Contains(attrs["rel"], "stylesheet") {
			out = append(out, attrs["href"])
		}
	}
}

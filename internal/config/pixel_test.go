package config_test

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func parsePixel(t *testing.T, value string) (*config.Config, error) {
	t.Helper()
	return config.Parse("f.yaml", []byte("output:\n  dir: out\n  pixel_url: "+value+"\nsources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: n, feed: \"http://h.test/f\"}]\n"))
}

func TestPixelURLIsOneStringOrAList(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  config.PixelURLs
	}{
		{`"http://a.example/hit/{path}"`, config.PixelURLs{"http://a.example/hit/{path}"}},
		{"\n    - http://a.example/hit/{path}\n    - http://b.example/hit/{path}", config.PixelURLs{"http://a.example/hit/{path}", "http://b.example/hit/{path}"}},
		{`["http://a.example/hit/{path}"]`, config.PixelURLs{"http://a.example/hit/{path}"}},
		{`""`, nil},
	} {
		cfg, err := parsePixel(t, tc.value)
		if err != nil {
			t.Errorf("%s: %v", tc.value, err)
			continue
		}
		if fmt.Sprint(cfg.Output.PixelURL) != fmt.Sprint(tc.want) {
			t.Errorf("%s: got %q, want %q", tc.value, cfg.Output.PixelURL, tc.want)
		}
	}
}

func TestBadPixelURLsAreNamedAtTheirLine(t *testing.T) {
	os.Unsetenv("NM_SURELY_UNSET")
	for _, tc := range []struct{ value, want string }{
		{`"http://a.example/{paht}"`, "f.yaml:3: output.pixel_url: unknown placeholder"},
		{"\n    - http://a.example/hit/{path}\n    - /hit/{path}", "f.yaml:5: output.pixel_url[1]: want an absolute URL"},
		{"\n    - http://a.example/hit/{path}\n    - http://a.example/hit/{path}", "f.yaml:5: output.pixel_url[1]: \"http://a.example/hit/{path}\" is listed twice"},
		{"\n    - http://a.example/hit/{path}\n    - \"\"", "f.yaml:5: output.pixel_url[1]: empty URL"},
		{"\n    - http://a.example/hit/{path}\n    - http://${NM_SURELY_UNSET}/hit/{path}", "f.yaml:5: output.pixel_url[1]: ${NM_SURELY_UNSET} is not set"},
		{"{host: a.example}", "f.yaml:3: "},
	} {
		_, err := parsePixel(t, tc.value)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want %q", tc.value, err, tc.want)
		}
	}
}

func TestEachPageLoadsOnePixelHostAlwaysTheSame(t *testing.T) {
	one := config.PixelURLs{"http://a.example/hit/{path}"}
	three := config.PixelURLs{"http://a.example/hit/{path}", "http://b.example/hit/{path}", "http://c.example/hit/{path}"}
	if got := one.Expand("pages/p9/994979.md", "p9", "994979"); got != "http://a.example/hit/pages/p9/994979.md" {
		t.Errorf("one host: %q", got)
	}
	if got := (config.PixelURLs{}).Expand("README.md", "", ""); got != "" {
		t.Errorf("no host: %q", got)
	}
	shares := map[config.URLTemplate]int{}
	const pages = 30000
	for i := range pages {
		path := fmt.Sprintf("pages/c%d/%d.md", i%40, 100000+i*7)
		got := three.For(path)
		if again := three.For(path); again != got {
			t.Fatalf("%s: %q then %q", path, got, again)
		}
		shares[got]++
	}
	for _, u := range three {
		if share := float64(shares[u]) / pages; math.Abs(share-1.0/3) > 0.02 {
			t.Errorf("%s loaded by %.1f%% of the pages, want about a third", u, 100*share)
		}
	}
	// The choice is a function of the path alone: fixed for a given list,
	// whichever process renders the page.
	if got := three.For("pages/p9/994979.md"); got != three[fnvPick("pages/p9/994979.md", 3)] {
		t.Errorf("pick of pages/p9/994979.md = %q", got)
	}
}

// fnvPick is FNV-1a 32 of path modulo n, written out.
func fnvPick(path string, n uint32) uint32 {
	h := uint32(2166136261)
	for i := range len(path) {
		h ^= uint32(path[i])
		h *= 16777619
	}
	return h % n
}

func TestPixelHostsAreNamedInOrder(t *testing.T) {
	p := config.PixelURLs{"https://a.example:8443/hit/{path}", "http://b.example/{path}"}
	if got := strings.Join(p.Hosts(), " "); got != "a.example:8443 b.example" {
		t.Errorf("hosts = %q", got)
	}
}

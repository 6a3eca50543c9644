package config_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/feed"
)

func TestFetchKeysAreCheckedWithLines(t *testing.T) {
	for _, tc := range []struct{ name, old, new, want string }{
		{"bad channel kind", "feed: \"http", "kind: rss, feed: \"http", "valid.yaml:9: sources[0].channels[0].kind: want feed, listing or json"},
		{"listing without item selector", "feed: \"http", "kind: listing, feed: \"http", "valid.yaml:5: sources[0].items.listing.item"},
		{"bad listing selector", "    prefix: S\n", "    prefix: S\n    items: {listing: {item: 'div[', link: a}}\n", "valid.yaml:7: sources[0].items.listing.item: bad selector"},
		{"bad id pattern", "    prefix: S\n", "    prefix: S\n    items: {id_pattern: '(('}\n", "valid.yaml:7: sources[0].items.id_pattern"},
		{"bad items zone", "    prefix: S\n", "    prefix: S\n    items: {timezone: Mars/Base}\n", "valid.yaml:7: sources[0].items.timezone: unknown time zone"},
		{"bad JSON field", "feed: \"http", "kind: json, feed: \"http", ""},
		{"bad source proxy", "    prefix: S\n", "    prefix: S\n    fetch: {proxy: 'ftp://p:21'}\n", "valid.yaml:7: sources[0].fetch.proxy: unsupported scheme"},
		{"bad charset", "    prefix: S\n", "    prefix: S\n    fetch: {charset: klingon}\n", "valid.yaml:7: sources[0].fetch.charset: unknown charset"},
		{"bad allow entry", "sources:\n", "fetch: {allow: ['10.0.0.0/99']}\nsources:\n", "valid.yaml:4: fetch.allow: want a host name"},
		{"bad per_host", "sources:\n", "fetch: {per_host: 0}\nsources:\n", "valid.yaml:4: fetch.per_host: must be 1 to 64"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			text := strings.Replace(valid, tc.old, tc.new, 1)
			cfg, err := config.Parse("valid.yaml", []byte(text))
			if tc.want == "" { // valid: the JSON listing defaults to minghui's mapping
				if err != nil || cfg.Sources[0].Items.JSON.Fields[3] != "link" {
					t.Fatalf("err = %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestMoreSourcesExampleLoads(t *testing.T) {
	cfg, err := config.Load("../../examples/more-sources.yaml")
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string]string{}
	for _, src := range cfg.Sources {
		for _, ch := range src.Channels {
			kinds[ch.ID] = ch.Kind
		}
	}
	if kinds["nsc993"] != "feed" || kinds["prog204"] != "listing" || kinds["mh91"] != "json" {
		t.Errorf("channel kinds %v", kinds)
	}
	if cfg.Fetch.Workers != 20 || cfg.Sources[1].Fetch.PerHost != 1 {
		t.Errorf("fetch options not read: %+v / %+v", cfg.Fetch, cfg.Sources[1].Fetch)
	}
	for src, ids := range map[int]map[string]string{
		0: {"http://www.epochtimes.com/gb/18/10/5/n10762362.htm": "n10762362", "http://www.epochtimes.com/gb/?p=11612360": "11612360"},
		2: {"https://www.minghui.org/mh/articles/1999/7/19/大陆大法学员-8624.html": "8624"},
	} {
		for raw, want := range ids {
			u, _ := url.Parse(raw)
			if got, err := feed.ArticleID(u, cfg.Sources[src].Items.ID); got != want {
				t.Errorf("id of %s = %q, %v; want %q", raw, got, err, want)
			}
		}
	}
}

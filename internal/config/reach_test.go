package config_test

import (
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
)

func TestParseChecksReachKeys(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{"unknown conversion", "    prefix: S\n", "    prefix: S\n    variants: [{convert: s2x, dir: zh-Hant}]\n", "valid.yaml:7: sources[0].variants[0].convert: unknown conversion"},
		{"reserved variant folder", "    prefix: S\n", "    prefix: S\n    variants: [{convert: s2t, dir: pages}]\n", "sources[0].variants[0].dir"},
		{"negative image cap", "    prefix: S\n", "    prefix: S\n    images: {localize: true, max_bytes: -1}\n", "sources[0].images.max_bytes: must be positive"},
		{"html only without html", "  dir: out\n", "  dir: out\n  html: {only: true}\n", "output.html.only: the HTML site must be enabled"},
		{"bad asset url", "  dir: out\n", "  dir: out\n  asset_url: \"https://cdn.example/{owner}/{path}\"\n", "output.asset_url: unknown placeholder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := config.Parse("valid.yaml", []byte(strings.Replace(valid, tt.old, tt.new, 1)))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestParseDefaultsReachKeys(t *testing.T) {
	cfg, err := config.Parse("valid.yaml", []byte(valid))
	if err != nil {
		t.Fatal(err)
	}
	src := cfg.Sources[0]
	if src.Images.Localize || src.Images.MaxBytes != 5<<20 || len(src.Variants) != 0 {
		t.Errorf("source defaults: images %+v, variants %v", src.Images, src.Variants)
	}
	if cfg.Output.HTML.Enabled || cfg.Output.HTML.Lang != "zh-Hans" || cfg.Output.AssetURL != "" {
		t.Errorf("output defaults: html %+v, asset_url %q", cfg.Output.HTML, cfg.Output.AssetURL)
	}
}

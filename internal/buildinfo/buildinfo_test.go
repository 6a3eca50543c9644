package buildinfo

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestInfoReadsVersionRevisionAndTime(t *testing.T) {
	in := fromBuild(&debug.BuildInfo{
		GoVersion: "go1.26.0",
		Main:      debug.Module{Path: "github.com/newsmirror/newsmirror", Version: "v1.2.0"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "0123456789abcdef0123"},
			{Key: "vcs.time", Value: "2026-12-01T00:00:00Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	})
	if want := "newsmirror v1.2.0 (0123456789ab 2026-12-01T00:00:00Z modified) go1.26.0"; in.String() != want {
		t.Errorf("String() = %q, want %q", in.String(), want)
	}
	if want := "Mozilla/5.0 (compatible; newsmirror/v1.2.0)"; in.UserAgent() != want {
		t.Errorf("UserAgent() = %q, want %q", in.UserAgent(), want)
	}
}

func TestInfoOfAWorkTreeBuildIsDevel(t *testing.T) {
	in := fromBuild(&debug.BuildInfo{Main: debug.Module{Version: "(devel)"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "abcdef0123456789"}}})
	if in.Version != "devel" {
		t.Errorf("Version = %q, want devel", in.Version)
	}
	if ua := in.UserAgent(); !strings.Contains(ua, "newsmirror/devel-abcdef012345") {
		t.Errorf("UserAgent() = %q, want the revision in it", ua)
	}
}

// Package buildinfo tells which newsmirror this is: the module version, the
// VCS revision and its time, as the Go toolchain recorded them in the binary.
package buildinfo

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// Info is what the build recorded. Fields the build did not record are "".
type Info struct {
	Version  string // module version, e.g. v1.2.0 or a pseudo-version; "devel" for a build from a work tree without one
	Revision string // VCS revision (commit hash)
	Time     string // VCS commit time, RFC 3339
	Modified bool   // the work tree had changes not committed
	Go       string // Go toolchain version
}

// Read returns the running binary's build information.
func Read() Info {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return Info{Version: "devel"}
	}
	return fromBuild(bi)
}

func fromBuild(bi *debug.BuildInfo) Info {
	in := Info{Version: bi.Main.Version, Go: bi.GoVersion}
	if in.Version == "" || in.Version == "(devel)" {
		in.Version = "devel"
	}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			in.Revision = s.Value
		case "vcs.time":
			in.Time = s.Value
		case "vcs.modified":
			in.Modified = s.Value == "true"
		}
	}
	return in
}

// String is the one-line form "newsmirror v1.2.0 (abcdef123456 2026-12-01T00:00:00Z, modified)".
func (in Info) String() string {
	var extra []string
	if in.Revision != "" {
		extra = append(extra, shortRev(in.Revision))
	}
	if in.Time != "" {
		extra = append(extra, in.Time)
	}
	if in.Modified {
		extra = append(extra, "modified")
	}
	s := "newsmirror " + in.Version
	if len(extra) > 0 {
		s += " (" + strings.Join(extra, " ") + ")"
	}
	if in.Go != "" {
		s += fmt.Sprintf(" %s", in.Go)
	}
	return s
}

// UserAgent is the User-Agent newsmirror sends: a browser-like prefix (some
// sites refuse other clients) and newsmirror's version.
func (in Info) UserAgent() string {
	v := in.Version
	if v == "devel" && in.Revision != "" {
		v += "-" + shortRev(in.Revision)
	}
	return "Mozilla/5.0 (compatible; newsmirror/" + v + ")"
}

func shortRev(r string) string {
	if len(r) > 12 {
		return r[:12]
	}
	return r
}

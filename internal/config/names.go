package config

import (
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"

	"github.com/newsmirror/newsmirror/internal/fsname"
)

// names tracks the file names a configuration gives the mirror, by the
// key a case-insensitive file system sees, so that two of them can never
// be one file on a macOS or Windows clone.
type names map[string]string

// claim records name (a kind such as "index") used at path, reporting the
// path that already uses a name equal to it there.
func (n names) claim(kind, name, path string) (prev string, dup bool) {
	k := kind + ":" + fsname.Key(name)
	if prev, dup := n[k]; dup {
		return prev, true
	}
	n[k] = path
	return "", false
}

// checkFolder reports a folder name (a channel id, a variant folder) that
// a clone on some file system could not check out.
func checkFolder(s *errorSink, path, name string) {
	if err := fsname.Check(name); err != nil {
		s.at(path, "%v", err)
	}
}

// checkIndexName reports an index file name that some clone could not
// check out, or that is another list's file on a case-insensitive file
// system.
func checkIndexName(s *errorSink, path, name string, seen names) {
	if err := fsname.CheckStem(name); err != nil {
		s.at(path, "index name: %v", err)
		return
	}
	if prev, dup := seen.claim("index", name, path); dup {
		s.at(path, "index name %q is already used at %s (names that differ only in letter case are one file on macOS and Windows)", name, prev)
	}
}

var envRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// expandProxy fills each "${VAR}" of a proxy URL from the environment,
// escaped for a URL's user information, so that a proxy password need not
// sit in the file. An unset variable is an error naming it.
func expandProxy(s *errorSink, path string, p *string) {
	*p = envRef.ReplaceAllStringFunc(*p, func(m string) string {
		name := envRef.FindStringSubmatch(m)[1]
		v, ok := os.LookupEnv(name)
		if !ok {
			s.at(path, "${%s} is not set in the environment", name)
		}
		return strings.NewReplacer(":", "%3A", "@", "%40").Replace(url.PathEscape(v))
	})
}

// checkSourceIDs reports two sources with one id: their state and logs
// would mix.
func (c *Config) checkSourceIDs(s *errorSink) {
	seen := names{}
	for i, src := range c.Sources {
		path := fmt.Sprintf("sources[%d].id", i)
		if prev, dup := seen.claim("source", src.ID, path); dup {
			s.at(path, "source id %q is already used at %s", src.ID, prev)
		}
	}
}

package config

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/newsmirror/newsmirror/internal/store"
)

// StatePath is where the state lives: the SQLite file's path (Output.State
// relative to Output.Dir unless absolute), or Output.State itself when it
// is a PostgreSQL address.
func (c *Config) StatePath() string {
	if store.IsPostgres(c.Output.State) || filepath.IsAbs(c.Output.State) {
		return c.Output.State
	}
	return filepath.Join(c.Output.Dir, c.Output.State)
}

// LocalStatePath is the path of a file kept beside the state on this host
// (name is e.g. "-hits.json"): beside the SQLite file, or in the mirror's
// git-ignored .newsmirror folder when the state is in PostgreSQL.
func (c *Config) LocalStatePath(suffix string) string {
	if store.IsPostgres(c.Output.State) {
		return filepath.Join(c.Output.Dir, ".newsmirror", "state"+suffix)
	}
	return c.StatePath() + suffix
}

// expandState fills the "${VAR}" references of output.state. In a
// PostgreSQL address those of the user and password part are escaped for
// a URL, so a generated password with '@', ':' or '/' in it still makes
// one address; elsewhere they are replaced as in every other value.
func expandState(s *errorSink, state string) string {
	const path = "output.state"
	if !store.IsPostgres(state) {
		return expandString(s, path, state)
	}
	scheme, rest, _ := strings.Cut(state, "://")
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	at := strings.LastIndex(rest[:end], "@")
	if at < 0 {
		return expandString(s, path, state)
	}
	user := rest[:at]
	expandProxy(s, path, &user)
	return scheme + "://" + user + expandString(s, path, rest[at:])
}

// compileState checks a PostgreSQL address in output.state: it must name
// a host and a database. Messages never show its password.
func compileState(s *errorSink, state string) {
	if !store.IsPostgres(state) {
		return
	}
	u, err := url.Parse(state)
	if err != nil {
		s.at("output.state", "not a PostgreSQL address (postgres://user:password@host[:port]/database): %v", redactedURLError(err, state))
		return
	}
	if u.Host == "" || strings.Trim(u.Path, "/") == "" {
		s.at("output.state", "want postgres://user:password@host[:port]/database, got %s", store.Redact(state))
	}
}

// redactedURLError is url.Parse's complaint without the address, which
// may hold a password.
func redactedURLError(err error, state string) string {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err.Error()
	}
	return strings.ReplaceAll(err.Error(), state, store.Redact(state))
}

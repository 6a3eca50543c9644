// Package testfix gives tests the fixtures kept beside the repository, in
// the shared folder (real third-party feeds and pages, the reference
// system's page), which a plain clone does not have. A test that needs
// one fails when the environment says CI=true and the fixture is missing,
// and otherwise skips saying what it did not check: never a silent pass.
package testfix

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// EnvDir names an environment variable that, when set, is the shared
// folder; by default it is "shared" beside the repository's root.
const EnvDir = "NEWSMIRROR_SHARED"

// Shared returns the content of the file at path (slash-separated, inside
// the shared folder, e.g. "fixtures/real/feeds/x.xml"). When the file is
// missing it fails t under CI=true and skips t otherwise.
func Shared(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(SharedPath(t, path))
	if err != nil {
		t.Fatalf("read shared fixture %s: %v", path, err)
	}
	return data
}

// SharedPath returns the file-system path of the file or folder at path
// inside the shared folder, failing or skipping t as Shared does when it
// is missing.
func SharedPath(t testing.TB, path string) string {
	t.Helper()
	dir, err := sharedDir()
	full := filepath.Join(dir, filepath.FromSlash(path))
	if err == nil {
		_, err = os.Stat(full)
	}
	if err == nil {
		return full
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("shared fixture %s is missing (CI=true: it must be there): %v", path, err)
	}
	t.Skipf("shared fixture %s not found (%v): %s not checked; set %s or put the shared folder beside the repository", path, err, t.Name(), EnvDir)
	return ""
}

// sharedDir is $NEWSMIRROR_SHARED, or "shared" beside the folder holding
// go.mod (found from the working folder up).
func sharedDir() (string, error) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(filepath.Dir(dir), "shared"), nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fs.ErrNotExist
		}
		dir = parent
	}
}

// EnvPostgres names the environment variable holding the address of a
// PostgreSQL server the tests may create and drop databases on, as
// postgres://user:password@host:port/db (.ci/with-postgres sets it).
const EnvPostgres = "NEWSMIRROR_TEST_POSTGRES"

// Postgres returns the address in EnvPostgres. When it is unset it fails t
// under CI=true and skips t otherwise, saying what was not checked.
func Postgres(t testing.TB) string {
	t.Helper()
	if dsn := os.Getenv(EnvPostgres); dsn != "" {
		return dsn
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is not set (CI=true: PostgreSQL must be checked; run the tests through .ci/with-postgres)", EnvPostgres)
	}
	t.Skipf("%s not set: %s not checked on PostgreSQL; run through .ci/with-postgres to check it", EnvPostgres, t.Name())
	return ""
}

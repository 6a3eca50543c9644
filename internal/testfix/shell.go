package testfix

import (
	"os"
	"os/exec"
	"testing"
)

// Shell returns the path of the shell name (zsh, fish) for a test that
// runs a script in it. When it is not installed the test fails under CI
// (.ci/run installs zsh and fish) and otherwise skips saying what it did
// not check.
func Shell(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is not installed, and CI must run its completion test (.ci/run installs it)", name)
	}
	t.Skipf("%s is not installed: apt-get install %s (CI does) to run its completion script", name, name)
	return ""
}

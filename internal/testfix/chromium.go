package testfix

import (
	"os"
	"os/exec"
	"testing"
)

// Chromium returns the path of a headless-capable Chromium for browser
// tests. When none is installed the test fails under CI (.ci/run installs
// Debian's chromium) and otherwise skips saying what it did not check.
func Chromium(t testing.TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed, and CI must run the browser test (.ci/run installs it)")
	}
	t.Skip("chromium is not installed: apt-get install chromium (CI does) to run the browser test")
	return ""
}

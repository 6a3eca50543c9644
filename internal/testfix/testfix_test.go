package testfix_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

func TestSharedReadsFromTheSharedFolder(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "fixtures"), 0o755)
	os.WriteFile(filepath.Join(dir, "fixtures", "x.xml"), []byte("<rss/>"), 0o644)
	t.Setenv(testfix.EnvDir, dir)
	if got := string(testfix.Shared(t, "fixtures/x.xml")); got != "<rss/>" {
		t.Errorf("Shared = %q", got)
	}
}

// The missing-fixture cases run this test binary again, so that the skip
// or failure they cause is observed from outside.
func TestMissingSharedFixture(t *testing.T) {
	if os.Getenv("TESTFIX_CHILD") == "1" {
		testfix.Shared(t, "fixtures/none.xml")
		t.Error("Shared returned for a missing fixture")
		return
	}
	for _, tt := range []struct {
		ci   string
		fail bool
		want string
	}{
		{"true", true, "must be there"},
		{"", false, "TestMissingSharedFixture not checked"},
	} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingSharedFixture$", "-test.v")
		cmd.Env = append(os.Environ(), "TESTFIX_CHILD=1", "CI="+tt.ci, testfix.EnvDir+"="+t.TempDir())
		out, err := cmd.CombinedOutput()
		if failed := err != nil; failed != tt.fail || !strings.Contains(string(out), tt.want) {
			t.Errorf("CI=%q: failed %v, want %v; output:\n%s", tt.ci, failed, tt.fail, out)
		}
		if !tt.fail && !strings.Contains(string(out), "--- SKIP") {
			t.Errorf("CI=%q: not skipped:\n%s", tt.ci, out)
		}
	}
}

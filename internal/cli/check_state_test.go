package cli_test

import (
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/cli"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func stateConfig(t *testing.T, state string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.yaml")
	cfg := "output: {dir: out, state: \"" + state + "\"}\nsources:\n  - id: s\n    rules: {body: div}\n    channels: [{id: c, name: c, feed: \"http://h.test/f\"}]\n"
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckReachesAPostgreSQLState(t *testing.T) {
	state := storetest.PostgresState(t)
	code, stdout, stderr := run(t, "check", "-c", stateConfig(t, state))
	if code != cli.ExitOK || !strings.Contains(stdout, "ok (1 sources, 1 channels)") {
		t.Errorf("exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

func TestCheckSaysAnUnreachableStateIsUnreachableWithoutItsPassword(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	path := stateConfig(t, "postgres://mirror:s3cret@"+addr+"/news?connect_timeout=5")
	code, stdout, stderr := run(t, "check", "-c", path)
	if code == cli.ExitOK || !strings.Contains(stderr, "output.state") || !strings.Contains(stderr, "database unreachable") ||
		!strings.Contains(stderr, addr) {
		t.Errorf("exit %d, stdout %q, stderr %q; want the address named unreachable", code, stdout, stderr)
	}
	if strings.Contains(stdout+stderr, "s3cret") {
		t.Errorf("the password is shown: %s", stderr)
	}
}

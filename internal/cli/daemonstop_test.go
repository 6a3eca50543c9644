package cli_test

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestDaemonLogsItsStopOnSIGTERM starts the built binary's daemon, waits
// for its first run to end, sends SIGTERM while it waits for the next and
// reads the log line that says it stopped, and why.
func TestDaemonLogsItsStopOnSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	siteURL, _ := crashSite(t, nil)
	cfg := writeCrashConfig(t, dir, siteURL)
	daemon := exec.Command(bin, "run", "-c", cfg, "--every", "1h")
	stderr, err := daemon.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := daemon.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 100)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var log []string
	wait := func(want string) string {
		t.Helper()
		timeout := time.After(time.Minute)
		for {
			select {
			case l, ok := <-lines:
				if !ok {
					t.Fatalf("daemon's log ended before %q:\n%s", want, strings.Join(log, "\n"))
				}
				log = append(log, l)
				if strings.Contains(l, want) {
					return l
				}
			case <-timeout:
				daemon.Process.Kill()
				t.Fatalf("no %q in a minute:\n%s", want, strings.Join(log, "\n"))
			}
		}
	}
	wait("run finished")
	daemon.Process.Signal(syscall.SIGTERM)
	stop := wait("daemon stopped by signal")
	if !strings.Contains(stop, "while waiting for the next run") || !strings.Contains(stop, "signal=terminated") || !strings.Contains(stop, "level=INFO") {
		t.Errorf("stop line %q does not say it stopped between runs on SIGTERM", stop)
	}
	for range lines {
	}
	if err := daemon.Wait(); err != nil {
		t.Errorf("daemon exit after SIGTERM: %v", err)
	}
}

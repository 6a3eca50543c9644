package cli_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCheckRefusesAHostileConfiguration runs the built binary's check on a
// configuration holding every value check must refuse, and expects each
// named with its line.
func TestCheckRefusesAHostileConfiguration(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "c.yaml"), []byte(`output:
  dir: out
  commit_message: "{{range 100000000}}{{end}}"
fetch:
  max_body_bytes: 1099511627776
  timeout: 2562047h
  proxy: "http://me:${NEWSMIRROR_UNSET_PROXY_PASSWORD}@127.0.0.1:7890"
sources:
  - id: a
    prefix: "../../"
    rules: {body: div}
    channels: [{id: c1, name: n, feed: "http://a.example/f"}]
  - id: a
    prefix: ""
    rules: {body: div}
    channels: [{id: C1, name: 热点推荐, feed: "http://b.example/f"}]
`), 0o644)
	cmd := exec.Command(bin, "check", "-c", filepath.Join(dir, "c.yaml"))
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "NEWSMIRROR_UNSET_PROXY_PASSWORD=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); err == nil || code != 2 {
		t.Fatalf("check exited %d (%v), want 2:\n%s", code, err, out)
	}
	for _, want := range []string{
		"c.yaml:3: output.commit_message: bad template: takes more than 1s",
		"fetch.timeout: must be positive and at most 1h",
		"fetch.proxy: ${NEWSMIRROR_UNSET_PROXY_PASSWORD} is not set",
		`sources[0].channels[0].name: index name: file name "../../n" is not portable`,
		`sources[1].id: source id "a" is already used at sources[0].id`,
		`sources[1].channels[0].id: channel id "C1" is already used`,
		`index name "热点推荐" is already used at site.hot_name`,
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}
}

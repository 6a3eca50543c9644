package cli

import (
	"errors"
	"fmt"
	"testing"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/publish"
)

func TestDaemonCatchesUpOnlyWhenTheUpstreamHoldsAnotherWritersCommits(t *testing.T) {
	cfg := &config.Config{}
	cfg.Publish.Upstream = "up"
	stale := errors.New("refused refs/heads/main [rejected] (stale info): git push: exit status 1")
	cases := []struct {
		name   string
		pushes []publish.PushResult
		want   bool
	}{
		{"another writer's commit upstream", []publish.PushResult{{Remote: "up", Err: fmt.Errorf("push: %w", &publish.RejectedError{Remote: "up"})}}, true},
		{"the same refusal on another remote", []publish.PushResult{{Remote: "backup", Err: &publish.RejectedError{Remote: "backup"}}}, false},
		{"a stale lease publish could not settle", []publish.PushResult{{Remote: "up", Err: stale}}, false},
		{"a push that timed out", []publish.PushResult{{Remote: "up", Err: errors.New("timed out after 2m0s")}}, false},
		{"pushed", []publish.PushResult{{Remote: "up"}}, false},
	}
	for _, c := range cases {
		if got := rejected(cfg, &mirror.Report{Pushes: c.pushes}); got != c.want {
			t.Errorf("%s: rejected = %v, want %v", c.name, got, c.want)
		}
	}
}

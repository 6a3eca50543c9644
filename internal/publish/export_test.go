package publish

import (
	"context"
	"os"
	"syscall"
)

// CrashAt makes r's re-root stop with err at step ("written", "built",
// "recorded", "moved", "forgot", "pruned"), as a killed run would there.
func CrashAt(r *Repo, step string, err error) {
	r.crash = func(s string) error {
		if s == step {
			return err
		}
		return nil
	}
}

// KillAt makes r's re-root kill its own process with SIGKILL at step, as
// an operator's kill -9 or a lost host would.
func KillAt(r *Repo, step string) {
	r.crash = func(s string) error {
		if s == step {
			syscall.Kill(os.Getpid(), syscall.SIGKILL)
			select {} // the signal is on its way
		}
		return nil
	}
}

// RerootRefs are the refs a re-root in flight records, and PushedRefs
// the prefix of the push records.
const (
	RerootOldRef = rerootOldRef
	RerootNewRef = rerootNewRef
	PushedRefs   = pushedRefs
	// ChainRef is the full-history chain's tip.
	ChainRef = chainRef
)

// ExtendChain copies the branch's commits the full-history chain lacks
// onto it, as a push to a remote not marked rewrite does first.
func ExtendChain(ctx context.Context, r *Repo) (string, error) { return r.extendChain(ctx) }

package publish

// CrashAt makes r's re-root stop with err at step ("built", "recorded",
// "moved", "dropped"), as a killed run would there.
func CrashAt(r *Repo, step string, err error) {
	r.crash = func(s string) error {
		if s == step {
			return err
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
)

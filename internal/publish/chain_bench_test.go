package publish_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// BenchmarkChainKeepsTheFullHistory re-roots the history of
// BenchmarkRerootFreesTheOldHistory (300 commits of pages and photos) to
// its last 100 commits with a rewrite remote (gh) and a remote not marked
// rewrite (backup), pushes and cleans up as a run does, then makes 12 more
// commits (a day of runs) and times copying them onto the full-history
// chain. It reports the mirror's packed size before and after (the chain
// keeps the old history), both remotes' sizes, and the copy's time.
//
//	go test ./internal/publish/ -run '^$' -bench ChainKeeps -benchtime 1x
func BenchmarkChainKeepsTheFullHistory(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		gh, backup := root+"/gh.git", root+"/backup.git"
		gitB(b, root, "init", "-q", "--bare", "-b", "main", gh)
		gitB(b, root, "init", "-q", "--bare", "-b", "main", backup)
		remotes := []publish.Remote{{Name: "gh", URL: "file://" + gh, Rewrite: true}, {Name: "backup", URL: "file://" + backup}}
		r := churnHistory(b, root+"/m", 300)
		gitB(b, r.Dir, "gc", "-q")
		before := packedKB(b, r.Dir)
		pushB(b, r, remotes)
		if _, err := r.Reroot(ctx, publish.Window{Commits: 100}, remotes, dayAt(400)); err != nil {
			b.Fatal(err)
		}
		pushB(b, r, remotes)
		if done, err := r.FinishReroot(ctx, remotes); !done || err != nil {
			b.Fatalf("FinishReroot = %v, %v", done, err)
		}
		after := packedKB(b, r.Dir)
		tree := publish.Tree{Dir: r.Dir}
		for i := 300; i < 312; i++ {
			page := fmt.Sprintf("pages/c/%d.md", i)
			tree.Write(page, []byte(fmt.Sprintf("day %d\n", i)))
			if _, err := r.Commit(ctx, []string{page}, fmt.Sprintf("day %d", i), dayAt(i)); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		began := time.Now()
		if _, err := publish.ExtendChain(ctx, r); err != nil {
			b.Fatal(err)
		}
		copied := time.Since(began)
		b.StopTimer()
		pushB(b, r, remotes)
		b.ReportMetric(before, "KiB-before")
		b.ReportMetric(after, "KiB-after-gc")
		b.ReportMetric(packedKB(b, gh), "KiB-gh")
		b.ReportMetric(packedKB(b, backup), "KiB-backup")
		b.ReportMetric(float64(copied.Milliseconds()), "ms-copy-12")
		b.StartTimer()
	}
}

// pushB pushes r to remotes and fails the benchmark on an error.
func pushB(b *testing.B, r *publish.Repo, remotes []publish.Remote) {
	b.Helper()
	for _, res := range r.Push(context.Background(), remotes, "main", time.Minute) {
		if res.Err != nil {
			b.Fatalf("push %s: %v", res.Remote, res.Err)
		}
	}
}

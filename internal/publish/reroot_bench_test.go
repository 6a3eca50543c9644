package publish_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// words are the vocabulary of the benchmark's pages: text that compresses
// about as much as the mirror's Markdown.
var words = strings.Fields("新闻 报道 记者 政府 中国 北京 上海 经济 社会 人民 发展 国际 美国 网络 信息 消息 官方 公司 市场 问题 the of and to in that for is on with")

// churnHistory makes the repository of BenchmarkRerootFreesTheOldHistory:
// n commits a day apart, each adding a page of ~15 KB of text and, every
// other commit, a ~90 KB incompressible image (a photo), and removing the
// page and image of 50 commits before (retention), so the tree stays
// small and the history keeps everything.
func churnHistory(b *testing.B, dir string, n int) *publish.Repo {
	ctx := context.Background()
	r, err := publish.OpenRepo(ctx, dir, "mirror <m@localhost>")
	if err != nil {
		b.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	tree := publish.Tree{Dir: dir}
	for i := range n {
		var page strings.Builder
		for page.Len() < 15<<10 {
			page.WriteString(words[rng.IntN(len(words))])
			page.WriteByte(" \n"[rng.IntN(2)])
		}
		paths := []string{fmt.Sprintf("pages/c/%d.md", i)}
		tree.Write(paths[0], []byte(page.String()))
		if i%2 == 0 {
			img := make([]byte, 60<<10+rng.IntN(60<<10))
			for j := range img {
				img[j] = byte(rng.Uint32())
			}
			paths = append(paths, fmt.Sprintf("assets/%d.jpg", i))
			tree.Write(paths[1], img)
		}
		if i >= 50 {
			for _, old := range []string{fmt.Sprintf("pages/c/%d.md", i-50), fmt.Sprintf("assets/%d.jpg", i-50)} {
				tree.Remove(old)
				paths = append(paths, old)
			}
		}
		if _, err := r.Commit(ctx, paths, "day "+strconv.Itoa(i), dayAt(i)); err != nil {
			b.Fatal(err)
		}
	}
	return r
}

// packedKB is git's size-pack plus size (KiB) of the repository at dir.
func packedKB(b *testing.B, dir string) float64 {
	var total float64
	for _, line := range strings.Split(gitB(b, dir, "count-objects", "-v"), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		if k == "size-pack" || k == "size" {
			n, _ := strconv.ParseFloat(v, 64)
			total += n
		}
	}
	return total
}

func gitB(b *testing.B, dir string, args ...string) string {
	b.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		b.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// BenchmarkRerootFreesTheOldHistory re-roots a 300-commit history (text
// pages and photos, retention removing both) to its last 100 commits with
// a bare rewrite remote, and reports the packed size before (after a
// git gc), after the re-root alone, and after FinishReroot's gc, and the
// time each step takes.
//
//	go test ./internal/publish/ -run '^$' -bench RerootFrees -benchtime 1x
func BenchmarkRerootFreesTheOldHistory(b *testing.B) {
	ctx := context.Background()
	for range b.N {
		b.StopTimer()
		root := b.TempDir()
		remote := root + "/r.git"
		gitB(b, root, "init", "-q", "--bare", "-b", "main", remote)
		remotes := []publish.Remote{{Name: "r", URL: "file://" + remote, Rewrite: true}}
		r := churnHistory(b, root+"/m", 300)
		gitB(b, r.Dir, "gc", "-q")
		before := packedKB(b, r.Dir)
		for _, res := range r.Push(ctx, remotes, "main", time.Minute) {
			if res.Err != nil {
				b.Fatal(res.Err)
			}
		}
		b.StartTimer()
		began := time.Now()
		if _, err := r.Reroot(ctx, publish.Window{Commits: 100}, remotes, dayAt(400)); err != nil {
			b.Fatal(err)
		}
		rerooted := time.Since(began)
		b.StopTimer()
		moved := packedKB(b, r.Dir)
		r.Push(ctx, remotes, "main", time.Minute)
		b.StartTimer()
		began = time.Now()
		if done, err := r.FinishReroot(ctx, remotes); !done || err != nil {
			b.Fatalf("FinishReroot = %v, %v", done, err)
		}
		finished := time.Since(began)
		b.StopTimer()
		b.ReportMetric(before, "KiB-before")
		b.ReportMetric(moved, "KiB-rerooted")
		b.ReportMetric(packedKB(b, r.Dir), "KiB-after-gc")
		b.ReportMetric(packedKB(b, remote), "KiB-remote")
		b.ReportMetric(float64(rerooted.Milliseconds()), "ms-reroot")
		b.ReportMetric(float64(finished.Milliseconds()), "ms-gc")
		b.StartTimer()
	}
}

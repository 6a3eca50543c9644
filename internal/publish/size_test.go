package publish_test

import (
	"context"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// commitAt commits a file of n random (incompressible) bytes dated at.
func commitAt(t *testing.T, dir, name string, n int, at time.Time) {
	t.Helper()
	data := make([]byte, n)
	rng := rand.NewChaCha8([32]byte{byte(n), byte(len(name))})
	rng.Read(data)
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatal(err)
	}
	git(t, dir, "add", name)
	cmd := exec.Command("git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", name)
	date := at.Format(time.RFC3339)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("commit: %v\n%s", err, out)
	}
}

func TestSizesMeasurePacksTreeAndTheWeeksGrowth(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	repo, err := publish.OpenRepo(ctx, dir, "t <t@x>")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	commitAt(t, dir, "old.bin", 400_000, now.Add(-30*24*time.Hour))
	commitAt(t, dir, "new.bin", 700_000, now.Add(-2*24*time.Hour))
	os.MkdirAll(filepath.Join(dir, publish.OwnDir), 0o755)
	os.WriteFile(filepath.Join(dir, publish.OwnDir, "state.db"), make([]byte, 5_000_000), 0o644)
	git(t, dir, "gc", "-q")

	s, err := repo.Sizes(ctx, now)
	if err != nil {
		t.Fatal(err)
	}
	// Random bytes do not compress: the pack holds both files.
	if s.Packed < 1_100_000 || s.Packed > 1_300_000 || s.Loose != 0 {
		t.Errorf("packed %d, loose %d; want about 1.1 MB packed, nothing loose", s.Packed, s.Loose)
	}
	if s.Tree != 1_100_000 || s.Files != 2 {
		t.Errorf("tree %d bytes in %d files, want 1,100,000 in 2 (.git and %s aside)", s.Tree, s.Files, publish.OwnDir)
	}
	// Only new.bin is the week's: 700 KB over 7 days.
	if s.GrowthDays != 7 || s.Growth < 95_000 || s.Growth > 110_000 {
		t.Errorf("growth %d bytes/day over %g days, want about 100,000 over 7", s.Growth, s.GrowthDays)
	}
	if s.Commits != 2 || !s.Oldest.Equal(now.Add(-30*24*time.Hour)) {
		t.Errorf("history: %d commits since %v", s.Commits, s.Oldest)
	}

	// A loose object counts as loose until git packs it.
	commitAt(t, dir, "today.bin", 300_000, now.Add(-time.Hour))
	if s, _ = repo.Sizes(ctx, now); s.Loose < 290_000 {
		t.Errorf("loose %d after an unpacked commit of 300 KB", s.Loose)
	}
}

func TestSizesOfAYoungHistoryCountFromItsFirstCommit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	repo, _ := publish.OpenRepo(ctx, dir, "t <t@x>")
	now := time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC)
	if s, err := repo.Sizes(ctx, now); err != nil || s.Commits != 0 || s.Growth != 0 {
		t.Fatalf("empty repository: %+v, %v", s, err)
	}
	commitAt(t, dir, "a.bin", 200_000, now.Add(-48*time.Hour))
	s, err := repo.Sizes(ctx, now)
	if err != nil || s.GrowthDays != 2 || s.Growth < 95_000 || s.Growth > 110_000 {
		t.Errorf("growth %d bytes/day over %g days (%v), want about 100,000 over 2", s.Growth, s.GrowthDays, err)
	}
}

func TestByteSizeReadsUnits(t *testing.T) {
	for in, want := range map[string]publish.ByteSize{
		"1GB": 1e9, "500 MB": 500e6, "750MiB": 750 << 20, "1.5GiB": 3 << 29, "123456": 123456, "2 tb": 2e12,
	} {
		var got struct {
			B publish.ByteSize `yaml:"b"`
		}
		if err := yaml.Unmarshal([]byte("b: "+in), &got); err != nil || got.B != want {
			t.Errorf("%q → %d, %v; want %d", in, got.B, err, want)
		}
	}
	for _, in := range []string{"1XB", "-5MB", "GB", "lots"} {
		var b publish.ByteSize
		if err := b.UnmarshalText([]byte(in)); err == nil {
			t.Errorf("%q accepted as %d", in, b)
		}
	}
	if got := publish.ByteSize(1_234_567_890).String(); got != "1.2 GB" {
		t.Errorf("String() = %q", got)
	}
}

package publish

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Sizes is how much room the mirror repository takes, for "newsmirror
// status" and /metrics.
type Sizes struct {
	// Packed and Loose are the bytes of git's packs and loose objects
	// (git count-objects -v: size-pack, size); Packed + Loose is what the
	// history weighs, what a full clone and every backup remote pay.
	Packed, Loose int64
	// Tree is the bytes of the working tree's files (git's and
	// newsmirror's own folders aside), Files their number.
	Tree  int64
	Files int
	// Growth is the bytes the objects new in the last GrowthDays days take
	// on disk (git rev-list --disk-usage), per day: the mirror's branch and
	// the state branch.
	Growth     int64
	GrowthDays float64
	// Commits is the mirror branch's commit count and Oldest its first
	// commit's date: the history the repository holds. After a re-root
	// (publish.history), Oldest is the oldest commit kept (the root that
	// stands for the history cut aside) and Rerooted the re-root's date.
	Commits  int
	Oldest   time.Time
	Rerooted time.Time
}

// Repository is Packed + Loose.
func (s Sizes) Repository() int64 { return s.Packed + s.Loose }

// GrowthWindow is how far back Growth looks.
const GrowthWindow = 7 * 24 * time.Hour

// Sizes measures the repository at now. A repository without a commit has
// zero history and growth.
func (r *Repo) Sizes(ctx context.Context, now time.Time) (Sizes, error) {
	var s Sizes
	var err error
	if s.Packed, s.Loose, err = r.countObjects(ctx); err != nil {
		return s, err
	}
	if s.Tree, s.Files, err = treeSize(r.Dir); err != nil {
		return s, err
	}
	if r.Head(ctx) == "" {
		return s, nil
	}
	if err := r.history(ctx, &s); err != nil {
		return s, err
	}
	return s, r.growth(ctx, now, &s)
}

// countObjects reads size-pack and size (KiB) from git count-objects -v.
func (r *Repo) countObjects(ctx context.Context) (packed, loose int64, err error) {
	out, err := r.git(ctx, "count-objects", "-v")
	if err != nil {
		return 0, 0, fmt.Errorf("measure repository: %w", err)
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ": ")
		n, _ := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
		switch k {
		case "size-pack":
			packed = n << 10
		case "size":
			loose = n << 10
		}
	}
	return packed, loose, nil
}

// treeSize sums the regular files of the working tree, .git and
// newsmirror's own folder aside.
func treeSize(dir string) (int64, int, error) {
	var total int64
	var files int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() && p != dir && (d.Name() == ".git" || d.Name() == OwnDir) && filepath.Dir(p) == dir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed while walking
		}
		total += info.Size()
		files++
		return nil
	})
	if err != nil {
		return 0, 0, fmt.Errorf("measure working tree: %w", err)
	}
	return total, files, nil
}

// history fills the commit count and the first commit's date.
func (r *Repo) history(ctx context.Context, s *Sizes) error {
	out, err := r.git(ctx, "rev-list", "--count", "HEAD")
	if err != nil {
		return fmt.Errorf("measure history: %w", err)
	}
	s.Commits, _ = strconv.Atoi(strings.TrimSpace(out))
	if out, err = r.git(ctx, "log", "--max-parents=0", "--format=%ct %s", "HEAD"); err != nil {
		return fmt.Errorf("measure history: %w", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		secs, subject, _ := strings.Cut(line, " ")
		ts, err := strconv.ParseInt(secs, 10, 64)
		if err != nil {
			continue
		}
		oldest := time.Unix(ts, 0).UTC()
		if since, ok := strings.CutPrefix(subject, rootSubject); ok {
			// A re-root's root: dated when it was made; the subject names
			// the oldest commit kept.
			s.Rerooted = oldest
			if t, err := time.Parse(time.RFC3339, since); err == nil {
				oldest = t.UTC()
			}
		}
		if s.Oldest.IsZero() || oldest.Before(s.Oldest) {
			s.Oldest = oldest
		}
	}
	return nil
}

// growth measures what the objects new since GrowthWindow ago take on
// disk: those reachable from the mirror's branch and the state branch but
// not from their newest commits older than the window. A history younger
// than the window counts from its first commit.
func (r *Repo) growth(ctx context.Context, now time.Time, s *Sizes) error {
	since := now.Add(-GrowthWindow)
	args := []string{"rev-list", "--objects", "--disk-usage"}
	var not []string
	for _, ref := range []string{"HEAD", StateRef} {
		if !r.HasRef(ctx, ref) {
			continue
		}
		args = append(args, ref)
		base, err := r.git(ctx, "rev-list", "-1", "--before="+strconv.FormatInt(since.Unix(), 10), ref)
		if err == nil && strings.TrimSpace(base) != "" {
			not = append(not, strings.TrimSpace(base))
		}
	}
	if len(not) > 0 {
		args = append(append(args, "--not"), not...)
	}
	out, err := r.git(ctx, args...)
	if err != nil {
		return fmt.Errorf("measure growth: %w", err)
	}
	bytes, _ := strconv.ParseInt(strings.TrimSpace(out), 10, 64)
	days := GrowthWindow.Hours() / 24
	if s.Oldest.After(since) {
		days = max(now.Sub(s.Oldest).Hours()/24, 1)
	}
	s.Growth, s.GrowthDays = int64(float64(bytes)/days), days
	return nil
}

// ByteSize is a size in bytes, written in a configuration as a number of
// bytes or with a unit: "500MB", "1GB", "1.5 GiB" (KB, MB, GB, TB are
// powers of 1000; KiB, MiB, GiB, TiB of 1024).
type ByteSize int64

var byteUnits = map[string]float64{"": 1, "B": 1,
	"KB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12,
	"KIB": 1 << 10, "MIB": 1 << 20, "GIB": 1 << 30, "TIB": 1 << 40}

// UnmarshalText reads "1GB", "750 MiB" or a plain number of bytes.
func (b *ByteSize) UnmarshalText(text []byte) error {
	s := strings.TrimSpace(string(text))
	i := strings.IndexFunc(s, func(r rune) bool { return (r < '0' || r > '9') && r != '.' })
	if i < 0 {
		i = len(s)
	}
	n, err := strconv.ParseFloat(s[:i], 64)
	unit, ok := byteUnits[strings.ToUpper(strings.TrimSpace(s[i:]))]
	if err != nil || !ok || n < 0 {
		return fmt.Errorf("want a size such as 1GB, 500MB or 750MiB, got %q", s)
	}
	*b = ByteSize(n * unit)
	return nil
}

// String writes b with the largest decimal unit that keeps it at least
// 1, one decimal: "1.0 GB", "12.3 MB", "512 B".
func (b ByteSize) String() string {
	v := float64(b)
	for _, u := range []string{"TB", "GB", "MB", "KB"} {
		if f := byteUnits[u]; v >= f {
			return strconv.FormatFloat(v/f, 'f', 1, 64) + " " + u
		}
	}
	return strconv.FormatInt(int64(b), 10) + " B"
}

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// row is one measured simulated month.
type row struct {
	day int
	// pack and loose are "git count-objects -v"'s size-pack and size, in
	// bytes, as the runs left the mirror (git's own automatic gc only).
	pack, loose int64
	// tree is the working tree's bytes (the state folder excluded), files
	// its file count.
	tree  int64
	files int
	// shallow is a "git clone --depth 1 file://" repository's .git, and
	// shallowTime how long the clone took (checkout included); 0 when not
	// measured.
	shallow     int64
	shallowTime time.Duration
	// head is what the last commit's objects take on disk ("git rev-list
	// --objects --no-walk --disk-usage HEAD"): the figure a depth-1 clone
	// packs, less the clone's index and a few kilobytes; history is the
	// same for every reachable object ("--all"), the history as stored.
	head, history int64
	// load is the machine's one-minute load average when measured.
	load float64
	// full is a full "git clone --bare file://" (a fresh pack of the whole
	// history), fullTime its time; 0 when not measured.
	full     int64
	fullTime time.Duration
	cost     cost
}

// measure takes the month's sizes of the mirror in dir: always what git
// reports of the repository (count-objects, rev-list --disk-usage) and a
// walk of the tree; a real depth-1 clone when clone is set, a full one
// when full is (both cost minutes on a large mirror: pack-objects reads
// and compresses every object).
func measure(ctx context.Context, dir string, day int, clone, full bool) (row, error) {
	r := row{day: day, load: loadAverage()}
	if err := sizes(ctx, dir, &r); err != nil || !clone && !full {
		return r, err
	}
	tmp, err := os.MkdirTemp("", "year-clone-")
	if err != nil {
		return r, err
	}
	defer os.RemoveAll(tmp)
	url := "file://" + dir
	if clone {
		shallow := filepath.Join(tmp, "shallow")
		if r.shallowTime, err = timed(ctx, "", "clone", "--quiet", "--depth", "1", url, shallow); err != nil {
			return r, err
		}
		if r.shallow, _, err = dirSize(filepath.Join(shallow, ".git")); err != nil {
			return r, err
		}
		os.RemoveAll(shallow)
	}
	if full {
		bare := filepath.Join(tmp, "full.git")
		if r.fullTime, err = timed(ctx, "", "clone", "--quiet", "--bare", url, bare); err != nil {
			return r, err
		}
		if r.full, _, err = dirSize(bare); err != nil {
			return r, err
		}
	}
	return r, nil
}

// sizes fills r's sizes read from the repository and the tree, the four
// at once (they only read; the clones, which are timed, come after).
func sizes(ctx context.Context, dir string, r *row) error {
	var wg sync.WaitGroup
	errs := make([]error, 4)
	wg.Go(func() { r.pack, r.loose, errs[0] = countObjects(ctx, dir) })
	wg.Go(func() { r.head, errs[1] = diskUsage(ctx, dir, "--no-walk", "HEAD") })
	wg.Go(func() { r.history, errs[2] = diskUsage(ctx, dir, "--all") })
	wg.Go(func() { r.tree, r.files, errs[3] = treeSize(dir) })
	wg.Wait()
	return errors.Join(errs...)
}

// countObjects returns size-pack and size (loose) of the repository, in bytes.
func countObjects(ctx context.Context, dir string) (pack, loose int64, err error) {
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "count-objects", "-v").Output()
	if err != nil {
		return 0, 0, fmt.Errorf("git count-objects: %w", err)
	}
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), ": ")
		n, _ := strconv.ParseInt(v, 10, 64)
		switch k {
		case "size-pack":
			pack = n << 10
		case "size":
			loose = n << 10
		}
	}
	return pack, loose, nil
}

// diskUsage is "git rev-list --objects --disk-usage" of revs, in bytes.
func diskUsage(ctx context.Context, dir string, revs ...string) (int64, error) {
	args := append([]string{"-C", dir, "rev-list", "--objects", "--disk-usage"}, revs...)
	out, err := exec.CommandContext(ctx, "git", args...).Output()
	if err != nil {
		return 0, fmt.Errorf("git rev-list --disk-usage: %w", err)
	}
	return strconv.ParseInt(strings.TrimSpace(string(out)), 10, 64)
}

// timed runs git in dir and returns its wall time.
func timed(ctx context.Context, dir string, args ...string) (time.Duration, error) {
	cmd := exec.CommandContext(ctx, "git", args...)
	cmd.Dir = dir
	t0 := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		return 0, fmt.Errorf("git %s: %w: %s", strings.Join(args, " "), err, out)
	}
	return time.Since(t0), nil
}

// treeSize is the size of the mirror's files, .git and the state folder
// (.newsmirror) excluded.
func treeSize(dir string) (int64, int, error) {
	var size int64
	var files int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != dir && (d.Name() == ".git" || d.Name() == ".newsmirror") {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			size += info.Size()
			files++
		}
		return nil
	})
	return size, files, err
}

// dirSize is the size of every regular file beneath dir.
func dirSize(dir string) (int64, int, error) {
	var size int64
	var files int
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		size += info.Size()
		files++
		return nil
	})
	return size, files, err
}

// loadAverage is the one-minute load average (0 where /proc has none).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b) + " 0")[0], 64)
	return f
}

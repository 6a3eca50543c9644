package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Snapshot copies the SQLite database at path into a new database file
// at dst (which must not exist), consistent as of one moment. It never
// opens the database at path: the database, its write-ahead log (-wal)
// and shared-memory index (-shm) are left byte for byte as they were,
// even after a crash left committed transactions in the log (a
// connection to them would move those into the database as it closed).
// It copies the files as bytes beside dst, opens only that copy (which
// recovers the log as SQLite does after a crash) and writes it out with
// VACUUM INTO. A dry run works on such a copy.
func Snapshot(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dst), "state-copy-")
	if err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	defer os.RemoveAll(tmp)
	cp := filepath.Join(tmp, "state.db")
	if err := copyStill(ctx, path, cp); err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+cp+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	return nil
}

// copyStill copies the database at path and the files SQLite keeps
// beside it (its write-ahead log, a rollback journal) to dst until a copy
// is made while none of them changed (another process may be writing to
// them), at most a few times. The shared-memory index is not copied: the
// first connection to the copy rebuilds it from the log.
func copyStill(ctx context.Context, path, dst string) error {
	companions := []string{"", "-wal", "-journal"}
	for range 5 {
		before, err := fileStamps(path, companions)
		if err != nil {
			return err
		}
		for _, c := range companions {
			if err := copyFile(path+c, dst+c); err != nil {
				return err
			}
		}
		after, err := fileStamps(path, companions)
		if err != nil {
			return err
		}
		if bytes.Equal(before, after) {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return errors.New("the database kept changing while it was copied")
}

// fileStamps describes the size and modification time of the files
// named path with each suffix.
func fileStamps(path string, companions []string) ([]byte, error) {
	var b []byte
	for _, c := range companions {
		st, err := os.Stat(path + c)
		if errors.Is(err, os.ErrNotExist) {
			b = append(b, '-')
			continue
		} else if err != nil {
			return nil, err
		}
		b = fmt.Appendf(b, "%d %d;", st.Size(), st.ModTime().UnixNano())
	}
	return b, nil
}

// copyFile copies src to dst as bytes; a missing src is no copy (and
// removes an earlier attempt's).
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if errors.Is(err, os.ErrNotExist) {
		if err := os.Remove(dst); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
		return nil
	} else if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

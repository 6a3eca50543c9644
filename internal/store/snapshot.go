package store

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
)

// Snapshot copies the database at path into a new database file at dst
// (which must not exist), consistent as of one moment. It only reads:
// the database at path and what it records are left byte for byte as
// they were, and no file is left beside it. (A read-only connection
// would leave its write-ahead log and shared-memory files behind, which
// the last ordinary connection removes as it closes.) A dry run works on
// such a copy.
func Snapshot(ctx context.Context, path, dst string) error {
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, dst); err != nil {
		return fmt.Errorf("copy state %s: %w", path, err)
	}
	return nil
}

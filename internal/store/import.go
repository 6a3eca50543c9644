package store

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// ErrNotEmpty means Import was asked to fill a database that already
// holds articles.
var ErrNotEmpty = errors.New("the state database already holds articles")

// Import fills an empty database from an export written by Export (of
// this or an older schema: a column the export lacks takes its default),
// in one transaction, and returns its header. An export of a newer schema
// than this program's, a line it cannot read, rows missing from those its
// header counts, or a database that already holds articles is an error
// and nothing is imported.
func (s *Store) Import(ctx context.Context, r io.Reader) (ExportHeader, error) {
	return s.importParts(ctx, []part{{"", r}})
}

// ImportFiles is Import of the files of an export written by ExportFiles
// (by slash path), or of the one MainFile of a format 1 export. A file
// missing (MainFile, or one whose rows the header counts) is an error and
// nothing is imported.
func (s *Store) ImportFiles(ctx context.Context, files map[string][]byte) (ExportHeader, error) {
	if _, ok := files[MainFile]; !ok {
		return ExportHeader{}, fmt.Errorf("import state: the export has no %s", MainFile)
	}
	var parts []part
	for _, name := range fileOrder(files) {
		parts = append(parts, part{name, bytes.NewReader(files[name])})
	}
	return s.importParts(ctx, parts)
}

// part is one file of an export; name is "" for a whole export in one
// stream.
type part struct {
	name string
	r    io.Reader
}

func (s *Store) importParts(ctx context.Context, parts []part) (ExportHeader, error) {
	var h ExportHeader
	err := s.tx(ctx, func(tx txn) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles`).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrNotEmpty
		}
		im := importer{tx: tx, cols: map[string][]column{}, stmts: map[string]*sql.Stmt{}, schema: len(s.d.migrations)}
		defer im.close()
		for i, p := range parts {
			if err := im.read(ctx, p.r, &h, i == 0); err != nil {
				if p.name != "" {
					return fmt.Errorf("%s: %w", p.name, err)
				}
				return err
			}
		}
		if h.Format >= 2 && im.rows != h.Rows {
			return fmt.Errorf("the export holds %d rows, its header counts %d: a file of it is missing or cut", im.rows, h.Rows)
		}
		return nil
	})
	if err != nil {
		return h, fmt.Errorf("import state: %w", err)
	}
	return h, nil
}

type column struct {
	name string
	text bool // TEXT affinity: a missing NOT NULL value is ""
	fill bool // NOT NULL without a default: must be given
}

type importer struct {
	tx    txn
	cols  map[string][]column  // table → its columns in this schema
	stmts map[string]*sql.Stmt // statement text → prepared
	// schema is this program's schema version.
	schema int
	// rows counts the rows imported.
	rows int
}

// read imports the lines of r; the first line of the first part (first)
// is the export's header, which fills h.
func (im *importer) read(ctx context.Context, r io.Reader, h *ExportHeader, first bool) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	line := 0
	for sc.Scan() {
		line++
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		table, _ := obj["_table"].(string)
		delete(obj, "_table")
		if first && line == 1 {
			if err := header(obj, table, im.schema, h); err != nil {
				return fmt.Errorf("line 1: %w", err)
			}
			continue
		}
		if err := im.insert(ctx, table, obj); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		im.rows++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	if first && line == 0 {
		return errors.New("the export is empty")
	}
	return nil
}

// header checks the first line, against this program's schema version
// schema, and fills h.
func header(obj map[string]any, table string, schema int, h *ExportHeader) error {
	if table != headerTable {
		return fmt.Errorf("not a newsmirror state export (no %q header)", headerTable)
	}
	num := func(k string) int {
		n, _ := obj[k].(json.Number)
		v, _ := n.Int64()
		return int(v)
	}
	h.Format, h.Schema = num("format"), num("schema")
	h.Commit, _ = obj["commit"].(string)
	h.Rows = num("rows")
	if h.Format < 1 || h.Format > ExportFormat {
		return fmt.Errorf("export format %d, this program reads 1 to %d", h.Format, ExportFormat)
	}
	if h.Schema > schema {
		return fmt.Errorf("exported from schema %d, newer than this program's (%d): upgrade newsmirror", h.Schema, schema)
	}
	return nil
}

// insert adds one exported row to table: columns this schema lacks are
// dropped, NOT NULL columns without a default the row leaves out are
// their type's zero.
func (im *importer) insert(ctx context.Context, table string, obj map[string]any) error {
	cols, err := im.columns(ctx, table)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(exported, func(t exportedTable) bool { return t.table == table })
	key := exported[i].order
	var names []string
	var args []any
	for _, c := range cols {
		v, ok := obj[c.name]
		switch {
		case ok:
			if n, isNum := v.(json.Number); isNum {
				if i, err := n.Int64(); err == nil {
					v = i
				} else if f, err := n.Float64(); err == nil {
					v = f
				}
			}
		case c.fill && c.text:
			v = ""
		case c.fill:
			v = int64(0)
		default:
			continue
		}
		names, args = append(names, c.name), append(args, v)
	}
	q := `INSERT INTO ` + table + ` (` + strings.Join(names, ", ") + `) VALUES (?` + strings.Repeat(", ?", len(names)-1) + `)
		ON CONFLICT (` + key + `) ` + upsert(names, key)
	st, ok := im.stmts[q]
	if !ok {
		if st, err = im.tx.PrepareContext(ctx, q); err != nil {
			return err
		}
		im.stmts[q] = st
	}
	_, err = st.ExecContext(ctx, args...)
	return err
}

// upsert is the ON CONFLICT action that replaces a row's columns but its
// key's: a row exported twice is imported once.
func upsert(names []string, key string) string {
	keys := strings.Split(key, ", ")
	var set []string
	for _, n := range names {
		if !slices.Contains(keys, n) {
			set = append(set, n+" = excluded."+n)
		}
	}
	if len(set) == 0 {
		return "DO NOTHING"
	}
	return "DO UPDATE SET " + strings.Join(set, ", ")
}

func (im *importer) close() {
	for _, st := range im.stmts {
		st.Close()
	}
}

// columns reads table's columns in this schema (once), refusing a table
// the export may not write.
func (im *importer) columns(ctx context.Context, table string) ([]column, error) {
	if cols, ok := im.cols[table]; ok {
		return cols, nil
	}
	if !slices.ContainsFunc(exported, func(t exportedTable) bool { return t.table == table }) {
		return nil, fmt.Errorf("unknown table %q", table)
	}
	rows, err := im.tx.QueryContext(ctx, im.tx.d.columns, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var typ string
		if err := rows.Scan(&c.name, &typ, &c.fill); err != nil {
			return nil, err
		}
		c.text = strings.Contains(strings.ToUpper(typ), "TEXT")
		cols = append(cols, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	im.cols[table] = cols
	return cols, nil
}

// RetireGone tombstones the live articles whose page is not in the mirror
// (present(path) false): after an import from an export older than the
// mirror's last commit, the pages that commit retired. No file is touched
// (they are gone already); it returns the pages retired.
func (s *Store) RetireGone(ctx context.Context, present func(page string) bool) ([]string, error) {
	live, err := s.LivePaths(ctx)
	if err != nil {
		return nil, err
	}
	var gone []string
	for _, p := range live {
		if !present(p) {
			gone = append(gone, p)
		}
	}
	slices.Sort(gone)
	err = s.tx(ctx, func(tx txn) error {
		for _, p := range gone {
			if _, err := tx.ExecContext(ctx, `UPDATE articles SET state = 'removed' WHERE path = ? AND state IN ('pending', 'committed')`, p); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("retire pages gone from the mirror: %w", err)
	}
	return gone, nil
}

// Adopt records a as a committed page the mirror holds but the state did
// not know (an import from an export older than the mirror's last
// commit), unless its URL is already a live page. A zero a.Published is
// taken as the newest publication time the channel's articles have. It
// returns whether the row was written.
func (s *Store) Adopt(ctx context.Context, a Article) (bool, error) {
	res, err := s.db.ExecContext(ctx, `INSERT INTO articles
		(url, source, channel, id, title, published, mirrored, hash, path, state)
		VALUES (?1, ?2, ?3, ?4, ?5, CASE WHEN CAST(?6 AS BIGINT) = 0
			THEN COALESCE((SELECT MAX(published) FROM articles WHERE channel = ?3), 0) ELSE ?6 END, ?7, '', ?8, 'committed')
		ON CONFLICT(url) DO UPDATE SET source=excluded.source, channel=excluded.channel, id=excluded.id,
			title=excluded.title, published=excluded.published, mirrored=excluded.mirrored,
			path=excluded.path, state='committed', error='', failure='', first_failed=0
		WHERE articles.state NOT IN ('pending', 'committed')`,
		a.URL, a.Source, a.Channel, a.ID, a.Title, unix(a.Published), unix(a.Mirrored), a.Path)
	if err != nil {
		return false, fmt.Errorf("adopt page %s: %w", a.Path, err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

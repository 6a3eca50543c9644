package store

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ExportFormat is the version of the export's layout (not of the schema).
// Format 2 splits the rows into files (MainFile and the day files) and
// counts them in the header; format 1, one file without a count, is still
// imported.
const ExportFormat = 2

// ExportHeader is the first line of an export: what it is and which
// commit of the mirror it describes.
type ExportHeader struct {
	Format int `json:"format"`
	// Schema is the schema version of the database it was taken from.
	Schema int `json:"schema"`
	// Commit is the mirror's commit the state describes ("" when unknown).
	Commit string `json:"commit"`
	// Rows is the number of rows in all the export's files (format 2 on;
	// 0 in format 1, which did not count them).
	Rows int `json:"rows"`
}

// MainFile is the file an export starts with: the header line, then the
// small tables (hosts, health, encodings). It changes on every export.
const MainFile = "state.jsonl"

// The day files hold the articles, the assets and which page uses which:
// DayDir/YYYY-MM/DD.jsonl the rows of the articles published on that day
// (UTC; the day they were mirrored when the feed gave no date) and of
// their pages' assets, UndatedFile the rows with no date. An article's
// row changes while it is live or failing and once more when retired, and
// its day does not change, so an export after a sync differs from the one
// before in the files of the days the sync mirrored or retired; the files
// of the other days keep their bytes.
const (
	DayDir      = "days"
	UndatedFile = DayDir + "/undated.jsonl"
)

// exported are the tables an export carries, each with the columns that
// order its rows (its key): the articles (mirrored, failed, tombstoned),
// which assets each page uses, the hosts backed off as down, and the
// health and encoding records status reads. Page hits, cache validators,
// the image-URL cache, push outcomes and the journal are not exported:
// they are rebuilt by running (and the journal is empty after a commit).
// byDay tables go to the day files, in this order (a page's assets find
// their day through its article, an asset through the pages using it);
// the others to MainFile.
var exported = []exportedTable{
	{"articles", "url", true},
	{"page_assets", "page, asset", true},
	{"assets", "path", true},
	{"hosts", "host", false},
	{"health", "subject, source, channel", false},
	{"encodings", "source, channel, document", false},
}

type exportedTable struct {
	table, order string
	byDay        bool
}

// tombstone are the columns a retired article keeps in an export: enough
// never to mirror its URL again, to count it, and to find its day file
// (published; mirrored when that is zero); its title, hash and path serve
// nothing once its page is gone, and tombstones are most of a year-old
// mirror's articles.
var tombstone = map[string]bool{"url": true, "source": true, "channel": true, "id": true, "state": true, "published": true}

const headerTable = "newsmirror-state"

// Export writes the durable part of the state as one stream of JSON
// Lines: the files of ExportFiles one after the other, MainFile first,
// the others by name. Import reads it back.
func (s *Store) Export(ctx context.Context, w io.Writer, commit string) error {
	files, err := s.ExportFiles(ctx, commit)
	if err != nil {
		return err
	}
	for _, name := range fileOrder(files) {
		if _, err := w.Write(files[name]); err != nil {
			return fmt.Errorf("export state: %w", err)
		}
	}
	return nil
}

// ExportFiles exports the durable part of the state as JSON Lines files,
// by slash path: MainFile (a header line, then the small tables) and the
// day files. Rows are one object per line, keys sorted, zero values left
// out; in each file table by table in a fixed order, rows sorted by key.
// The same state always gives the same bytes, one changed row changes one
// line of one file, and a file whose rows did not change keeps its bytes.
func (s *Store) ExportFiles(ctx context.Context, commit string) (map[string][]byte, error) {
	var schema int
	if err := s.db.QueryRowContext(ctx, s.d.version).Scan(&schema); err != nil {
		return nil, fmt.Errorf("export state: %w", err)
	}
	ex := exporter{files: map[string]*bytes.Buffer{}, pageDay: map[string]string{}, assetDay: map[string]string{}}
	for _, t := range exported {
		if err := s.scan(ctx, t, ex.add); err != nil {
			return nil, fmt.Errorf("export state: table %s: %w", t.table, err)
		}
	}
	head, _ := json.Marshal(map[string]any{"_table": headerTable, "format": ExportFormat, "schema": schema, "commit": commit, "rows": ex.rows})
	out := map[string][]byte{MainFile: append(append(head, '\n'), ex.main.Bytes()...)}
	for name, b := range ex.files {
		out[name] = b.Bytes()
	}
	return out, nil
}

// fileOrder is the order an export's files are read in: MainFile, then
// the others by name.
func fileOrder(files map[string][]byte) []string {
	names := []string{MainFile}
	for name := range files {
		if name != MainFile {
			names = append(names, name)
		}
	}
	slices.Sort(names[1:])
	return names
}

// exporter sorts the exported rows into files.
type exporter struct {
	main  bytes.Buffer
	files map[string]*bytes.Buffer // day file → its rows
	// pageDay is the day file of each live page's article, assetDay the
	// earliest day file of the pages using each asset. The assets of
	// retired pages (until the run's sweep forgets them) go to
	// UndatedFile.
	pageDay, assetDay map[string]string
	rows              int
}

// add encodes one row r of t into its file.
func (ex *exporter) add(t exportedTable, r row) error {
	ex.rows++
	if !t.byDay {
		return r.encode(&ex.main, t.table, nil)
	}
	var file string
	var keep func(string) bool
	switch t.table {
	case "articles":
		file = dayFile(r.int("published"), r.int("mirrored"))
		state := r.str("state")
		if state == Pending || state == Committed {
			ex.pageDay[r.str("path")] = file
		}
		if state == Removed {
			keep = func(c string) bool { return tombstone[c] || c == "mirrored" && r.int("published") == 0 }
		}
	case "page_assets":
		file = ex.pageDay[r.str("page")]
		if file == "" {
			file = UndatedFile
		}
		if a := r.str("asset"); ex.assetDay[a] == "" || file < ex.assetDay[a] {
			ex.assetDay[a] = file // UndatedFile sorts after every day
		}
	case "assets":
		if file = ex.assetDay[r.str("path")]; file == "" {
			file = UndatedFile
		}
	}
	b := ex.files[file]
	if b == nil {
		b = new(bytes.Buffer)
		ex.files[file] = b
	}
	return r.encode(b, t.table, keep)
}

// dayFile is the day file of an article published at published (Unix
// seconds; mirrored at mirrored when published is zero).
func dayFile(published, mirrored int64) string {
	t := published
	if t == 0 {
		t = mirrored
	}
	if t == 0 {
		return UndatedFile
	}
	return DayDir + "/" + time.Unix(t, 0).UTC().Format("2006-01/02") + ".jsonl"
}

// scan reads table t's rows in key order, giving each to each.
func (s *Store) scan(ctx context.Context, t exportedTable, each func(exportedTable, row) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT * FROM `+t.table+` ORDER BY `+t.order)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	r := row{cols: cols, vals: make([]any, len(cols)), sorted: sortedColumns(cols)}
	ptrs := make([]any, len(cols))
	for i := range r.vals {
		ptrs[i] = &r.vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		if err := each(t, r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// sortedColumns are the indexes of cols in name order, rowid left out
// (PostgreSQL's stand-in for SQLite's implicit one).
func sortedColumns(cols []string) []int {
	var idx []int
	for i, c := range cols {
		if c != "rowid" {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if cols[a] < cols[b] {
			return -1
		}
		return 1
	})
	return idx
}

// row is one scanned row: its columns and values.
type row struct {
	cols   []string
	vals   []any
	sorted []int // indexes of the columns to write, in name order
}

func (r row) value(col string) any {
	if i := slices.Index(r.cols, col); i >= 0 {
		return r.vals[i]
	}
	return nil
}

func (r row) int(col string) int64 {
	v, _ := r.value(col).(int64)
	return v
}

func (r row) str(col string) string {
	switch v := r.value(col).(type) {
	case string:
		return v
	case []byte:
		return string(v)
	}
	return ""
}

// encode writes r as one JSON object on a line: "_table" first, then the
// columns by name (only those keep accepts, when it is not nil), zero
// integers, empty texts and NULLs left out. The bytes are those
// encoding/json gives for the same map.
func (r row) encode(b *bytes.Buffer, table string, keep func(col string) bool) error {
	b.WriteString(`{"_table":`)
	writeString(b, table)
	for _, i := range r.sorted {
		c := r.cols[i]
		if keep != nil && !keep(c) {
			continue
		}
		switch v := r.vals[i].(type) {
		case nil:
		case int64:
			if v != 0 {
				b.WriteString(`,"` + c + `":`)
				b.Write(strconv.AppendInt(b.AvailableBuffer(), v, 10))
			}
		case []byte:
			if len(v) > 0 {
				b.WriteString(`,"` + c + `":`)
				writeString(b, string(v))
			}
		case string:
			if v != "" {
				b.WriteString(`,"` + c + `":`)
				writeString(b, v)
			}
		default:
			enc, err := json.Marshal(v)
			if err != nil {
				return err
			}
			b.WriteString(`,"` + c + `":`)
			b.Write(enc)
		}
	}
	b.WriteString("}\n")
	return nil
}

// writeString writes s as encoding/json does.
func writeString(b *bytes.Buffer, s string) {
	if plain(s) {
		b.WriteByte('"')
		b.WriteString(s)
		b.WriteByte('"')
		return
	}
	enc, _ := json.Marshal(s)
	b.Write(enc)
}

// plain reports whether s needs no escaping in JSON: valid UTF-8
// without control characters, quotes, backslashes, the characters
// encoding/json escapes for HTML, or U+2028 and U+2029.
func plain(s string) bool {
	ascii := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			return false
		}
		ascii = ascii && c < utf8.RuneSelf
	}
	return ascii || utf8.ValidString(s) && !strings.ContainsRune(s, '\u2028') && !strings.ContainsRune(s, '\u2029')
}

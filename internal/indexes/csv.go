package indexes

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
)

// Row is one "url,title" row of a links CSV.
type Row struct {
	Line       int
	URL, Title string
}

// RowError is a row that was skipped, with its line.
type RowError struct {
	File string
	Line int
	Msg  string
}

func (e *RowError) Error() string { return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg) }

// ReadCSV reads a links file as the reference wrote them: "url,title" per
// line, a space after the comma allowed, commas allowed in the title, no
// header. Rows that make no link are returned as *RowError, the others as
// rows; only an unreadable file is an error.
func ReadCSV(path string) ([]Row, []error, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("read links %s: %w", path, err)
	}
	defer f.Close()
	rows, bad := parseCSV(path, f)
	return rows, bad, nil
}

func parseCSV(name string, r io.Reader) ([]Row, []error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	cr.TrimLeadingSpace = true
	var rows []Row
	var bad []error
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, bad
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			bad = append(bad, &RowError{name, line, err.Error()})
			continue
		}
		row, msg := makeRow(line, rec)
		if msg != "" {
			bad = append(bad, &RowError{name, line, msg})
			continue
		}
		rows = append(rows, row)
	}
}

func makeRow(line int, rec []string) (Row, string) {
	if len(rec) < 2 {
		return Row{}, "want \"url,title\""
	}
	row := Row{Line: line, URL: strings.TrimSpace(rec[0]), Title: strings.TrimSpace(strings.Join(rec[1:], ","))}
	switch {
	case row.URL == "":
		return row, "empty URL"
	case row.Title == "":
		return row, "empty title"
	}
	if _, err := url.Parse(Absolute(row.URL)); err != nil {
		return row, fmt.Sprintf("bad URL %q", row.URL)
	}
	return row, ""
}

// Absolute gives a scheme to a URL written without one ("ntdtv.com/gb/…"
// → "https://ntdtv.com/gb/…"); a path ("/7year.md", "pages/x.md") and a
// URL with a scheme are returned as they are.
func Absolute(u string) string {
	if strings.Contains(u, "://") || strings.HasPrefix(u, "/") || strings.HasPrefix(u, ".") {
		return u
	}
	host, _, _ := strings.Cut(u, "/")
	if strings.Contains(host, ".") && !strings.HasSuffix(host, ".md") {
		return "https://" + u
	}
	return u
}

// Variants are the URLs an article written as u may have been mirrored
// under: http and https, with and without "www.", and the "cn." and "m."
// hosts the reference's sites also served. u must be absolute.
func Variants(u string) []string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return nil
	}
	host := strings.ToLower(p.Hostname())
	for _, pre := range []string{"www.", "cn.", "m."} {
		host = strings.TrimPrefix(host, pre)
	}
	rest := p.EscapedPath()
	if p.RawQuery != "" {
		rest += "?" + p.RawQuery
	}
	var out []string
	for _, scheme := range []string{"https://", "http://"} {
		for _, pre := range []string{"www.", "", "cn.", "m."} {
			out = append(out, scheme+pre+host+rest)
		}
	}
	return out
}

// Relative reports whether a row's URL is a path inside the mirror
// ("/7year.md"), returning it relative to the repository root.
func Relative(u string) (string, bool) {
	if strings.Contains(u, "://") {
		return "", false
	}
	if strings.HasPrefix(u, "/") || strings.HasSuffix(strings.SplitN(u, "/", 2)[0], ".md") || strings.HasPrefix(u, "pages/") || strings.HasPrefix(u, "indexes/") {
		return strings.TrimPrefix(u, "/"), true
	}
	return "", false
}

package store_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/newsmirror/newsmirror/internal/store"
)

// yearExport is the export of a mirror a year old at the reference's rate
// (150 articles a day in 9 channels, publish.keep 500): 54,750 articles,
// 4,500 of them live with 2 images each, the rest tombstones.
func yearExport(b *testing.B) []byte {
	var buf bytes.Buffer
	buf.WriteString(`{"_table":"newsmirror-state","commit":"0123456789abcdef0123456789abcdef01234567","format":1,"schema":1}` + "\n")
	const total, live = 54_750, 4_500
	var assets []string
	for i := range total {
		ch := fmt.Sprintf("ch%d", i%9)
		state := "removed"
		if i >= total-live {
			state = "committed"
		}
		path := fmt.Sprintf("pages/%s/%d.md", ch, 1_000_000+i)
		fmt.Fprintf(&buf, `{"_table":"articles","channel":"%s","hash":"%064x","id":"%d","mirrored":%d,"path":"%s","published":%d,"source":"sc","state":"%s","title":"中共官员在新闻发布会上回应记者提问 第%d号","url":"https://www.secretchina.com/news/gb/2026/03/01/%d.html"}`+"\n",
			ch, i, 1_000_000+i, 1_700_000_000+i*576, path, 1_700_000_000+i*576, state, i, 1_000_000+i)
		if state == "committed" {
			for k := range 2 {
				a := fmt.Sprintf("assets/%02x/%062x%02x.jpg", i%256, i, k)
				assets = append(assets, fmt.Sprintf(`{"_table":"page_assets","asset":"%s","page":"%s"}`, a, path))
			}
		}
	}
	for _, a := range assets {
		buf.WriteString(a + "\n")
	}
	return buf.Bytes()
}

// BenchmarkImportYear measures what a new host (or every GitHub Actions
// run) pays to import a year-old mirror's state.
func BenchmarkImportYear(b *testing.B) {
	data := yearExport(b)
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	for i := 0; b.Loop(); i++ {
		db, err := store.Open(ctx, filepath.Join(b.TempDir(), fmt.Sprintf("s%d.db", i)))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Import(ctx, bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}

// BenchmarkExportYear measures a committing run's export of the same state.
func BenchmarkExportYear(b *testing.B) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(b.TempDir(), "s.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Import(ctx, bytes.NewReader(yearExport(b))); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := db.Export(ctx, &buf, "0123456789abcdef0123456789abcdef01234567"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len()), "export-bytes")
}

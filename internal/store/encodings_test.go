package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

func TestEncodingsKeepTheLastDecisionAndCountGuesses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.Store) {
		ctx := context.Background()
		t0 := time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC)
		guess := store.Encoding{Source: "s", Channel: "c", Document: "page", URL: "http://x/1.html", Decision: "big5 (detected 0.91)", Reason: "detected"}
		must(t, db.RecordEncoding(ctx, guess, true, t0))
		sure := store.Encoding{Source: "s", Channel: "c", Document: "page", URL: "http://x/2.html", Decision: "utf-8 (utf8-valid)", Reason: "utf8-valid"}
		must(t, db.RecordEncoding(ctx, sure, false, t0.Add(time.Hour)))
		must(t, db.RecordEncoding(ctx, store.Encoding{Source: "s", Channel: "c", Document: "feed", Decision: "gb18030 (xml-declaration)", Reason: "xml-declaration"}, false, t0))
		es, err := db.Encodings(ctx)
		if err != nil || len(es) != 2 {
			t.Fatalf("encodings = %+v, %v", es, err)
		}
		p := es[1]
		if p.Document != "page" || p.Decision != sure.Decision || p.URL != sure.URL || p.Guesses != 1 ||
			p.LastGuess != "big5 (detected 0.91) http://x/1.html" || !p.Updated.Equal(t0.Add(time.Hour)) {
			t.Errorf("page decision %+v", p)
		}
		if f := es[0]; f.Document != "feed" || f.Guesses != 0 || f.LastGuess != "" {
			t.Errorf("feed decision %+v", f)
		}
	})
}

package decode_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newsmirror/newsmirror/internal/decode"

	"github.com/newsmirror/newsmirror/internal/testfix"
)

func TestRealFeedsAndPagesKeepTheirUTF8(t *testing.T) {
	// Real feeds and pages from public mirrors (not part of the repository).
	realDir := testfix.SharedPath(t, "fixtures/real")
	n := 0
	err := filepath.WalkDir(realDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") && strings.Contains(path, "README") {
			return err
		}
		data, err := os.ReadFile(path)
		if err != nil || len(data) == 0 {
			return err
		}
		kind := decode.HTML
		switch filepath.Ext(path) {
		case ".xml":
			kind = decode.Feed
		case ".js":
			kind = decode.JSON
		}
		out, dec := decode.Decode(decode.Input{Body: data, Kind: kind, Override: "gb18030"})
		if dec.Encoding != "utf-8" || dec.Guessed() || len(out) == 0 {
			t.Errorf("%s: decision %s", path, dec)
		}
		n++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d real feeds and pages decoded as UTF-8", n)
}

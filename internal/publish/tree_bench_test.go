package publish_test

import (
	"fmt"
	"testing"

	"github.com/newsmirror/newsmirror/internal/publish"
)

// BenchmarkTreeWrite writes one changed page (12 KB) beneath the mirror:
// the cost os.Root and the symbolic-link check add to every write.
//
//	go test ./internal/publish/ -run '^$' -bench TreeWrite -benchtime 2000x
func BenchmarkTreeWrite(b *testing.B) {
	tree := publish.Tree{Dir: b.TempDir()}
	data := make([]byte, 12<<10)
	b.ResetTimer()
	for i := range b.N {
		data[0] = byte(i)
		if _, err := tree.Write(fmt.Sprintf("pages/c%02d/%d.md", i%50, i%500), data); err != nil {
			b.Fatal(err)
		}
	}
}

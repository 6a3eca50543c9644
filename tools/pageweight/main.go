// Command pageweight prints, for pages of a mirror, what a reader's browser
// loads: bytes (page + local resources), requests, requests to other hosts
// and broken references. See BENCHMARKS.md for how the figures were made.
//
//	go run ./tools/pageweight -dir MIRROR PAGE...
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/newsmirror/newsmirror/internal/weigh"
)

func main() {
	dir := flag.String("dir", ".", "the mirror `folder`")
	flag.Parse()
	code := 0
	for _, page := range flag.Args() {
		r, err := weigh.Page(*dir, page)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
			continue
		}
		fmt.Println(r)
	}
	os.Exit(code)
}

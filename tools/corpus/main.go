// Command corpus writes the benchmark corpus (go run ./tools/corpus -n N
// -seed S -out DIR) and, with -serve, serves it on loopback so that a real
// "newsmirror sync -c DIR/newsmirror.yaml" can mirror it.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/newsmirror/newsmirror/internal/fakenews"
)

func main() {
	n := flag.Int("n", 1000, "number of articles")
	seed := flag.Uint64("seed", 1, "random seed")
	out := flag.String("out", "corpus", "`folder` to write (or serve)")
	serve := flag.Bool("serve", false, "serve -out on -addr instead of generating (until interrupted)")
	addr := flag.String("addr", "127.0.0.1:8799", "loopback `address` to serve on; written into newsmirror.yaml")
	flag.Parse()
	if err := run(*n, *seed, *out, *addr, *serve); err != nil {
		fmt.Fprintln(os.Stderr, "corpus:", err)
		os.Exit(1)
	}
}

func run(n int, seed uint64, out, addr string, serve bool) error {
	if !serve {
		st, err := fakenews.WriteCorpus(out, n, seed)
		if err != nil {
			return err
		}
		fmt.Printf("%d articles, %.1f MB (%.1f KB average) in %s\n", st.Articles, float64(st.Bytes)/1e6, float64(st.Bytes)/float64(st.Articles)/1024, out)
		return writeConfig(out, addr)
	}
	got, stop, err := fakenews.ServeCorpus(out, addr)
	if err != nil {
		return err
	}
	defer stop()
	if err := writeConfig(out, got); err != nil {
		return err
	}
	fmt.Printf("serving %s on http://%s/ (newsmirror sync -c %s)\n", out, got, filepath.Join(out, "newsmirror.yaml"))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	<-sig
	return nil
}

func writeConfig(out, addr string) error {
	return os.WriteFile(filepath.Join(out, "newsmirror.yaml"), []byte(fakenews.CorpusConfig(addr, "mirror")), 0o644)
}

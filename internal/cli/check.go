package cli

import (
	"context"
	"flag"
	"fmt"

	"github.com/newsmirror/newsmirror/internal/config"
)

func runCheck(_ context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	file := fs.String("c", "newsmirror.yaml", "configuration `file`")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	cfg, err := config.Load(*file)
	if err != nil {
		fmt.Fprintln(e.stderr, err)
		return ExitUsage
	}
	channels := 0
	for _, s := range cfg.Sources {
		channels += len(s.Channels)
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d sources, %d channels)\n", *file, len(cfg.Sources), channels)
	return ExitOK
}

// Command newsmirror mirrors news sites into a Git repository of Markdown
// pages. See README.md.
package main

import (
	"context"
	"os"
	"syscall"
	_ "time/tzdata" // time zones on machines without a zoneinfo database

	"github.com/newsmirror/newsmirror/internal/cli"
)

func main() {
	ctx, stop := cli.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

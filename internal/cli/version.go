package cli

import (
	"fmt"

	"github.com/newsmirror/newsmirror/internal/buildinfo"
)

// runVersion prints the build's version, revision and time.
func runVersion(e *env, args []string) int {
	if len(args) > 0 {
		fmt.Fprintf(e.stderr, "usage: %s\n", manuals["version"].usage)
		return ExitUsage
	}
	fmt.Fprintln(e.stdout, buildinfo.Read())
	return ExitOK
}

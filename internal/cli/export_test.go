package cli

import (
	"context"
	"io"
)

// RunOnTerminal runs args as Run does with stdout and stderr both writing
// to screen, taken for a terminal: a sync draws its progress bar there.
func RunOnTerminal(ctx context.Context, args []string, screen io.Writer) int {
	return run(ctx, args, screen, screen, true)
}

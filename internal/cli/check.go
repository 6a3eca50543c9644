package cli

import (
	"context"
	"fmt"
)

func runCheck(_ context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "check")
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	channels := 0
	for _, s := range cfg.Sources {
		channels += len(s.Channels)
	}
	fmt.Fprintf(e.stdout, "%s: ok (%d sources, %d channels)\n", *file, len(cfg.Sources), channels)
	return ExitOK
}

package cli

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/metrics"
	"github.com/newsmirror/newsmirror/internal/store"
)

func runServe(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "serve")
	addr := fs.String("addr", "", "listen `address` (default: serve.addr of the configuration, :8080)")
	cfg := loadConfig(e, fs, file, args)
	if cfg == nil {
		return ExitUsage
	}
	if len(cfg.Output.PixelURL) == 0 {
		fmt.Fprintf(e.stderr, "newsmirror serve: %s sets no output.pixel_url: pages carry no pixel to count\n", *file)
		return ExitUsage
	}
	prefix, err := pixelPrefix(cfg.Output.PixelURL)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror serve: output.pixel_url:", err)
		return ExitUsage
	}
	if *addr == "" {
		*addr = cfg.Serve.Addr
	}
	if err := serve(ctx, e, cfg, prefix, *addr); err != nil {
		fmt.Fprintln(e.stderr, "newsmirror serve:", err)
		return ExitFatal
	}
	return ExitOK
}

// pixelPrefix is the request path prefix every counter host answers: one
// serve binary runs behind each host name, so all must share it.
func pixelPrefix(urls config.PixelURLs) (string, error) {
	var prefix string
	for i, t := range urls {
		p, err := counter.Prefix(string(t))
		if err != nil {
			return "", err
		}
		if i > 0 && p != prefix {
			return "", fmt.Errorf("counter hosts must share one path: %q has %s, %q has %s", string(urls[0]), prefix, string(t), p)
		}
		prefix = p
	}
	return prefix, nil
}

// spillPath is the file, beside the state database (on this host when the
// state is in PostgreSQL), where serve keeps the hit counts the database
// took none of at shutdown, until its next start.
func spillPath(cfg *config.Config) string { return cfg.LocalStatePath("-hits.json") }

// serve counts hits on addr until ctx is done.
func serve(ctx context.Context, e *env, cfg *config.Config, prefix, addr string) error {
	db, err := store.Open(ctx, cfg.StatePath())
	if err != nil {
		return err
	}
	defer db.Close()
	m := metrics.New()
	if cfg.Serve.MetricsAddr != "" {
		if m, err = serveMetrics(ctx, e, cfg.Serve.MetricsAddr, nil); err != nil {
			return err
		}
	}
	wctx, stop := context.WithCancel(ctx)
	defer stop()
	go watchRepo(wctx, e, cfg, m)
	c, err := counter.New(ctx, counter.Config{
		DB: db, Dir: cfg.Output.Dir, Prefix: prefix, Options: cfg.Serve,
		Metrics: m, HideMetrics: cfg.Serve.MetricsAddr != "", Log: e.log,
		Spill: spillPath(cfg),
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(e.stdout, "counting hits on http://%s%s (health: /healthz)\n", ln.Addr(), prefix)
	e.log.Info("hit counter started", "addr", ln.Addr().String(), "prefix", prefix, "flush_interval", cfg.Serve.FlushInterval)
	err = c.Run(ctx, ln)
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

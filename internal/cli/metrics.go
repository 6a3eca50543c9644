package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"

	"github.com/newsmirror/newsmirror/internal/counter"
	"github.com/newsmirror/newsmirror/internal/metrics"
)

// serveMetrics serves /metrics and /healthz on addr until ctx is done, for
// a long-running command; addr "" serves nothing and returns nil metrics.
// health, when not nil, is asked by each /healthz: an error answers 503
// with its text.
func serveMetrics(ctx context.Context, e *env, addr string, health func(context.Context) error) (*metrics.Metrics, error) {
	if addr == "" {
		return nil, nil
	}
	m := metrics.New()
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if health != nil {
			if err := health(r.Context()); err != nil {
				http.Error(w, err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		fmt.Fprintln(w, "ok")
	})
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("metrics: listen: %w", err)
	}
	srv := counter.Server(mux)
	go srv.Serve(ln)
	context.AfterFunc(ctx, func() { srv.Close() })
	e.log.Info("serving metrics", "addr", ln.Addr().String())
	return m, nil
}

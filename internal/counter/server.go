package counter

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"time"
)

// Server limits: a pixel request is a short GET, so anything slow or large
// is cut off early.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 8 << 10
	shutdownGrace     = 10 * time.Second
	minEarlyFlush     = time.Second // between flushes asked for by a full buffer
)

// Server returns an http.Server for h with the counter's timeouts and size
// limits. Its error log is discarded: net/http's messages name client
// addresses, which the counter never logs.
func Server(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           http.MaxBytesHandler(h, 1<<10),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          log.New(io.Discard, "", 0),
	}
}

// Run serves on ln until ctx is done, flushing counts every FlushInterval
// and reloading the countable paths every RefreshInterval. When ctx is done
// it stops accepting requests, waits for those under way, and flushes,
// trying again for up to Options.StopWait and then spilling the counts to
// Config.Spill: no hit counted before shutdown is lost.
func (c *Counter) Run(ctx context.Context, ln net.Listener) error {
	srv := Server(c)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	flush := time.NewTicker(c.cfg.Options.FlushInterval)
	defer flush.Stop()
	refresh := time.NewTicker(c.cfg.Options.RefreshInterval)
	defer refresh.Stop()
	var last time.Time // when the last flush ended
	for {
		select {
		case err := <-served:
			return errors.Join(err, c.finalFlush(context.WithoutCancel(ctx)))
		case <-flush.C:
			c.flushOnce(ctx)
			last = time.Now()
		case <-c.full: // the buffer is at its bound: flush early, but not in a loop
			if time.Since(last) >= minEarlyFlush {
				c.flushOnce(ctx)
				last = time.Now()
			}
		case <-refresh.C:
			if err := c.Refresh(ctx); err != nil {
				c.cfg.Log.Error("reload countable paths; keeping the old set", "err", err)
			}
			if err := c.Prune(ctx); err != nil {
				c.cfg.Log.Error("delete old hit counts", "err", err)
			}
		case <-ctx.Done():
			return c.shutdown(context.WithoutCancel(ctx), srv)
		}
	}
}

// flushOnce writes the buffered counts, for no longer than flushTimeout.
func (c *Counter) flushOnce(ctx context.Context) {
	fctx, cancel := context.WithTimeout(ctx, flushTimeout)
	defer cancel()
	if err := c.Flush(fctx); err != nil {
		c.cfg.Log.Error("write hit counts; kept for the next try", "err", err)
	}
}

func (c *Counter) shutdown(ctx context.Context, srv *http.Server) error {
	sctx, cancel := context.WithTimeout(ctx, shutdownGrace)
	defer cancel()
	err := srv.Shutdown(sctx)
	if err != nil {
		srv.Close()
	}
	if ferr := c.finalFlush(ctx); ferr != nil {
		return errors.Join(err, ferr)
	}
	c.cfg.Log.Info("hit counter stopped; counts kept")
	return nil
}

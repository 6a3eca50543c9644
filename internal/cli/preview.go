package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/preview"
)

func runPreview(ctx context.Context, e *env, args []string) int {
	fs, file := commandFlags(e, "preview")
	dir := fs.String("dir", "", "mirror `folder` to serve instead of the configuration's output.dir")
	addr := fs.String("addr", "127.0.0.1:1313", "loopback `address` to listen on")
	if err := fs.Parse(args); err != nil {
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(e.stderr, "newsmirror preview: unexpected argument %q\n", fs.Arg(0))
		return ExitUsage
	}
	folder, opts := *dir, []preview.Option(nil)
	if folder == "" {
		cfg, err := config.Load(*file)
		if err != nil {
			fmt.Fprintln(e.stderr, err)
			return ExitUsage
		}
		folder = cfg.Output.Dir
		opts = append(opts, preview.Local(preview.Prefixes(cfg.Output)...))
	}
	if err := loopback(*addr); err != nil {
		fmt.Fprintln(e.stderr, "newsmirror preview:", err)
		return ExitUsage
	}
	srv, err := preview.New(folder, opts...)
	if err != nil {
		fmt.Fprintln(e.stderr, "newsmirror preview:", err)
		return ExitUsage
	}
	defer srv.Close()
	if err := servePreview(ctx, e, srv, *addr); err != nil {
		fmt.Fprintln(e.stderr, "newsmirror preview:", err)
		return ExitFatal
	}
	return ExitOK
}

// loopback refuses an address readers outside this machine could reach:
// the preview is for the operator.
func loopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("--addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("--addr %q: the preview listens on loopback only (127.0.0.1, ::1, localhost)", addr)
	}
	return nil
}

// servePreview serves h on addr until ctx is done.
func servePreview(ctx context.Context, e *env, h http.Handler, addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "preview: http://%s/ (Ctrl-C stops)\n", ln.Addr())
	s := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.Shutdown(sctx)
	}()
	if err := s.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	e.log.Info("preview stopped")
	return nil
}

package mirror_test

import (
	"context"
	"net"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"testing"
	"time"

	"golang.org/x/tools/txtar"

	"github.com/newsmirror/newsmirror/internal/config"
	"github.com/newsmirror/newsmirror/internal/fakenews"
	"github.com/newsmirror/newsmirror/internal/fetch"
	"github.com/newsmirror/newsmirror/internal/mirror"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// fakeSite serves the files of a txtar archive on loopback, for any host.
type fakeSite struct {
	*fakenews.Files
	srv *httptest.Server
}

func newFakeSite(t *testing.T, ar *txtar.Archive) *fakeSite {
	t.Helper()
	files := map[string][]byte{}
	for _, f := range ar.Files {
		files["/"+f.Name] = f.Data
	}
	s := &fakeSite{Files: fakenews.NewFiles(files)}
	s.srv = httptest.NewServer(s.Files)
	t.Cleanup(s.srv.Close)
	return s
}

func (s *fakeSite) set(path, data string) { s.Set(path, []byte(data)) }

// client dials every host on the fake site.
func (s *fakeSite) client() *fetch.Client {
	addr := s.srv.Listener.Addr().String()
	d := &net.Dialer{}
	return fetch.New(config.Default().Fetch, fetch.WithDial(func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}), fetch.Allow("127.0.0.1"))
}

// loadConfig parses the archive's config.yaml with output.dir set to out.
func loadConfig(t *testing.T, ar *txtar.Archive, out string) *config.Config {
	t.Helper()
	for _, f := range ar.Files {
		if f.Name == "config.yaml" {
			text := strings.Replace(string(f.Data), "dir: OUT", "dir: "+out, 1)
			cfg, err := config.Parse("config.yaml", []byte(text))
			if err != nil {
				t.Fatal(err)
			}
			return cfg
		}
	}
	t.Fatal("archive has no config.yaml")
	return nil
}

func syncAt(t *testing.T, cfg *config.Config, c *fetch.Client, now time.Time) *mirror.Report {
	t.Helper()
	rep, err := mirror.Sync(context.Background(), cfg, mirror.Deps{Client: c, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatalf("sync: %v", err)
	}
	return rep
}

func gitOut(t *testing.T, dir string, args ...string) string {
	t.Helper()
	out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

func readFile(t *testing.T, dir, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// eachState runs f twice: with the state in its default SQLite file
// (state "") and in a fresh PostgreSQL database (state its address).
func eachState(t *testing.T, f func(t *testing.T, state string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, "") })
	t.Run("postgres", func(t *testing.T) { f(t, storetest.PostgresState(t)) })
}

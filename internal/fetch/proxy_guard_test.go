package fetch_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// forwardProxy is a real HTTP forward proxy on loopback: it fetches the
// absolute URL of each request itself, except news.example.test, which it
// sends to upstream (standing for a public site). It counts the requests
// made to it directly (not in proxy form).
type forwardProxy struct {
	*httptest.Server
	direct atomic.Int32
}

func newForwardProxy(t *testing.T, upstream string) *forwardProxy {
	t.Helper()
	p := &forwardProxy{}
	out := &http.Transport{} // no proxy of its own
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !r.URL.IsAbs() {
			p.direct.Add(1)
			io.WriteString(w, "proxy admin page")
			return
		}
		u := *r.URL
		if u.Hostname() == "news.example.test" {
			u.Host = upstream
		}
		req, _ := http.NewRequestWithContext(r.Context(), r.Method, u.String(), nil)
		req.Host = r.URL.Host
		resp, err := out.RoundTrip(req)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for k, v := range resp.Header {
			w.Header()[k] = v
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	t.Cleanup(p.Close)
	return p
}

// internalService stands for a service on the operator's machine that
// only listens on loopback; it counts the requests that reached it.
func internalService(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		io.WriteString(w, "internal secret")
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

// redirector is the hostile upstream: /to?u=URL redirects to URL; / says hello.
func redirector(t *testing.T) *httptest.Server {
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u := r.URL.Query().Get("u"); u != "" {
			http.Redirect(w, r, u, http.StatusFound)
			return
		}
		io.WriteString(w, "hello")
	}))
	t.Cleanup(s.Close)
	return s
}

func port(s *httptest.Server) string {
	_, p, _ := net.SplitHostPort(s.Listener.Addr().String())
	return p
}

func TestLoopbackEnvironmentProxyDoesNotOpenLoopbackToRedirects(t *testing.T) {
	up := redirector(t)
	internal, hits := internalService(t)
	proxy := newForwardProxy(t, up.Listener.Addr().String())
	for _, proxyHost := range []string{"127.0.0.1", "localhost"} {
		t.Run(proxyHost, func(t *testing.T) {
			t.Setenv("HTTP_PROXY", "http://"+proxyHost+":"+port(proxy.Server))
			t.Setenv("http_proxy", "")
			t.Setenv("NO_PROXY", "")
			t.Setenv("no_proxy", "")
			o := testOptions()
			o.Allow = nil
			c := fetch.New(o)
			resp, err := c.Get(context.Background(), "http://news.example.test/")
			if err != nil || string(resp.Body) != "hello" {
				t.Fatalf("a page through the proxy: %v, %v", resp, err)
			}
			for _, target := range []string{
				"http://" + proxyHost + ":" + port(internal) + "/secret",
				"http://127.0.0.1:" + port(internal) + "/secret",
				"http://[::1]:" + port(internal) + "/secret",
				"http://2130706433:" + port(internal) + "/secret",
				"http://0x7f.1:" + port(internal) + "/secret",
				"http://" + proxyHost + ":" + port(proxy.Server) + "/", // the proxy itself, directly
			} {
				_, err := c.Get(context.Background(), "http://news.example.test/to?u="+target)
				var be *fetch.BlockedError
				if !errors.As(err, &be) {
					t.Errorf("redirect to %s: err = %v, want a *BlockedError", target, err)
				}
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("the internal service was reached %d times", n)
			}
			if n := proxy.direct.Load(); n != 0 {
				t.Errorf("the proxy was reached directly %d times", n)
			}
		})
	}
}

func TestConfiguredProxyIsNotAskedForLoopbackTargets(t *testing.T) {
	up := redirector(t)
	internal, hits := internalService(t)
	proxy := newForwardProxy(t, up.Listener.Addr().String())
	o := testOptions()
	o.Allow = nil
	c := fetch.New(o).With(fetch.SourceOptions{Proxy: proxy.URL})
	if resp, err := c.Get(context.Background(), "http://news.example.test/"); err != nil || string(resp.Body) != "hello" {
		t.Fatalf("a page through the proxy: %v, %v", resp, err)
	}
	for _, host := range []string{"127.0.0.1", "localhost", "2130706433", "0177.0.0.1", "127.1", "[::1]", "[::ffff:127.0.0.1]"} {
		target := "http://" + host + ":" + port(internal) + "/secret"
		_, err := c.Get(context.Background(), "http://news.example.test/to?u="+target)
		var be *fetch.BlockedError
		if !errors.As(err, &be) || !strings.Contains(err.Error(), "address guard") {
			t.Errorf("redirect to %s: err = %v, want a *BlockedError", target, err)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal service was reached %d times through the proxy", n)
	}
}

func TestSOCKS5ProxyIsNotAskedForLoopbackTargets(t *testing.T) {
	up := redirector(t)
	internal, hits := internalService(t)
	proxy, targets := socks5Server(t, up.Listener.Addr().String())
	o := testOptions()
	o.Allow = nil
	c := fetch.New(o).With(fetch.SourceOptions{Proxy: "socks5://" + proxy})
	for _, host := range []string{"127.0.0.1", "localhost", "2130706433", "[::1]"} {
		target := "http://" + host + ":" + port(internal) + "/secret"
		_, err := c.Get(context.Background(), "http://news.example.test/to?u="+target)
		var be *fetch.BlockedError
		if !errors.As(err, &be) {
			t.Errorf("redirect to %s through SOCKS5: err = %v, want a *BlockedError", target, err)
		}
	}
	close(targets)
	for got := range targets {
		if got != "news.example.test:80" {
			t.Errorf("the SOCKS5 proxy was asked for %s", got)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the internal service was reached %d times", n)
	}
}

package fetch

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"

	"golang.org/x/net/http/httpproxy"
	"golang.org/x/net/proxy"
)

// setProxy makes t go through p: "" the environment's proxy, "direct"
// none, an http(s):// URL an HTTP proxy, a socks5:// URL a SOCKS5 proxy
// (the target's name is resolved by the proxy). The environment is read
// when the transport is made.
func setProxy(t *http.Transport, p string) error {
	switch p {
	case "":
		env := httpproxy.FromEnvironment().ProxyFunc()
		t.Proxy = func(r *http.Request) (*url.URL, error) { return env(r.URL) }
		return nil
	case "direct":
		return nil
	}
	if err := checkProxy(p); err != nil {
		return err
	}
	u, _ := url.Parse(p)
	if u.Scheme == "http" || u.Scheme == "https" {
		t.Proxy = http.ProxyURL(u)
		return nil
	}
	addr := proxyAddr(u)
	dial := t.DialContext
	toProxy := func(ctx context.Context, network, a string) (net.Conn, error) {
		return dial(withProxyDial(ctx, addr), network, a)
	}
	d, err := proxy.FromURL(u, dialer(toProxy))
	if err != nil {
		return fmt.Errorf("proxy %s: %w", u.Redacted(), err)
	}
	cd, ok := d.(proxy.ContextDialer)
	if !ok {
		return fmt.Errorf("proxy %s: dialer cannot be cancelled", u.Redacted())
	}
	t.DialContext = cd.DialContext
	return nil
}

// proxyAddr is the host:port a transport dials to reach the proxy u.
func proxyAddr(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
		if port == "" {
			port = "1080"
		}
	}
	return net.JoinHostPort(u.Hostname(), port)
}

// dialer adapts a DialFunc to proxy.Dialer, for the connection to the
// SOCKS5 proxy itself.
type dialer DialFunc

func (d dialer) Dial(network, addr string) (net.Conn, error) {
	return d(context.Background(), network, addr)
}

func (d dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return d(ctx, network, addr)
}

// guarded is a transport behind the address guard. Before a request it
// refuses a target the guard can judge from the URL alone (a proxy would
// otherwise connect to it on our behalf), and when the request goes
// through an HTTP proxy it marks the dial to exactly that proxy (host and
// port) as allowed: the operator chose it and it is often on loopback,
// but no other connection to its host is.
type guarded struct {
	t *http.Transport
	g *guard
}

func (gt guarded) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := gt.g.checkTarget(req.URL.Hostname()); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	if gt.t.Proxy != nil {
		if u, err := gt.t.Proxy(req); err == nil && u != nil {
			req = req.WithContext(withProxyDial(req.Context(), proxyAddr(u)))
		}
	}
	return gt.t.RoundTrip(req)
}

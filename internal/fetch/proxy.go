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
// (the target's name is resolved by the proxy).
func setProxy(t *http.Transport, p string) error {
	switch p {
	case "":
		t.Proxy = http.ProxyFromEnvironment
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
	d, err := proxy.FromURL(u, dialer(t.DialContext))
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

// dialer adapts a DialFunc to proxy.Dialer, for the connection to the
// SOCKS5 proxy itself.
type dialer DialFunc

func (d dialer) Dial(network, addr string) (net.Conn, error) {
	return d(context.Background(), network, addr)
}

func (d dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	return d(ctx, network, addr)
}

// withProxyHosts returns the guard allowing also the host of the proxy p
// (or of the environment's proxies): the operator chose it, and it is
// often on a private address.
func (g *guard) withProxyHosts(p string) *guard {
	var urls []string
	switch p {
	case "direct":
	case "":
		env := httpproxy.FromEnvironment()
		urls = []string{env.HTTPProxy, env.HTTPSProxy}
	default:
		urls = []string{p}
	}
	out := &guard{hosts: map[string]bool{}, prefixes: g.prefixes}
	for h := range g.hosts {
		out.hosts[h] = true
	}
	for _, raw := range urls {
		if raw == "" {
			continue
		}
		if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
			out.hosts[u.Hostname()] = true
		} else if u, err := url.Parse("http://" + raw); err == nil && u.Hostname() != "" {
			out.hosts[u.Hostname()] = true
		}
	}
	return out
}

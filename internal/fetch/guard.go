package fetch

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"syscall"
)

// blockedRanges are the addresses a fetch never reaches unless allowed:
// loopback, private, link-local (cloud metadata 169.254.169.254 among
// them), CGNAT, unspecified and other special-purpose ranges.
var blockedRanges = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
	netip.MustParsePrefix("fd00:ec2::254/128"), // AWS metadata over IPv6
}

// embedding are IPv6 ranges that carry an IPv4 address, and where: a
// NAT64 gateway (64:ff9b::/96, local-use 64:ff9b:1::/48) or a 6to4 relay
// (2002::/16) connects to that IPv4 address, and IPv4-compatible
// addresses (::/96, deprecated) are read as it by some stacks. Such an
// address is judged by the IPv4 address it carries.
var embedding = []struct {
	prefix netip.Prefix
	at     int // byte offset of the IPv4 address
}{
	{netip.MustParsePrefix("64:ff9b::/96"), 12},
	{netip.MustParsePrefix("64:ff9b:1::/48"), 12},
	{netip.MustParsePrefix("2002::/16"), 2},
	{netip.MustParsePrefix("::/96"), 12},
}

// BlockedError is a connection the address guard refused.
type BlockedError struct {
	// Host is the host name asked for; Addr the address it led to.
	Host string
	Addr netip.Addr
}

func (e *BlockedError) Error() string {
	return fmt.Sprintf("address guard: %s resolves to %s, a loopback, private, link-local or metadata address not in fetch.allow", e.Host, e.Addr)
}

// guard decides which addresses may be dialled.
type guard struct {
	hosts    map[string]bool
	prefixes []netip.Prefix
}

// newGuard parses an allow-list of host names, addresses and CIDR ranges.
func newGuard(allow []string) (*guard, error) {
	g := &guard{hosts: map[string]bool{}}
	for _, a := range allow {
		a = strings.TrimSpace(a)
		if p, err := netip.ParsePrefix(a); err == nil {
			g.prefixes = append(g.prefixes, p.Masked())
		} else if ip, err := netip.ParseAddr(a); err == nil {
			g.prefixes = append(g.prefixes, netip.PrefixFrom(ip, ip.BitLen()))
		} else if a != "" && !strings.ContainsAny(a, "/ :") {
			g.hosts[strings.ToLower(a)] = true
		} else {
			return nil, fmt.Errorf("allow: want a host name, an IP address or a CIDR range, got %q", a)
		}
	}
	return g, nil
}

// check reports whether host, connected at ip, may be used.
func (g *guard) check(host string, ip netip.Addr) error {
	ip = ip.Unmap()
	if g.hosts[strings.ToLower(host)] || g.allowed(ip) {
		return nil
	}
	if blocked(ip) {
		return &BlockedError{Host: host, Addr: ip}
	}
	if v4, ok := embeddedIPv4(ip); ok && !g.allowed(v4) && blocked(v4) {
		return &BlockedError{Host: host, Addr: ip}
	}
	return nil
}

func (g *guard) allowed(ip netip.Addr) bool {
	for _, p := range g.prefixes {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

func blocked(ip netip.Addr) bool {
	for _, p := range blockedRanges {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// embeddedIPv4 returns the IPv4 address an IPv6 address carries for
// NAT64, 6to4 or IPv4-compatible addressing.
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	for _, e := range embedding {
		if e.prefix.Contains(ip) {
			b := ip.As16()
			return netip.AddrFrom4([4]byte(b[e.at : e.at+4])), true
		}
	}
	return netip.Addr{}, false
}

// checkTarget judges a URL's host before any connection is made, for the
// cases the dial cannot see: a proxy resolves and connects to the target
// itself, so a literal address (in any form a resolver accepts, see
// hostAddr) or a localhost name must be refused here.
func (g *guard) checkTarget(host string) error {
	if g.hosts[strings.ToLower(host)] {
		return nil
	}
	if ip, ok := hostAddr(host); ok {
		return g.check(host, ip)
	}
	if isLocalhost(host) {
		return g.check(host, netip.AddrFrom4([4]byte{127, 0, 0, 1}))
	}
	return nil
}

// isLocalhost reports the names every resolver maps to loopback.
func isLocalhost(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	return h == "localhost" || strings.HasSuffix(h, ".localhost")
}

// proxyDialKey marks a dial's context with the one address (host:port)
// that is the proxy this connection is opened to; the guard lets exactly
// that dial through, whatever address the proxy is on.
type proxyDialKey struct{}

// withProxyDial returns ctx allowing the dial to the proxy at hostport.
func withProxyDial(ctx context.Context, hostport string) context.Context {
	return context.WithValue(ctx, proxyDialKey{}, hostport)
}

func isProxyDial(ctx context.Context, addr string) bool {
	p, _ := ctx.Value(proxyDialKey{}).(string)
	return p != "" && strings.EqualFold(p, addr)
}

// wrap returns dial guarded. With the default dialer (control is not nil)
// the address is checked before the connection is opened; a dial function
// of its own (tests, the demo) is checked on the address it connected to.
// Either way the address checked is the one actually dialled, after DNS,
// so a name rebinding to a private address is refused. The one dial not
// checked is the one to the configured proxy, marked by withProxyDial.
func (g *guard) wrap(dial DialFunc, d *net.Dialer) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		check := g
		if isProxyDial(ctx, addr) {
			check = nil
		}
		if dial == nil {
			dd := *d
			if check != nil {
				dd.Control = func(_, address string, _ syscall.RawConn) error { return check.checkAddr(host, address) }
			}
			return dd.DialContext(ctx, network, addr)
		}
		conn, err := dial(ctx, network, addr)
		if err != nil || check == nil {
			return conn, err
		}
		if err := check.checkAddr(host, conn.RemoteAddr().String()); err != nil {
			conn.Close()
			return nil, err
		}
		return conn, nil
	}
}

func (g *guard) checkAddr(host, address string) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("address guard: cannot read dialled address %q: %w", address, err)
	}
	return g.check(host, ap.Addr())
}

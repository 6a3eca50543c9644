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
	if g.hosts[strings.ToLower(host)] {
		return nil
	}
	for _, p := range g.prefixes {
		if p.Contains(ip) {
			return nil
		}
	}
	for _, p := range blockedRanges {
		if p.Contains(ip) {
			return &BlockedError{Host: host, Addr: ip}
		}
	}
	return nil
}

// wrap returns dial guarded. With the default dialer (control is not nil)
// the address is checked before the connection is opened; a dial function
// of its own (tests, the demo) is checked on the address it connected to.
// Either way the address checked is the one actually dialled, after DNS,
// so a name rebinding to a private address is refused.
func (g *guard) wrap(dial DialFunc, d *net.Dialer) DialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			return nil, err
		}
		if dial == nil {
			dd := *d
			dd.Control = func(_, address string, _ syscall.RawConn) error { return g.checkAddr(host, address) }
			return dd.DialContext(ctx, network, addr)
		}
		conn, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		if err := g.checkAddr(host, conn.RemoteAddr().String()); err != nil {
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

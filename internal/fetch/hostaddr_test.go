package fetch

import (
	"errors"
	"net/netip"
	"testing"
)

func TestHostAddrReadsNumericHostFormsAsResolversDo(t *testing.T) {
	for host, want := range map[string]string{
		"2130706434":      "127.0.0.2",
		"0x7f000002":      "127.0.0.2",
		"0X7F000002":      "127.0.0.2",
		"0177.0.0.2":      "127.0.0.2",
		"0177.0.0.02":     "127.0.0.2",
		"127.2":           "127.0.0.2",
		"127.1":           "127.0.0.1",
		"127.0.1":         "127.0.0.1",
		"0x7f.1":          "127.0.0.1",
		"0":               "0.0.0.0",
		"10.1.65535":      "10.1.255.255",
		"169.254.43518":   "169.254.169.254",
		"3232235521":      "192.168.0.1",
		"127.0.0.1.":      "127.0.0.1",
		"[::1]":           "::1",
		"[::ffff:7f00:1]": "127.0.0.1",
		"[fe80::1%25en0]": "fe80::1",
		"8.8.8.8":         "8.8.8.8",
	} {
		got, ok := hostAddr(host)
		if !ok || got != netip.MustParseAddr(want) {
			t.Errorf("hostAddr(%q) = %v, %v; want %s", host, got, ok, want)
		}
	}
	for _, name := range []string{"news.example", "127.0.0.1.example", "1.2.3.4.5", "256.1.1.1",
		"1.2.3.256", "4294967296", "08", "0x1g", "-1", "1e5", "", "localhost", "1.16777216"} {
		if got, ok := hostAddr(name); ok {
			t.Errorf("hostAddr(%q) = %v, want a name", name, got)
		}
	}
}

func TestGuardJudgesIPv6FormsByTheIPv4AddressTheyCarry(t *testing.T) {
	g, _ := newGuard(nil)
	for _, a := range []string{
		"64:ff9b::7f00:1",      // NAT64 of 127.0.0.1
		"64:ff9b::a9fe:a9fe",   // NAT64 of 169.254.169.254
		"64:ff9b:1::c0a8:1",    // local-use NAT64 of 192.168.0.1
		"::7f00:1",             // IPv4-compatible 127.0.0.1
		"::a00:1",              // IPv4-compatible 10.0.0.1
		"2002:7f00:1::",        // 6to4 of 127.0.0.1
		"2002:c0a8:101:0:1::1", // 6to4 of 192.168.1.1
		"2002:a9fe:a9fe::",     // 6to4 of 169.254.169.254
		"::ffff:10.0.0.1",      // IPv4-mapped
	} {
		var be *BlockedError
		if err := g.check("x", netip.MustParseAddr(a)); !errors.As(err, &be) {
			t.Errorf("%s: err = %v, want a *BlockedError", a, err)
		}
	}
	for _, a := range []string{"64:ff9b::808:808", "2002:808:808::", "2606:4700::1111", "8.8.8.8"} {
		if err := g.check("x", netip.MustParseAddr(a)); err != nil {
			t.Errorf("%s (public) refused: %v", a, err)
		}
	}
	allow, _ := newGuard([]string{"10.0.0.0/8"})
	if err := allow.check("x", netip.MustParseAddr("64:ff9b::a00:1")); err != nil {
		t.Errorf("NAT64 form of an allowed range refused: %v", err)
	}
}

func TestGuardRefusesNumericAndLocalhostTargetsBeforeAnyProxy(t *testing.T) {
	g, _ := newGuard([]string{"intranet.example"})
	for _, h := range []string{"2130706434", "0x7f000002", "0177.0.0.2", "127.2", "127.1", "localhost",
		"a.localhost", "LOCALHOST.", "[::1]", "[64:ff9b::7f00:1]", "169.254.43518"} {
		var be *BlockedError
		if err := g.checkTarget(h); !errors.As(err, &be) {
			t.Errorf("checkTarget(%q) = %v, want a *BlockedError", h, err)
		}
	}
	for _, h := range []string{"news.example", "intranet.example", "8.8.8.8", "134744072"} {
		if err := g.checkTarget(h); err != nil {
			t.Errorf("checkTarget(%q) = %v, want it allowed", h, err)
		}
	}
}

package fetch_test

import (
	"bufio"
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/newsmirror/newsmirror/internal/fetch"
)

// socks5Server is a minimal SOCKS5 proxy (no authentication, CONNECT by
// domain name) that connects every target to backend, recording the target.
func socks5Server(t *testing.T, backend string) (addr string, targets chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	targets = make(chan string, 8)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveSocks(c, backend, targets)
		}
	}()
	return ln.Addr().String(), targets
}

func serveSocks(c net.Conn, backend string, targets chan<- string) {
	defer c.Close()
	r := bufio.NewReader(c)
	head := make([]byte, 2)
	if _, err := io.ReadFull(r, head); err != nil {
		return
	}
	io.CopyN(io.Discard, r, int64(head[1])) // offered methods
	c.Write([]byte{5, 0})                   // no authentication
	req := make([]byte, 4)
	if _, err := io.ReadFull(r, req); err != nil || req[3] != 3 {
		return // only CONNECT to a domain name
	}
	n, _ := r.ReadByte()
	name := make([]byte, int(n)+2)
	io.ReadFull(r, name)
	targets <- string(name[:n]) + ":" + strconv.Itoa(int(binary.BigEndian.Uint16(name[n:])))
	up, err := net.Dial("tcp", backend)
	if err != nil {
		return
	}
	defer up.Close()
	c.Write([]byte{5, 0, 0, 1, 0, 0, 0, 0, 0, 0})
	go io.Copy(up, r)
	io.Copy(c, up)
}

func TestSOCKS5ProxyCarriesRequests(t *testing.T) {
	site := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "hello "+r.Host)
	}))
	defer site.Close()
	proxy, targets := socks5Server(t, site.Listener.Addr().String())
	o := testOptions()
	o.Allow = nil // the proxy is allowed because it is the proxy
	c := fetch.New(o).With(fetch.SourceOptions{Proxy: "socks5://" + proxy})
	resp, err := c.Get(context.Background(), "http://news.example.test/a.html")
	if err != nil || string(resp.Body) != "hello news.example.test" {
		t.Fatalf("got %v, %v", resp, err)
	}
	if got := <-targets; got != "news.example.test:80" {
		t.Errorf("proxy asked for %q, want the name resolved by the proxy", got)
	}
}

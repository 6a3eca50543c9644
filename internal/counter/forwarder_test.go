package counter_test

import (
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
)

// forwarder relays TCP connections from a loopback port to a PostgreSQL
// server, and can cut the network (close every connection and refuse new
// ones) or lose the server's reply to one COMMIT: the transaction commits
// and the client sees its connection drop, as when a network fails at
// the worst moment.
type forwarder struct {
	ln     net.Listener
	target string
	down   atomic.Bool
	armed  atomic.Bool // the next COMMIT's reply is lost
	mu     sync.Mutex
	conns  []net.Conn
}

// forward starts a forwarder to the server of the PostgreSQL address dsn
// and returns it with dsn pointed at it.
func forward(t testing.TB, dsn string) (*forwarder, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	f := &forwarder{ln: ln, target: u.Host}
	t.Cleanup(func() { ln.Close(); f.closeAll() })
	go f.accept()
	u.Host = ln.Addr().String()
	return f, u.String()
}

// cut closes every connection and refuses new ones until restore.
func (f *forwarder) cut() {
	f.down.Store(true)
	f.closeAll()
}

func (f *forwarder) restore() { f.down.Store(false) }

// loseNextCommitReply lets the next COMMIT through and drops the
// connection instead of relaying the server's answer.
func (f *forwarder) loseNextCommitReply() { f.armed.Store(true) }

func (f *forwarder) closeAll() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
	f.conns = nil
}

func (f *forwarder) accept() {
	for {
		client, err := f.ln.Accept()
		if err != nil {
			return
		}
		if f.down.Load() {
			client.Close()
			continue
		}
		server, err := net.Dial("tcp", f.target)
		if err != nil {
			client.Close()
			continue
		}
		f.mu.Lock()
		f.conns = append(f.conns, client, server)
		f.mu.Unlock()
		var lose atomic.Bool
		go f.toServer(client, server, &lose)
		go toClient(server, client, &lose)
	}
}

// toServer relays the client's messages one by one, arming lose when one
// is the COMMIT to cut.
func (f *forwarder) toServer(client, server net.Conn, lose *atomic.Bool) {
	defer server.Close()
	startup := true
	for {
		var head []byte
		if startup { // untyped: length, then a protocol code
			head = make([]byte, 4)
		} else {
			head = make([]byte, 5)
		}
		if _, err := io.ReadFull(client, head); err != nil {
			return
		}
		n := int(binary.BigEndian.Uint32(head[len(head)-4:])) - 4
		body := make([]byte, max(n, 0))
		if _, err := io.ReadFull(client, body); err != nil {
			return
		}
		if startup {
			// An SSL or GSS request is followed by another untyped message.
			code := binary.BigEndian.Uint32(body[:4])
			startup = code == 80877103 || code == 80877104
		} else if (head[0] == 'Q' || head[0] == 'P') && bytes.Contains(bytes.ToLower(body), []byte("commit")) &&
			f.armed.CompareAndSwap(true, false) {
			lose.Store(true)
		}
		if _, err := server.Write(append(head, body...)); err != nil {
			return
		}
	}
}

// toClient relays the server's answers, or once lose is set, reads the
// answer, drops it and closes the client's connection.
func toClient(server, client net.Conn, lose *atomic.Bool) {
	defer client.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := server.Read(buf)
		if n > 0 && lose.Load() {
			return
		}
		if n > 0 {
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

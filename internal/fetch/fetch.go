// Package fetch is newsmirror's HTTP client: timeouts, a body size cap,
// retries with backoff, politeness per host, proxies, an address guard and
// typed errors, shared by every source.
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// DialFunc dials a network address, as net.Dialer.DialContext does.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Client fetches URLs. It is safe for concurrent use. With returns a view
// of it for one source; views share connections and politeness gates.
type Client struct {
	opts   Options
	shared *shared
	// deferWaits ends a fetch with a *RetryLaterError instead of sleeping
	// out a server's Retry-After or a paused host (Deferring).
	deferWaits bool
}

// shared is what every view of a client uses.
type shared struct {
	gates *gates
	guard *guard
	dial  DialFunc // nil: the default dialer
	tls   *tls.Config
	// onRetry is called before each repeated attempt; nil for none.
	onRetry func()

	mu         sync.Mutex
	transports map[transportKey]http.RoundTripper
}

type transportKey struct {
	proxy   string
	connect time.Duration
}

// Option changes how a Client connects.
type Option func(*shared)

// WithDial makes the client connect through dial; tests and the demo use it
// to send a real host name to a loopback server. The address guard still
// checks the address dial connects to.
func WithDial(dial DialFunc) Option {
	return func(s *shared) { s.dial = dial }
}

// WithTLS sets the TLS configuration (tests trust their own server with it).
func WithTLS(c *tls.Config) Option {
	return func(s *shared) { s.tls = c }
}

// OnRetry calls fn before every repeated attempt of a fetch (metrics count
// them); clients made With other source options share it.
func OnRetry(fn func()) Option {
	return func(s *shared) { s.onRetry = fn }
}

// Allow adds hosts, addresses or CIDR ranges to the address guard's
// allow-list (tests allow "127.0.0.1"). A bad entry panics: it is code.
func Allow(entries ...string) Option {
	return func(s *shared) {
		g, err := newGuard(entries)
		if err != nil {
			panic(err)
		}
		for h := range g.hosts {
			s.guard.hosts[h] = true
		}
		s.guard.prefixes = append(s.guard.prefixes, g.prefixes...)
	}
}

// New returns a client. Options are expected valid (config validates
// them); a bad allow-list entry is ignored.
func New(opts Options, options ...Option) *Client {
	opts = fill(opts)
	g, err := newGuard(opts.Allow)
	if err != nil {
		g, _ = newGuard(nil)
	}
	s := &shared{gates: newGates(opts.MaxConnections), guard: g, transports: map[transportKey]http.RoundTripper{}}
	for _, o := range options {
		o(s)
	}
	return &Client{opts: opts, shared: s}
}

// fill gives unset options their defaults, so that an Options literal
// naming a few fields works.
func fill(o Options) Options {
	d := DefaultOptions()
	if o.Timeout <= 0 {
		o.Timeout = d.Timeout
	}
	if o.ArticleTimeout <= 0 {
		o.ArticleTimeout = d.ArticleTimeout
	}
	if o.ConnectTimeout <= 0 {
		o.ConnectTimeout = d.ConnectTimeout
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = d.MaxBodyBytes
	}
	if o.UserAgent == "" {
		o.UserAgent = d.UserAgent
	}
	if o.MaxConnections <= 0 {
		o.MaxConnections = d.MaxConnections
	}
	if o.RetryWait <= 0 {
		o.RetryWait = d.RetryWait
	}
	if o.MaxRetryWait < o.RetryWait {
		o.MaxRetryWait = max(d.MaxRetryWait, o.RetryWait)
	}
	if o.PerHost <= 0 {
		o.PerHost = d.PerHost
	}
	if o.GiveUpAfter <= 0 {
		o.GiveUpAfter = d.GiveUpAfter
	}
	if o.HostBackoff <= 0 {
		o.HostBackoff = d.HostBackoff
	}
	if o.MaxHostBackoff < o.HostBackoff {
		o.MaxHostBackoff = max(d.MaxHostBackoff, o.HostBackoff)
	}
	return o
}

// With returns the client as configured for one source.
func (c *Client) With(s SourceOptions) *Client {
	return &Client{opts: s.Over(c.opts), shared: c.shared, deferWaits: c.deferWaits}
}

// Deferring returns a view of c that never sleeps out a wait the server
// asked for: where c would wait for a Retry-After (or for a host paused by
// one), the fetch ends at once with a *RetryLaterError saying when to try
// again, so that the caller's worker can do other work meanwhile.
func (c *Client) Deferring() *Client {
	return &Client{opts: c.opts, shared: c.shared, deferWaits: true}
}

// PausedUntil is when the host of rawURL may be asked again after it
// answered with a Retry-After; zero when it is not paused.
func (c *Client) PausedUntil(rawURL string) time.Time {
	u, err := url.Parse(rawURL)
	if err != nil {
		return time.Time{}
	}
	return c.shared.gates.pausedUntil(u.Host)
}

// Options are the client's options.
func (c *Client) Options() Options { return c.opts }

// transport returns the shared transport for the client's proxy.
func (c *Client) transport() (http.RoundTripper, error) {
	key := transportKey{proxy: c.opts.Proxy, connect: c.opts.ConnectTimeout}
	c.shared.mu.Lock()
	defer c.shared.mu.Unlock()
	if t, ok := c.shared.transports[key]; ok {
		return t, nil
	}
	t, err := c.shared.newTransport(key)
	if err != nil {
		return nil, err
	}
	c.shared.transports[key] = t
	return t, nil
}

func (s *shared) newTransport(key transportKey) (http.RoundTripper, error) {
	d := &net.Dialer{Timeout: key.connect, KeepAlive: 30 * time.Second}
	t := &http.Transport{
		DialContext:         s.guard.wrap(s.dial, d),
		MaxIdleConnsPerHost: 8,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: key.connect,
		TLSClientConfig:     s.tls,
	}
	if err := setProxy(t, key.proxy); err != nil {
		return nil, err
	}
	return guarded{t: t, g: s.guard}, nil
}

// Response is a fetched document.
type Response struct {
	// URL is the final URL, after redirects.
	URL    string
	Header http.Header
	Body   []byte
	// NotModified is true when a conditional request was answered 304:
	// Body is empty and nothing changed since the validators were saved.
	NotModified bool
}

// Validators are a document's cache validators, sent back for a
// conditional GET.
type Validators struct {
	ETag, LastModified string
}

// Validators are the response's cache validators.
func (r *Response) Validators() Validators {
	return Validators{ETag: r.Header.Get("ETag"), LastModified: r.Header.Get("Last-Modified")}
}

// Get fetches url and returns its body. A status other than 200 is a
// *StatusError; a body over the cap is a *TooLargeError; an address the
// guard refuses is a *BlockedError. Timeouts, 5xx and 429 are retried.
func (c *Client) Get(ctx context.Context, url string) (*Response, error) {
	return c.GetIfChanged(ctx, url, Validators{})
}

// GetIfChanged is Get with a conditional request: when v holds validators
// and the server answers 304 Not Modified, the response has NotModified set.
func (c *Client) GetIfChanged(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &URLError{URL: rawURL}
	}
	t, err := c.transport()
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", rawURL, err)
	}
	hc := &http.Client{Transport: t, Timeout: c.opts.Timeout, CheckRedirect: limitRedirects}
	var last error
	for attempt := 0; ; attempt++ {
		resp, err := c.attempt(ctx, hc, u, v)
		if err == nil {
			return resp, nil
		}
		last = err
		wait, retry := c.retryWait(ctx, attempt, err)
		if !retry {
			return nil, last
		}
		if c.deferWaits && askedToWait(err) {
			return nil, &RetryLaterError{At: time.Now().Add(wait), Err: last, Asked: true}
		}
		if c.shared.onRetry != nil {
			c.shared.onRetry()
		}
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("fetch %s: %w (while waiting to retry after: %w)", rawURL, err, last)
		}
	}
}

// attempt makes one request, holding the host's and a global slot.
func (c *Client) attempt(ctx context.Context, hc *http.Client, u *url.URL, v Validators) (*Response, error) {
	if until := c.shared.gates.pausedUntil(u.Host); c.deferWaits && !until.IsZero() {
		return nil, &RetryLaterError{At: until, Err: fmt.Errorf("fetch %s: host paused by its Retry-After", u)}
	}
	release, err := c.shared.gates.acquire(ctx, u.Host, c.opts.PerHost, c.opts.MinInterval)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	defer release()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", u, unwrapGuard(err))
	}
	defer resp.Body.Close()
	final := resp.Request.URL.String()
	switch {
	case resp.StatusCode == http.StatusNotModified && v != (Validators{}):
		return &Response{URL: final, Header: resp.Header, NotModified: true}, nil
	case resp.StatusCode != http.StatusOK:
		wait := retryAfter(resp.Header, time.Now())
		if wait > 0 && wait <= c.opts.MaxRetryWait && retryable(&StatusError{Code: resp.StatusCode}) {
			c.shared.gates.pause(u.Host, time.Now().Add(wait))
		}
		return nil, &StatusError{Code: resp.StatusCode, URL: u.String(), RetryAfter: wait}
	case resp.ContentLength > c.opts.MaxBodyBytes:
		return nil, &TooLargeError{Limit: c.opts.MaxBodyBytes, URL: u.String()}
	}
	body, err := readCapped(resp.Body, c.opts.MaxBodyBytes)
	if err != nil {
		var large *TooLargeError
		if errors.As(err, &large) {
			large.URL = u.String()
			return nil, large
		}
		return nil, fmt.Errorf("fetch %s: %w", u, err)
	}
	return &Response{URL: final, Header: resp.Header, Body: body}, nil
}

// unwrapGuard lifts a *BlockedError out of the url.Error and net.OpError
// around it, so that the message says what happened first.
func unwrapGuard(err error) error {
	var b *BlockedError
	if errors.As(err, &b) {
		return b
	}
	return err
}

func limitRedirects(_ *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return ErrTooManyRedirects
	}
	return nil
}

// Package fetch is newsmirror's HTTP client: timeouts, a body size cap and
// typed errors, shared by every source.
package fetch

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

// Options configure the client. The zero value of a field means its default.
type Options struct {
	// Timeout bounds one request, body included.
	Timeout time.Duration `yaml:"timeout"`
	// MaxBodyBytes caps a response body; a longer body is an error.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// UserAgent is sent with every request.
	UserAgent string `yaml:"user_agent"`
	// Workers is how many articles are fetched and processed at once.
	Workers int `yaml:"workers"`
}

// DefaultOptions returns the options used when a config says nothing.
func DefaultOptions() Options {
	return Options{
		Timeout:      30 * time.Second,
		MaxBodyBytes: 15 << 20,
		UserAgent:    "Mozilla/5.0 (compatible; newsmirror/0.1)",
		Workers:      4,
	}
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	switch {
	case o.Timeout <= 0:
		return errors.New("timeout must be positive")
	case o.MaxBodyBytes <= 0:
		return errors.New("max_body_bytes must be positive")
	case o.Workers < 1 || o.Workers > 256:
		return fmt.Errorf("workers must be 1 to 256, got %d", o.Workers)
	}
	return nil
}

// DialFunc dials a network address, as net.Dialer.DialContext does.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// Client fetches URLs. It is safe for concurrent use.
type Client struct {
	http *http.Client
	opts Options
}

// Option changes how a Client connects.
type Option func(*http.Transport)

// WithDial makes the client connect through dial; tests and the demo use it
// to send a real host name to a loopback server.
func WithDial(dial DialFunc) Option {
	return func(t *http.Transport) {
		if dial != nil {
			t.DialContext = dial
		}
	}
}

// WithTLS sets the TLS configuration (tests trust their own server with it).
func WithTLS(c *tls.Config) Option {
	return func(t *http.Transport) { t.TLSClientConfig = c }
}

// New returns a client.
func New(opts Options, options ...Option) *Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: opts.Timeout,
	}
	for _, o := range options {
		o(tr)
	}
	return &Client{
		http: &http.Client{Transport: tr, Timeout: opts.Timeout, CheckRedirect: limitRedirects},
		opts: opts,
	}
}

func limitRedirects(_ *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	return nil
}

// Response is a fetched document.
type Response struct {
	// URL is the final URL, after redirects.
	URL    string
	Header http.Header
	Body   []byte
}

// Get fetches url and returns its body. A status other than 200 is a
// *StatusError; a body over the cap is a *TooLargeError.
func (c *Client) Get(ctx context.Context, url string) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, &StatusError{Code: resp.StatusCode, URL: url}
	}
	body, err := readCapped(resp.Body, c.opts.MaxBodyBytes)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	return &Response{URL: resp.Request.URL.String(), Header: resp.Header, Body: body}, nil
}

func readCapped(r io.Reader, limit int64) ([]byte, error) {
	body, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > limit {
		return nil, &TooLargeError{Limit: limit}
	}
	return body, nil
}

// StatusError is an HTTP answer other than 200 OK.
type StatusError struct {
	Code int
	URL  string
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
}

// TooLargeError is a body longer than the configured cap.
type TooLargeError struct{ Limit int64 }

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("body exceeds %d bytes", e.Limit)
}

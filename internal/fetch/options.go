package fetch

import (
	"net/url"
	"strings"
	"time"

	"github.com/newsmirror/newsmirror/internal/buildinfo"
	"github.com/newsmirror/newsmirror/internal/option"
)

// Options configure the client. The zero value of a field means its default.
type Options struct {
	// Timeout bounds one request attempt, body included.
	Timeout time.Duration `yaml:"timeout"`
	// ConnectTimeout bounds opening a connection (DNS and TCP).
	ConnectTimeout time.Duration `yaml:"connect_timeout"`
	// MaxBodyBytes caps a response body, counted after decompression; a
	// longer body is a *TooLargeError.
	MaxBodyBytes int64 `yaml:"max_body_bytes"`
	// UserAgent is sent with every request.
	UserAgent string `yaml:"user_agent"`
	// Workers is how many articles are fetched and processed at once.
	Workers int `yaml:"workers"`
	// ArticleTimeout bounds one article's whole pipeline (its page, its
	// images, rendering); an article over it fails transiently and is
	// tried again next run.
	ArticleTimeout time.Duration `yaml:"article_timeout"`
	// MaxConnections caps the requests in flight over all hosts.
	MaxConnections int `yaml:"max_connections"`
	// Retries is how many times a timed-out, 5xx or 429 request is tried
	// again.
	Retries int `yaml:"retries"`
	// RetryWait is the first retry's wait; each later one doubles, with
	// jitter.
	RetryWait time.Duration `yaml:"retry_wait"`
	// MaxRetryWait caps one wait; a Retry-After asking for longer ends
	// the request with its *StatusError instead.
	MaxRetryWait time.Duration `yaml:"max_retry_wait"`
	// PerHost caps the requests in flight to one host.
	PerHost int `yaml:"per_host"`
	// MinInterval is the least time between the starts of two requests to
	// one host.
	MinInterval time.Duration `yaml:"min_interval"`
	// Proxy is "" (the environment's HTTP_PROXY/HTTPS_PROXY/NO_PROXY),
	// "direct" (none), or an http://, https:// or socks5:// URL.
	Proxy string `yaml:"proxy"`
	// Allow lists host names, IP addresses and CIDR ranges the address
	// guard lets through although they are loopback, private, link-local,
	// CGNAT or cloud metadata addresses.
	Allow []string `yaml:"allow"`
	// GiveUpAfter is how long an article may fail permanently (404, 410,
	// nothing to extract) before it is given up; transient failures never
	// give an article up.
	GiveUpAfter time.Duration `yaml:"give_up_after"`
	// HostBackoff is how long a host found down (most of its articles
	// failing transiently in a run) is left alone; it doubles for each
	// run in a row that finds it down, up to MaxHostBackoff, with jitter.
	HostBackoff    time.Duration `yaml:"host_backoff"`
	MaxHostBackoff time.Duration `yaml:"max_host_backoff"`
}

// DefaultOptions returns the options used when a config says nothing.
func DefaultOptions() Options {
	return Options{
		Timeout:        30 * time.Second,
		ConnectTimeout: 10 * time.Second,
		MaxBodyBytes:   15 << 20,
		UserAgent:      buildinfo.Read().UserAgent(),
		Workers:        4,
		ArticleTimeout: 2 * time.Minute,
		MaxConnections: 32,
		Retries:        2,
		RetryWait:      time.Second,
		MaxRetryWait:   time.Minute,
		PerHost:        2,
		GiveUpAfter:    7 * 24 * time.Hour,
		HostBackoff:    10 * time.Minute,
		MaxHostBackoff: 4 * time.Hour,
	}
}

// Bounds on options: past them a value is a typo or an attack on the
// operator (a body cap of a terabyte, a timeout of centuries), not a need.
const (
	MaxTimeout     = time.Hour
	MaxConnect     = 10 * time.Minute
	MaxBodyLimit   = 1 << 30 // 1 GiB
	MaxWait        = maxRetryAfter
	MaxMinInterval = time.Hour
)

// Validate reports options that cannot work.
func (o Options) Validate() error {
	switch {
	case o.Timeout <= 0 || o.Timeout > MaxTimeout:
		return option.Errorf("timeout", "must be positive and at most %s, got %s", MaxTimeout, o.Timeout)
	case o.ConnectTimeout <= 0 || o.ConnectTimeout > MaxConnect:
		return option.Errorf("connect_timeout", "must be positive and at most %s, got %s", MaxConnect, o.ConnectTimeout)
	case o.MaxBodyBytes <= 0 || o.MaxBodyBytes > MaxBodyLimit:
		return option.Errorf("max_body_bytes", "must be positive and at most %d (1 GiB), got %d", MaxBodyLimit, o.MaxBodyBytes)
	case o.ArticleTimeout <= 0 || o.ArticleTimeout > MaxTimeout:
		return option.Errorf("article_timeout", "must be positive and at most %s, got %s", MaxTimeout, o.ArticleTimeout)
	case o.Workers < 1 || o.Workers > 256:
		return option.Errorf("workers", "must be 1 to 256, got %d", o.Workers)
	case o.MaxConnections < 1 || o.MaxConnections > 1024:
		return option.Errorf("max_connections", "must be 1 to 1024, got %d", o.MaxConnections)
	case o.Retries < 0 || o.Retries > 10:
		return option.Errorf("retries", "must be 0 to 10, got %d", o.Retries)
	case o.RetryWait <= 0 || o.MaxRetryWait < o.RetryWait:
		return option.Errorf("retry_wait", "must be positive and max_retry_wait at least retry_wait")
	case o.MaxRetryWait > MaxWait:
		return option.Errorf("max_retry_wait", "must be at most %s, got %s", MaxWait, o.MaxRetryWait)
	case o.PerHost < 1 || o.PerHost > 64:
		return option.Errorf("per_host", "must be 1 to 64, got %d", o.PerHost)
	case o.MinInterval < 0 || o.MinInterval > MaxMinInterval:
		return option.Errorf("min_interval", "must be 0 to %s, got %s", MaxMinInterval, o.MinInterval)
	case o.GiveUpAfter < time.Hour:
		return option.Errorf("give_up_after", "must be at least 1h, got %s", o.GiveUpAfter)
	case o.HostBackoff <= 0 || o.MaxHostBackoff < o.HostBackoff:
		return option.Errorf("host_backoff", "must be positive and max_host_backoff at least host_backoff")
	}
	if err := checkProxy(o.Proxy); err != nil {
		return err
	}
	if _, err := newGuard(o.Allow); err != nil {
		return option.Errorf("allow", "%s", strings.TrimPrefix(err.Error(), "allow: "))
	}
	return nil
}

var (
	_ option.Validator = Options{}
	_ option.Validator = SourceOptions{}
)

// SourceOptions override the client's options for one source; a zero
// field keeps the client's value.
type SourceOptions struct {
	Timeout      time.Duration `yaml:"timeout"`
	MaxBodyBytes int64         `yaml:"max_body_bytes"`
	UserAgent    string        `yaml:"user_agent"`
	Retries      *int          `yaml:"retries"`
	PerHost      int           `yaml:"per_host"`
	MinInterval  time.Duration `yaml:"min_interval"`
	Proxy        string        `yaml:"proxy"`
	// Charset is the charset (a WHATWG label) of the source's feeds and
	// pages that are not valid UTF-8 and declare no usable charset, used
	// instead of the detector's guess (internal/decode). It never applies
	// to a UTF-8 document nor overrules a label that reads the body well.
	Charset string `yaml:"charset"`
}

// Validate reports source options that cannot work.
func (s SourceOptions) Validate() error {
	switch {
	case s.Timeout < 0 || s.MaxBodyBytes < 0 || s.PerHost < 0 || s.MinInterval < 0:
		return option.Errorf("", "timeout, max_body_bytes, per_host and min_interval must not be negative")
	case s.Timeout > MaxTimeout:
		return option.Errorf("timeout", "must be at most %s, got %s", MaxTimeout, s.Timeout)
	case s.MaxBodyBytes > MaxBodyLimit:
		return option.Errorf("max_body_bytes", "must be at most %d (1 GiB), got %d", MaxBodyLimit, s.MaxBodyBytes)
	case s.MinInterval > MaxMinInterval:
		return option.Errorf("min_interval", "must be at most %s, got %s", MaxMinInterval, s.MinInterval)
	case s.Retries != nil && (*s.Retries < 0 || *s.Retries > 10):
		return option.Errorf("retries", "must be 0 to 10, got %d", *s.Retries)
	case s.PerHost > 64:
		return option.Errorf("per_host", "must be 1 to 64, got %d", s.PerHost)
	case s.Charset != "" && !KnownCharset(s.Charset):
		return option.Errorf("charset", "unknown charset %q", s.Charset)
	}
	return checkProxy(s.Proxy)
}

// Over returns o with the fields s sets replaced.
func (s SourceOptions) Over(o Options) Options {
	if s.Timeout > 0 {
		o.Timeout = s.Timeout
	}
	if s.MaxBodyBytes > 0 {
		o.MaxBodyBytes = s.MaxBodyBytes
	}
	if s.UserAgent != "" {
		o.UserAgent = s.UserAgent
	}
	if s.Retries != nil {
		o.Retries = *s.Retries
	}
	if s.PerHost > 0 {
		o.PerHost = s.PerHost
	}
	if s.MinInterval > 0 {
		o.MinInterval = s.MinInterval
	}
	if s.Proxy != "" {
		o.Proxy = s.Proxy
	}
	return o
}

// checkProxy reports a proxy setting the client cannot use.
func checkProxy(p string) error {
	if p == "" || p == "direct" {
		return nil
	}
	u, err := url.Parse(p)
	if err != nil || u.Host == "" {
		return option.Errorf("proxy", "want \"direct\" or an http://, https:// or socks5:// URL (with any user name and password as ${VAR})")
	}
	switch u.Scheme {
	case "http", "https", "socks5", "socks5h":
		return nil
	}
	return option.Errorf("proxy", "unsupported scheme %q (want http, https or socks5)", u.Scheme)
}

package counter

import (
	"time"

	"github.com/newsmirror/newsmirror/internal/option"
)

// Options configure the hit counter (the "serve" section of a configuration).
// The zero value of a field means its default.
type Options struct {
	// Addr is the address "newsmirror serve" listens on; --addr overrides it.
	Addr string `yaml:"addr"`
	// FlushInterval is how often buffered counts are written to the state
	// database. Counts are also written on shutdown.
	FlushInterval time.Duration `yaml:"flush_interval"`
	// StopWait bounds how long the flush at shutdown tries again when the
	// state database is locked or failing; then the counts are kept in a
	// file the next start writes.
	StopWait time.Duration `yaml:"stop_wait"`
	// RefreshInterval is how often the set of countable paths (pages in the
	// state database, index files on disk) is reloaded, so that pages of a
	// sync that ran meanwhile start counting.
	RefreshInterval time.Duration `yaml:"refresh_interval"`
	// KeepHits is how long hit counts are kept in the state database; older
	// hours are deleted at each refresh. It must cover site.hot_window.
	KeepHits time.Duration `yaml:"keep_hits"`
	// ClientRate is how many hits per second one client's token bucket
	// regains; hits beyond it are answered but not counted.
	ClientRate float64 `yaml:"client_rate"`
	// ClientBurst is the size of one client's token bucket.
	ClientBurst int `yaml:"client_burst"`
	// MaxClients bounds the token buckets kept in memory; the least recently
	// seen clients are forgotten first.
	MaxClients int `yaml:"max_clients"`
	// ClientHeader names a request header that holds the client's address,
	// set by a trusted reverse proxy (e.g. X-Real-IP). Empty: the address of
	// the connection. Only its last comma-separated value is used.
	ClientHeader string `yaml:"client_header"`
	// MetricsAddr, when set, is where /metrics is served instead of Addr, so
	// that the public listener answers only the pixel and /healthz.
	MetricsAddr string `yaml:"metrics_addr"`
	// MaxPending bounds the counts (one per page and hour) buffered between
	// flushes; at the bound a flush starts at once, and while the state
	// database takes none, hits of pages and hours not yet buffered are
	// answered but not counted (reason buffer_full). With the batch sent
	// and not yet written, the counter holds at most twice this many
	// counts (about 60 bytes each).
	MaxPending int `yaml:"max_pending"`
	// Bots are User-Agent substrings (case-insensitive) whose requests are not
	// counted, in addition to the built-in list.
	Bots []string `yaml:"bots"`
}

// DefaultOptions returns the options used when a configuration says nothing.
func DefaultOptions() Options {
	return Options{
		Addr:            ":8080",
		FlushInterval:   5 * time.Second,
		StopWait:        DefaultStopWait,
		RefreshInterval: time.Minute,
		KeepHits:        30 * 24 * time.Hour,
		ClientRate:      0.5,
		ClientBurst:     20,
		MaxClients:      65536,
		MaxPending:      DefaultMaxPending,
	}
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	switch {
	case o.Addr == "":
		return option.Errorf("addr", "must not be empty")
	case o.FlushInterval < 100*time.Millisecond:
		return option.Errorf("flush_interval", "must be at least 100ms, got %s", o.FlushInterval)
	case o.StopWait < 100*time.Millisecond:
		return option.Errorf("stop_wait", "must be at least 100ms, got %s", o.StopWait)
	case o.RefreshInterval < time.Second:
		return option.Errorf("refresh_interval", "must be at least 1s, got %s", o.RefreshInterval)
	case o.KeepHits < time.Hour:
		return option.Errorf("keep_hits", "must be at least 1h, got %s", o.KeepHits)
	case o.ClientRate <= 0:
		return option.Errorf("client_rate", "must be positive")
	case o.ClientBurst < 1:
		return option.Errorf("client_burst", "must be at least 1")
	case o.MaxClients < 64:
		return option.Errorf("max_clients", "must be at least 64, got %d", o.MaxClients)
	case o.MaxPending < 1000:
		return option.Errorf("max_pending", "must be at least 1000, got %d", o.MaxPending)
	}
	return nil
}

var _ option.Validator = Options{}

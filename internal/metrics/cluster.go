package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Cluster is what a daemon sharing its state with other hosts exports:
// whether it holds the lease that elects the host that syncs, and how
// long the state database takes to answer. A nil *Cluster counts nothing.
type Cluster struct {
	held    *prometheus.GaugeVec
	store   *prometheus.HistogramVec
	storeUp prometheus.Gauge
}

// Store operations the daemon times, the values of the "op" label.
const (
	StoreAcquire   = "acquire"   // trying to take the lease
	StoreRenew     = "renew"     // renewing the lease held
	StoreHeartbeat = "heartbeat" // writing the host's heartbeat
)

// NewCluster registers the cluster's collectors beside m's; nil m gives a
// nil *Cluster.
func NewCluster(m *Metrics, host string) *Cluster {
	if m == nil {
		return nil
	}
	c := &Cluster{
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "newsmirror_lease_held", Help: "1 while this host holds the lease that elects the host that syncs, else 0.",
		}, []string{"host"}),
		store: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "newsmirror_store_seconds", Help: "Duration of the daemon's state database operations, by op (acquire, renew, heartbeat), failures included.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"op"}),
		storeUp: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "newsmirror_store_up", Help: "1 when the daemon's last state database operation succeeded, else 0.",
		}),
	}
	m.reg.MustRegister(c.held, c.store, c.storeUp)
	c.held.WithLabelValues(host).Set(0)
	return c
}

// Held sets whether host holds the lease.
func (c *Cluster) Held(host string, held bool) {
	if c == nil {
		return
	}
	v := 0.0
	if held {
		v = 1
	}
	c.held.WithLabelValues(host).Set(v)
}

// Store times one state database operation that took d; err nil is a
// success.
func (c *Cluster) Store(op string, d time.Duration, err error) {
	if c == nil {
		return
	}
	c.store.WithLabelValues(op).Observe(d.Seconds())
	up := 1.0
	if err != nil {
		up = 0
	}
	c.storeUp.Set(up)
}

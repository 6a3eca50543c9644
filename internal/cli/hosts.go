package cli

import (
	"context"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
)

// hostsStatus is what status shows of the daemons sharing the state: each
// host's last heartbeat and the lease that elects the one that syncs.
type hostsStatus struct {
	beats []store.Heartbeat
	lease store.Lease // Holder "" when never acquired
	now   time.Time   // the database's clock when read
}

// readHosts reads the heartbeats and the lease; a state no daemon ran on
// has neither.
func (st *status) readHosts(ctx context.Context, db *store.Store) error {
	beats, now, err := db.Heartbeats(ctx)
	if err != nil {
		return err
	}
	l, _, err := db.LeaseHolder(ctx, leaseName)
	if err != nil {
		return err
	}
	st.hosts = hostsStatus{beats: beats, lease: l, now: now}
	if len(beats) > 0 && !l.Held {
		last := "never held"
		if l.Holder != "" {
			last = fmt.Sprintf("last held by %s until %s", l.Holder, l.Until.Format(time.RFC3339))
		}
		st.warnings = append(st.warnings, fmt.Sprintf("no daemon holds the lease (%s): no host syncs until one runs", last))
	}
	return nil
}

// holds reports whether host holds the lease now.
func (h hostsStatus) holds(host string) bool { return h.lease.Held && h.lease.Holder == host }

// ago is how long before the database's now t was, "-" for never.
func (h hostsStatus) ago(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return h.now.Sub(t).Round(time.Second).String() + " ago"
}

func (h hostsStatus) print(w io.Writer) {
	if len(h.beats) == 0 {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "HOST\tLAST SEEN\tLAST RUN\tRESULT\tLEASE")
	for _, b := range h.beats {
		lease := "standby"
		if h.holds(b.Host) {
			lease = fmt.Sprintf("holds it (generation %d, %s left)", h.lease.Token, h.lease.Until.Sub(h.now).Round(time.Second))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", b.Host, h.ago(b.Seen), h.ago(b.RunAt), clip(b.Result, 50), lease)
	}
	tw.Flush()
}

// hostStatusJSON is one host of "status --json".
type hostStatusJSON struct {
	Host       string     `json:"host"`
	LastSeen   *time.Time `json:"last_seen"`
	Started    *time.Time `json:"started"`
	LastRun    *time.Time `json:"last_run"` // null: no run ended yet
	LastResult string     `json:"last_result"`
	HoldsLease bool       `json:"holds_lease"`
}

// leaseJSON is the lease of "status --json"; null when never acquired.
type leaseJSON struct {
	Holder     string     `json:"holder"` // the last holder when not held
	Held       bool       `json:"held"`
	Until      *time.Time `json:"until"`
	Generation int64      `json:"generation"`
}

func (h hostsStatus) json() ([]hostStatusJSON, *leaseJSON) {
	hosts := []hostStatusJSON{}
	for _, b := range h.beats {
		hosts = append(hosts, hostStatusJSON{b.Host, when(b.Seen), when(b.Started), when(b.RunAt), b.Result, h.holds(b.Host)})
	}
	if h.lease.Holder == "" {
		return hosts, nil
	}
	return hosts, &leaseJSON{h.lease.Holder, h.lease.Held, when(h.lease.Until), h.lease.Token}
}

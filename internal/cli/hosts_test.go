package cli_test

import (
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestStatusShowsEveryHostsHeartbeatAndTheLeaseHolder(t *testing.T) {
	path, db := statusState(t)
	ctx := context.Background()
	if _, err := db.AcquireLease(ctx, "sync", "host-a", time.Minute); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.Beat(ctx, "host-a", true, ""))
	must(db.Beat(ctx, "host-a", false, "exit 0: 4 pages written"))
	must(db.Beat(ctx, "host-b", true, ""))
	db.Close()

	_, out, _ := run(t, "status", "-c", path)
	rows := regexp.MustCompile(`(?m)^host-a\s+\d+s ago\s+\d+s ago\s+exit 0: 4 pages written\s+holds it \(generation 1, [0-9ms]+ left\)$` +
		`\n^host-b\s+\d+s ago\s+-\s+standby$`)
	if !strings.Contains(out, "HOST  ") || !rows.MatchString(out) {
		t.Errorf("status does not show both hosts and the holder:\n%s", out)
	}

	_, out, _ = run(t, "status", "-c", path, "--json")
	var st struct {
		Hosts []struct {
			Host       string     `json:"host"`
			LastSeen   *time.Time `json:"last_seen"`
			LastRun    *time.Time `json:"last_run"`
			LastResult string     `json:"last_result"`
			HoldsLease bool       `json:"holds_lease"`
		} `json:"hosts"`
		Lease *struct {
			Holder     string `json:"holder"`
			Held       bool   `json:"held"`
			Generation int64  `json:"generation"`
		} `json:"lease"`
	}
	if err := json.Unmarshal([]byte(out), &st); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(st.Hosts) != 2 || !st.Hosts[0].HoldsLease || st.Hosts[1].HoldsLease || st.Hosts[0].LastRun == nil ||
		st.Hosts[1].LastRun != nil || st.Hosts[1].LastSeen == nil || st.Hosts[0].LastResult != "exit 0: 4 pages written" {
		t.Errorf("hosts = %+v", st.Hosts)
	}
	if st.Lease == nil || st.Lease.Holder != "host-a" || !st.Lease.Held || st.Lease.Generation != 1 {
		t.Errorf("lease = %+v", st.Lease)
	}
}

func TestStatusWarnsWhenNoDaemonHoldsTheLease(t *testing.T) {
	path, db := statusState(t)
	ctx := context.Background()
	l, _ := db.AcquireLease(ctx, "sync", "host-a", time.Minute)
	db.Beat(ctx, "host-a", true, "exit 0: 1 pages written")
	db.ReleaseLease(ctx, l)
	db.Close()
	_, out, _ := run(t, "status", "-c", path)
	if !strings.Contains(out, "no daemon holds the lease (last held by host-a until") || !strings.Contains(out, "host-a") {
		t.Errorf("status:\n%s", out)
	}
}

func TestSyncRefusesWhileAnotherHostsDaemonHoldsTheLease(t *testing.T) {
	path, db := statusState(t)
	ctx := context.Background()
	defer db.Close()
	if _, err := db.AcquireLease(ctx, "sync", "host-b", time.Hour); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run(t, "sync", "-c", path, "--host-id", "host-a")
	if code != 1 || !strings.Contains(stderr, "host host-b holds the lease until") {
		t.Errorf("sync while host-b holds the lease: exit %d\n%s", code, stderr)
	}
	if pending, _ := db.PendingPaths(ctx); len(pending) != 0 {
		t.Errorf("the refused sync wrote %v", pending)
	}
}

package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newsmirror/newsmirror/internal/store"
	"github.com/newsmirror/newsmirror/internal/store/storetest"
)

// eachShared runs f on each backend with one fresh state database opened
// twice, as two hosts sharing it would.
func eachShared(t *testing.T, f func(t *testing.T, a, b *store.Store)) {
	t.Helper()
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			state := be.State(t)
			open := func() *store.Store {
				db, err := store.Open(context.Background(), state)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				return db
			}
			f(t, open(), open())
		})
	}
}

const leaseTTL = 300 * time.Millisecond

// expire waits until every lease taken for leaseTTL before it has expired.
func expire() { time.Sleep(leaseTTL + 100*time.Millisecond) }

func TestLeaseGoesToOneHolderUntilItExpires(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, err := a.AcquireLease(ctx, "sync", "host-a", leaseTTL)
		if err != nil || !la.Held || la.Previous != "" || la.Until.IsZero() {
			t.Fatalf("first acquisition = %+v, %v", la, err)
		}
		lb, err := b.AcquireLease(ctx, "sync", "host-b", leaseTTL)
		if err != nil || lb.Held || lb.Holder != "host-a" || !lb.Until.Equal(la.Until) {
			t.Fatalf("acquisition while held = %+v, %v; want not held, holder host-a until %v", lb, err, la.Until)
		}
		expire()
		lb, err = b.AcquireLease(ctx, "sync", "host-b", leaseTTL)
		if err != nil || !lb.Held || lb.Previous != "host-a" || lb.Token <= la.Token {
			t.Fatalf("acquisition after expiry = %+v, %v; want held, taken over from host-a, a newer generation than %d", lb, err, la.Token)
		}
		cur, found, err := a.LeaseHolder(ctx, "sync")
		if err != nil || !found || !cur.Held || cur.Holder != "host-b" || cur.Token != lb.Token {
			t.Errorf("holder = %+v, %v, %v; want host-b", cur, found, err)
		}
	})
}

func TestLeaseRenewalKeepsItsGenerationUntilAnotherHostTakesOver(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, _ := a.AcquireLease(ctx, "sync", "host-a", leaseTTL)
		time.Sleep(50 * time.Millisecond)
		renewed, err := a.RenewLease(ctx, la, leaseTTL)
		if err != nil || !renewed.Held || renewed.Token != la.Token || !renewed.Until.After(la.Until) {
			t.Fatalf("renewal = %+v, %v; want held, token %d, later than %v", renewed, err, la.Token, la.Until)
		}
		expire()
		if _, err := b.AcquireLease(ctx, "sync", "host-b", leaseTTL); err != nil {
			t.Fatal(err)
		}
		lost, err := a.RenewLease(ctx, renewed, leaseTTL)
		if err != nil || lost.Held {
			t.Errorf("renewal after a takeover = %+v, %v; want not held", lost, err)
		}
	})
}

func TestReleasedLeaseGoesToTheNextHostAtOnce(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, _ := a.AcquireLease(ctx, "sync", "host-a", time.Hour)
		if err := a.ReleaseLease(ctx, la); err != nil {
			t.Fatal(err)
		}
		lb, err := b.AcquireLease(ctx, "sync", "host-b", time.Hour)
		if err != nil || !lb.Held || lb.Previous != "host-a" {
			t.Errorf("acquisition after release = %+v, %v", lb, err)
		}
	})
}

func TestRestartedHolderTakesItsLeaseBackAndFencesOffItsOldGeneration(t *testing.T) {
	eachShared(t, func(t *testing.T, old, restarted *store.Store) {
		ctx := context.Background()
		first, _ := old.AcquireLease(ctx, "sync", "host-a", time.Hour)
		old.Fence(first)
		again, err := restarted.AcquireLease(ctx, "sync", "host-a", time.Hour)
		if err != nil || !again.Held || again.Token == first.Token || again.Previous != "" {
			t.Fatalf("acquisition by the restarted holder = %+v, %v", again, err)
		}
		err = old.JournalWrites(ctx, []string{"pages/c/1.md"})
		var lost *store.LeaseLostError
		if !errors.As(err, &lost) || lost.Token != first.Token {
			t.Errorf("write of the old generation: %v; want a LeaseLostError of generation %d", err, first.Token)
		}
	})
}

func TestHolderRestartedBeforeCatchingUpTakesOverAgain(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, _ := a.AcquireLease(ctx, "sync", "host-a", time.Hour)
		must(t, a.ReleaseLease(ctx, la))
		lb, _ := b.AcquireLease(ctx, "sync", "host-b", time.Hour)
		// host-b restarts before it caught up with host-a: told again.
		again, err := b.AcquireLease(ctx, "sync", "host-b", time.Hour)
		if err != nil || !again.Held || again.Previous != "host-a" {
			t.Fatalf("restart before the catch-up = %+v, %v; want taking over from host-a", again, err)
		}
		must(t, b.CaughtUp(ctx, lb)) // an old generation records nothing
		if l, _ := b.AcquireLease(ctx, "sync", "host-b", time.Hour); l.Previous != "host-a" {
			t.Errorf("after a stale generation's catch-up: %+v", l)
		}
		cur, _, _ := b.LeaseHolder(ctx, "sync")
		must(t, b.CaughtUp(ctx, cur))
		if l, _ := b.AcquireLease(ctx, "sync", "host-b", time.Hour); l.Previous != "host-b" {
			t.Errorf("restart after the catch-up = %+v; want no takeover (previous host-b)", l)
		}
	})
}

func TestFencedWritesFailOnceTheLeaseIsLost(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, _ := a.AcquireLease(ctx, "sync", "host-a", leaseTTL)
		a.Fence(la)
		page := store.Article{URL: "http://x/1", Source: "s", Channel: "c", ID: "1", Path: "pages/c/1.md"}
		if err := a.SaveMirrored(ctx, page, false, nil); err != nil {
			t.Fatalf("write while held: %v", err)
		}
		if err := a.CheckFence(ctx); err != nil {
			t.Errorf("check while held: %v", err)
		}
		expire()
		if err := a.CheckFence(ctx); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("check after expiry: %v; want ErrLeaseLost", err)
		}
		if _, err := b.AcquireLease(ctx, "sync", "host-b", time.Hour); err != nil {
			t.Fatal(err)
		}
		page.URL, page.ID, page.Path = "http://x/2", "2", "pages/c/2.md"
		if err := a.SaveMirrored(ctx, page, false, nil); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("write after a takeover: %v; want ErrLeaseLost", err)
		}
		if err := a.Committed(ctx); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("commit after a takeover: %v; want ErrLeaseLost", err)
		}
		pending, _ := b.PendingPaths(ctx)
		if len(pending) != 1 || pending[0] != "pages/c/1.md" {
			t.Errorf("pending = %v; want only the page written while held", pending)
		}
	})
}

func TestLongFencedWriteDoesNotHoldUpItsHoldersRenewal(t *testing.T) {
	eachShared(t, func(t *testing.T, a, renewer *store.Store) {
		if !strings.HasSuffix(t.Name(), "/postgres") {
			t.Skip("SQLite has one writer: a renewal always waits for an open write transaction")
		}
		ctx := context.Background()
		la, err := a.AcquireLease(ctx, "sync", "host-a", time.Minute)
		if err != nil || !la.Held {
			t.Fatalf("acquisition = %+v, %v", la, err)
		}
		a.Fence(la)
		holdCtx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		began, release, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() { held <- a.HoldFenced(holdCtx, began, release) }()
		<-began
		renewCtx, cancelRenew := context.WithTimeout(ctx, time.Second)
		renewed, err := renewer.RenewLease(renewCtx, la, time.Minute)
		cancelRenew()
		close(release)
		if err != nil || !renewed.Held || renewed.Token != la.Token {
			t.Errorf("renewal during a fenced write = %+v, %v; want held in generation %d within a second", renewed, err, la.Token)
		}
		if err := <-held; err != nil {
			t.Errorf("fenced write: %v", err)
		}
	})
}

func TestTakeoverWaitsForTheOldGenerationsFencedWrite(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		la, _ := a.AcquireLease(ctx, "sync", "host-a", leaseTTL)
		a.Fence(la)
		holdCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		began, release, held := make(chan struct{}), make(chan struct{}), make(chan error, 1)
		go func() { held <- a.HoldFenced(holdCtx, began, release) }()
		<-began
		expire()
		type result struct {
			l   store.Lease
			err error
		}
		acquired := make(chan result, 1)
		go func() {
			l, err := b.AcquireLease(ctx, "sync", "host-b", time.Hour)
			acquired <- result{l, err}
		}()
		select {
		case r := <-acquired:
			t.Fatalf("takeover = %+v, %v while the old generation's write is open; want it to wait", r.l, r.err)
		case <-time.After(500 * time.Millisecond):
		}
		close(release)
		if err := <-held; err != nil {
			t.Errorf("fenced write of the old generation: %v; want committed before the takeover", err)
		}
		r := <-acquired
		if r.err != nil || !r.l.Held || r.l.Token <= la.Token || r.l.Previous != "host-a" {
			t.Fatalf("takeover after the write = %+v, %v", r.l, r.err)
		}
		if err := a.JournalWrites(ctx, []string{"pages/c/late.md"}); !errors.Is(err, store.ErrLeaseLost) {
			t.Errorf("write of the old generation after the takeover: %v; want ErrLeaseLost", err)
		}
	})
}

func TestLeaseHeldAcrossTheUpgradeKeepsFencingItsGeneration(t *testing.T) {
	for _, be := range storetest.Backends() {
		t.Run(be.Name, func(t *testing.T) {
			ctx := context.Background()
			state := be.State(t)
			old, err := store.OpenAt(ctx, state, store.SchemaVersion-1)
			if err != nil {
				t.Fatal(err)
			}
			far := time.Now().Add(time.Hour).UnixMilli()
			if _, err := old.Exec(ctx, `INSERT INTO leases (name, holder, token, expires, previous) VALUES (?1, ?2, ?3, ?4, '')`, "sync", "host-a", 3, far); err != nil {
				t.Fatal(err)
			}
			old.Close()
			db, err := store.Open(ctx, state)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			db.Fence(store.Lease{Name: "sync", Holder: "host-a", Token: 3})
			if err := db.JournalWrites(ctx, []string{"pages/c/1.md"}); err != nil {
				t.Errorf("write of the generation held across the upgrade: %v", err)
			}
			db.Fence(store.Lease{Name: "sync", Holder: "host-a", Token: 2})
			if err := db.JournalWrites(ctx, []string{"pages/c/2.md"}); !errors.Is(err, store.ErrLeaseLost) {
				t.Errorf("write of an older generation: %v; want ErrLeaseLost", err)
			}
			if l, err := db.RenewLease(ctx, store.Lease{Name: "sync", Holder: "host-a", Token: 3}, time.Minute); err != nil || !l.Held {
				t.Errorf("renewal after the upgrade = %+v, %v", l, err)
			}
		})
	}
}

func TestHeartbeatsKeepEachHostsLastResult(t *testing.T) {
	eachShared(t, func(t *testing.T, a, b *store.Store) {
		ctx := context.Background()
		must(t, a.Beat(ctx, "host-a", true, ""))
		must(t, b.Beat(ctx, "host-b", true, ""))
		must(t, a.Beat(ctx, "host-a", false, "exit 0: 3 pages written"))
		time.Sleep(5 * time.Millisecond)
		must(t, a.Beat(ctx, "host-a", false, ""))
		hs, now, err := b.Heartbeats(ctx)
		if err != nil || len(hs) != 2 || now.IsZero() {
			t.Fatalf("heartbeats = %+v, %v, %v", hs, now, err)
		}
		ha, hb := hs[0], hs[1]
		if ha.Host != "host-a" || ha.Result != "exit 0: 3 pages written" || ha.RunAt.IsZero() || !ha.Seen.After(ha.RunAt) || ha.Started.After(ha.RunAt) {
			t.Errorf("host-a = %+v", ha)
		}
		if hb.Host != "host-b" || hb.Result != "" || !hb.RunAt.IsZero() || hb.Seen.After(now) {
			t.Errorf("host-b = %+v (now %v)", hb, now)
		}
	})
}

// BenchmarkLeaseRenew measures one renewal of a held lease, the write a
// holder makes every third of its time to live, on each backend.
func BenchmarkLeaseRenew(b *testing.B) {
	for _, be := range storetest.Backends() {
		b.Run(be.Name, func(b *testing.B) {
			db := be.Open(b)
			ctx := context.Background()
			l, err := db.AcquireLease(ctx, "sync", "host-a", time.Minute)
			if err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for b.Loop() {
				if l, err = db.RenewLease(ctx, l, time.Minute); err != nil || !l.Held {
					b.Fatalf("renewal: %+v, %v", l, err)
				}
			}
		})
	}
}

// BenchmarkFencedWrite measures recording a mirrored article with and
// without the lease check a fenced store makes in the same transaction.
func BenchmarkFencedWrite(b *testing.B) {
	for _, be := range storetest.Backends() {
		for _, fenced := range []bool{false, true} {
			name := be.Name + "/unfenced"
			if fenced {
				name = be.Name + "/fenced"
			}
			b.Run(name, func(b *testing.B) {
				db := be.Open(b)
				ctx := context.Background()
				if fenced {
					l, err := db.AcquireLease(ctx, "sync", "host-a", time.Hour)
					if err != nil {
						b.Fatal(err)
					}
					db.Fence(l)
				}
				n := 0
				for b.Loop() {
					n++
					a := store.Article{URL: fmt.Sprintf("http://x/%d", n), Source: "s", Channel: "c", ID: fmt.Sprint(n), Path: fmt.Sprintf("pages/c/%d.md", n)}
					if err := db.SaveMirrored(ctx, a, false, nil); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

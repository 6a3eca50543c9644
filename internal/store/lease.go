package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Lease is one holder's hold on a named lease: a row with an expiry, so a
// holder that dies or is cut off loses it when the lease expires, however
// it ended. Expiry is decided by the database server's clock alone (its
// now()), so hosts whose clocks disagree still agree on who holds it.
type Lease struct {
	Name, Holder string
	// Token is the lease's generation: it grows each time the lease is
	// acquired (by anyone), never on a renewal. A write fenced on a token
	// (Store.Fence) fails once a newer generation exists.
	Token int64
	// Until is when the lease expires, by the database's clock.
	Until time.Time
	// Held says the holder holds it: false when another does, or it is
	// lost. Holder and Until then name the current (or last) holder.
	Held bool
	// Previous is the last other host that held the lease and that this
	// holder has not caught up with yet (CaughtUp): "" or Holder itself
	// when there is none. Another host means this one takes over from
	// it; a holder that restarts before catching up is told again.
	Previous string
}

// ErrLeaseLost means a fenced write ran after its lease was lost: it
// expired, or another holder acquired it since.
var ErrLeaseLost = errors.New("the lease is lost")

// LeaseLostError says which lease a fenced write lost.
type LeaseLostError struct {
	Name, Holder string
	Token        int64
}

func (e *LeaseLostError) Error() string {
	return fmt.Sprintf("lease %s (generation %d) is no longer held by %s: another host may be writing", e.Name, e.Token, e.Holder)
}

func (e *LeaseLostError) Unwrap() error { return ErrLeaseLost }

// clock is the database server's time in milliseconds since 1970, as SQL.
func (s *Store) clock() string {
	if s.d == postgresDialect {
		return `CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)`
	}
	return `CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)`
}

// clocked writes the database's clock into query in place of {now}.
func (s *Store) clocked(query string) string { return strings.ReplaceAll(query, "{now}", s.clock()) }

// AcquireLease takes the lease name for holder for ttl when it is free,
// expired, or held by holder already (a holder that restarted: its old
// generation is fenced off), and reports whether holder holds it.
func (s *Store) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration) (Lease, error) {
	l := Lease{Name: name, Holder: holder}
	var until int64
	err := s.txFenced(ctx, false, func(tx txn) error {
		err := tx.QueryRowContext(ctx, s.clocked(`INSERT INTO leases (name, holder, token, expires, previous)
		VALUES (?1, ?2, 1, {now} + ?3, '')
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = leases.token + 1,
			expires = excluded.expires,
			previous = CASE WHEN leases.holder = excluded.holder THEN leases.previous ELSE leases.holder END
		WHERE leases.expires <= {now} OR leases.holder = excluded.holder
		RETURNING token, expires, previous`), name, holder, ttl.Milliseconds()).Scan(&l.Token, &until, &l.Previous)
		if err != nil {
			return err
		}
		// The new generation: on PostgreSQL this waits for every fenced
		// write still running on the old one (checkFence locks this row).
		_, err = tx.ExecContext(ctx, `INSERT INTO lease_generations (name, holder, token) VALUES (?1, ?2, ?3)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, token = excluded.token`, name, holder, l.Token)
		return err
	})
	switch {
	case errors.Is(err, sql.ErrNoRows):
		cur, _, err := s.LeaseHolder(ctx, name)
		cur.Held = false // held by another, who is named
		return cur, err
	case err != nil:
		return l, fmt.Errorf("acquire lease %s: %w", name, err)
	}
	l.Until, l.Held = time.UnixMilli(until).UTC(), true
	return l, nil
}

// RenewLease extends l by ttl from now if l is still held (same
// generation, not expired); Held is false in what it returns otherwise.
func (s *Store) RenewLease(ctx context.Context, l Lease, ttl time.Duration) (Lease, error) {
	var until int64
	err := s.db.QueryRowContext(ctx, s.clocked(`UPDATE leases SET expires = {now} + ?4
		WHERE name = ?1 AND holder = ?2 AND token = ?3 AND expires > {now} RETURNING expires`),
		l.Name, l.Holder, l.Token, ttl.Milliseconds()).Scan(&until)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		l.Held = false
		return l, nil
	case err != nil:
		return l, fmt.Errorf("renew lease %s: %w", l.Name, err)
	}
	l.Until, l.Held = time.UnixMilli(until).UTC(), true
	return l, nil
}

// CaughtUp records that l's holder has caught up with the host it took
// the lease from (Previous): a restart no longer takes over again.
func (s *Store) CaughtUp(ctx context.Context, l Lease) error {
	_, err := s.db.ExecContext(ctx, `UPDATE leases SET previous = holder WHERE name = ?1 AND holder = ?2 AND token = ?3`,
		l.Name, l.Holder, l.Token)
	if err != nil {
		return fmt.Errorf("record the catch-up of lease %s: %w", l.Name, err)
	}
	return nil
}

// ReleaseLease lets l expire now, if it is still held, so another holder
// may acquire it without waiting; the row keeps l's holder as the last.
func (s *Store) ReleaseLease(ctx context.Context, l Lease) error {
	_, err := s.db.ExecContext(ctx, s.clocked(`UPDATE leases SET expires = {now}
		WHERE name = ?1 AND holder = ?2 AND token = ?3 AND expires > {now}`), l.Name, l.Holder, l.Token)
	if err != nil {
		return fmt.Errorf("release lease %s: %w", l.Name, err)
	}
	return nil
}

// LeaseHolder reads the lease name: its current holder (Held) or its last
// one; found is false when it was never acquired.
func (s *Store) LeaseHolder(ctx context.Context, name string) (l Lease, found bool, err error) {
	var until, now int64
	err = s.db.QueryRowContext(ctx, s.clocked(`SELECT holder, token, expires, previous, {now} FROM leases WHERE name = ?`), name).
		Scan(&l.Holder, &l.Token, &until, &l.Previous, &now)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Lease{Name: name}, false, nil
	case err != nil:
		return l, false, fmt.Errorf("read lease %s: %w", name, err)
	}
	l.Name, l.Until, l.Held = name, time.UnixMilli(until).UTC(), until > now
	return l, true, nil
}

// Fence makes every later write transaction of s (recording a page,
// retention, a commit, the journal) first check that l is still held in
// its generation, by the database's clock, and fail with a
// *LeaseLostError otherwise. On PostgreSQL the check locks the lease's
// generation row for the transaction (FOR SHARE), so that a new holder's
// acquisition waits for it: a write either commits before another host
// takes over or not at all. Renewals update only the expiry, kept apart,
// so a long fenced write does not hold up its own holder's renewal. Call it before s is shared between goroutines.
func (s *Store) Fence(l Lease) { s.fence = &l }

// rowQuerier is a database or a transaction.
type rowQuerier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// checkFence fails when s is fenced on a lease no longer held.
func (s *Store) checkFence(ctx context.Context, q rowQuerier) error {
	f := s.fence
	if f == nil {
		return nil
	}
	lock := ""
	if s.d == postgresDialect {
		lock = " FOR SHARE OF g"
	}
	// The lock is on the generation row, which only an acquisition
	// updates, never on the expiry a renewal updates: a takeover waits
	// for this transaction, the holder's own renewals do not.
	var token int64
	err := q.QueryRowContext(ctx, s.clocked(`SELECT g.token FROM lease_generations g JOIN leases l ON l.name = g.name
		WHERE g.name = ?1 AND g.holder = ?2 AND g.token = ?3
			AND l.holder = ?2 AND l.token = ?3 AND l.expires > {now}`+lock), f.Name, f.Holder, f.Token).Scan(&token)
	if errors.Is(err, sql.ErrNoRows) {
		return &LeaseLostError{Name: f.Name, Holder: f.Holder, Token: f.Token}
	}
	if err != nil {
		return fmt.Errorf("check lease %s: %w", f.Name, err)
	}
	return nil
}

// CheckFence reports whether the lease s is fenced on (Fence) is still
// held: nil when it is, or when s is not fenced; a *LeaseLostError when
// not. A caller about to do something the store cannot undo (a push)
// asks first.
func (s *Store) CheckFence(ctx context.Context) error { return s.checkFence(ctx, s.db) }

// Heartbeat is one host's last sign of life.
type Heartbeat struct {
	// Host names the host (its host id: hostname and configuration file,
	// unless set).
	Host string
	// Seen is when it last wrote, Started when its daemon started, by the
	// database's clock.
	Seen, Started time.Time
	// RunAt is when its last run ended and Result what it came to ("" when
	// it has not run).
	RunAt  time.Time
	Result string
}

// Beat records that host is alive, by the database's clock; a result ""
// keeps the last one, started is the daemon's start (zero: keep it).
func (s *Store) Beat(ctx context.Context, host string, started bool, result string) error {
	_, err := s.db.ExecContext(ctx, s.clocked(`INSERT INTO heartbeats (host, seen, started, run_at, result)
		VALUES (?1, {now}, {now}, CASE WHEN ?3 = '' THEN 0 ELSE {now} END, ?3)
		ON CONFLICT (host) DO UPDATE SET seen = excluded.seen,
			started = CASE WHEN ?2 THEN excluded.started ELSE heartbeats.started END,
			run_at = CASE WHEN ?3 = '' THEN heartbeats.run_at ELSE excluded.run_at END,
			result = CASE WHEN ?3 = '' THEN heartbeats.result ELSE excluded.result END`), host, started, result)
	if err != nil {
		return fmt.Errorf("heartbeat of %s: %w", host, err)
	}
	return nil
}

// Heartbeats lists every host's last heartbeat, by host id, and the
// database's clock now.
func (s *Store) Heartbeats(ctx context.Context) ([]Heartbeat, time.Time, error) {
	var now int64
	if err := s.db.QueryRowContext(ctx, s.clocked(`SELECT {now}`)).Scan(&now); err != nil {
		return nil, time.Time{}, fmt.Errorf("read the database's clock: %w", err)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT host, seen, started, run_at, result FROM heartbeats ORDER BY host`)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("list heartbeats: %w", err)
	}
	defer rows.Close()
	var out []Heartbeat
	for rows.Next() {
		var h Heartbeat
		var seen, started, ran int64
		if err := rows.Scan(&h.Host, &seen, &started, &ran, &h.Result); err != nil {
			return nil, time.Time{}, fmt.Errorf("list heartbeats: %w", err)
		}
		h.Seen, h.Started, h.RunAt = fromMilli(seen), fromMilli(started), fromMilli(ran)
		out = append(out, h)
	}
	return out, fromMilli(now), rows.Err()
}

// Ping asks the database for its clock: it fails when the database is out
// of reach.
func (s *Store) Ping(ctx context.Context) error {
	var now int64
	if err := s.db.QueryRowContext(ctx, s.clocked(`SELECT {now}`)).Scan(&now); err != nil {
		return fmt.Errorf("reach the state database: %w", err)
	}
	return nil
}

func fromMilli(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return time.UnixMilli(ms).UTC()
}

package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStatements bounds a store's statement cache. The store's
// fixed statements number well under it; what it stops is the few
// statements written for a list of arguments (an IN list as long as the
// list) filling memory one length at a time. Past the bound a statement
// runs unprepared, as it would without the cache.
const maxCachedStatements = 256

// stmtCache holds the statements a store runs, each prepared once on the
// database and reused: SQLite spends more parsing and planning most of
// the store's statements than running them. database/sql prepares a
// cached statement again on each connection it runs on (a new
// connection after one was lost, another of PostgreSQL's pool), so an
// entry outlives the connection it was first prepared on.
//
// A statement first met inside a transaction is not prepared there:
// preparing on the database waits for a free connection, and SQLite's
// only one is the transaction's. It runs unprepared and is prepared when
// the transaction ends (prepareWanted).
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	// stmts are the prepared statements by query (as bound for the
	// dialect); a nil entry is a query that failed to prepare (it runs
	// unprepared and reports its own error).
	stmts map[string]*sql.Stmt
	// wanted are queries met inside transactions, to prepare after.
	wanted map[string]bool
	closed bool
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, wanted: map[string]bool{}}
}

// stmt returns query prepared on the database, preparing it on first
// use; nil means run it unprepared (the cache is full or closed, or the
// query does not prepare).
func (c *stmtCache) stmt(ctx context.Context, query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	if st, ok := c.lookup(query); ok {
		return st
	}
	// Prepared without the lock: preparing waits for a free connection,
	// which a transaction may hold while it asks the cache (inTx).
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil && ctx.Err() != nil {
		return nil // the caller's deadline, not the query: try another time
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.stmts[query]; ok || c.closed || len(c.stmts) >= maxCachedStatements {
		if st != nil {
			st.Close() // another caller's came first, or the cache is closed or full
		}
		return old
	}
	c.stmts[query] = st // nil when the query does not prepare
	return st
}

// lookup returns query's entry; ok is false when there is none and one
// may be added.
func (c *stmtCache) lookup(query string) (st *sql.Stmt, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok = c.stmts[query]
	return st, ok || c.closed || len(c.stmts) >= maxCachedStatements
}

// inTx returns query's prepared statement if it has one; otherwise it
// notes query for prepareWanted and returns nil (run it unprepared).
func (c *stmtCache) inTx(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.stmts[query]
	if !ok && !c.closed && len(c.stmts)+len(c.wanted) < maxCachedStatements {
		c.wanted[query] = true
	}
	return st
}

// prepareWanted prepares the queries transactions met unprepared. It
// runs after a transaction, when its connection is free.
func (c *stmtCache) prepareWanted(ctx context.Context) {
	if c == nil {
		return
	}
	for {
		query, ok := c.nextWanted()
		if !ok {
			return
		}
		c.stmt(ctx, query)
	}
}

// nextWanted takes one query off the wanted list.
func (c *stmtCache) nextWanted() (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for q := range c.wanted {
		delete(c.wanted, q)
		return q, true
	}
	return "", false
}

// Close closes every cached statement; later calls run unprepared (and
// fail as the closed database makes them).
func (c *stmtCache) Close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	var errs []error
	for q, st := range c.stmts {
		if st != nil {
			errs = append(errs, st.Close())
		}
		delete(c.stmts, q)
	}
	clear(c.wanted)
	return errors.Join(errs...)
}

package store

import (
	"context"
	"database/sql"
	"sync"
)

// stmtCache keeps prepared statements of one pool by query text, so a hot
// query is parsed once per connection instead of once per call: parsing was
// an eighth of the CPU of an API read on SQLite (BENCHMARKS.md). PostgreSQL
// needs none: pgx already caches prepared statements per connection.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// stmtCacheMax bounds the cache: queries built for a variable number of rows
// (IN lists, multi-row VALUES) come in a bounded number of shapes, but a
// bound keeps a surprise from growing the cache without end.
const stmtCacheMax = 512

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: make(map[string]*sql.Stmt)} }

// get returns the prepared statement for query, preparing it on first use;
// nil when the cache is full (the caller then runs the query unprepared).
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if len(c.m) >= stmtCacheMax {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

// close closes every prepared statement.
func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	clear(c.m)
}

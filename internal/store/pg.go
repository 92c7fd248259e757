package store

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"permis/internal/date"
)

// errNoNative says the native PostgreSQL path is not available (SQLite, or
// already inside a database/sql transaction): callers use the portable path.
var errNoNative = errors.New("store: no native postgres connection here")

// pgTransact runs fn in a pgx transaction on one connection of the pool, for
// COPY and temporary tables, which database/sql cannot reach.
func (s *Store) pgTransact(ctx context.Context, fn func(tx pgx.Tx) error) error {
	if !s.d.dollar || s.tx != nil {
		return errNoNative
	}
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return unavailable(err)
	}
	defer conn.Close()
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return errNoNative
		}
		return pgx.BeginFunc(ctx, sc.Conn(), fn)
	})
	return s.d.translate(err)
}

// copyDate is a date as COPY's binary encoding wants it.
func copyDate(d date.Date) any { return d.Time() }

// copyNullDate is a nullable date as COPY's binary encoding wants it.
func copyNullDate(n date.Null) any {
	if !n.Valid {
		return nil
	}
	return n.Date.Time()
}

// copyTime is a timestamp for COPY.
func copyTime(t time.Time) any { return t.UTC() }

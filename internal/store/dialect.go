package store

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"

	"permis/internal/apperr"
)

// dialect holds the few real differences between SQLite and PostgreSQL.
// Queries are written once with ? placeholders; rebind turns them into $n for
// PostgreSQL, once per query text.
type dialect struct {
	name      string
	dollar    bool     // $n placeholders
	cache     sync.Map // query → rebound query
	maxParams int      // bound parameters per statement (the hard limit)
	// batchParams is the parameters per multi-row statement we aim for. On
	// SQLite (modernc) big statements are slower, not faster: measured with
	// BenchmarkImportOffences on 100 k licences, 10 k-row batches, the import
	// ran at ~110 % of the bare prepared insert with 800 parameters (100 rows),
	// ~93 % with 1 600, ~25–45 % with 4 000–32 000.
	batchParams int
	// selectUpsert is what INSERT … SELECT needs before ON CONFLICT: SQLite
	// cannot tell the upsert clause from a join constraint without "WHERE true".
	selectUpsert string
}

var (
	sqliteDialect   = &dialect{name: "sqlite", maxParams: 32766, batchParams: 800, selectUpsert: " WHERE true"}
	postgresDialect = &dialect{name: "postgres", dollar: true, maxParams: 65535, batchParams: 16000}
)

// rebind rewrites ? placeholders as $1, $2… for PostgreSQL. Our queries never
// hold a literal question mark, so no quoting rules are needed.
func (d *dialect) rebind(q string) string {
	if !d.dollar {
		return q
	}
	if v, ok := d.cache.Load(q); ok {
		return v.(string)
	}
	r := rebindDollar(q)
	// Bulk statements are built per batch size; cache only the stable ones.
	if len(q) < 4096 {
		d.cache.Store(q, r)
	}
	return r
}

func rebindDollar(q string) string {
	var b strings.Builder
	b.Grow(len(q) + 16)
	n := 0
	for i := 0; i < len(q); i++ {
		if q[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(q[i])
	}
	return b.String()
}

// ts is how a timestamp is stored: TIMESTAMPTZ on PostgreSQL, RFC 3339 UTC
// text with fixed microseconds on SQLite (so that text order is time order).
func (d *dialect) ts(t time.Time) any {
	if d.dollar {
		return t.UTC()
	}
	return t.UTC().Format(sqliteTime)
}

const sqliteTime = "2006-01-02T15:04:05.000000Z07:00"

// SQLite result codes (sqlite3.h) the store reacts to.
const (
	sqliteBusy                 = 5
	sqliteLocked               = 6
	sqliteConstraintForeignKey = 787
	sqliteConstraintPrimaryKey = 1555
	sqliteConstraintTrigger    = 1811
	sqliteConstraintUnique     = 2067
)

// PostgreSQL SQLSTATE codes the store reacts to.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgRestrictViolation    = "23001" // raised by the append-only triggers
	pgSerializationFailure = "40001"
	pgDeadlock             = "40P01"
)

// Errors shown to people, in French.
var (
	errConflict  = "Cet enregistrement existe déjà."
	errReference = "Cet enregistrement fait référence à un élément qui n'existe pas."
	errReadOnly  = "Cet enregistrement ne peut être ni modifié ni supprimé."
	errDown      = "Le service est momentanément indisponible. Veuillez réessayer plus tard."
)

// translate turns a driver error into an application error by its code,
// never by its text. Errors it does not know are returned as they are
// (apperr.As then reports them as internal).
func (d *dialect) translate(err error) error {
	if err == nil {
		return nil
	}
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		switch se.Code() {
		case sqliteConstraintUnique, sqliteConstraintPrimaryKey:
			return apperr.Wrap(apperr.Conflict, errConflict, err)
		case sqliteConstraintForeignKey:
			return apperr.Wrap(apperr.Invalid, errReference, err)
		case sqliteConstraintTrigger:
			return apperr.Wrap(apperr.Forbidden, errReadOnly, err)
		}
		return err
	}
	if connectionLost(err) {
		pgLostAt.Store(time.Now().UnixNano())
		return &apperr.Error{Code: apperr.Unavailable, Message: errDown, Cause: fmt.Errorf("%w: %w", apperr.ConnectionLost, err)}
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case pgUniqueViolation:
			return apperr.Wrap(apperr.Conflict, errConflict, err)
		case pgForeignKeyViolation:
			return apperr.Wrap(apperr.Invalid, errReference, err)
		case pgRestrictViolation:
			return apperr.Wrap(apperr.Forbidden, errReadOnly, err)
		}
		return err
	}
	return err
}

// retryable reports whether a transaction that failed with err may succeed
// if run again.
func (d *dialect) retryable(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		c := se.Code() & 0xff // primary code: SQLITE_BUSY_SNAPSHOT is a BUSY too
		return c == sqliteBusy || c == sqliteLocked
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == pgSerializationFailure || pe.Code == pgDeadlock
	}
	return false
}

// connectionLost reports whether err says the connection to PostgreSQL
// broke, by code or by type, never by text: SQLSTATE class 08 (connection
// exception) and 57P01–57P03 (the server shut down or killed the backend,
// as pg_terminate_backend does), a network error, an unexpected end of
// stream, or a connection database/sql already knows is bad.
func connectionLost(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false // the request gave up, the connection is fine
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return strings.HasPrefix(pe.Code, "08") || pe.Code == "57P01" || pe.Code == "57P02" || pe.Code == "57P03"
	}
	var ne net.Error
	var ce *pgconn.ConnectError
	return errors.As(err, &ce) || errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, driver.ErrBadConn) || errors.Is(err, sql.ErrConnDone) || pgconn.SafeToRetry(err)
}

// notFound translates sql.ErrNoRows into a not_found error with a French
// message naming what was looked for.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return apperr.Wrap(apperr.NotFound, what, err)
	}
	return err
}

func unavailable(err error) error {
	return apperr.Wrap(apperr.Unavailable, errDown, err)
}

// timestamp scans a timestamp from TIMESTAMPTZ (time.Time) or RFC 3339 text.
type timestamp struct{ t *time.Time }

func (ts timestamp) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*ts.t = v.UTC()
		return nil
	case string:
		return ts.parse(v)
	case []byte:
		return ts.parse(string(v))
	case nil:
		*ts.t = time.Time{}
		return nil
	}
	return errors.New("store: cannot scan timestamp")
}

func (ts timestamp) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return err
	}
	*ts.t = t.UTC()
	return nil
}

// nullTime scans a nullable timestamp into a *time.Time pointer field.
type nullTime struct{ p **time.Time }

func (n nullTime) Scan(src any) error {
	if src == nil {
		*n.p = nil
		return nil
	}
	var t time.Time
	if err := (timestamp{&t}).Scan(src); err != nil {
		return err
	}
	*n.p = &t
	return nil
}

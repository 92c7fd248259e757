package bench

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/store"
)

// bareDB is the register's database opened with the bare driver, beside the
// store: what the baselines use. On SQLite it has the store's pragmas (a
// query_only read pool and one writer); on PostgreSQL one pool through pgx.
type bareDB struct {
	postgres bool
	dsn      string
	read     *sql.DB
	write    *sql.DB
}

// sqlitePragmas are the store's connection settings (internal/store), so a
// baseline is not faster or slower for a different configuration.
func sqlitePragmas(extra ...string) url.Values {
	q := url.Values{}
	for _, p := range append([]string{"busy_timeout(10000)", "journal_mode(WAL)", "synchronous(NORMAL)",
		"foreign_keys(ON)", "temp_store(MEMORY)"}, extra...) {
		q.Add("_pragma", p)
	}
	return q
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

func openBare(ctx context.Context, dsn string) (*bareDB, error) {
	b := &bareDB{postgres: isPostgres(dsn), dsn: dsn}
	if b.postgres {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(16)
		db.SetMaxIdleConns(16)
		b.read, b.write = db, db
		return b, db.PingContext(ctx)
	}
	// The store's read pool: as many connections, sharing the same budget.
	n := max(4, 2*runtime.NumCPU())
	perConn := max(1024, store.DefaultReadCacheKiB/n)
	r, err := sql.Open("sqlite", "file:"+dsn+"?"+sqlitePragmas(fmt.Sprintf("cache_size(-%d)", perConn), "query_only(1)").Encode())
	if err != nil {
		return nil, err
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	wq := sqlitePragmas("cache_size(-524288)")
	wq.Set("_txlock", "immediate")
	w, err := sql.Open("sqlite", "file:"+dsn+"?"+wq.Encode())
	if err != nil {
		r.Close()
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	b.read, b.write = r, w
	return b, w.PingContext(ctx)
}

// Close closes the pools.
func (b *bareDB) Close() error {
	err := b.read.Close()
	if b.write != b.read {
		if werr := b.write.Close(); err == nil {
			err = werr
		}
	}
	return err
}

// q rewrites ? placeholders as $n for PostgreSQL.
func (b *bareDB) q(query string) string {
	if !b.postgres {
		return query
	}
	var out strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			out.WriteString("$" + strconv.Itoa(n))
			continue
		}
		out.WriteRune(c)
	}
	return out.String()
}

// version names the database engine and its version.
func (b *bareDB) version(ctx context.Context) (string, error) {
	var v string
	if b.postgres {
		if err := b.read.QueryRowContext(ctx, `SHOW server_version`).Scan(&v); err != nil {
			return "", err
		}
		return "PostgreSQL " + v + " (pgx v5)", nil
	}
	if err := b.read.QueryRowContext(ctx, `SELECT sqlite_version()`).Scan(&v); err != nil {
		return "", err
	}
	return "SQLite " + v + " (modernc.org/sqlite, WAL, synchronous=NORMAL)", nil
}

// registerIndex is the register's licences in id order: their ids, NEPHs
// and obtained dates. It is a demo.LicenceSource over the real register, so
// the offences files aim at licences that exist whatever day the register
// was built (the generator's NEPHs depend on its reference day). It holds
// no pointers (the NEPHs end to end in one byte slice, a sorted rank slice
// instead of a map): at 10 M licences a map of strings made the garbage
// collector scan hundreds of megabytes at every cycle of the measured code,
// a cost that grew with the register and was the benchmark's, not the
// service's (BENCHMARKS.md, "Growth to 10 M").
type registerIndex struct {
	today    date.Date
	ids      []int64
	nephBuf  []byte   // the NEPHs end to end
	nephEnd  []uint32 // NEPH i ends at nephEnd[i] in nephBuf
	obtained []date.Date
	byNEPH   []uint32 // ranks in NEPH order, for idOf
}

func loadIndex(ctx context.Context, b *bareDB) (*registerIndex, error) {
	rows, err := b.read.QueryContext(ctx, `SELECT id, neph, obtained FROM licences ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	x := &registerIndex{today: date.Today(time.Now())}
	for rows.Next() {
		var (
			id  int64
			n   sql.RawBytes
			obt date.Date
		)
		if err := rows.Scan(&id, &n, &obt); err != nil {
			return nil, err
		}
		x.ids = append(x.ids, id)
		x.nephBuf = append(x.nephBuf, n...)
		x.nephEnd = append(x.nephEnd, uint32(len(x.nephBuf)))
		x.obtained = append(x.obtained, obt)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(x.ids) == 0 {
		return nil, fmt.Errorf("le registre est vide")
	}
	x.byNEPH = make([]uint32, len(x.ids))
	for i := range x.byNEPH {
		x.byNEPH[i] = uint32(i)
	}
	slices.SortFunc(x.byNEPH, func(a, b uint32) int { return bytes.Compare(x.nephBytes(int(a)), x.nephBytes(int(b))) })
	return x, nil
}

// nephBytes is NEPH i, without a copy.
func (x *registerIndex) nephBytes(i int) []byte {
	start := uint32(0)
	if i > 0 {
		start = x.nephEnd[i-1]
	}
	return x.nephBuf[start:x.nephEnd[i]]
}

// idOf returns the id of the licence with this NEPH.
func (x *registerIndex) idOf(n licence.NEPH) (int64, bool) {
	k, found := slices.BinarySearchFunc(x.byNEPH, n, func(r uint32, n licence.NEPH) int {
		return bytes.Compare(x.nephBytes(int(r)), []byte(n))
	})
	if !found {
		return 0, false
	}
	return x.ids[x.byNEPH[k]], true
}

// Len, Today, NEPH and FirstObtained make registerIndex a demo.LicenceSource.
func (x *registerIndex) Len() int                      { return len(x.ids) }
func (x *registerIndex) Today() date.Date              { return x.today }
func (x *registerIndex) NEPH(i int) licence.NEPH       { return licence.NEPH(x.nephBytes(i)) }
func (x *registerIndex) FirstObtained(i int) date.Date { return x.obtained[i] }

// pick returns the NEPH of request i, spread over the register by a hash of
// i, so that concurrent workers need no shared random source.
func (x *registerIndex) pick(i int) licence.NEPH {
	h := uint64(i) + 0x9e3779b97f4a7c15
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9
	h = (h ^ (h >> 27)) * 0x94d049bb133111eb
	h ^= h >> 31
	return x.NEPH(int(h % uint64(len(x.ids))))
}

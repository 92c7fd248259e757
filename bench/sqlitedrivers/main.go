// Command sqlitedrivers measures one SQLite driver (chosen by build tag:
// modernc, ncruces or mattn) on workloads shaped like Permis's: a points ledger
// keyed by random TEXT event ids, a register of licences keyed by NEPH.
//
// Each driver runs in its own process (run.sh), because ncruces and mattn both
// register the database/sql name "sqlite3". Results are printed as
// tab-separated RESULT lines; `go run . -report FILE...` turns them into a
// markdown table of medians.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// pragmas are applied to every connection, identically for all drivers.
var pragmas = []string{
	"journal_mode(WAL)",
	"synchronous(NORMAL)",
	"busy_timeout(5000)",
	"foreign_keys(ON)",
	"cache_size(-65536)",
	"temp_store(MEMORY)",
}

func pragmaDSN() string {
	var b strings.Builder
	for _, p := range pragmas {
		b.WriteString("&_pragma=")
		b.WriteString(p)
	}
	return b.String()
}

var (
	flagDir      = flag.String("dir", "data", "directory for the database files (on disk, not tmpfs: commits fsync)")
	flagRun      = flag.Int("run", 1, "run number, copied into the RESULT lines")
	flagRows     = flag.Int("rows", 1_000_000, "ledger rows per bulk load")
	flagLicences = flag.Int("licences", 1_000_000, "licences in the register")
	flagTx       = flag.Int("tx", 10_000, "rows per transaction in bulk loads")
	flagMulti    = flag.Int("multi", 500, "rows per multi-row INSERT")
	flagUpsert   = flag.Int("upsert", 1_000, "rows per INSERT … SELECT FROM (VALUES …) statement")
	flagUpsertN  = flag.Int("upsertn", 50, "number of INSERT … SELECT statements")
	flagDur      = flag.Duration("dur", 3*time.Second, "duration of each timed read/commit loop")
	flagReport   = flag.Bool("report", false, "read RESULT lines from the files given as arguments and print a markdown table")
)

func main() {
	flag.Parse()
	if *flagReport {
		if err := report(flag.Args()); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if err := bench(); err != nil {
		fmt.Fprintf(os.Stderr, "%s: FAILED: %v\n", driverLabel, err)
		fmt.Printf("RESULT\t%s\t%d\terror\t0\t%s\n", driverLabel, *flagRun, strings.ReplaceAll(err.Error(), "\t", " "))
		os.Exit(1)
	}
}

func emit(metric string, value float64, unit string) {
	fmt.Printf("RESULT\t%s\t%d\t%s\t%.0f\t%s\n", driverLabel, *flagRun, metric, value, unit)
	fmt.Fprintf(os.Stderr, "%s run %d: %-32s %12.0f %s\n", driverLabel, *flagRun, metric, value, unit)
}

func info(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s run %d: "+format+"\n", append([]any{driverLabel, *flagRun}, args...)...)
}

const ledgerCols = "event_id, licence_id, kind, committed, established, points, class, occasion"

func ledgerDDL(withoutRowid bool) string {
	s := `CREATE TABLE point_events(
  event_id TEXT PRIMARY KEY,
  licence_id INTEGER,
  kind TEXT,
  committed TEXT,
  established TEXT,
  points INTEGER,
  class TEXT,
  occasion TEXT)`
	if withoutRowid {
		s += " WITHOUT ROWID"
	}
	return s + ";\nCREATE INDEX point_events_licence ON point_events(licence_id);"
}

const licencesDDL = `CREATE TABLE licences(
  id INTEGER PRIMARY KEY,
  neph TEXT NOT NULL UNIQUE,
  surname TEXT,
  given_names TEXT,
  birth_date TEXT,
  issued TEXT,
  state TEXT)`

// ledgerLicences is how many licences the ledger rows point at: 1 M rows over
// ~333 k licences gives the ~3 ledger rows per licence the join read expects.
func ledgerLicences() int { return *flagRows / 3 }

// gen makes deterministic ledger rows (same seed → same rows for every driver).
type gen struct{ r *rand.Rand }

func newGen(seed uint64) *gen { return &gen{rand.New(rand.NewPCG(seed, 0x5eed))} }

func (g *gen) eventID() string {
	var b [22]byte
	b[0], b[1] = 'A', 'F'
	for i := 2; i < 22; i++ {
		b[i] = byte('0' + g.r.IntN(10))
	}
	return string(b[:])
}

var (
	kinds     = []string{"offence", "offence", "offence", "restore_partial", "restore_full", "stage"}
	classes   = []string{"2", "3", "4", "5"}
	occasions = []string{"controle automatise", "controle routier", "accident", "procedure administrative"}
)

func date(r *rand.Rand) string {
	return fmt.Sprintf("%04d-%02d-%02d", 2015+r.IntN(11), 1+r.IntN(12), 1+r.IntN(28))
}

// row appends one ledger row's 8 values to args and returns the event id.
func (g *gen) row(args []any) ([]any, string) {
	id := g.eventID()
	c := date(g.r)
	return append(args, id, 1+g.r.IntN(ledgerLicences()), kinds[g.r.IntN(len(kinds))], c, c,
		-(1 + g.r.IntN(6)), classes[g.r.IntN(len(classes))], occasions[g.r.IntN(len(occasions))]), id
}

func neph(id int) string { return strconv.Itoa(100_000_000_000 + id*97) } // 12 digits, unique

func placeholders(rows, cols int) string {
	one := "(" + strings.TrimSuffix(strings.Repeat("?,", cols), ",") + ")"
	return strings.TrimSuffix(strings.Repeat(one+",", rows), ",")
}

func fresh(path string) (*sql.DB, error) {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, db.Ping()
}

func remove(path string) {
	for _, s := range []string{"", "-wal", "-shm"} {
		os.Remove(path + s)
	}
}

// bulkLoad inserts n ledger rows in transactions of *flagTx rows, either with a
// prepared single-row INSERT or with multi-row INSERTs of *flagMulti rows.
// It returns rows/s and, when keep is set, the event ids.
func bulkLoad(db *sql.DB, n int, multi bool, seed uint64, keep bool) (float64, []string, error) {
	g := newGen(seed)
	var ids []string
	if keep {
		ids = make([]string, 0, n)
	}
	per := 1
	if multi {
		per = *flagMulti
	}
	q := "INSERT INTO point_events(" + ledgerCols + ") VALUES " + placeholders(per, 8)
	args := make([]any, 0, per*8)
	ctx := context.Background()
	start := time.Now()
	for done := 0; done < n; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, nil, err
		}
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			return 0, nil, err
		}
		for inTx := 0; inTx < *flagTx && done < n; inTx += per {
			args = args[:0]
			for range per {
				var id string
				args, id = g.row(args)
				if keep {
					ids = append(ids, id)
				}
			}
			if _, err := st.ExecContext(ctx, args...); err != nil {
				return 0, nil, err
			}
			done += per
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, nil, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), ids, nil
}

func loadLicences(db *sql.DB, n int) (float64, error) {
	const per = 500
	q := "INSERT INTO licences(id, neph, surname, given_names, birth_date, issued, state) VALUES " + placeholders(per, 7)
	r := rand.New(rand.NewPCG(7, 7))
	args := make([]any, 0, per*7)
	start := time.Now()
	for id := 1; id <= n; {
		tx, err := db.Begin()
		if err != nil {
			return 0, err
		}
		st, err := tx.Prepare(q)
		if err != nil {
			return 0, err
		}
		for k := 0; k < *flagTx && id <= n; k += per {
			args = args[:0]
			for range per {
				args = append(args, id, neph(id), "NOM"+strconv.Itoa(id), "Prenom", date(r), date(r), "valid")
				id++
			}
			if _, err := st.Exec(args...); err != nil {
				return 0, err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

// upsertSelect runs INSERT … SELECT FROM (VALUES …) JOIN licences ON neph …
// ON CONFLICT DO NOTHING RETURNING event_id, *flagUpsert rows per statement,
// each statement its own (autocommit) transaction. ~5 % of rows reuse an
// existing event id (conflict), ~2 % carry an unknown NEPH (dropped by the join).
func upsertSelect(db *sql.DB, existing []string) (float64, error) {
	per := *flagUpsert
	q := `INSERT INTO point_events(` + ledgerCols + `)
SELECT v.column1, l.id, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
FROM (VALUES ` + placeholders(per, 8) + `) AS v
JOIN licences AS l ON l.neph = v.column2
WHERE true
ON CONFLICT DO NOTHING
RETURNING event_id`
	st, err := db.Prepare(q)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	g := newGen(uint64(1000 + *flagRun))
	r := g.r
	args := make([]any, 0, per*8)
	returned, total := 0, 0
	start := time.Now()
	for range *flagUpsertN {
		args = args[:0]
		for range per {
			id := g.eventID()
			if r.IntN(100) < 5 {
				id = existing[r.IntN(len(existing))]
			}
			n := neph(1 + r.IntN(*flagLicences))
			if r.IntN(100) < 2 {
				n = "999999999999"
			}
			c := date(r)
			args = append(args, id, n, "offence", c, c, -(1 + r.IntN(6)), "4", "controle automatise")
		}
		rows, err := st.Query(args...)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			returned++
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		rows.Close()
		total += per
	}
	rate := float64(total) / time.Since(start).Seconds()
	info("upsert: %d rows sent, %d inserted (RETURNING)", total, returned)
	if returned == 0 || returned == total {
		return 0, fmt.Errorf("upsert returned %d of %d rows: conflict/join not exercised", returned, total)
	}
	return rate, nil
}

// timed runs fn on `workers` goroutines for *flagDur; fn returns rows read.
func timed(workers int, fn func(r *rand.Rand) (int, error)) (float64, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		total int
		first error
	)
	deadline := time.Now().Add(*flagDur)
	start := time.Now()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(*flagRun)))
			n := 0
			for time.Now().Before(deadline) {
				for range 64 {
					k, err := fn(r)
					if err != nil {
						mu.Lock()
						first = err
						mu.Unlock()
						return
					}
					n += k
				}
			}
			mu.Lock()
			total += n
			mu.Unlock()
		}()
	}
	wg.Wait()
	return float64(total) / time.Since(start).Seconds(), first
}

func bench() error {
	if err := os.MkdirAll(*flagDir, 0o755); err != nil {
		return err
	}
	main := filepath.Join(*flagDir, driverLabel+"-main.db")
	db, err := fresh(main)
	if err != nil {
		return err
	}
	var version string
	if err := db.QueryRow("SELECT sqlite_version()").Scan(&version); err != nil {
		return err
	}
	var jm, cs, ts, fk, sy, bt string
	if err := db.QueryRow("SELECT * FROM pragma_journal_mode, pragma_cache_size, pragma_temp_store, pragma_foreign_keys, pragma_synchronous, pragma_busy_timeout").Scan(&jm, &cs, &ts, &fk, &sy, &bt); err != nil {
		return err
	}
	info("SQLite %s; journal_mode=%s cache_size=%s temp_store=%s foreign_keys=%s synchronous=%s busy_timeout=%s", version, jm, cs, ts, fk, sy, bt)
	fmt.Printf("INFO\t%s\t%d\tsqlite_version\t%s\n", driverLabel, *flagRun, version)
	if jm != "wal" || cs != "-65536" || ts != "2" || fk != "1" || sy != "1" {
		return fmt.Errorf("pragmas not applied: journal_mode=%s cache_size=%s temp_store=%s foreign_keys=%s synchronous=%s", jm, cs, ts, fk, sy)
	}

	// Register of licences + ledger (rowid table, multi-row INSERT, timed as
	// workload 1d) in the main database; workloads 2–4 run on it.
	if _, err := db.Exec(licencesDDL); err != nil {
		return err
	}
	rate, err := loadLicences(db, *flagLicences)
	if err != nil {
		return fmt.Errorf("licences: %w", err)
	}
	emit("setup: licences load (multi 500)", rate, "rows/s")
	if _, err := db.Exec(ledgerDDL(false)); err != nil {
		return err
	}
	rate, ids, err := bulkLoad(db, *flagRows, true, 4, true)
	if err != nil {
		return fmt.Errorf("bulk rowid multi: %w", err)
	}
	emit("1b bulk rowid, multi-row 500", rate, "rows/s")

	// (2) INSERT … SELECT FROM (VALUES …) JOIN licences … ON CONFLICT DO NOTHING RETURNING.
	rate, err = upsertSelect(db, ids)
	if err != nil {
		return fmt.Errorf("upsert: %w", err)
	}
	emit("2 insert-select-values upsert", rate, "rows/s")

	// (3) point reads by primary key, 1 and 2 goroutines; licence + ledger by NEPH.
	pk, err := db.Prepare("SELECT licence_id, kind, committed, points FROM point_events WHERE event_id = ?")
	if err != nil {
		return err
	}
	read := func(r *rand.Rand) (int, error) {
		var (
			lid, pts int64
			k, c     string
		)
		err := pk.QueryRow(ids[r.IntN(len(ids))]).Scan(&lid, &k, &c, &pts)
		return 1, err
	}
	for _, w := range []int{1, 2} {
		rate, err = timed(w, read)
		if err != nil {
			return fmt.Errorf("pk read: %w", err)
		}
		emit(fmt.Sprintf("3a pk read, %d goroutine(s)", w), rate, "rows/s")
	}
	join, err := db.Prepare(`SELECT l.id, l.surname, l.state, e.event_id, e.committed, e.points
FROM licences AS l JOIN point_events AS e ON e.licence_id = l.id
WHERE l.neph = ? ORDER BY e.committed`)
	if err != nil {
		return err
	}
	joinRows := 0
	rate, err = timed(1, func(r *rand.Rand) (int, error) {
		rows, err := join.Query(neph(1 + r.IntN(ledgerLicences())))
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				id, pts         int64
				s, st, ev, comm string
			)
			if err := rows.Scan(&id, &s, &st, &ev, &comm, &pts); err != nil {
				return 0, err
			}
			joinRows++
		}
		return 1, rows.Err()
	})
	if err != nil {
		return fmt.Errorf("join read: %w", err)
	}
	emit("3b licence+ledger by neph, 1 goroutine", rate, "lookups/s")
	info("join read: %.2f ledger rows per licence", float64(joinRows)/(rate*flagDur.Seconds()))

	// (4) single-row write commits (autocommit INSERT).
	ins, err := db.Prepare("INSERT INTO point_events(" + ledgerCols + ") VALUES " + placeholders(1, 8))
	if err != nil {
		return err
	}
	cg := newGen(uint64(2000 + *flagRun))
	rate, err = timed(1, func(*rand.Rand) (int, error) {
		args, _ := cg.row(make([]any, 0, 8))
		_, err := ins.Exec(args...)
		return 1, err
	})
	if err != nil {
		return fmt.Errorf("commits: %w", err)
	}
	emit("4 single-row commits", rate, "commits/s")
	pk.Close()
	join.Close()
	ins.Close()
	db.Close()
	remove(main)

	// (1) the remaining bulk-load variants, each in a fresh database.
	for _, v := range []struct {
		name         string
		withoutRowid bool
		multi        bool
		seed         uint64
	}{
		{"1a bulk rowid, prepared single-row", false, false, 1},
		{"1c bulk WITHOUT ROWID, prepared single-row", true, false, 2},
		{"1d bulk WITHOUT ROWID, multi-row 500", true, true, 3},
	} {
		path := filepath.Join(*flagDir, driverLabel+"-bulk.db")
		db, err := fresh(path)
		if err != nil {
			return err
		}
		if _, err := db.Exec(ledgerDDL(v.withoutRowid)); err != nil {
			return err
		}
		rate, _, err := bulkLoad(db, *flagRows, v.multi, v.seed, false)
		if err != nil {
			return fmt.Errorf("%s: %w", v.name, err)
		}
		emit(v.name, rate, "rows/s")
		db.Close()
		remove(path)
	}
	return nil
}

package backoffice_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// pendingContests is the OMP's backlog the queue is measured with.
const pendingContests = 100_000

// BenchmarkOMPQueue measures the OMP's queue page (GET
// /agents/contestations through the whole router: session, role, the
// application's keyset query and count, the audit entry, the template) with
// 100 000 pending contests, its 1 000th page (?apres=…), and beside them, in
// the same run on the same database, what the application asks the store
// (the rows and the count) and the bare SQL query of the same 50 rows — the
// floor the page is compared with (BENCHMARKS.md, "Contests").
// SQLite always; PostgreSQL too when PERMIS_TEST_POSTGRES_URL is set.
func BenchmarkOMPQueue(b *testing.B) {
	dsns := map[string]string{"sqlite": storetest.SQLiteDSN(b)}
	if u := os.Getenv(storetest.EnvPostgres); u != "" {
		dsns["postgres"] = storetest.PostgresSchema(b, u)
	}
	for name, dsn := range dsns {
		b.Run(name, func(b *testing.B) {
			e := routertest.Start(b, dsn, routertest.Options{Licences: 1})
			deep := seedContests(b, e.Store)
			omp := e.Staff(b, access.Prosecutor)
			get := func(b *testing.B, path string) {
				res := e.Do(b, omp, http.MethodGet, path, nil)
				if res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %d", path, res.StatusCode)
				}
				io.Copy(io.Discard, res.Body)
			}
			b.Run("page", func(b *testing.B) {
				for b.Loop() {
					get(b, "/agents/contestations")
				}
			})
			b.Run("page-1000th", func(b *testing.B) {
				for b.Loop() {
					get(b, "/agents/contestations?apres="+deep)
				}
			})
			b.Run("store", func(b *testing.B) {
				// What the application asks the store (the page's rows and
				// the count), without the router, the audit entry, the template.
				ctx := context.Background()
				states := []store.ContestState{store.ContestPending, store.ContestCourt}
				for b.Loop() {
					items, err := e.Store.ListContestQueue(ctx, store.QueueFilter{States: states, Limit: 50})
					if err != nil || len(items) != 50 {
						b.Fatalf("%d items, %v", len(items), err)
					}
					if _, err := e.Store.CountContests(ctx, states, fines.CountLimit+1); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("bare-query", func(b *testing.B) {
				// The floor: one SQL statement reading the same 50 rows.
				q := `SELECT c.id, c.reference, c.notice_id, c.ground, c.reasons, c.deposit, c.filed, c.deadline, c.email,
					c.state, c.decision, c.court_final_on, c.created_at, c.updated_at, n.number, n.plate, n.holder_name, n.fine
					FROM fine_contests c JOIN fine_notices n ON n.id = c.notice_id
					WHERE c.state = 'pending' ORDER BY c.deadline, c.id LIMIT 50`
				db := e.Store.WriteDB()
				ctx := context.Background()
				for b.Loop() {
					rows, err := db.QueryContext(ctx, q)
					if err != nil {
						b.Fatal(err)
					}
					n := 0
					for rows.Next() {
						var (
							id, notice, deposit, fine                                 int64
							ref, ground, reasons, email, state, decision, num, pl, hn string
							filed, deadline, final, created, updated                  any
						)
						if err := rows.Scan(&id, &ref, &notice, &ground, &reasons, &deposit, &filed, &deadline, &email,
							&state, &decision, &final, &created, &updated, &num, &pl, &hn, &fine); err != nil {
							b.Fatal(err)
						}
						n++
					}
					rows.Close()
					if n != 50 {
						b.Fatalf("%d rows", n)
					}
				}
			})
		})
	}
}

// seedContests records 100 000 notices, each with a pending contest (the
// deadlines spread over 90 days), analyzes the tables, and returns the cursor of the 1 000th
// page of 50.
func seedContests(b testing.TB, s *store.Store) string {
	b.Helper()
	ctx := context.Background()
	sent := date.MustParse("2026-10-01")
	var cursor string
	for start := 0; start < pendingContests; start += 10_000 {
		err := s.Transact(ctx, func(tx *store.Store) error {
			for i := start; i < start+10_000; i++ {
				n := store.Notice{Number: fmt.Sprintf("9%013d", i), Plate: fmt.Sprintf("AA-%03d-BB", i%1000), Kind: contest.ACO,
					Committed: sent.AddDays(-10), Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 3,
					Holder: store.NoticeHolder{Kind: contest.Person, Name: "Titulaire " + fmt.Sprint(i), Address: "1 rue de la Paix, 75002 Paris"},
					Sent:   sent.AddDays(i % 90), Mail: contest.Ordinary, State: store.NoticeContested}
				if err := tx.CreateNotice(ctx, &n); err != nil {
					return err
				}
				c := store.Contest{Reference: fmt.Sprintf("CT-B%08d", i), NoticeID: n.ID, Ground: contest.Sold,
					Filed: n.Sent.AddDays(3), Deadline: n.Sent.AddDays(45), Email: "t@example.fr", State: store.ContestPending}
				if err := tx.CreateContest(ctx, &c); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	// The statistics and visibility map a running database has (autovacuum
	// would have passed after 100 000 inserts).
	analyze := []string{`ANALYZE`}
	if s.Dialect() == "postgres" {
		analyze = []string{`VACUUM ANALYZE fine_contests`, `VACUUM ANALYZE fine_notices`}
	}
	for _, q := range analyze {
		if _, err := s.WriteDB().ExecContext(ctx, q); err != nil {
			b.Fatal(err)
		}
	}
	items, err := s.ListContestQueue(ctx, store.QueueFilter{States: []store.ContestState{store.ContestPending}, Limit: 200})
	if err != nil {
		b.Fatal(err)
	}
	// Walk to the 1 000th page's cursor with pages of 200 (the 50 000th row).
	for k := 1; k < 250; k++ {
		last := items[len(items)-1]
		if items, err = s.ListContestQueue(ctx, store.QueueFilter{States: []store.ContestState{store.ContestPending},
			AfterDeadline: last.Deadline, AfterID: last.ID, Limit: 200}); err != nil {
			b.Fatal(err)
		}
	}
	last := items[len(items)-1]
	cursor = last.Deadline.String() + "." + fmt.Sprint(last.ID)
	if !strings.Contains(cursor, ".") {
		b.Fatal("no cursor")
	}
	return cursor
}

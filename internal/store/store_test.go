package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"permis/internal/store/storetest"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// testNow is the fixed time of every test store.
var testNow = time.Date(2026, 3, 14, 9, 30, 0, 0, time.UTC)

// forEachDB runs fn on a fresh SQLite register and, when
// PERMIS_TEST_POSTGRES_URL is set, on a fresh PostgreSQL schema. A set but
// unreachable PostgreSQL fails the test: it is never skipped silently.
func forEachDB(t *testing.T, fn func(t *testing.T, s *Store)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		fn(t, mustOpenSQLite(t))
	})
	if u := os.Getenv("PERMIS_TEST_POSTGRES_URL"); u != "" {
		t.Run("postgres", func(t *testing.T) {
			fn(t, mustOpenPostgres(t, u))
		})
	}
}

func mustOpenSQLite(tb testing.TB) *Store {
	tb.Helper()
	s, err := Open(context.Background(), filepath.Join(tb.TempDir(), "db", "permis.db"), Options{Clock: clock.NewFixed(testNow)})
	if err != nil {
		tb.Fatalf("open sqlite: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustOpenPostgres opens a Store on a new schema of the database at rawURL
// (created if missing), dropped when the test ends.
func mustOpenPostgres(tb testing.TB, rawURL string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), storetest.PostgresSchema(tb, rawURL), Options{Clock: clock.NewFixed(testNow), MaxConns: 4})
	if err != nil {
		tb.Fatalf("open postgres: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustCreateLicence records a person and a licence with that NEPH.
func mustCreateLicence(tb testing.TB, s *Store, neph string) licence.Licence {
	tb.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Martin", GivenNames: []string{"Jeanne", "Marie"}, BirthDate: date.MustParse("1990-05-17"),
		BirthPlace: "Montpellier", BirthCountry: "FR", Sex: licence.SexFemale, Email: "jeanne@example.fr",
		Address: licence.Address{Line1: "1 rue de la Loge", PostalCode: "34000", City: "Montpellier", Country: "FR"}}
	if err := s.CreatePerson(ctx, &p); err != nil {
		tb.Fatalf("CreatePerson: %v", err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2023-06-01"),
		Probation: points.ProbationStandard, Departement: "34", State: licence.StateValid, StateSince: date.MustParse("2023-06-01"),
		Categories: []licence.CategoryEntry{
			{Category: "B", Obtained: date.MustParse("2023-06-01"), ValidUntil: date.Some(date.MustParse("2038-06-01"))},
			{Category: "AM", Obtained: date.MustParse("2020-01-10")},
		},
		Restrictions: []licence.Restriction{{Code: "01.01"}, {Code: "78", Category: "B"}},
	}
	if err := s.CreateLicence(ctx, &l); err != nil {
		tb.Fatalf("CreateLicence: %v", err)
	}
	return l
}

// wantCode fails unless err carries code.
func wantCode(t *testing.T, err error, code apperr.Code) {
	t.Helper()
	if !apperr.Is(err, code) {
		t.Fatalf("error = %v, want code %s", err, code)
	}
	if apperr.As(err).Message == "" {
		t.Fatalf("error %v has no message for people", err)
	}
}

func TestMigrateIdempotent(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		done, err := s.Migrate(ctx)
		if err != nil || len(done) != 0 {
			t.Fatalf("second Migrate = %v, %v; want nothing to do", done, err)
		}
		if err := s.Ready(ctx); err != nil {
			t.Fatalf("Ready: %v", err)
		}
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil || n < 1 {
			t.Fatalf("schema_migrations: %d, %v", n, err)
		}
	})
}

func TestReadyWithoutMigrations(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "bare.db"), Options{NoMigrate: true})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	wantCode(t, s.Ready(ctx), apperr.Unavailable)
	done, err := s.Migrate(ctx)
	if err != nil || len(done) == 0 {
		t.Fatalf("Migrate = %v, %v", done, err)
	}
	if err := s.Ready(ctx); err != nil {
		t.Fatalf("Ready after Migrate: %v", err)
	}
}

func TestPersonAndLicence(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		want := mustCreateLicence(t, s, "123456789012")
		p, err := s.FindPerson(ctx, want.PersonID)
		if err != nil {
			t.Fatalf("FindPerson: %v", err)
		}
		if p.FamilyName != "Martin" || len(p.GivenNames) != 2 || p.GivenNames[1] != "Marie" ||
			p.BirthDate != date.MustParse("1990-05-17") || p.Sex != licence.SexFemale || p.Address.City != "Montpellier" {
			t.Errorf("FindPerson = %+v", p)
		}
		for name, find := range map[string]func() (licence.Licence, error){
			"FindLicence":       func() (licence.Licence, error) { return s.FindLicence(ctx, want.ID) },
			"FindLicenceByNEPH": func() (licence.Licence, error) { return s.FindLicenceByNEPH(ctx, want.NEPH) },
		} {
			got, err := find()
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if got.ID != want.ID || got.NEPH != want.NEPH || got.Obtained != want.Obtained || got.State != licence.StateValid ||
				got.Probation != points.ProbationStandard || got.ComplementaryTraining.Valid || got.StateUntil.Valid {
				t.Errorf("%s header = %+v", name, got)
			}
			if len(got.Categories) != 2 || got.Categories[0].Category != "AM" || got.Categories[1].ValidUntil != date.Some(date.MustParse("2038-06-01")) ||
				got.Categories[0].ValidUntil.Valid {
				t.Errorf("%s categories = %+v", name, got.Categories)
			}
			if len(got.Restrictions) != 2 || got.Restrictions[0].Code != "01.01" || got.Restrictions[1].Category != "B" {
				t.Errorf("%s restrictions = %+v", name, got.Restrictions)
			}
		}
		n, err := s.CountLicences(ctx)
		if err != nil || n != 1 {
			t.Errorf("CountLicences = %d, %v", n, err)
		}
	})
}

func TestNotFound(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		_, err := s.FindPerson(ctx, 42)
		wantCode(t, err, apperr.NotFound)
		_, err = s.FindLicence(ctx, 42)
		wantCode(t, err, apperr.NotFound)
		_, err = s.FindLicenceByNEPH(ctx, "999999999999")
		wantCode(t, err, apperr.NotFound)
		if got := apperr.As(err).Message; got != "Permis de conduire introuvable." {
			t.Errorf("message = %q", got)
		}
		_, err = s.LoadLicenceLedgerByNEPH(ctx, "999999999999")
		wantCode(t, err, apperr.NotFound)
		_, err = s.LoadLedger(ctx, 42)
		wantCode(t, err, apperr.NotFound)
	})
}

func TestUniqueConflicts(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := mustCreateLicence(t, s, "123456789012")
		dup := licence.Licence{NEPH: l.NEPH, PersonID: l.PersonID, Obtained: l.Obtained, Probation: points.ProbationNone,
			State: licence.StateValid, StateSince: l.StateSince}
		wantCode(t, s.CreateLicence(ctx, &dup), apperr.Conflict)

		// The failed CreateLicence left nothing behind, categories included.
		other := licence.Licence{NEPH: "210987654321", PersonID: l.PersonID, Obtained: l.Obtained, Probation: points.ProbationNone,
			State: licence.StateValid, StateSince: l.StateSince,
			Categories: []licence.CategoryEntry{{Category: "B", Obtained: l.Obtained}, {Category: "B", Obtained: l.Obtained}}}
		wantCode(t, s.CreateLicence(ctx, &other), apperr.Conflict)
		if _, err := s.FindLicenceByNEPH(ctx, other.NEPH); !apperr.Is(err, apperr.NotFound) {
			t.Errorf("half-created licence: %v", err)
		}

		bad := licence.Licence{NEPH: "333333333333", PersonID: 9999, Obtained: l.Obtained, Probation: points.ProbationNone,
			State: licence.StateValid, StateSince: l.StateSince}
		wantCode(t, s.CreateLicence(ctx, &bad), apperr.Invalid)

		t1 := licence.Title{LicenceID: l.ID, Number: "23AA12345", MRZ: "D1FRA...", Issued: date.MustParse("2023-06-10"),
			Expires: date.MustParse("2038-06-10"), State: licence.TitleActive, StateSince: date.MustParse("2023-06-10")}
		if err := s.CreateTitle(ctx, &t1); err != nil {
			t.Fatalf("CreateTitle: %v", err)
		}
		t2 := t1
		wantCode(t, s.CreateTitle(ctx, &t2), apperr.Conflict)
		t3 := t1
		t3.Number, t3.Issued = "25AB54321", date.MustParse("2025-01-02")
		if err := s.CreateTitle(ctx, &t3); err != nil {
			t.Fatalf("CreateTitle: %v", err)
		}
		ts, err := s.ListTitles(ctx, l.ID)
		if err != nil || len(ts) != 2 || ts[0].Number != "23AA12345" || ts[1].ID != t3.ID || ts[1].Expires != t1.Expires {
			t.Fatalf("ListTitles = %+v, %v", ts, err)
		}
	})
}

func TestTransactRollsBack(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := s.Transact(ctx, func(tx *Store) error {
			p := licence.Person{FamilyName: "Durand", BirthDate: date.MustParse("1980-01-01")}
			if err := tx.CreatePerson(ctx, &p); err != nil {
				return err
			}
			if _, err := tx.FindPerson(ctx, p.ID); err != nil { // read inside the transaction
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Transact = %v", err)
		}
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM persons`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("persons after rollback: %d, %v", n, err)
		}
	})
}

func TestLoadLicenceLedger(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		l := mustCreateLicence(t, s, "123456789012")
		empty := mustCreateLicence(t, s, "123456789013")
		d := date.MustParse
		events := []PointEvent{
			{LicenceID: l.ID, Offence: &points.Offence{ID: "E2", Committed: d("2024-03-01"), Established: d("2024-04-01"), Points: 3, Class: points.Class4, Occasion: "occ1"}, Nature: "Excès de vitesse"},
			{LicenceID: l.ID, Offence: &points.Offence{ID: "E1", Committed: d("2024-01-01"), Established: d("2024-02-01"), Points: 1, Class: points.Class3}},
			{LicenceID: l.ID, Course: &points.Course{ID: "C1", LastDay: d("2024-05-10")}},
			{LicenceID: l.ID, Offence: &points.Offence{ID: "E0", Committed: d("2024-03-15"), Established: d("2024-04-01"), Points: 2, Class: points.Delit}},
		}
		if err := s.AddPointEvents(ctx, events); err != nil {
			t.Fatalf("AddPointEvents: %v", err)
		}
		wantCode(t, s.AddPointEvents(ctx, events[:1]), apperr.Conflict)

		ll, err := s.LoadLicenceLedgerByNEPH(ctx, l.NEPH)
		if err != nil {
			t.Fatalf("LoadLicenceLedgerByNEPH: %v", err)
		}
		if ll.Licence.ID != l.ID || ll.Licence.PersonID != l.PersonID || ll.Licence.Departement != "34" ||
			ll.Ledger.Licence != (points.Licence{Obtained: l.Obtained, Probation: points.ProbationStandard}) {
			t.Errorf("header = %+v / %+v", ll.Licence, ll.Ledger.Licence)
		}
		var ids []string
		for _, o := range ll.Ledger.Offences {
			ids = append(ids, o.ID)
		}
		if got := fmtList(ids); got != "E1 E0 E2" {
			t.Errorf("offence order = %s, want E1 E0 E2 (established, then id)", got)
		}
		if o := ll.Ledger.Offences[2]; o != *events[0].Offence {
			t.Errorf("offence = %+v, want %+v", o, *events[0].Offence)
		}
		if len(ll.Ledger.Courses) != 1 || ll.Ledger.Courses[0] != *events[2].Course {
			t.Errorf("courses = %+v", ll.Ledger.Courses)
		}
		led, err := s.LoadLedger(ctx, l.ID)
		if err != nil || len(led.Offences) != 3 {
			t.Errorf("LoadLedger = %+v, %v", led, err)
		}
		el, err := s.LoadLicenceLedgerByNEPH(ctx, empty.NEPH)
		if err != nil || el.Licence.ID != empty.ID || len(el.Ledger.Offences)+len(el.Ledger.Courses) != 0 {
			t.Errorf("empty ledger = %+v, %v", el, err)
		}
	})
}

func fmtList(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}

// Two instances starting together on an empty database both end up on the
// migrated schema, and each migration is applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	for name, newDSN := range storetest.DSNs(t) {
		t.Run(name, func(t *testing.T) {
			dsn := newDSN(t)
			const instances = 4
			errs := make(chan error, instances)
			stores := make(chan *Store, instances)
			for range instances {
				go func() {
					s, err := Open(context.Background(), dsn, Options{})
					errs <- err
					stores <- s
				}()
			}
			for range instances {
				if err := <-errs; err != nil {
					t.Errorf("Open: %v", err)
				}
				if s := <-stores; s != nil {
					defer s.Close()
				}
			}
			s, err := Open(context.Background(), dsn, Options{NoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Ready(context.Background()); err != nil {
				t.Fatalf("Ready after concurrent starts: %v", err)
			}
			var n int
			if err := s.queryRow(context.Background(), `SELECT count(*) FROM schema_migrations`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			names, _ := s.d.migrationNames()
			if n != len(names) {
				t.Fatalf("schema_migrations has %d rows, want %d", n, len(names))
			}
		})
	}
}

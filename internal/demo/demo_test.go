package demo

import (
	"crypto/sha256"
	"encoding/json"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

var testToday = date.MustParse("2026-06-15")

func mustNew(tb testing.TB, seed uint64, n int) *Generator {
	tb.Helper()
	g, err := New(Config{Seed: seed, Licences: n, Today: testToday})
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return g
}

// digest hashes the JSON of every record, in order.
func digest(tb testing.TB, g *Generator) [32]byte {
	tb.Helper()
	h := sha256.New()
	enc := json.NewEncoder(h)
	err := g.Generate(777, func(b []Record) error {
		for i := range b {
			if err := enc.Encode(&b[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out
}

func TestSameSeedSameRegister(t *testing.T) {
	a := mustNew(t, 42, 20_000)
	b := mustNew(t, 42, 20_000)
	b.cfg.Workers = 1 // the parallel and sequential paths must agree
	if digest(t, a) != digest(t, b) {
		t.Fatal("two runs with the same seed differ")
	}
	if digest(t, a) == digest(t, mustNew(t, 43, 20_000)) {
		t.Fatal("two seeds give the same register")
	}
	// Random access agrees with the stream.
	var rec Record
	i := 0
	for r := range a.Records() {
		if i == 12_345 {
			rec = r
			break
		}
		i++
	}
	one := a.Record(12_345)
	x, _ := json.Marshal(rec)
	y, _ := json.Marshal(one)
	if string(x) != string(y) {
		t.Fatalf("Record(12345) differs from the stream:\n%s\n%s", y, x)
	}
}

func TestGenerateStopsOnError(t *testing.T) {
	g := mustNew(t, 1, 10_000)
	calls := 0
	err := g.Generate(100, func([]Record) error {
		calls++
		if calls == 3 {
			return errStop
		}
		return nil
	})
	if err != errStop || calls != 3 {
		t.Fatalf("Generate returned %v after %d calls, want errStop after 3", err, calls)
	}
}

var errStop = errTest("stop")

type errTest string

func (e errTest) Error() string { return string(e) }

// TestEveryValueValid checks unicity and validity over a large register:
// NEPHs, card numbers, MRZs, event ids, dates, points and classes, and that
// the points engine accepts every ledger.
func TestEveryValueValid(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	g := mustNew(t, 7, n)
	rules := points.DefaultRules()
	nephs := make(map[licence.NEPH]struct{}, n)
	titles := make(map[licence.TitleNumber]struct{}, n)
	emails := make(map[string]struct{}, n)
	events := make(map[string]struct{}, n)
	fail := func(r *Record, format string, args ...any) {
		t.Helper()
		t.Fatalf("licence %d (%s): "+format, append([]any{r.Index, r.Licence.NEPH}, args...)...)
	}
	err := g.Generate(5000, func(b []Record) error {
		for k := range b {
			r := &b[k]
			checkIdentity(t, g, r, nephs, titles, emails, fail)
			checkLicence(r, fail)
			for _, o := range r.Offences {
				if _, dup := events[o.ID]; dup {
					fail(r, "event id %s twice", o.ID)
				}
				events[o.ID] = struct{}{}
				switch {
				case o.Committed > o.Established || o.Established > testToday:
					fail(r, "offence %s: committed %s, established %s, today %s", o.ID, o.Committed, o.Established, testToday)
				case o.Committed < r.Licence.Obtained:
					fail(r, "offence %s committed %s before the licence (%s)", o.ID, o.Committed, r.Licence.Obtained)
				case o.Points < 0 || o.Points > 6 || !o.Class.Valid() || o.Nature == "":
					fail(r, "offence %s: %d points, class %q, nature %q", o.ID, o.Points, o.Class, o.Nature)
				}
			}
			for _, c := range r.Courses {
				if _, dup := events[c.ID]; dup {
					fail(r, "event id %s twice", c.ID)
				}
				events[c.ID] = struct{}{}
				if c.LastDay > testToday {
					fail(r, "course %s on %s, after today", c.ID, c.LastDay)
				}
			}
			res, err := rules.Replay(r.Ledger(), testToday)
			if err != nil {
				fail(r, "points engine refuses the ledger: %v", err)
			}
			if res.Balance != r.ExpectedBalance {
				fail(r, "engine balance %d, expected %d", res.Balance, r.ExpectedBalance)
			}
			if r.Licence.State == licence.StateInvalidated && res.Valid {
				fail(r, "invalidated but the engine finds the right valid")
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(nephs) != n || len(titles) != n {
		t.Fatalf("%d NEPHs, %d card numbers for %d licences", len(nephs), len(titles), n)
	}
}

func checkIdentity(t *testing.T, g *Generator, r *Record, nephs map[licence.NEPH]struct{}, titles map[licence.TitleNumber]struct{}, emails map[string]struct{}, fail func(*Record, string, ...any)) {
	t.Helper()
	n := r.Licence.NEPH
	if p, err := licence.ParseNEPH(string(n)); err != nil || p != n {
		fail(r, "NEPH does not parse: %v", err)
	}
	if _, dup := nephs[n]; dup {
		fail(r, "NEPH twice")
	}
	nephs[n] = struct{}{}
	reobtained := r.Licence.Obtained != g.FirstObtained(r.Index)
	if reobtained && r.Licence.Obtained > testToday.AddMonths(-6) {
		fail(r, "re-obtained on %s, within 6 months of today", r.Licence.Obtained)
	}
	if r.Index%97 == 0 && (g.NEPH(r.Index) != n || (!reobtained && g.FirstObtained(r.Index) != r.Licence.Obtained)) {
		fail(r, "NEPH(i) = %s, Obtained(i) = %s disagree with the record", g.NEPH(r.Index), g.FirstObtained(r.Index))
	}
	tn := r.Title.Number
	if p, err := licence.ParseTitleNumber(string(tn)); err != nil || p != tn {
		fail(r, "card number %q does not parse: %v", tn, err)
	}
	if _, dup := titles[tn]; dup {
		fail(r, "card number %s twice", tn)
	}
	titles[tn] = struct{}{}
	if _, err := licence.ParseMRZ(r.Title.MRZ); err != nil {
		fail(r, "MRZ %q: %v", r.Title.MRZ, err)
	}
	if _, dup := emails[r.Person.Email]; dup {
		fail(r, "e-mail %s twice", r.Person.Email)
	}
	emails[r.Person.Email] = struct{}{}
	age := date.YearsBetween(r.Person.BirthDate, testToday)
	if age < 17 || age > 90 {
		fail(r, "holder aged %d", age)
	}
	if r.Person.FamilyName == "" || len(r.Person.GivenNames) == 0 || r.Person.BirthPlace == "" || r.Person.Address.PostalCode == "" {
		fail(r, "incomplete civil status %+v", r.Person)
	}
}

func checkLicence(r *Record, fail func(*Record, string, ...any)) {
	l := &r.Licence
	if !l.Probation.Valid() || l.Obtained >= testToday || len(l.Categories) == 0 {
		fail(r, "licence %+v", l)
	}
	if l.Probation != points.ProbationNone && l.Obtained.Before(testToday.AddYears(-3)) {
		fail(r, "probation %s for a licence obtained on %s", l.Probation, l.Obtained)
	}
	for _, c := range l.Categories {
		if !c.Category.Valid() || c.Obtained > testToday || !c.ValidUntil.Valid {
			fail(r, "category %+v", c)
		}
		if c.Category.Heavy() != c.MedicalUntil.Valid {
			fail(r, "category %s: medical limit %v", c.Category, c.MedicalUntil)
		}
		if age := date.YearsBetween(r.Person.BirthDate, c.Obtained); age < 17 {
			fail(r, "category %s obtained at %d", c.Category, age)
		}
	}
	t := &r.Title
	if t.Issued > testToday || t.Expires <= t.Issued || t.Issued < l.Obtained {
		fail(r, "card issued %s, expires %s, licence %s", t.Issued, t.Expires, l.Obtained)
	}
}

// TestDistribution checks the register looks like the national one
// (REFERENCE §3.2, §14.2), with tolerances wide enough for the model.
func TestDistribution(t *testing.T) {
	n := 200_000
	if testing.Short() {
		n = 30_000
	}
	g := mustNew(t, 2026, n)
	var withOffences, offences, onePoint, pts, top, zero, glasses, probation, oldNEPH, herault, heavy, courses, pairs int
	err := g.Generate(4096, func(b []Record) error {
		for k := range b {
			r := &b[k]
			if len(r.Offences) > 0 {
				withOffences++
			}
			for _, o := range r.Offences {
				offences++
				pts += o.Points
				if o.Points == 1 {
					onePoint++
				}
				if o.Occasion != "" {
					pairs++
				}
			}
			courses += len(r.Courses)
			switch {
			case r.ExpectedBalance >= 11:
				top++
			case r.ExpectedBalance == 0:
				zero++
			}
			for _, x := range r.Licence.Restrictions {
				if x.Code == "01.01" {
					glasses++
				}
			}
			if r.Licence.Probation != points.ProbationNone {
				probation++
			}
			if !r.Licence.NEPH.Standard() {
				oldNEPH++
			}
			if r.Licence.Departement == "34" {
				herault++
			}
			if _, ok := entry(r.Licence.Categories, licence.CategoryC); ok {
				heavy++
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	share := func(k int) float64 { return float64(k) / float64(n) }
	checks := []struct {
		name     string
		got      float64
		min, max float64
	}{
		{"licences with offences on file (10 years)", share(withOffences), 0.35, 0.65},
		{"one-point offences among offences", float64(onePoint) / float64(offences), 0.52, 0.70},
		{"points on file per holder per year", share(pts) / ledgerYears, 0.15, 0.35},
		{"holders at 11–12 points", share(top), 0.78, 0.92},
		{"holders at zero", share(zero), 0.005, 0.025},
		{"glasses (01.01)", share(glasses), 0.15, 0.27},
		{"probationary licences", share(probation), 0.04, 0.09},
		{"old 10–11-digit NEPHs", share(oldNEPH), 0.001, 0.03},
		{"files held in Hérault", share(herault), 0.03, 0.15},
		{"category C holders", share(heavy), 0.015, 0.05},
		{"courses per holder", share(courses), 0.005, 0.2},
		{"offences sharing an occasion", float64(pairs) / float64(offences), 0.03, 0.15},
	}
	for _, c := range checks {
		t.Logf("%-45s %.4f (expected %.3f–%.3f)", c.name, c.got, c.min, c.max)
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s: %.4f, outside %.3f–%.3f", c.name, c.got, c.min, c.max)
		}
	}
}

func TestNewRefusesBadConfig(t *testing.T) {
	for _, cfg := range []Config{
		{Licences: -1, Today: testToday},
		{Licences: 10},                                // no today
		{Licences: maxLicences + 1, Today: testToday}, // too large
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
}

func TestTinyRegisters(t *testing.T) {
	for n := range 8 {
		g := mustNew(t, 1, n)
		count := 0
		for range g.Records() {
			count++
		}
		if count != n {
			t.Fatalf("register of %d gives %d records", n, count)
		}
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, workers := range []int{1, 0} {
		name := "sequential"
		if workers == 0 {
			name = "parallel"
		}
		b.Run(name, func(b *testing.B) {
			const n = 50_000
			g, err := New(Config{Seed: 1, Licences: n, Today: testToday, Workers: workers})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			total := 0
			for b.Loop() {
				_ = g.Generate(1000, func(r []Record) error { total += len(r); return nil })
			}
			b.ReportMetric(float64(total)/b.Elapsed().Seconds(), "licences/s")
		})
	}
}

func BenchmarkNEPH(b *testing.B) {
	g := mustNew(b, 1, 48_000_000)
	i := 0
	for b.Loop() {
		_ = g.NEPH(i % 48_000_000)
		i += 7919
	}
}

// TestGenerateFromIsTheTail checks that a register completed from record k
// (an interrupted build resumed) is the same as one generated in one go, on
// the parallel and the sequential paths.
func TestGenerateFromIsTheTail(t *testing.T) {
	for _, workers := range []int{0, 1} {
		g := mustNew(t, 7, 5_000)
		g.cfg.Workers = workers
		var all, tail []string
		collect := func(into *[]string) func([]Record) error {
			return func(b []Record) error {
				for i := range b {
					j, err := json.Marshal(&b[i])
					if err != nil {
						return err
					}
					*into = append(*into, string(j))
				}
				return nil
			}
		}
		if err := g.Generate(300, collect(&all)); err != nil {
			t.Fatal(err)
		}
		if err := g.GenerateFrom(1_234, 300, collect(&tail)); err != nil {
			t.Fatal(err)
		}
		if len(tail) != 5_000-1_234 {
			t.Fatalf("workers %d: GenerateFrom(1234) gave %d records, want %d", workers, len(tail), 5_000-1_234)
		}
		for i := range tail {
			if tail[i] != all[1_234+i] {
				t.Fatalf("workers %d: record %d differs from Generate's", workers, 1_234+i)
			}
		}
		if err := g.GenerateFrom(5_001, 300, collect(&tail)); err == nil {
			t.Errorf("workers %d: GenerateFrom past the end accepted", workers)
		}
	}
}

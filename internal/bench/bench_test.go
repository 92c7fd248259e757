package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []float64
		want float64
	}{
		{nil, 0},
		{[]float64{7}, 7},
		{[]float64{3, 1, 2}, 2},
		{[]float64{4, 1, 3, 2}, 2.5},
	}
	for _, tt := range tests {
		if got := Median(tt.in); got != tt.want {
			t.Errorf("Median(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	in := []float64{3, 1, 2}
	Median(in)
	if !slices.Equal(in, []float64{3, 1, 2}) {
		t.Errorf("Median reordered its argument: %v", in)
	}
}

func TestTableMarkdown(t *testing.T) {
	tb := Table{Header: []string{"passe", "valeur"}, Rows: [][]string{{"1", "a|b"}, {"2"}}}
	want := "| passe | valeur |\n|---|---|\n| 1 | a\\|b |\n| 2 |  |\n"
	if got := tb.Markdown(); got != want {
		t.Errorf("Markdown() =\n%s\nwant\n%s", got, want)
	}
	sec := Section{Title: "Titre", Table: tb, Notes: []string{"Note."}}
	if got := sec.Markdown(); !strings.HasPrefix(got, "### Titre\n\n| passe") || !strings.HasSuffix(got, "\nNote.\n") {
		t.Errorf("Section.Markdown() = %q", got)
	}
}

func TestFormats(t *testing.T) {
	if got := frenchNumber(1234567.4); got != "1\u202f234\u202f567" {
		t.Errorf("frenchNumber = %q", got)
	}
	if got := frenchNumber(999); got != "999" {
		t.Errorf("frenchNumber = %q", got)
	}
	if got := projected(25_000); got != "10 min 00 s" {
		t.Errorf("projected(25 000/s) = %q", got)
	}
	status := "Name:\tpermis\nVmHWM:\t  123456 kB\nVmRSS:\t   65432 kB\n"
	if hwm, rss := parseStatusKiB(status, "VmHWM"), parseStatusKiB(status, "VmRSS"); hwm != 123456 || rss != 65432 {
		t.Errorf("parseStatusKiB = %d, %d", hwm, rss)
	}
	if got := hidePassword("postgres://u:secret@h/db"); got != "postgres://u:xxxxx@h/db" {
		t.Errorf("hidePassword = %q", got)
	}
	if got := eventIDBound(100_000_000); got != "PV500200000000" {
		t.Errorf("eventIDBound = %q", got)
	}
}

// newTestBench builds a tiny register and the bench state over it.
func newTestBench(t *testing.T, dsn string, licences, offences int) *bench {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	a := app.New(app.Config{Store: s})
	t.Cleanup(func() { a.Close() })
	bare, err := openBare(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { bare.Close() })
	cfg := Config{DSN: dsn, Describe: "test", WorkDir: t.TempDir(), Licences: licences, Offences: offences, Runs: 1, Only: []string{"reevaluate"}}
	if err := cfg.check(); err != nil {
		t.Fatal(err)
	}
	b := &bench{cfg: cfg, store: s, app: a, bare: bare}
	msg, err := b.ensureRegister(ctx)
	if err != nil {
		t.Fatalf("ensureRegister: %v", err)
	}
	if !strings.Contains(msg, "construits") {
		t.Fatalf("first ensureRegister: %q", msg)
	}
	if msg, err = b.ensureRegister(ctx); err != nil || !strings.Contains(msg, "réutilisés") {
		t.Fatalf("second ensureRegister: %q, %v", msg, err)
	}
	if b.index, err = loadIndex(ctx, bare); err != nil {
		t.Fatal(err)
	}
	if b.index.Len() != licences {
		t.Fatalf("index holds %d licences, want %d", b.index.Len(), licences)
	}
	return b
}

func countEvents(t *testing.T, b *bench) int {
	t.Helper()
	var n int
	if err := b.bare.read.QueryRowContext(context.Background(), `SELECT count(*) FROM point_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBareInsertWritesExactlyItsRows(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		b := newTestBench(t, dsn, 300, 0)
		path := filepath.Join(b.cfg.WorkDir, "f.ndjson")
		if err := writeOffences(path, b.index, 700, 100_000_000); err != nil {
			t.Fatal(err)
		}
		rows, err := readRowsFile(path, b.index.idOf)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 700 {
			t.Fatalf("readRows: %d rows, want 700", len(rows))
		}
		if err := b.bare.createScratch(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := b.bare.insertBare(ctx, rows); err != nil {
			t.Fatal(err)
		}
		got, err := b.bare.read.QueryContext(ctx, `SELECT event_id, licence_id, points FROM `+scratchTable+` ORDER BY event_id`)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for got.Next() {
			var (
				id       string
				lid, pts int64
			)
			if err := got.Scan(&id, &lid, &pts); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(rows, func(r bareRow) bool { return r.id == id })
			if i < 0 || rows[i].licenceID != lid || int64(rows[i].points) != pts {
				t.Fatalf("scratch row %s (licence %d, %d points) is not one given", id, lid, pts)
			}
			ids = append(ids, id)
		}
		got.Close()
		if len(ids) != len(rows) {
			t.Fatalf("scratch table holds %d rows, want %d", len(ids), len(rows))
		}
		// Same primary key as point_events: a duplicate is refused.
		if _, err := b.bare.insertBare(ctx, rows[:1]); err == nil {
			t.Error("a duplicate event id was accepted by the scratch table")
		}
		if err := b.bare.dropScratch(ctx); err != nil {
			t.Fatal(err)
		}
	})
}

func TestImportRunLeavesTheRegisterAsItWas(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		b := newTestBench(t, dsn, 300, 600)
		before := countEvents(t, b)
		run, err := b.importOnce(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if run.rows != 600 || run.baseline <= 0 || run.ours <= 0 {
			t.Errorf("run = %+v", run)
		}
		if after := countEvents(t, b); after != before {
			t.Errorf("point_events: %d rows after the run, %d before", after, before)
		}
		n, err := b.bare.readLedgers(ctx)
		if err != nil || n != 300 {
			t.Errorf("readLedgers = %d, %v; want 300 licences", n, err)
		}
	})
}

func TestBareHandler(t *testing.T) {
	b := newTestBench(t, storetest.SQLiteDSN(t), 50, 0)
	h, err := bareHandler(b.bare)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()
	for neph, want := range map[string]int{string(b.index.pick(1)): http.StatusOK, "000000000000": http.StatusNotFound} {
		resp, err := http.Get(srv.URL + "/api/v1/licences/" + neph + "/points")
		if err != nil {
			t.Fatal(err)
		}
		var got bareLicence
		if want == http.StatusOK {
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || got.ID == 0 {
				t.Errorf("GET %s: body %+v, %v", neph, got, err)
			}
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", neph, resp.StatusCode, want)
		}
	}
}

func TestRunWritesMarkdown(t *testing.T) {
	var out, md bytes.Buffer
	dir := t.TempDir()
	err := Run(context.Background(), Config{DSN: filepath.Join(dir, "permis.db"), Describe: "sqlite:test", WorkDir: dir,
		Licences: 120, Offences: 200, Runs: 1, Only: []string{"import", "reevaluate"}, Command: "permis bench --licences 120",
		Out: &out, Markdown: &md})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"permis bench --licences 120", "- Base : SQLite", "### Import des infractions (SQLite)",
		"### Réévaluation nocturne", "**médiane**"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if md.String() != out.String() {
		t.Error("the markdown file differs from standard output")
	}
	err = Run(context.Background(), Config{DSN: filepath.Join(dir, "permis.db"), Licences: 120, Runs: 1, Only: []string{"bogus"}})
	if err == nil || !strings.Contains(err.Error(), "mesure inconnue") {
		t.Errorf("unknown benchmark: %v", err)
	}
}

// TestRegisterBuildResumes interrupts the build of a register and runs the
// same command again: it completes the register instead of refusing it, to
// the same licences as a build in one go.
func TestRegisterBuildResumes(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cfg := func(dsn string) Config {
		return Config{DSN: dsn, Describe: "sqlite:test", WorkDir: dir, Licences: 12_000, Runs: 1, Only: []string{"register"}}
	}
	once := filepath.Join(dir, "once.db")
	if err := Run(ctx, cfg(once)); err != nil {
		t.Fatal(err)
	}
	resumed := filepath.Join(dir, "resumed.db")
	cctx, cancel := context.WithCancel(ctx)
	c := cfg(resumed)
	c.Progress, c.IsTerminal = cancelAfter{cancel: cancel}, true // cancelled at the first progress report
	if err := Run(cctx, c); err == nil {
		t.Fatal("the interrupted build did not fail")
	}
	partial := licenceNEPHs(t, resumed)
	if len(partial) == 0 || len(partial) >= 12_000 {
		t.Fatalf("interrupted build left %d licences, want some but not all", len(partial))
	}
	var out bytes.Buffer
	c = cfg(resumed)
	c.Out = &out
	if err := Run(ctx, c); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "reprise après") {
		t.Errorf("the report does not say the build resumed:\n%s", out.String())
	}
	a, b := licenceNEPHs(t, once), licenceNEPHs(t, resumed)
	if len(a) != 12_000 || !slices.Equal(a, b) {
		t.Errorf("resumed register: %d licences, one-go register %d, equal %v", len(b), len(a), slices.Equal(a, b))
	}
}

// cancelAfter cancels its context at the first write.
type cancelAfter struct{ cancel context.CancelFunc }

func (c cancelAfter) Write(p []byte) (int, error) { c.cancel(); return len(p), nil }

// licenceNEPHs lists the register's licences as id:NEPH, in id order.
func licenceNEPHs(t *testing.T, path string) []string {
	t.Helper()
	s, err := store.Open(context.Background(), path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.WriteDB().Query(`SELECT id, neph FROM licences ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var neph string
		if err := rows.Scan(&id, &neph); err != nil {
			t.Fatal(err)
		}
		out = append(out, fmt.Sprint(id, ":", neph))
	}
	return out
}

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/demo"
)

// importToday is the reference day of the registers built here, so that two
// builds give the same register and the same offences file.
const importToday = "2025-06-30"

// buildDemo builds the demo register of n licences on reg and, when file is
// not "", an offences file of rows rows with bad as faulty share.
func buildDemo(t *testing.T, reg register, n int, file string, rows int, bad float64) {
	t.Helper()
	args := []string{"demo", "--licences", strconv.Itoa(n), "--seed", "1", "--today", importToday}
	if file != "" {
		args = append(args, "--offences-file", file, "--offences", strconv.Itoa(rows),
			"--bad-fraction", strconv.FormatFloat(bad, 'f', -1, 64))
	}
	mustRun(t, 0, append(args, reg.flags...)...)
}

// badLines returns the line numbers of the rows of an offences file that
// the register must refuse, by an oracle independent of internal/ingest:
// a malformed or impossible date, established before committed, or a NEPH
// that is not one of the register's.
func badLines(t *testing.T, file string, n int) []int {
	t.Helper()
	gen, err := demo.New(demo.Config{Seed: 1, Licences: n, Today: date.MustParse(importToday)})
	if err != nil {
		t.Fatalf("demo.New: %v", err)
	}
	known := make(map[string]bool, n)
	for i := range n {
		known[string(gen.NEPH(i))] = true
	}
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var bad []int
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		var row struct{ NEPH, Committed, Established string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			t.Fatalf("line %d of the demo file is not JSON: %v", line, err)
		}
		c, errC := date.Parse(row.Committed)
		e, errE := date.Parse(row.Established)
		if errC != nil || errE != nil || e < c || !known[row.NEPH] {
			bad = append(bad, line)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return bad
}

// summaryCount reads one count of the import summary ("insérés : 19 802").
func summaryCount(t *testing.T, summary, label string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^  ` + label + ` : ([\d ]+)$`).FindStringSubmatch(summary)
	if m == nil {
		t.Fatalf("summary has no %q count:\n%s", label, summary)
	}
	n, err := strconv.Atoi(strings.ReplaceAll(m[1], " ", ""))
	if err != nil {
		t.Fatalf("summary count %q: %v", m[1], err)
	}
	return n
}

var rejectLine = regexp.MustCompile(`^ligne (\d+) : (.+)$`)

func TestImportOffences(t *testing.T) {
	const licences, rows = 2000, 20000
	forEachRegister(t, func(t *testing.T, reg register) {
		file := filepath.Join(t.TempDir(), "offences.ndjson")
		buildDemo(t, reg, licences, file, rows, 0.01)
		bad := badLines(t, file, licences)
		if len(bad) == 0 || len(bad) > rows/20 {
			t.Fatalf("%d bad rows in a file built with 1 %% of them", len(bad))
		}
		before := countEvents(t, reg.dsn)
		args := append(append([]string{"import", "offences", "--progress", "never"}, reg.flags...), file)

		first := runPermis(t, "", args...)
		if first.code != 3 {
			t.Fatalf("import: exit %d, want 3 (rows rejected)\n%s\n%s", first.code, first.stdout, first.stderr)
		}
		lines := first.stderrLines()
		var reported []int
		for _, l := range lines[:len(lines)-1] {
			m := rejectLine.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("reject report line %q is not `ligne N : reason`", l)
			}
			n, _ := strconv.Atoi(m[1])
			reported = append(reported, n)
		}
		if !slices.Equal(reported, bad) {
			t.Fatalf("rejected lines %v\nwant the bad rows of the file %v", reported, bad)
		}
		if last := lines[len(lines)-1]; last != fmt.Sprintf("permis: %d ligne(s) refusée(s) : les autres sont enregistrées", len(bad)) {
			t.Fatalf("last stderr line %q", last)
		}
		good := rows - len(bad)
		if got := summaryCount(t, first.stdout, "insérés"); got != good {
			t.Fatalf("summary says %d inserted, want %d", got, good)
		}
		if got := summaryCount(t, first.stdout, "rejetés"); got != len(bad) {
			t.Fatalf("summary says %d rejected, want %d", got, len(bad))
		}
		after := countEvents(t, reg.dsn)
		if after != before+good {
			t.Fatalf("register holds %d events, want %d + %d", after, before, good)
		}

		second := runPermis(t, "", args...)
		if second.code != 3 {
			t.Fatalf("second import: exit %d, want 3 (the same rows are rejected)", second.code)
		}
		if got := countEvents(t, reg.dsn); got != after {
			t.Fatalf("second import changed the register: %d events, want %d", got, after)
		}
		if got := summaryCount(t, second.stdout, "insérés"); got != 0 {
			t.Fatalf("second summary says %d inserted", got)
		}
		if got := summaryCount(t, second.stdout, "déjà enregistrés"); got != good {
			t.Fatalf("second summary says %d already present, want %d", got, good)
		}
		if !strings.Contains(second.stdout, "Aucune modification") {
			t.Fatalf("second summary does not say nothing changed:\n%s", second.stdout)
		}
	})
}

// dumpEvents returns every column of point_events but recorded_at, one
// line per event, ordered by event id.
func dumpEvents(t *testing.T, dsn string) []string {
	t.Helper()
	db := mustOpenSQL(t, dsn)
	rows, err := db.QueryContext(context.Background(), `SELECT event_id, licence_id, kind, coalesce(CAST(committed AS TEXT), ''),
		CAST(established AS TEXT), points, class, occasion, nature FROM point_events ORDER BY event_id`)
	if err != nil {
		t.Fatalf("dump point_events: %v", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var (
			id, kind, committed, established, class, occasion, nature string
			licence, pts                                              int64
		)
		if err := rows.Scan(&id, &licence, &kind, &committed, &established, &pts, &class, &occasion, &nature); err != nil {
			t.Fatalf("dump point_events: %v", err)
		}
		out = append(out, strings.Join([]string{id, strconv.FormatInt(licence, 10), kind, committed, established,
			strconv.FormatInt(pts, 10), class, occasion, nature}, "\t"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("dump point_events: %v", err)
	}
	return out
}

// wantIntact fails unless SQLite finds the database file sound.
func wantIntact(t *testing.T, reg register) {
	t.Helper()
	if reg.name != "sqlite" {
		return
	}
	var res string
	if err := mustOpenSQL(t, reg.dsn).QueryRow(`PRAGMA integrity_check`).Scan(&res); err != nil || res != "ok" {
		t.Fatalf("PRAGMA integrity_check = %q, %v; want ok", res, err)
	}
}

// buildBinary compiles the program once for the tests that need a real
// process to kill.
func buildBinary(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH: cannot build the binary to kill")
	}
	bin := filepath.Join(t.TempDir(), "permis")
	out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

func TestImportSurvivesKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and imports 200 000 rows several times")
	}
	const licences, rows = 2000, 200000
	bin := buildBinary(t)
	forEachRegister(t, func(t *testing.T, killed register) {
		clean := newSQLiteRegister(t)
		if killed.name == "postgres" {
			clean = freshPostgres(t)
		}
		file := filepath.Join(t.TempDir(), "offences.ndjson")
		buildDemo(t, killed, licences, file, rows, 0)
		buildDemo(t, clean, licences, "", 0, 0)
		mustRun(t, 0, append(append([]string{"import", "offences", "--batch", "2000", "--progress", "never"}, clean.flags...), file)...)
		want := dumpEvents(t, clean.dsn)

		args := append(append([]string{"import", "offences", "--batch", "2000", "--progress", "never"}, killed.flags...), file)
		delays := []time.Duration{100 * time.Millisecond, 400 * time.Millisecond, time.Second, 1500 * time.Millisecond,
			700 * time.Millisecond, 2 * time.Second, 250 * time.Millisecond, 3 * time.Second}
		midRun := 0
		for _, d := range delays {
			if midRun >= 2 {
				break
			}
			before := countEvents(t, killed.dsn)
			cmd := exec.Command(bin, args...)
			if err := cmd.Start(); err != nil {
				t.Fatalf("start: %v", err)
			}
			time.Sleep(d)
			_ = cmd.Process.Signal(syscall.SIGKILL)
			err := cmd.Wait()
			var ee *exec.ExitError
			wasKilled := errors.As(err, &ee) && ee.Sys().(syscall.WaitStatus).Signaled()
			wantIntact(t, killed)
			after := countEvents(t, killed.dsn)
			t.Logf("killed after %s: %v; events %d → %d (clean import: %d)", d, wasKilled, before, after, len(want))
			if after < before {
				t.Fatalf("a killed import lost events: %d → %d", before, after)
			}
			if wasKilled && after > before && after < len(want) {
				midRun++ // killed with some batches committed and some not
			}
		}
		if midRun < 2 {
			t.Fatalf("the import was killed mid-run %d times, want at least 2: the test proved too little", midRun)
		}
		if r := runPermis(t, "", args...); r.code != 0 {
			t.Fatalf("import after the kills: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
		}
		wantIntact(t, killed)
		got := dumpEvents(t, killed.dsn)
		if len(got) != len(want) {
			t.Fatalf("after kills and a re-run: %d events, a clean import gives %d", len(got), len(want))
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("event %d after kills and a re-run:\n%s\nclean import:\n%s", i, got[i], want[i])
			}
		}
	})
}

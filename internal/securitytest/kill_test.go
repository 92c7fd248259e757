package securitytest

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "permis/internal/store" // the database drivers
	"permis/internal/store/storetest"
)

var (
	pointLinkRE = regexp.MustCompile(`href="(/rendez-vous/\d+)"`)
	kindLinkRE  = regexp.MustCompile(`href="(/rendez-vous/\d+/[a-z-]+)"`)
	slotLinkRE  = regexp.MustCompile(`href="(/rendez-vous/\d+/[a-z-]+/coordonnees\?debut=\d+)"`)
)

// kill -9 while people book: the server is killed with SIGKILL in the
// middle of concurrent bookings, then started again on the same data.
// Nothing the server confirmed is lost (every booking answered 303 is in
// the database), and nothing is half-written: no seat is taken without a
// holding appointment, no holding appointment is without its seats, and
// each appointment has its confirmation mail in the outbox (written in
// the same transaction).
func TestKillDuringBookings(t *testing.T) {
	dbs := map[string]string{"sqlite": ""}
	if u := os.Getenv(storetest.EnvPostgres); u != "" {
		dbs["postgres"] = storetest.PostgresSchema(t, u) + "&application_name=permis_securitytest_kill"
	}
	for name, db := range dbs {
		t.Run(name, func(t *testing.T) { killDuringBookings(t, db) })
	}
}

func killDuringBookings(t *testing.T, db string) {
	in := start(t, db)
	b := newBrowser(t, in)
	// The slots of the first kind of the first help point, over a few weeks.
	_, body := b.get("/rendez-vous")
	pm := pointLinkRE.FindStringSubmatch(body)
	if pm == nil {
		t.Fatalf("no help point on /rendez-vous")
	}
	_, body = b.get(pm[1])
	km := kindLinkRE.FindStringSubmatch(body)
	if km == nil {
		t.Fatalf("no kind on %s", pm[1])
	}
	var slots []string
	for week := 0; week < 4 && len(slots) < 40; week++ {
		_, body = b.get(km[1] + "?semaine=" + strconv.Itoa(week))
		for _, m := range slotLinkRE.FindAllStringSubmatch(body, -1) {
			slots = append(slots, m[1])
		}
	}
	if len(slots) < 10 {
		t.Fatalf("only %d free slots", len(slots))
	}

	// Concurrent bookings, each by another person; the server is killed
	// after the first few answers.
	var (
		mu        sync.Mutex
		confirmed []string // emails whose booking was answered 303
		answered  = make(chan struct{}, len(slots))
		wg        sync.WaitGroup
	)
	for i, slot := range slots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, _ := url.Parse(in.URL + slot)
			email := "personne" + strconv.Itoa(i) + "@example.fr"
			form := url.Values{"debut": {u.Query().Get("debut")}, "name": {"Personne " + strconv.Itoa(i)}, "email": {email}}
			c := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			req, _ := http.NewRequest(http.MethodPost, in.URL+u.Path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Origin", in.URL)
			res, err := c.Do(req)
			if err != nil {
				return // the server died under it
			}
			res.Body.Close()
			if res.StatusCode == http.StatusSeeOther {
				mu.Lock()
				confirmed = append(confirmed, email)
				mu.Unlock()
				answered <- struct{}{}
			}
		}()
	}
	select {
	case <-answered:
	case <-time.After(30 * time.Second):
		t.Fatal("no booking answered")
	}
	if err := in.cmd.Process.Kill(); err != nil { // SIGKILL: no graceful stop
		t.Fatal(err)
	}
	wg.Wait()
	_ = in.cmd.Wait()
	mu.Lock()
	done := append([]string(nil), confirmed...)
	mu.Unlock()
	t.Logf("%d bookings sent, %d answered before the kill", len(slots), len(done))

	// Started again on the same data: it answers, and the data holds.
	again := startIn(t, in.Data, db)
	if res, _ := newBrowser(t, again).get("/rendez-vous"); res.StatusCode != http.StatusOK {
		t.Fatalf("after the restart: %d", res.StatusCode)
	}
	conn := openRaw(t, in)
	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := conn.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	const holding = `('pending', 'confirmed', 'attended', 'no_show')`
	if n := count(`SELECT count(*) FROM appointment_cells c LEFT JOIN appointments a ON a.id = c.appointment_id
		WHERE a.id IS NULL OR a.status NOT IN ` + holding); n != 0 {
		t.Errorf("%d seats taken by no holding appointment", n)
	}
	if n := count(`SELECT count(*) FROM appointments a WHERE a.status IN ` + holding + `
		AND NOT EXISTS (SELECT 1 FROM appointment_cells c WHERE c.appointment_id = a.id)`); n != 0 {
		t.Errorf("%d holding appointments without their seats", n)
	}
	if n := count(`SELECT count(*) FROM appointments a WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.to_addr = a.email)`); n != 0 {
		t.Errorf("%d appointments without their mail", n)
	}
	for _, email := range done {
		if n := count(`SELECT count(*) FROM appointments WHERE email = $1`, email); n != 1 {
			t.Errorf("booking of %s answered before the kill: %d rows", email, n)
		}
	}
}

// openRaw opens the instance's database directly, read-only in spirit.
func openRaw(t *testing.T, in *instance) *sql.DB {
	t.Helper()
	driver, dsn := "pgx", in.DB
	if dsn == "" {
		driver, dsn = "sqlite", "file:"+filepath.Join(in.Data, "permis.db")+"?_pragma=busy_timeout(5000)"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

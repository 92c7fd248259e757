package securitytest

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"permis/internal/store/storetest"
)

// Three `permis serve` on one PostgreSQL database (issue 15, item 5), as
// behind a reverse proxy (docs/operations.md): agents' API reads and
// anonymous bookings go to the three in turn, and one of them is killed
// with SIGKILL in the middle. Then:
//   - every API read answered 200 has exactly one audit entry (matched by
//     its X-Request-Id), and no read has two: nothing answered unaudited,
//     nothing recorded twice;
//   - every booking answered 303 is in the database exactly once, with its
//     confirmation mail once in the outbox; a booking sent to the killed
//     instance is there once or not at all, never half (seats without
//     appointment, appointment without seats or mail); a booking refused
//     by the rate limit (kept in the database, so shared by the three) is
//     not there at all;
//   - the two survivors still answer, and a fourth instance started on
//     the database afterwards is ready too.
//
// Requests to the killed instance are not retried elsewhere: a proxy
// would, and a retry is a new request with its own id.
func TestThreeInstancesOnPostgres(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " not set: the multi-instance test needs PostgreSQL (CI sets it)")
	}
	db := storetest.PostgresSchema(t, u) + "&application_name=permis_securitytest_instances"
	first := start(t, db) // loads the demo register; the others find it loaded
	ins := []*instance{first, start(t, db), start(t, db)}
	raw := openRaw(t, first)
	ctx := context.Background()

	out, err := exec.Command(binary, "token", "create", "--database", db, "--data", t.TempDir(), "--name", "charge", "--role", "agent").Output()
	if err != nil {
		t.Fatalf("token create: %v", err)
	}
	token := strings.TrimSpace(string(out))
	var nephs []string
	rows, err := raw.QueryContext(ctx, `SELECT neph FROM licences ORDER BY id LIMIT 30`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		nephs = append(nephs, n)
	}
	rows.Close()
	if len(nephs) == 0 {
		t.Fatal("no licence in the demo register")
	}
	slots := freeSlots(t, first, 45)

	client := &http.Client{Timeout: 15 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	const reads = 240
	var (
		mu         sync.Mutex
		readOK     = map[string]bool{} // request id → answered 200
		booked     []string            // emails answered 303
		refused    []string            // emails answered 429 (the rate limit, shared by the instances)
		answered   atomic.Int64
		killed     = make(chan struct{})
		killOnce   sync.Once
		victim     = ins[1]
		wg         sync.WaitGroup
		readErrors atomic.Int64
	)
	work := make(chan func(), reads+len(slots))
	for i := range reads {
		work <- func() {
			in := ins[i%3]
			id := fmt.Sprintf("multi-read-%04d", i)
			req, _ := http.NewRequest(http.MethodGet, in.URL+"/api/v1/licences/"+nephs[i%len(nephs)]+"/points", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("X-Request-Id", id)
			res, err := client.Do(req)
			if err != nil {
				readErrors.Add(1)
				return
			}
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				mu.Lock()
				readOK[id] = true
				mu.Unlock()
				answered.Add(1)
			} else {
				t.Errorf("GET points on %s: %d", in.URL, res.StatusCode)
			}
		}
		if i%6 == 5 && i/6 < len(slots) {
			k := i / 6
			work <- func() {
				in := ins[k%3]
				slot, _ := url.Parse(slots[k])
				email := "multi" + strconv.Itoa(k) + "@example.fr"
				form := url.Values{"debut": {slot.Query().Get("debut")}, "name": {"Personne " + strconv.Itoa(k)}, "email": {email}}
				req, _ := http.NewRequest(http.MethodPost, in.URL+slot.Path, strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Origin", in.URL)
				res, err := client.Do(req)
				if err != nil {
					return
				}
				res.Body.Close()
				if res.StatusCode == http.StatusSeeOther {
					mu.Lock()
					booked = append(booked, email)
					mu.Unlock()
					answered.Add(1)
				} else if res.StatusCode == http.StatusTooManyRequests {
					mu.Lock()
					refused = append(refused, email)
					mu.Unlock()
				}
			}
		}
	}
	close(work)
	for range 6 {
		wg.Go(func() {
			for f := range work {
				if answered.Load() >= reads/3 {
					killOnce.Do(func() {
						if err := victim.cmd.Process.Kill(); err != nil { // SIGKILL: no graceful stop
							t.Error(err)
						}
						close(killed)
					})
				}
				f()
			}
		})
	}
	wg.Wait()
	select {
	case <-killed:
	default:
		t.Fatal("the load ended before the kill")
	}
	_ = victim.cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	t.Logf("%d reads answered, %d failed (the killed instance), %d bookings answered, %d refused by the shared rate limit",
		len(readOK), readErrors.Load(), len(booked), len(refused))
	if len(readOK) < reads/2 || len(booked) == 0 {
		t.Fatalf("too little answered: %d reads, %d bookings", len(readOK), len(booked))
	}

	count := func(q string, args ...any) int {
		t.Helper()
		var n int
		if err := raw.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		return n
	}
	audited := map[string]int{}
	rows, err = raw.QueryContext(ctx, `SELECT request_id, count(*) FROM audit_log WHERE request_id LIKE 'multi-read-%' GROUP BY request_id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			t.Fatal(err)
		}
		audited[id] = n
	}
	rows.Close()
	for id := range readOK {
		if audited[id] != 1 {
			t.Errorf("read %s answered 200 with %d audit entries, want 1", id, audited[id])
		}
	}
	for id, n := range audited {
		if n != 1 {
			t.Errorf("read %s has %d audit entries", id, n)
		}
	}
	for _, email := range booked {
		if n := count(`SELECT count(*) FROM appointments WHERE email = $1`, email); n != 1 {
			t.Errorf("booking of %s answered 303: %d appointments, want 1", email, n)
		}
	}
	for _, email := range refused {
		if n := count(`SELECT count(*) FROM appointments WHERE email = $1`, email); n != 0 {
			t.Errorf("booking of %s answered 429: %d appointments, want none", email, n)
		}
	}
	if n := count(`SELECT count(*) FROM (SELECT email FROM appointments WHERE email LIKE 'multi%' GROUP BY email HAVING count(*) > 1) d`); n != 0 {
		t.Errorf("%d people booked twice", n)
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
	if n := count(`SELECT count(*) FROM appointments a WHERE a.email LIKE 'multi%'
		AND (SELECT count(*) FROM outbox o WHERE o.to_addr = a.email) != 1`); n != 0 {
		t.Errorf("%d appointments without exactly one confirmation mail", n)
	}

	// The survivors answer, and one more instance joins without migrating.
	for _, in := range []*instance{ins[0], ins[2], start(t, db)} {
		if res, _ := newBrowser(t, in).get("/readyz"); res.StatusCode != http.StatusOK {
			t.Errorf("%s after the kill: /readyz %d", in.URL, res.StatusCode)
		}
	}
}

// freeSlots returns up to n booking links of the first kind of the first
// help point, over the next weeks.
func freeSlots(t *testing.T, in *instance, n int) []string {
	t.Helper()
	b := newBrowser(t, in)
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
	for week := 0; week < 8 && len(slots) < n; week++ {
		_, body = b.get(km[1] + "?semaine=" + strconv.Itoa(week))
		for _, m := range slotLinkRE.FindAllStringSubmatch(body, -1) {
			slots = append(slots, m[1])
		}
	}
	if len(slots) < 10 {
		t.Fatalf("only %d free slots", len(slots))
	}
	return slots[:min(n, len(slots))]
}

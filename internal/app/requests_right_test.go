package app_test

import (
	"context"
	"database/sql"
	"strings"
	"sync"
	"testing"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// setRightState changes the fixture citizen's licence's right to drive in
// the database, as a measure recorded by another channel would.
func (f *reqFixture) setRightState(t *testing.T, state string) {
	t.Helper()
	driver := "sqlite"
	if strings.HasPrefix(f.dsn, "postgres") {
		driver = "pgx"
	}
	db, err := sql.Open(driver, f.dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE licences SET state = '` + state + `' WHERE neph = '000334100001'`); err != nil {
		t.Fatal(err)
	}
}

// Issue 10, finding 3: a loss request on an invalidated licence yielded an
// attestation de perte saying its holder may drive. The right is read when
// the request is started, when it is filed (in the filing transaction) and
// when the attestation is shown; nothing is filed, nothing issued.
func TestNoDuplicateWhileRightNotValid(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		draft := f.mustLossDraft(t, f.citizen, f.mustStamp(t), "")

		f.setRightState(t, "invalidated") // after the draft, before filing
		_, err := f.a.Submit(ctx, f.citizen, draft.ID)
		if !apperr.Is(err, apperr.Conflict) || apperr.ReasonOf(err) != app.ReasonRightNotValid.Code {
			t.Fatalf("Submit on an invalidated licence: %v, want conflict %s", err, app.ReasonRightNotValid.Code)
		}
		if msg := apperr.As(err).Message; !strings.Contains(msg, "invalidé") || !strings.Contains(msg, "Nouveau permis après invalidation") {
			t.Errorf("the refusal does not say why and what to do: %q", msg)
		}
		r, _ := f.s.FindRequest(ctx, draft.ID)
		if r.Status != requests.StatusDraft || r.LossAttestationUntil.Valid {
			t.Fatalf("refused request changed: %+v", r)
		}
		for _, kind := range []requests.Kind{requests.Loss, requests.Theft, requests.Damage} {
			if _, err := f.a.StartRequest(ctx, f.citizen, app.StartInput{Kind: string(kind)}); apperr.ReasonOf(err) != app.ReasonRightNotValid.Code {
				t.Errorf("StartRequest %s on an invalidated licence: %v", kind, err)
			}
		}

		// Filed while valid, then suspended: the attestation is no longer shown.
		f.setRightState(t, "valid")
		filed, err := f.a.Submit(ctx, f.citizen, draft.ID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.LossAttestation(ctx, f.citizen, filed.ID); err != nil {
			t.Fatalf("attestation while valid: %v", err)
		}
		f.setRightState(t, "suspended_admin")
		if _, err := f.a.LossAttestation(ctx, f.citizen, filed.ID); apperr.ReasonOf(err) != app.ReasonRightNotValid.Code {
			t.Fatalf("attestation while suspended: %v, want %s", err, app.ReasonRightNotValid.Code)
		}
	})
}

// Three (here eight) loss requests of one holder filed at the same instant
// through two instances each got an attestation de perte. The partial
// unique index keeps one open request of a kind per licence: one is filed,
// the others are refused with request_open and stay drafts. The PostgreSQL
// half is the meaningful one: SQLite serialises writers, so there the
// check is exercised but the race cannot really happen.
func TestOneOpenRequestPerLicenceRace(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		s2, err := store.Open(ctx, dsn, store.Options{Clock: f.c})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s2.Close() })
		a2, _ := openAppOn(t, s2, f.c, f.files, false)
		const n = 8
		drafts := make([]int64, n)
		for i := range drafts {
			drafts[i] = f.mustLossDraft(t, f.citizen, f.mustStamp(t), "").ID
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			a := f.a
			if i%2 == 1 {
				a = a2
			}
			wg.Go(func() {
				<-start
				_, errs[i] = a.Submit(ctx, f.citizen, drafts[i])
			})
		}
		close(start)
		wg.Wait()
		filed, attestations := 0, 0
		for i, err := range errs {
			switch {
			case err == nil:
				filed++
			case apperr.ReasonOf(err) == app.ReasonRequestOpen.Code:
				if !strings.Contains(apperr.As(err).Message, "DEM-") {
					t.Errorf("draft %d: the refusal does not name the open request: %q", i, apperr.As(err).Message)
				}
			default:
				t.Errorf("draft %d: %v, want filed or %s", i, err, app.ReasonRequestOpen.Code)
			}
			r, _ := f.s.FindRequest(ctx, drafts[i])
			if r.LossAttestationUntil.Valid {
				attestations++
			}
		}
		if filed != 1 || attestations != 1 {
			t.Fatalf("%d filed, %d attestations de perte, want 1 and 1", filed, attestations)
		}
	})
}

package app_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/mail"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// BenchmarkSubmit files loss requests (stamp reserved, paper photo form)
// end to end through the application: owner check, requirements from the
// register, completeness, the transition, the stamp's reservation, the
// timeline, the receipt mail and the audit in one transaction. "baseline"
// writes the same rows in one transaction with no reading or checking.
// Run with a fixed count, e.g. -benchtime=300x: each iteration needs its
// own draft and stamp, made before the timer starts.
func BenchmarkSubmit(b *testing.B) {
	for name, dsn := range storetest.DSNs(b) {
		for _, mode := range []string{"app", "baseline"} {
			b.Run(name+"/"+mode, func(b *testing.B) {
				ctx := context.Background()
				f := newReqFixture(b, dsn(b))
				drafts := make([]store.Request, b.N)
				stamps := make([]stamp.Number, b.N)
				for i := range drafts {
					stamps[i] = f.mustStamp(b)
					drafts[i] = f.mustLossDraft(b, f.citizen, stamps[i], "")
				}
				b.ResetTimer()
				for i := range b.N {
					var err error
					if mode == "app" {
						_, err = f.a.Submit(ctx, f.citizen, drafts[i].ID)
					} else {
						err = bareSubmit(ctx, f.s, drafts[i], stamps[i], f.c.Now())
					}
					if err != nil {
						b.Fatal(err)
					}
				}
				b.StopTimer()
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submits/s")
			})
		}
	}
}

// bareSubmit writes what Submit writes, without any check (the
// transition still reads the row it changes, as the lifecycle needs).
func bareSubmit(ctx context.Context, s *store.Store, r store.Request, n stamp.Number, at time.Time) error {
	return s.Transact(ctx, func(tx *store.Store) error {
		t := at
		if _, _, err := tx.TransitionRequest(ctx, r.ID, store.Transition{Event: requests.EventSubmit, SubmittedAt: &t}); err != nil {
			return err
		}
		if _, err := tx.ReserveStamp(ctx, n, r.Reference, 2500, t); err != nil {
			return err
		}
		e := store.RequestEvent{RequestID: r.ID, Kind: "status", Event: requests.EventSubmit, Label: "Demande envoyée"}
		if err := tx.AppendRequestEvent(ctx, &e); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, mail.Message{To: r.Email, Subject: "Demande enregistrée", Text: "Bonjour"}); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, []store.AuditEntry{{At: t, Actor: "bench", ActorRole: "citizen", Action: "request.submit",
			SubjectType: "request", SubjectID: r.Reference}})
	})
}

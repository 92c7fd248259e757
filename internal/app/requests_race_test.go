package app_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/ephoto"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// 50 drafts submitted at once through two instances, sharing one stamp
// number (or one ePhoto code): exactly one is filed; the 49 others get the
// stamp's (or code's) own error and stay drafts, with nothing written. Each
// draft is another holder's, so that the one-open-request-per-licence rule
// (TestOneOpenRequestPerLicenceRace) does not decide first.
func TestSubmitRaceOnOneStampOrCode(t *testing.T) {
	for _, shared := range []string{"stamp", "ephoto"} {
		t.Run(shared, func(t *testing.T) {
			storetest.ForEachRace(t, func(t *testing.T, dsn string) {
				ctx := context.Background()
				f := newReqFixture(t, dsn)
				s2, err := store.Open(ctx, dsn, store.Options{Clock: f.c})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { s2.Close() })
				a2, _ := openAppOn(t, s2, f.c, f.files, false)

				const n = 50
				oneStamp, oneCode := f.mustStamp(t), f.mustEPhoto(t)
				drafts := make([]store.Request, n)
				stamps := make([]stamp.Number, n)
				who := make([]app.Request, n)
				for i := range drafts {
					who[i] = userReq(f.mustCitizen(t, fmt.Sprintf("holder%d@example.fr", i), fmt.Sprintf("0004%08d", i)), access.Citizen)
					st, code := oneStamp, ephoto.Code("")
					if shared == "ephoto" {
						st, code = f.mustStamp(t), oneCode
					}
					stamps[i] = st
					drafts[i] = f.mustLossDraft(t, who[i], st, code)
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
						_, errs[i] = a.Submit(ctx, who[i], drafts[i].ID)
					})
				}
				close(start)
				wg.Wait()

				winner := -1
				for i, err := range errs {
					switch {
					case err == nil:
						if winner >= 0 {
							t.Fatalf("drafts %d and %d both filed", winner, i)
						}
						winner = i
					case shared == "stamp" && stamp.Reason(err) == "stamp_reserved" && apperr.As(err).Fields[stamp.Field] != "":
					case shared == "ephoto" && apperr.Is(err, apperr.Conflict) && apperr.As(err).Message != "":
					default:
						t.Fatalf("draft %d: unexpected error %v", i, err)
					}
				}
				if winner < 0 {
					t.Fatal("no draft was filed")
				}
				for i, d := range drafts {
					r, _ := f.s.FindRequest(ctx, d.ID)
					evs, _ := f.s.ListRequestEvents(ctx, d.ID, true)
					st, _ := f.s.FindStamp(ctx, stamps[i])
					if i == winner {
						if r.Status != requests.StatusSubmitted || len(evs) != 1 || st.RequestRef != d.Reference {
							t.Fatalf("winner %+v, %d events, stamp %+v", r, len(evs), st)
						}
						continue
					}
					if r.Status != requests.StatusDraft || r.SubmittedAt != nil || r.LossAttestationUntil.Valid || len(evs) != 0 {
						t.Fatalf("loser %d half-written: %+v, %d events", i, r, len(evs))
					}
					if shared == "ephoto" && st.State != stamp.Available {
						t.Fatalf("loser %d's own stamp is %s", i, st.State)
					}
				}
				c, _ := f.s.FindEPhotoCode(ctx, oneCode)
				if shared == "ephoto" && c.UsedByRequest != drafts[winner].Reference {
					t.Fatalf("code used by %q", c.UsedByRequest)
				}
				receipts := 0
				for i := range n {
					receipts += len(mailsTo(t, f.s, fmt.Sprintf("holder%d@example.fr", i)))
				}
				if receipts != 1 {
					t.Fatalf("%d receipts mailed", receipts)
				}
			})
		})
	}
}

package app_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/payment"
	"permis/internal/store/storetest"
)

// A fiscal stamp's number is a bearer value: the public tracking (/suivi,
// anyone with the reference and the birth date) shows its last four
// digits only; its owner sees it whole in their own request (issue 10,
// finding 11).
func TestPublicTrackingMasksTheStampNumber(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f, a, fp := payFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		if _, err := a.StartStampPurchase(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		p := fp.got[0]
		st, err := a.StampPaid(ctx, payment.Result{PaymentID: "pay_1", Reference: p.Reference, Amount: p.Amount, Status: payment.Paid, At: f.c.Now()})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Submit(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		full, last4 := st.Number.Grouped(), string(st.Number[12:])
		text := func(v app.TrackView) string {
			var b strings.Builder
			for _, e := range v.Timeline {
				b.WriteString(e.Label + " " + e.Detail + "\n")
			}
			return b.String() + strings.Join(v.Waiting, "\n") + v.Rejection
		}
		pub, err := a.Track(ctx, app.Request{Client: "198.51.100.9"}, r.Reference, "1980-02-03")
		if err != nil {
			t.Fatal(err)
		}
		if s := text(pub); strings.Contains(s, full) || strings.Contains(s, string(st.Number)) || !strings.Contains(s, "••••\u00a0"+last4) {
			t.Errorf("public tracking shows %q; want only the last four digits of %s", s, full)
		}
		own, err := a.MyRequest(ctx, f.citizen, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if s := text(own.Track); !strings.Contains(s, full) {
			t.Errorf("the owner's request does not show the stamp number %s: %q", full, s)
		}
	})
}

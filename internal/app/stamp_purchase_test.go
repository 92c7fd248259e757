package app_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/payment"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// fakePayments records the purchases started.
type fakePayments struct{ got []payment.Purchase }

func (f *fakePayments) Start(_ context.Context, p payment.Purchase) (payment.Session, error) {
	f.got = append(f.got, p)
	return payment.Session{ID: "pay_test", RedirectURL: "https://paiement.example/payer/pay_test"}, nil
}

func (f *fakePayments) Callback(*http.Request) (payment.Result, error) {
	return payment.Result{}, apperr.New(apperr.Invalid, "inutilisé")
}

// payFixture is the requests' fixture with an App that takes payments.
func payFixture(t *testing.T, dsn string) (*reqFixture, *app.App, *fakePayments) {
	t.Helper()
	f := newReqFixture(t, dsn)
	fp := &fakePayments{}
	a := app.New(app.Config{Store: f.s, Clock: f.c, Files: f.files, Jobs: f.q, PublicURL: "https://permis.example", Payments: fp})
	t.Cleanup(func() { a.Close() })
	return f, a, fp
}

func stampEvents(t *testing.T, s *store.Store, id int64) int {
	t.Helper()
	evs, err := s.ListRequestEvents(context.Background(), id, true)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range evs {
		if e.Label == "Timbre fiscal acheté" {
			n++
		}
	}
	return n
}

func TestStampPurchasePaidIsIdempotent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f, a, fp := payFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		s, err := a.StartStampPurchase(ctx, f.citizen, r.ID)
		if err != nil {
			t.Fatalf("StartStampPurchase: %v", err)
		}
		if s.RedirectURL == "" || len(fp.got) != 1 {
			t.Fatalf("session %+v, purchases %+v", s, fp.got)
		}
		p := fp.got[0]
		if p.Amount != 2500 || !strings.HasPrefix(p.Reference, r.Reference+"/") ||
			p.ReturnURL != "https://permis.example"+app.StampStepPath(r.ID) ||
			p.CallbackURL != "https://permis.example/paiement/notification" {
			t.Fatalf("purchase = %+v", p)
		}
		res := payment.Result{PaymentID: "pay_1", Reference: p.Reference, Amount: p.Amount, Status: payment.Paid, At: f.c.Now()}
		first, err := a.StampPaid(ctx, res)
		if err != nil || first.Status != payment.Paid || len(first.Number) != stamp.NumberLen {
			t.Fatalf("StampPaid = %+v, %v", first, err)
		}
		for range 2 { // the provider's retries: nothing changes
			again, err := a.StampPaid(ctx, res)
			if err != nil || again.Number != first.Number {
				t.Fatalf("StampPaid again = %+v, %v; want %s", again, err, first.Number)
			}
		}
		v, err := a.MyRequest(ctx, f.citizen, r.ID)
		if err != nil || v.Request.StampNumber != string(first.Number) {
			t.Fatalf("draft stamp = %q, %v; want %s", v.Request.StampNumber, err, first.Number)
		}
		if n := stampEvents(t, f.s, r.ID); n != 1 {
			t.Fatalf("stamp events = %d, want 1", n)
		}
		st, err := f.s.FindStamp(ctx, first.Number)
		if err != nil || st.State != stamp.Available || st.Amount != 2500 || st.TransactionRef != "pay_1" ||
			st.ValidUntil.String() != "2027-03-16" || st.RefundableUntil.String() != "2027-09-16" {
			t.Fatalf("stamp = %+v, %v", st, err)
		}
		got, err := a.StampPurchaseStatus(ctx, f.citizen, r.ID, "pay_1")
		if err != nil || got.Status != payment.Paid || got.Number != first.Number {
			t.Fatalf("status = %+v, %v", got, err)
		}
		// A draft with a usable stamp is not charged twice.
		if _, err := a.StartStampPurchase(ctx, f.citizen, r.ID); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second purchase: %v, want conflict", err)
		}
		// The bought stamp is reserved at submission.
		if _, err := a.Submit(ctx, f.citizen, r.ID); err != nil {
			t.Fatalf("Submit: %v", err)
		}
		if st, _ := f.s.FindStamp(ctx, first.Number); st.State != stamp.Reserved || st.RequestRef != r.Reference {
			t.Fatalf("stamp after submission = %+v", st)
		}
		// A notice after the submission still changes nothing.
		if again, err := a.StampPaid(ctx, res); err != nil || again.Number != first.Number {
			t.Fatalf("StampPaid after submission = %+v, %v", again, err)
		}
	})
}

func TestStampPurchaseRefusedRecordsNothing(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f, a, fp := payFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		if _, err := a.StartStampPurchase(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		ref := fp.got[0].Reference
		for _, st := range []payment.Status{payment.Refused, payment.Cancelled} {
			id := "pay_" + string(st) + "_" + r.Reference
			res := payment.Result{PaymentID: id, Reference: ref, Amount: 2500, Status: st, At: f.c.Now()}
			if got, err := a.StampPaid(ctx, res); err != nil || got.Status != st || got.Number != "" {
				t.Fatalf("StampPaid(%s) = %+v, %v", st, got, err)
			}
			v, err := a.MyRequest(ctx, f.citizen, r.ID)
			if err != nil || v.Request.StampNumber != "" {
				t.Fatalf("%s: draft stamp = %q, %v", st, v.Request.StampNumber, err)
			}
			if got, err := a.StampPurchaseStatus(ctx, f.citizen, r.ID, id); err != nil || got.Status != st {
				t.Fatalf("status after %s = %+v, %v", st, got, err)
			}
		}
		if n := stampEvents(t, f.s, r.ID); n != 0 {
			t.Fatalf("stamp events = %d, want 0", n)
		}
		if got, err := a.StampPurchaseStatus(ctx, f.citizen, r.ID, "pay_unknown"); err != nil || !got.Pending() {
			t.Fatalf("unknown payment = %+v, %v; want pending", got, err)
		}
	})
}

func TestStampPurchaseRefusals(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f, a, _ := payFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		other := userReq(f.mustCitizen(t, "dominique@example.fr", "000334100002"), f.citizen.Actor.Role)
		renewal, err := a.StartRequest(ctx, f.citizen, app.StartInput{Kind: string(requests.Renewal)})
		if err != nil {
			t.Fatal(err)
		}
		now := f.c.Now()
		bad := func(ref string) payment.Result {
			return payment.Result{PaymentID: "pay_x", Reference: ref, Amount: 2500, Status: payment.Paid, At: now}
		}
		for _, tc := range []struct {
			name string
			run  func() error
			want apperr.Code
		}{
			{"another citizen's draft", func() error { _, err := a.StartStampPurchase(ctx, other, r.ID); return err }, apperr.NotFound},
			{"a type without stamp", func() error { _, err := a.StartStampPurchase(ctx, f.citizen, renewal.ID); return err }, apperr.Invalid},
			{"no provider", func() error { _, err := f.a.StartStampPurchase(ctx, f.citizen, r.ID); return err }, apperr.Unavailable},
			{"notice without id", func() error { _, err := a.StampPaid(ctx, bad(r.Reference)); return err }, apperr.Invalid},
			{"notice of another reference", func() error {
				_, err := a.StampPaid(ctx, bad("DEM-2026-AAAAAA/"+strconv.FormatInt(r.ID, 10)))
				return err
			}, apperr.Invalid},
			{"notice of an unknown request", func() error { _, err := a.StampPaid(ctx, bad(r.Reference+"/999999")); return err }, apperr.Invalid},
		} {
			if err := tc.run(); !apperr.Is(err, tc.want) {
				t.Errorf("%s: %v, want %s", tc.name, err, tc.want)
			}
		}
		if v, _ := a.MyRequest(ctx, f.citizen, r.ID); v.Request.StampNumber != "" {
			t.Fatalf("a refused notice recorded a stamp: %q", v.Request.StampNumber)
		}
	})
}

// The provider may deliver one notice twice at the same instant (a retry
// crossing a slow answer): one stamp, one timeline line, the same number
// for all.
func TestStampPaidConcurrentNotices(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f, a, fp := payFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, "", "")
		if _, err := a.StartStampPurchase(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		res := payment.Result{PaymentID: "pay_race", Reference: fp.got[0].Reference, Amount: 2500, Status: payment.Paid, At: f.c.Now()}
		const n = 8
		got := make(chan string, n)
		errs := make(chan error, n)
		for range n {
			go func() {
				p, err := a.StampPaid(ctx, res)
				errs <- err
				got <- string(p.Number)
			}()
		}
		numbers := map[string]bool{}
		for range n {
			if err := <-errs; err != nil {
				t.Errorf("StampPaid: %v", err)
			}
			numbers[<-got] = true
		}
		v, err := a.MyRequest(ctx, f.citizen, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(numbers) != 1 || !numbers[v.Request.StampNumber] {
			t.Fatalf("numbers %v, draft %q", numbers, v.Request.StampNumber)
		}
		if e := stampEvents(t, f.s, r.ID); e != 1 {
			t.Fatalf("stamp events = %d, want 1", e)
		}
	})
}

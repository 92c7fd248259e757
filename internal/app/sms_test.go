package app_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/apperr"
	"permis/internal/sms"
	"permis/internal/store/storetest"
)

// A citizen who gives a mobile number gets a text at each step of their
// requests, written in the step's transaction and sent by the relay; a
// refused gateway keeps the text pending, then failed after 5 attempts.
func TestSMSNotices(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		_, err := f.a.SetSMSPhone(ctx, f.citizen, "04 67 61 61 61")
		wantAppErr(t, err, apperr.Invalid, "phone")
		if got, err := f.a.SetSMSPhone(ctx, f.citizen, "06 12 34 56 78"); err != nil || got != "+33612345678" {
			t.Fatalf("SetSMSPhone: %q %v", got, err)
		}
		r := f.mustLossDraft(t, f.citizen, f.mustStamp(t), "")
		if _, err := f.a.Submit(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		rec := &sms.Recorder{}
		n, err := sms.Flush(ctx, f.s, rec)
		if err != nil || n != 1 || !strings.Contains(rec.Sent[0], "+33612345678: ") || !strings.Contains(rec.Sent[0], r.Reference) {
			t.Fatalf("flush: %d %v %v", n, rec.Sent, err)
		}
		if n, _ := sms.Flush(ctx, f.s, rec); n != 0 {
			t.Errorf("a text was sent twice")
		}
		// A gateway down: retried, then failed, never lost silently.
		if _, err := f.s.EnqueueSMS(ctx, "+33612345678", "test"); err != nil {
			t.Fatal(err)
		}
		if n, err := sms.Flush(ctx, f.s, &sms.Recorder{Fail: true}); err != nil || n != 0 {
			t.Fatalf("failing gateway: %d %v", n, err)
		}
		ms, err := f.s.ListSMS(ctx, "", 10)
		if err != nil || ms[0].Status != "failed" || ms[0].Attempts != 5 {
			t.Fatalf("after a failing gateway: %+v %v", ms, err)
		}
		// Opting out stops the texts.
		if got, err := f.a.SetSMSPhone(ctx, f.citizen, ""); err != nil || got != "" {
			t.Fatal(got, err)
		}
		if p, _ := f.a.MySMSPhone(ctx, f.citizen); p != "" {
			t.Errorf("number kept after opting out: %q", p)
		}
	})
}

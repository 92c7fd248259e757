package store_test

import (
	"context"
	"testing"
	"time"

	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A signed document of a person who holds no licence (a candidat libre's
// CEPC, migration 0022) names the NEPH instead of a licence, and reads back
// by its code with licence 0; a document naming neither is refused.
func TestStatementWithoutLicence(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		now := time.Date(2026, 12, 7, 9, 0, 0, 0, time.UTC)
		s, err := store.Open(ctx, dsn, store.Options{Clock: clock.NewFixed(now)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		st := store.Statement{Reference: "CEPC-TEST-0001", NEPH: "260000000042", Kind: "cepc", IssuedAt: now,
			ValidUntil: date.Some(date.MustParse("2027-04-09")), Barcode: "DC04-TEST", RequestedBy: "exam:RDV-TEST0001"}
		if err := s.CreateStatement(ctx, &st); err != nil {
			t.Fatal(err)
		}
		got, err := s.FindStatementByBarcode(ctx, "DC04-TEST")
		if err != nil || got.LicenceID != 0 || got.NEPH != st.NEPH || got.Reference != st.Reference || got.ValidUntil != st.ValidUntil {
			t.Fatalf("FindStatementByBarcode = %+v, %v", got, err)
		}
		if got, err := s.FindStatementRequestedBy(ctx, "cepc", "exam:RDV-TEST0001"); err != nil || got.NEPH != st.NEPH {
			t.Fatalf("FindStatementRequestedBy = %+v, %v", got, err)
		}
		nobody := store.Statement{Reference: "CEPC-TEST-0002", Kind: "cepc", IssuedAt: now, Barcode: "DC04-NOBODY", RequestedBy: "exam:x"}
		if err := s.CreateStatement(ctx, &nobody); err == nil {
			t.Fatal("a document naming neither a licence nor a NEPH was recorded")
		}
	})
}

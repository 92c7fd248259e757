package store

import (
	"context"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
)

// A licence obtained again after an invalidation carries code 105 (REFERENCE
// §2.3): every ledger the store hands to the points engine says so, so the
// complementary training does not shorten its probation (L223-1).
func TestLedgerKnowsReobtainedLicence(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		first := mustCreateLicence(t, s, "230634100001")
		again := mustCreateLicence(t, s, "230634100002")
		if _, err := s.exec(ctx, `INSERT INTO licence_restrictions (licence_id, code, category, detail) VALUES (?, ?, '', ?)`,
			again.ID, licence.CodeReobtained, "01/06/23 - 01/06/26"); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			l    licence.Licence
			want bool
		}{{first, false}, {again, true}} {
			led, err := s.LoadLedger(ctx, tc.l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if led.Licence.Reobtained != tc.want {
				t.Errorf("%s: LoadLedger reobtained = %v, want %v", tc.l.NEPH, led.Licence.Reobtained, tc.want)
			}
			got, err := s.FindLicence(ctx, tc.l.ID)
			if err != nil || got.Reobtained != tc.want {
				t.Errorf("%s: FindLicence reobtained = %v (%v), want %v", tc.l.NEPH, got.Reobtained, err, tc.want)
			}
		}
		seen := map[int64]bool{}
		if err := s.ScanLedgers(ctx, func(id int64, l points.Ledger) error { seen[id] = l.Licence.Reobtained; return nil }); err != nil {
			t.Fatal(err)
		}
		if seen[first.ID] || !seen[again.ID] {
			t.Errorf("ScanLedgers reobtained = %v, want only licence %d", seen, again.ID)
		}
		// With the training of month 8 and no offence, the re-obtained licence
		// keeps the ordinary 3 years: 10 points at two years, not 12.
		led, _ := s.LoadLedger(ctx, again.ID)
		led.Licence.ComplementaryTraining = date.Some(led.Licence.Obtained.AddMonths(8))
		res, err := points.DefaultRules().Replay(led, led.Licence.Obtained.AddYears(2))
		if err != nil || res.Balance != 10 || res.Ceiling != 10 {
			t.Errorf("re-obtained licence with training at two years: %d/%d (%v), want 10/10", res.Balance, res.Ceiling, err)
		}
	})
}

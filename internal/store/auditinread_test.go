package store

import (
	"context"
	"testing"

	"permis/internal/apperr"
	"permis/internal/licence"
)

// On PostgreSQL the points read stores its audit entry in its own
// statement: when it returns, the entry is in audit_log (and an unknown
// NEPH leaves the entry of the attempt); SQLite refuses the call, its
// entries go through the group writer.
func TestLedgerReadStoresItsAuditEntry(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		mustCreateLicence(t, s, "000334100001")
		e := AuditEntry{At: testNow, Actor: "7", ActorRole: "agent", Action: "points.read", SubjectType: "licence",
			SubjectID: "000334100001", Reason: "contrôle", RequestID: "req-1"}
		if !s.AuditsInRead() {
			if _, err := s.LoadLicenceLedgerAudited(ctx, "000334100001", e); err == nil {
				t.Fatal("LoadLicenceLedgerAudited on SQLite: no error")
			}
			return
		}
		ll, err := s.LoadLicenceLedgerAudited(ctx, "000334100001", e)
		if err != nil || ll.Licence.NEPH != "000334100001" {
			t.Fatalf("LoadLicenceLedgerAudited = %s, %v", ll.Licence.NEPH, err)
		}
		got, err := s.ListAudit(ctx, "licence", "000334100001")
		if err != nil || len(got) != 1 || got[0].Action != "points.read" || got[0].RequestID != "req-1" || got[0].Reason != "contrôle" {
			t.Fatalf("audit after the read: %+v, %v; want its entry", got, err)
		}
		e.SubjectID, e.RequestID = "000334100099", "req-2"
		if _, err := s.LoadLicenceLedgerAudited(ctx, licence.NEPH(e.SubjectID), e); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("unknown NEPH: %v, want not found", err)
		}
		if got, err := s.ListAudit(ctx, "licence", e.SubjectID); err != nil || len(got) != 1 {
			t.Fatalf("audit of the attempt: %d entries, %v; want 1", len(got), err)
		}
		// Inside a transaction the entry would commit with it: not offered.
		err = s.Transact(ctx, func(tx *Store) error {
			if tx.AuditsInRead() {
				t.Error("AuditsInRead inside a transaction")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/points"
)

func TestTokenLifecycle(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		hash := []byte{0x00, 0xff, 0x10, 0x80}
		tok, err := s.CreateAPIToken(ctx, "Préfecture 34", "partner", hash, "pk_ab12")
		if err != nil || tok.ID == 0 || !tok.CreatedAt.Equal(testNow) || tok.RevokedAt != nil {
			t.Fatalf("CreateAPIToken = %+v, %v", tok, err)
		}
		_, err = s.CreateAPIToken(ctx, "copie", "partner", hash, "pk_ab12")
		wantCode(t, err, apperr.Conflict)
		got, err := s.FindAPITokenByHash(ctx, hash)
		if err != nil || got.ID != tok.ID || !bytes.Equal(got.Hash, hash) || got.Name != "Préfecture 34" || got.Role != "partner" {
			t.Fatalf("FindAPITokenByHash = %+v, %v", got, err)
		}
		_, err = s.FindAPITokenByHash(ctx, []byte("nope"))
		wantCode(t, err, apperr.NotFound)
		if err := s.RevokeAPIToken(ctx, tok.ID); err != nil {
			t.Fatalf("RevokeAPIToken: %v", err)
		}
		wantCode(t, s.RevokeAPIToken(ctx, 9999), apperr.NotFound)
		got, err = s.FindAPITokenByHash(ctx, hash)
		if err != nil || got.RevokedAt == nil || !got.RevokedAt.Equal(testNow) {
			t.Fatalf("after revoke = %+v, %v", got, err)
		}
		if _, err := s.CreateAPIToken(ctx, "second", "admin", []byte{1}, "pk_cd"); err != nil {
			t.Fatal(err)
		}
		list, err := s.ListAPITokens(ctx)
		if err != nil || len(list) != 2 || list[0].Name != "second" || list[1].RevokedAt == nil {
			t.Fatalf("ListAPITokens = %+v, %v", list, err)
		}
	})
}

func TestAuditAppendOnly(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		var entries []AuditEntry
		for i := range 250 { // more than one statement
			entries = append(entries, AuditEntry{Actor: "agent-1", ActorRole: "agent", Action: "licence.view",
				SubjectType: "licence", SubjectID: fmt.Sprint(i % 2), Reason: "contrôle", RequestID: fmt.Sprint("req-", i)})
		}
		entries[0].At = testNow.Add(-1e9)
		if err := s.AppendAudit(ctx, entries); err != nil {
			t.Fatalf("AppendAudit: %v", err)
		}
		got, err := s.ListAudit(ctx, "licence", "0")
		if err != nil || len(got) != 125 {
			t.Fatalf("ListAudit = %d entries, %v", len(got), err)
		}
		if !got[0].At.Equal(testNow.Add(-1e9)) || !got[1].At.Equal(testNow) || got[0].RequestID != "req-0" || got[1].RequestID != "req-2" || got[0].ID >= got[1].ID {
			t.Errorf("entries = %+v, %+v", got[0], got[1])
		}
		_, err = s.exec(ctx, `UPDATE audit_log SET actor = 'someone else' WHERE id = ?`, got[0].ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = s.exec(ctx, `DELETE FROM audit_log WHERE id = ?`, got[0].ID)
		wantCode(t, err, apperr.Forbidden)
		_, err = s.exec(ctx, `DELETE FROM audit_log`)
		wantCode(t, err, apperr.Forbidden)
		again, err := s.ListAudit(ctx, "licence", "0")
		if err != nil || len(again) != 125 || again[0].Actor != "agent-1" {
			t.Errorf("audit log changed: %d entries, %v", len(again), err)
		}
	})
}

func TestScanLedgersAndSnapshots(t *testing.T) {
	forEachDB(t, func(t *testing.T, s *Store) {
		ctx := context.Background()
		batch := syntheticBatch(0, 300)
		for i := range batch {
			if i%3 == 0 {
				batch[i].Offences = nil // licences without events
			}
			if i%7 == 0 {
				batch[i].Courses = []points.Course{{ID: fmt.Sprint("C", i), LastDay: date.MustParse("2024-01-01")}}
			}
		}
		if err := s.BulkLoad(ctx, batch[:150]); err != nil {
			t.Fatalf("BulkLoad: %v", err)
		}
		if err := s.BulkLoad(ctx, batch[150:]); err != nil {
			t.Fatalf("BulkLoad: %v", err)
		}
		if n, err := s.CountLicences(ctx); err != nil || n != 300 {
			t.Fatalf("CountLicences = %d, %v", n, err)
		}
		// BulkLoad left the id sequences usable.
		extra := mustCreateLicence(t, s, "777777777777")
		if extra.ID != 301 {
			t.Errorf("licence after BulkLoad has id %d, want 301", extra.ID)
		}
		ll, err := s.LoadLicenceLedgerByNEPH(ctx, batch[1].Licence.NEPH)
		if err != nil || len(ll.Ledger.Offences) != 2 || ll.Ledger.Offences[1] != batch[1].Offences[1] {
			t.Fatalf("bulk-loaded ledger = %+v, %v", ll, err)
		}

		for _, inTx := range []bool{false, true} {
			var ids []int64
			var snaps []Snapshot
			scan := func(st *Store) error {
				return st.ScanLedgers(ctx, func(id int64, l points.Ledger) error {
					ids = append(ids, id)
					want := 2
					if id == 301 || (id-1)%3 == 0 {
						want = 0
					}
					if len(l.Offences) != want || l.Licence.Obtained != date.MustParse("2015-03-01") && id != 301 {
						return fmt.Errorf("licence %d: ledger %+v", id, l)
					}
					if len(l.Offences) == 2 && !l.Offences[0].Established.Before(l.Offences[1].Established) {
						return fmt.Errorf("licence %d: events out of order", id)
					}
					if wantC := (id-1)%7 == 0 && id != 301; wantC != (len(l.Courses) == 1) {
						return fmt.Errorf("licence %d: courses %+v", id, l.Courses)
					}
					snaps = append(snaps, Snapshot{LicenceID: id, Balance: 12 - len(l.Offences), Ceiling: 12, Valid: true,
						EvaluatedOn: date.MustParse("2026-03-14")})
					return nil
				})
			}
			if inTx {
				err = s.Transact(ctx, scan)
			} else {
				err = scan(s)
			}
			if err != nil {
				t.Fatalf("ScanLedgers (in transaction: %v): %v", inTx, err)
			}
			if len(ids) != 301 {
				t.Fatalf("ScanLedgers saw %d licences, want 301", len(ids))
			}
			for i, id := range ids {
				if id != int64(i+1) {
					t.Fatalf("ScanLedgers order: position %d has licence %d", i, id)
				}
			}
			if err := s.UpsertSnapshots(ctx, snaps); err != nil {
				t.Fatalf("UpsertSnapshots: %v", err)
			}
		}
		stop := errors.New("stop")
		if err := s.ScanLedgers(ctx, func(int64, points.Ledger) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("ScanLedgers error = %v, want the callback's", err)
		}
		next := date.Some(date.MustParse("2026-09-01"))
		if err := s.UpsertSnapshots(ctx, []Snapshot{{LicenceID: 2, Balance: 4, Ceiling: 12, Valid: false, NextChange: next, EvaluatedOn: date.MustParse("2026-03-15")}}); err != nil {
			t.Fatal(err)
		}
		sn, err := s.FindSnapshot(ctx, 2)
		if err != nil || sn != (Snapshot{LicenceID: 2, Balance: 4, Ceiling: 12, Valid: false, NextChange: next, EvaluatedOn: date.MustParse("2026-03-15")}) {
			t.Errorf("FindSnapshot = %+v, %v", sn, err)
		}
		sn, err = s.FindSnapshot(ctx, 1)
		if err != nil || sn.Balance != 12 || !sn.Valid || sn.NextChange.Valid {
			t.Errorf("FindSnapshot(1) = %+v, %v", sn, err)
		}
		_, err = s.FindSnapshot(ctx, 999)
		wantCode(t, err, apperr.NotFound)
	})
}

package store

import (
	"context"
	"time"
)

// DraftPurgeWarning is the event (in request_events.event) that records
// the mail warning a draft's owner that it will be deleted.
const DraftPurgeWarning = "purge_warning"

// DraftsToWarn returns the ids of drafts untouched since before and not
// warned of their deletion since they were last touched.
func (s *Store) DraftsToWarn(ctx context.Context, before time.Time) ([]int64, error) {
	return s.ids(ctx, `SELECT r.id FROM requests r WHERE r.status = 'draft' AND r.updated_at < ?
		AND NOT EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = ? AND e.created_at >= r.updated_at)
		ORDER BY r.id`,
		s.d.ts(before), DraftPurgeWarning)
}

// DraftsToPurge returns the ids of drafts untouched since before whose
// owner was warned, since the last change, before warnedBefore.
func (s *Store) DraftsToPurge(ctx context.Context, before, warnedBefore time.Time) ([]int64, error) {
	return s.ids(ctx, `SELECT r.id FROM requests r WHERE r.status = 'draft' AND r.updated_at < ?
		AND EXISTS (SELECT 1 FROM request_events e WHERE e.request_id = r.id AND e.event = ?
			AND e.created_at >= r.updated_at AND e.created_at < ?) ORDER BY r.id`,
		s.d.ts(before), DraftPurgeWarning, s.d.ts(warnedBefore))
}

func (s *Store) ids(ctx context.Context, q string, args ...any) ([]int64, error) {
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, id)
	}
	return out, s.d.translate(rows.Err())
}

// DeleteDraft deletes the draft id with its documents, timeline, messages
// and shares, when it is still a draft untouched since before, and
// returns the keys of its files for the caller to delete once committed.
// Anything else (submitted since, touched since) deletes nothing and
// returns no key.
func (s *Store) DeleteDraft(ctx context.Context, id int64, before time.Time) ([]string, error) {
	var keys []string
	err := s.Transact(ctx, func(tx *Store) error {
		keys = nil
		var n int64
		if err := tx.queryRowW(ctx, `SELECT count(*) FROM requests WHERE id = ? AND status = 'draft' AND updated_at < ?`,
			id, tx.d.ts(before)).Scan(&n); err != nil || n == 0 {
			return tx.d.translate(err)
		}
		rows, err := tx.query(ctx, `SELECT file_key FROM request_documents WHERE request_id = ? AND file_key IS NOT NULL
			AND file_key NOT LIKE '`+noFileKey+`%'`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return tx.d.translate(err)
			}
			keys = append(keys, k)
		}
		rows.Close()
		for _, table := range []string{"request_documents", "request_events", "request_messages", "appointment_shares", "request_transfers"} {
			if _, err := tx.exec(ctx, `DELETE FROM `+table+` WHERE request_id = ?`, id); err != nil {
				return err
			}
		}
		_, err = tx.exec(ctx, `DELETE FROM requests WHERE id = ?`, id)
		return err
	})
	return keys, err
}

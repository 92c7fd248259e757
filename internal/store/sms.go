package store

import (
	"context"
	"time"
)

// SMS is a text message of the outbox.
type SMS struct {
	ID        int64
	CreatedAt time.Time
	To        string // E.164
	Body      string
	Status    string // pending, sending, sent, failed
	Attempts  int
}

// SetUserSMSPhone records (or, with "", removes) the mobile number a user
// receives notices on.
func (s *Store) SetUserSMSPhone(ctx context.Context, userID int64, phone string) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE users SET sms_phone = ? WHERE id = ? RETURNING id`, phone, userID).Scan(&got)
	return notFound(s.d.translate(err), "Compte inconnu.")
}

// UserSMSPhone returns the user's notice number, "" when none.
func (s *Store) UserSMSPhone(ctx context.Context, userID int64) (string, error) {
	var p string
	err := s.queryRow(ctx, `SELECT sms_phone FROM users WHERE id = ?`, userID).Scan(&p)
	return p, notFound(s.d.translate(err), "Compte inconnu.")
}

// EnqueueSMS adds a message to the outbox (in the caller's transaction when
// s is a Transact callback's store).
func (s *Store) EnqueueSMS(ctx context.Context, to, body string) (int64, error) {
	var id int64
	err := s.queryRowW(ctx, `INSERT INTO sms_outbox (created_at, to_phone, body) VALUES (?, ?, ?) RETURNING id`,
		s.d.ts(s.now()), to, body).Scan(&id)
	return id, s.d.translate(err)
}

// ClaimSMS takes up to n pending messages, oldest first, and marks them
// sending in the same statement, so that two relays never take the same.
func (s *Store) ClaimSMS(ctx context.Context, n int) ([]SMS, error) {
	var out []SMS
	err := s.Transact(ctx, func(tx *Store) error {
		out = nil
		// Inside the transaction, query goes to it: a write with RETURNING.
		rows, err := tx.query(ctx, `UPDATE sms_outbox SET status = 'sending', attempts = attempts + 1
			WHERE id IN (SELECT id FROM sms_outbox WHERE status = 'pending' ORDER BY id LIMIT ?)
			RETURNING id, created_at, to_phone, body, status, attempts`, n)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var m SMS
			if err := rows.Scan(&m.ID, timestamp{&m.CreatedAt}, &m.To, &m.Body, &m.Status, &m.Attempts); err != nil {
				return tx.d.translate(err)
			}
			out = append(out, m)
		}
		return tx.d.translate(rows.Err())
	})
	return out, err
}

// MarkSMS records the outcome of a send: sent, failed, or pending again
// (to retry).
func (s *Store) MarkSMS(ctx context.Context, id int64, status string) error {
	var sent any
	if status == "sent" {
		sent = s.d.ts(s.now())
	}
	_, err := s.exec(ctx, `UPDATE sms_outbox SET status = ?, sent_at = ? WHERE id = ?`, status, sent, id)
	return s.d.translate(err)
}

// ListSMS returns the newest messages to a number ("" for all).
func (s *Store) ListSMS(ctx context.Context, to string, limit int) ([]SMS, error) {
	q := `SELECT id, created_at, to_phone, body, status, attempts FROM sms_outbox`
	args := []any{}
	if to != "" {
		q += ` WHERE to_phone = ?`
		args = append(args, to)
	}
	rows, err := s.query(ctx, q+` ORDER BY id DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SMS
	for rows.Next() {
		var m SMS
		if err := rows.Scan(&m.ID, timestamp{&m.CreatedAt}, &m.To, &m.Body, &m.Status, &m.Attempts); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, m)
	}
	return out, s.d.translate(rows.Err())
}

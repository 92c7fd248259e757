package store

import (
	"context"
	"time"
)

// APIToken is a partner API credential. Only a hash of the secret is stored;
// Prefix (the first characters of the secret) lets people recognise it.
type APIToken struct {
	ID        int64
	Name      string
	Role      string
	Hash      []byte
	Prefix    string
	CreatedAt time.Time
	RevokedAt *time.Time // nil while the token is valid
	UserID    int64      // the account the token acts for (photographers); 0: none
}

const tokenCols = `id, name, role, hash, prefix, created_at, revoked_at, coalesce(user_id, 0)`

func scanToken(sc scanner) (APIToken, error) {
	var t APIToken
	err := sc.Scan(&t.ID, &t.Name, &t.Role, &t.Hash, &t.Prefix, timestamp{&t.CreatedAt}, nullTime{&t.RevokedAt}, &t.UserID)
	return t, err
}

// CreateAPIToken records a token and returns it with its id. A hash already
// recorded is a conflict.
func (s *Store) CreateAPIToken(ctx context.Context, name, role string, hash []byte, prefix string) (APIToken, error) {
	return s.CreateAccountToken(ctx, name, role, hash, prefix, 0)
}

// CreateAccountToken is CreateAPIToken for a token that acts for the
// account userID (0: none).
func (s *Store) CreateAccountToken(ctx context.Context, name, role string, hash []byte, prefix string, userID int64) (APIToken, error) {
	var uid any
	if userID != 0 {
		uid = userID
	}
	t, err := scanToken(s.queryRowW(ctx, `INSERT INTO api_tokens (name, role, hash, prefix, created_at, user_id)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING `+tokenCols, name, role, hash, prefix, s.d.ts(s.now()), uid))
	return t, s.d.translate(err)
}

// FindAPIToken returns the token with that id, or a not_found error.
func (s *Store) FindAPIToken(ctx context.Context, id int64) (APIToken, error) {
	t, err := scanToken(s.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE id = ?`, id))
	return t, notFound(s.d.translate(err), "Jeton d'accès inconnu.")
}

// FindAPITokenByHash returns the token with that hash, revoked or not (the
// caller checks RevokedAt), or a not_found error.
func (s *Store) FindAPITokenByHash(ctx context.Context, hash []byte) (APIToken, error) {
	t, err := scanToken(s.queryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`, hash))
	if err != nil {
		return APIToken{}, notFound(s.d.translate(err), "Jeton d'accès inconnu.")
	}
	return t, nil
}

// RevokeAPIToken revokes a token now; revoking it again keeps the first
// date. An unknown id is a not_found error.
func (s *Store) RevokeAPIToken(ctx context.Context, id int64) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING id`,
		s.d.ts(s.now()), id).Scan(&got)
	return notFound(s.d.translate(err), "Jeton d'accès inconnu.")
}

// ListAPITokens returns every token, newest first.
func (s *Store) ListAPITokens(ctx context.Context) ([]APIToken, error) {
	rows, err := s.query(ctx, `SELECT `+tokenCols+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

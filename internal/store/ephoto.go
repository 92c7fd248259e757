package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"permis/internal/apperr"
	"permis/internal/ephoto"
)

// ePhoto codes (REFERENCE §7). Only the SHA-256 of a code is stored. A code
// is claimed by ONE conditional UPDATE (unused and not expired) with
// RETURNING: of any number of concurrent claims, from any number of server
// instances, exactly one gets it. When none matches, the row is read back
// and ephoto.Capture.Check says why.

const ephotoCols = `id, code_hash, hint, photographer_id, approval_number, photo_key, signature_key, created_at,
	expires_at, used_at, coalesce(used_by_request, '')`

func scanEPhoto(sc scanner) (ephoto.Capture, error) {
	var c ephoto.Capture
	err := sc.Scan(&c.ID, &c.Hash, &c.Hint, &c.PhotographerID, &c.ApprovalNumber, &c.PhotoKey, &c.SignatureKey,
		timestamp{&c.CreatedAt}, timestamp{&c.ExpiresAt}, nullTime{&c.UsedAt}, &c.UsedByRequest)
	return c, err
}

// CreateEPhotoCode records a capture (build it with
// ephoto.Config.NewCapture) and sets its ID. The photographer's account
// must exist.
func (s *Store) CreateEPhotoCode(ctx context.Context, c *ephoto.Capture) error {
	if c.UsedAt != nil || c.UsedByRequest != "" {
		return apperr.New(apperr.Internal, "Un code ePhoto s'enregistre inutilisé.")
	}
	err := s.queryRowW(ctx, `INSERT INTO ephoto_codes (code_hash, hint, photographer_id, approval_number, photo_key,
		signature_key, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.Hash, c.Hint, c.PhotographerID, c.ApprovalNumber, c.PhotoKey, c.SignatureKey,
		s.d.ts(c.CreatedAt), s.d.ts(c.ExpiresAt)).Scan(&c.ID)
	return s.d.translate(err)
}

// FindEPhotoCode returns the capture of code, whatever its state, or a
// not_found error of class ephoto.ErrUnknown.
func (s *Store) FindEPhotoCode(ctx context.Context, code ephoto.Code) (ephoto.Capture, error) {
	c, err := scanEPhoto(s.queryRow(ctx, `SELECT `+ephotoCols+` FROM ephoto_codes WHERE code_hash = ?`, code.Hash()))
	if errors.Is(err, sql.ErrNoRows) {
		return c, ephoto.Unknown()
	}
	return c, s.d.translate(err)
}

// CheckEPhotoCode returns the capture of code if it may serve a request at
// now (for the page that shows the photo and signature before the citizen
// confirms), or the error of class ephoto.ErrUnknown, ErrExpired or ErrUsed.
// It reserves nothing: ClaimEPhotoCode, at filing, decides.
func (s *Store) CheckEPhotoCode(ctx context.Context, code ephoto.Code, now time.Time) (ephoto.Capture, error) {
	c, err := s.FindEPhotoCode(ctx, code)
	if err != nil {
		return c, err
	}
	return c, c.Check(now, "")
}

// ClaimEPhotoCode marks code used by the request ref at now, when the
// request is filed; run it in the filing's transaction. Exactly one of any
// number of concurrent claims succeeds; the others get a conflict of class
// ephoto.ErrUsed (or ErrUnknown, ErrExpired).
func (s *Store) ClaimEPhotoCode(ctx context.Context, code ephoto.Code, ref string, now time.Time) (ephoto.Capture, error) {
	if ref == "" {
		return ephoto.Capture{}, apperr.New(apperr.Invalid, "Référence de demande manquante.")
	}
	c, err := scanEPhoto(s.queryRowW(ctx, `UPDATE ephoto_codes SET used_at = ?, used_by_request = ?
		WHERE code_hash = ? AND used_at IS NULL AND expires_at > ?
		RETURNING `+ephotoCols, s.d.ts(now), ref, code.Hash(), s.d.ts(now)))
	if err == nil {
		return c, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return ephoto.Capture{}, s.d.translate(err)
	}
	cur, err := s.FindEPhotoCode(ctx, code)
	if err != nil {
		return cur, err
	}
	if _, why := cur.Claim(ref, now); why != nil {
		return cur, why
	}
	return cur, apperr.New(apperr.Conflict, "Ce code ePhoto vient de changer d'état. Veuillez réessayer.")
}

// ListEPhotoCodes returns a photographer's captures, newest first, at most
// limit of them.
func (s *Store) ListEPhotoCodes(ctx context.Context, photographerID int64, limit int) ([]ephoto.Capture, error) {
	rows, err := s.query(ctx, `SELECT `+ephotoCols+` FROM ephoto_codes WHERE photographer_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, photographerID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ephoto.Capture
	for rows.Next() {
		c, err := scanEPhoto(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

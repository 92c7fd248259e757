package store

import (
	"context"
	"time"

	"permis/internal/date"
	"permis/internal/licence"
)

// TheoryResult is one sitting of the theory test (ETG) reported by an
// approved operator.
type TheoryResult struct {
	ID         int64
	Reference  string // ETG-XXXXXXXX, unguessable, returned to the operator
	NEPH       licence.NEPH
	TakenOn    date.Date
	Passed     bool
	OperatorID int64 // the operator's account
	RecordedAt time.Time
}

const theoryCols = `id, reference, neph, taken_on, passed, operator_id, recorded_at`

func scanTheory(sc scanner) (TheoryResult, error) {
	var r TheoryResult
	err := sc.Scan(&r.ID, &r.Reference, &r.NEPH, &r.TakenOn, &r.Passed, &r.OperatorID, timestamp{&r.RecordedAt})
	return r, err
}

// CreateTheoryResult records r and sets its id and time. A second result
// for the same NEPH and day, or a reference already used, is a conflict.
func (s *Store) CreateTheoryResult(ctx context.Context, r *TheoryResult) error {
	r.RecordedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO theory_results (reference, neph, taken_on, passed, operator_id, recorded_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		r.Reference, string(r.NEPH), r.TakenOn, r.Passed, r.OperatorID, s.d.ts(r.RecordedAt)).Scan(&r.ID)
	return s.d.translate(err)
}

// ListTheoryResults returns the candidate's sittings, the latest first.
func (s *Store) ListTheoryResults(ctx context.Context, neph licence.NEPH) ([]TheoryResult, error) {
	rows, err := s.query(ctx, `SELECT `+theoryCols+` FROM theory_results WHERE neph = ? ORDER BY taken_on DESC, id DESC`, string(neph))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TheoryResult
	for rows.Next() {
		r, err := scanTheory(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, r)
	}
	return out, s.d.translate(rows.Err())
}

// LatestTheoryPass returns the candidate's latest pass, or a not_found
// error when they never passed.
func (s *Store) LatestTheoryPass(ctx context.Context, neph licence.NEPH) (TheoryResult, error) {
	r, err := scanTheory(s.queryRow(ctx, `SELECT `+theoryCols+` FROM theory_results
		WHERE neph = ? AND passed = ? ORDER BY taken_on DESC, id DESC LIMIT 1`, string(neph), true))
	return r, notFound(s.d.translate(err), "Aucun code réussi pour ce candidat.")
}

// ActiveAccountTokens returns the tokens of the account userID that are not
// revoked.
func (s *Store) ActiveAccountTokens(ctx context.Context, userID int64) ([]APIToken, error) {
	rows, err := s.query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE user_id = ? AND revoked_at IS NULL ORDER BY id`, userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, t)
	}
	return out, s.d.translate(rows.Err())
}

// FindStatementRequestedBy returns the statement of that kind issued for
// by (e.g. the CEPC of a booking, "exam:RDV-…"), or not_found.
func (s *Store) FindStatementRequestedBy(ctx context.Context, kind, by string) (Statement, error) {
	st, err := scanStatement(s.queryRow(ctx, `SELECT `+statementCols+` FROM statements
		WHERE kind = ? AND requested_by = ? ORDER BY id LIMIT 1`, kind, by))
	return st, notFound(s.d.translate(err), "Document introuvable.")
}

// CertifiedCategories returns the categories of the candidate's
// favourable practical exams held on or after since (the CEPCs still
// valid when since is today minus their validity), without repeats.
func (s *Store) CertifiedCategories(ctx context.Context, neph string, since date.Date) ([]licence.Category, error) {
	rows, err := s.query(ctx, `SELECT DISTINCT b.category FROM exam_bookings b JOIN exam_places p ON p.id = b.place_id
		WHERE b.neph = ? AND b.result = 'favourable' AND p.day >= ? ORDER BY b.category`, neph, since)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []licence.Category
	for rows.Next() {
		var c licence.Category
		if err := rows.Scan(&c); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

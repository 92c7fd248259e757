package store

import (
	"context"
	"strings"

	"permis/internal/licence"
	"permis/internal/points"
)

const msgLicenceNotFound = "Permis de conduire introuvable."

// CreateLicence records a licence with its categories and restrictions, in
// one transaction, and sets l.ID.
func (s *Store) CreateLicence(ctx context.Context, l *licence.Licence) error {
	return s.Transact(ctx, func(tx *Store) error {
		err := tx.queryRowW(ctx, `INSERT INTO licences (neph, person_id, obtained, probation, complementary_training,
			departement, state, state_since, state_until, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			string(l.NEPH), l.PersonID, l.Obtained, string(l.Probation), l.ComplementaryTraining,
			l.Departement, string(l.State), l.StateSince, l.StateUntil, tx.d.ts(tx.now())).Scan(&l.ID)
		if err != nil {
			return tx.d.translate(err)
		}
		for _, c := range l.Categories {
			if _, err := tx.exec(ctx, `INSERT INTO licence_categories (licence_id, category, obtained, valid_until, medical_until)
				VALUES (?, ?, ?, ?, ?)`, l.ID, string(c.Category), c.Obtained, c.ValidUntil, c.MedicalUntil); err != nil {
				return err
			}
		}
		for _, r := range l.Restrictions {
			if _, err := tx.exec(ctx, `INSERT INTO licence_restrictions (licence_id, code, category, detail)
				VALUES (?, ?, ?, ?)`, l.ID, r.Code, string(r.Category), r.Detail); err != nil {
				return err
			}
		}
		return nil
	})
}

// licenceCols are the licence header columns, in the order scanLicence reads them.
const licenceCols = `l.id, l.neph, l.person_id, l.obtained, l.probation, l.complementary_training,
	l.departement, l.state, l.state_since, l.state_until, ` + reobtainedCol

// reobtainedCol says whether the licence l carries code 105, a probation
// after an invalidation or an annulment (licence.Licence.Reobtained).
const reobtainedCol = `EXISTS (SELECT 1 FROM licence_restrictions r WHERE r.licence_id = l.id AND r.code = '` + licence.CodeReobtained + `')`

type scanner interface{ Scan(dest ...any) error }

// licenceDest returns the scan destinations of licenceCols into l.
func licenceDest(l *licence.Licence) []any {
	return []any{&l.ID, (*string)(&l.NEPH), &l.PersonID, &l.Obtained, (*string)(&l.Probation),
		&l.ComplementaryTraining, &l.Departement, (*string)(&l.State), &l.StateSince, &l.StateUntil, &l.Reobtained}
}

// FindLicence returns the licence with that id, with its categories and
// restrictions, or a not_found error.
func (s *Store) FindLicence(ctx context.Context, id int64) (licence.Licence, error) {
	return s.findLicence(ctx, `l.id = ?`, id)
}

// FindLicenceByNEPH returns the licence with that NEPH, with its categories
// and restrictions, or a not_found error.
func (s *Store) FindLicenceByNEPH(ctx context.Context, neph licence.NEPH) (licence.Licence, error) {
	return s.findLicence(ctx, `l.neph = ?`, string(neph))
}

func (s *Store) findLicence(ctx context.Context, where string, arg any) (licence.Licence, error) {
	var l licence.Licence
	err := s.queryRow(ctx, `SELECT `+licenceCols+` FROM licences l WHERE `+where, arg).Scan(licenceDest(&l)...)
	if err != nil {
		return licence.Licence{}, notFound(s.d.translate(err), msgLicenceNotFound)
	}
	rows, err := s.query(ctx, `SELECT category, obtained, valid_until, medical_until FROM licence_categories
		WHERE licence_id = ? ORDER BY category`, l.ID)
	if err != nil {
		return licence.Licence{}, err
	}
	for rows.Next() {
		var c licence.CategoryEntry
		if err := rows.Scan((*string)(&c.Category), &c.Obtained, &c.ValidUntil, &c.MedicalUntil); err != nil {
			rows.Close()
			return licence.Licence{}, err
		}
		l.Categories = append(l.Categories, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return licence.Licence{}, err
	}
	rows, err = s.query(ctx, `SELECT code, category, detail FROM licence_restrictions
		WHERE licence_id = ? ORDER BY code, category`, l.ID)
	if err != nil {
		return licence.Licence{}, err
	}
	defer rows.Close()
	for rows.Next() {
		var r licence.Restriction
		if err := rows.Scan(&r.Code, (*string)(&r.Category), &r.Detail); err != nil {
			return licence.Licence{}, err
		}
		l.Restrictions = append(l.Restrictions, r)
	}
	return l, rows.Err()
}

// CountLicences returns the number of licences in the register.
func (s *Store) CountLicences(ctx context.Context) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT count(*) FROM licences`).Scan(&n)
	return n, s.d.translate(err)
}

// CreateTitle records a card and sets t.ID. A number already used is a conflict.
func (s *Store) CreateTitle(ctx context.Context, t *licence.Title) error {
	err := s.queryRowW(ctx, `INSERT INTO titles (licence_id, number, mrz, issued, expires, state, state_since)
		VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		t.LicenceID, string(t.Number), t.MRZ, t.Issued, t.Expires, string(t.State), t.StateSince).Scan(&t.ID)
	return s.d.translate(err)
}

// ListTitles returns a licence's cards, oldest first.
func (s *Store) ListTitles(ctx context.Context, licenceID int64) ([]licence.Title, error) {
	rows, err := s.query(ctx, `SELECT id, licence_id, number, mrz, issued, expires, state, state_since
		FROM titles WHERE licence_id = ? ORDER BY issued, id`, licenceID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ts []licence.Title
	for rows.Next() {
		var t licence.Title
		if err := rows.Scan(&t.ID, &t.LicenceID, (*string)(&t.Number), &t.MRZ, &t.Issued, &t.Expires,
			(*string)(&t.State), &t.StateSince); err != nil {
			return nil, err
		}
		ts = append(ts, t)
	}
	return ts, rows.Err()
}

// pointsLicence is what the points engine needs of a licence header.
func pointsLicence(l licence.Licence) points.Licence {
	return points.Licence{Obtained: l.Obtained, Probation: l.Probation, ComplementaryTraining: l.ComplementaryTraining, Reobtained: l.Reobtained}
}

// placeholders returns "?, ?, …" with n marks.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// FindLicenceByTitleNumber returns the licence a card number belongs to, or
// a not_found error.
func (s *Store) FindLicenceByTitleNumber(ctx context.Context, number licence.TitleNumber) (licence.Licence, error) {
	var id int64
	err := s.queryRow(ctx, `SELECT licence_id FROM titles WHERE number = ?`, string(number)).Scan(&id)
	if err != nil {
		return licence.Licence{}, notFound(s.d.translate(err), "Permis inconnu.")
	}
	return s.FindLicence(ctx, id)
}

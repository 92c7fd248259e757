package store

import (
	"context"
	"encoding/json"
	"fmt"

	"permis/internal/licence"
)

// CreatePerson records a person's civil status and sets p.ID.
func (s *Store) CreatePerson(ctx context.Context, p *licence.Person) error {
	given, err := json.Marshal(nonNil(p.GivenNames))
	if err != nil {
		return err
	}
	err = s.queryRowW(ctx, `INSERT INTO persons (family_name, usage_name, given_names, birth_date, birth_place,
		birth_country, sex, email, address_line1, address_line2, postal_code, city, country, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.FamilyName, p.UsageName, string(given), p.BirthDate, p.BirthPlace, p.BirthCountry, string(p.Sex), p.Email,
		p.Address.Line1, p.Address.Line2, p.Address.PostalCode, p.Address.City, p.Address.Country,
		s.d.ts(s.now())).Scan(&p.ID)
	return s.d.translate(err)
}

// FindPerson returns the person with that id, or a not_found error.
func (s *Store) FindPerson(ctx context.Context, id int64) (licence.Person, error) {
	var (
		p     licence.Person
		given string
		sex   string
	)
	err := s.queryRow(ctx, `SELECT id, family_name, usage_name, given_names, birth_date, birth_place, birth_country,
		sex, email, address_line1, address_line2, postal_code, city, country FROM persons WHERE id = ?`, id).Scan(
		&p.ID, &p.FamilyName, &p.UsageName, &given, &p.BirthDate, &p.BirthPlace, &p.BirthCountry,
		&sex, &p.Email, &p.Address.Line1, &p.Address.Line2, &p.Address.PostalCode, &p.Address.City, &p.Address.Country)
	if err != nil {
		return licence.Person{}, notFound(s.d.translate(err), "Personne introuvable.")
	}
	p.Sex = licence.Sex(sex)
	if err := json.Unmarshal([]byte(given), &p.GivenNames); err != nil {
		return licence.Person{}, fmt.Errorf("store: person %d: given names: %w", id, err)
	}
	return p, nil
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}

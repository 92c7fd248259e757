package store

import (
	"context"
	"strings"

	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
)

// Help points, their closures and the kinds of appointment they offer.
// Appointments are in booking_appointment.go, the waiting list in
// booking_waiting.go; docs/appointments.md tells the design.

const helpPointCols = `id, type, name, address, postal_code, commune, insee, lat, lon, phone, email, services,
	accessibility, opening_hours, agents, created_at`

func scanHelpPoint(sc scanner) (booking.HelpPoint, error) {
	var (
		p        booking.HelpPoint
		typ      string
		services string
	)
	err := sc.Scan(&p.ID, &typ, &p.Name, &p.Address, &p.PostalCode, &p.Commune, &p.INSEE, &p.Lat, &p.Lon, &p.Phone,
		&p.Email, &services, &p.Accessibility, &p.OpeningHours, &p.Agents, timestamp{&p.CreatedAt})
	p.Type = booking.HelpPointType(typ)
	p.Services = splitLines(services)
	return p, err
}

func splitLines(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func joinLines(ss []string) string {
	var out []string
	for _, s := range ss {
		if s = strings.Join(strings.Fields(s), " "); s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n")
}

const errUnknownHelpPoint = "Ce lieu d'accueil n'existe pas."

// CreateHelpPoint validates and records p, and sets its ID and CreatedAt.
func (s *Store) CreateHelpPoint(ctx context.Context, p *booking.HelpPoint) error {
	if err := p.Check(); err != nil {
		return err
	}
	p.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO help_points (type, name, address, postal_code, commune, insee, departement,
		lat, lon, phone, email, services, accessibility, opening_hours, agents, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		string(p.Type), strings.TrimSpace(p.Name), strings.TrimSpace(p.Address), p.PostalCode, strings.TrimSpace(p.Commune),
		p.INSEE, p.Departement(), p.Lat, p.Lon, p.Phone, p.Email, joinLines(p.Services), p.Accessibility, p.OpeningHours,
		p.Agents, s.d.ts(p.CreatedAt)).Scan(&p.ID)
	return s.d.translate(err)
}

// FindHelpPoint returns the help point id, or not_found.
func (s *Store) FindHelpPoint(ctx context.Context, id int64) (booking.HelpPoint, error) {
	p, err := scanHelpPoint(s.queryRow(ctx, `SELECT `+helpPointCols+` FROM help_points WHERE id = ?`, id))
	return p, notFound(s.d.translate(err), errUnknownHelpPoint)
}

// HelpPointFilter selects help points in ListHelpPoints; empty fields
// select everything.
type HelpPointFilter struct {
	Departement string
	Type        booking.HelpPointType
	KindID      int64 // offering this kind of appointment
}

// ListHelpPoints returns the help points filter selects, by commune and name.
func (s *Store) ListHelpPoints(ctx context.Context, f HelpPointFilter) ([]booking.HelpPoint, error) {
	var (
		where []string
		args  []any
	)
	if f.Departement != "" {
		where, args = append(where, `departement = ?`), append(args, f.Departement)
	}
	if f.Type != "" {
		where, args = append(where, `type = ?`), append(args, string(f.Type))
	}
	if f.KindID != 0 {
		where = append(where, `EXISTS (SELECT 1 FROM help_point_kinds k WHERE k.help_point_id = help_points.id AND k.kind_id = ?)`)
		args = append(args, f.KindID)
	}
	q := `SELECT ` + helpPointCols + ` FROM help_points`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	rows, err := s.query(ctx, q+` ORDER BY commune, name, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.HelpPoint
	for rows.Next() {
		p, err := scanHelpPoint(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, s.d.translate(rows.Err())
}

// HelpPointPatch changes some fields of a help point; nil fields are left
// as they are.
type HelpPointPatch struct {
	Name          *string
	Phone         *string
	Email         *string
	Services      *[]string
	Accessibility *string
	OpeningHours  *string
	Agents        *int
}

// UpdateHelpPoint applies patch to the help point id, after validating the
// result, and returns it. Appointments already booked keep their seats.
func (s *Store) UpdateHelpPoint(ctx context.Context, id int64, patch HelpPointPatch) (booking.HelpPoint, error) {
	var p booking.HelpPoint
	err := s.Transact(ctx, func(tx *Store) error {
		var err error
		if p, err = tx.FindHelpPoint(ctx, id); err != nil {
			return err
		}
		patchField(&p.Name, patch.Name)
		patchField(&p.Phone, patch.Phone)
		patchField(&p.Email, patch.Email)
		patchField(&p.Services, patch.Services)
		patchField(&p.Accessibility, patch.Accessibility)
		patchField(&p.OpeningHours, patch.OpeningHours)
		patchField(&p.Agents, patch.Agents)
		if err := p.Check(); err != nil {
			return err
		}
		_, err = tx.exec(ctx, `UPDATE help_points SET name = ?, phone = ?, email = ?, services = ?, accessibility = ?,
			opening_hours = ?, agents = ? WHERE id = ?`, strings.TrimSpace(p.Name), p.Phone, p.Email, joinLines(p.Services),
			p.Accessibility, p.OpeningHours, p.Agents, id)
		return err
	})
	return p, err
}

func patchField[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// CreateClosure validates and records a closure, and sets its ID.
func (s *Store) CreateClosure(ctx context.Context, c *booking.Closure) error {
	if err := c.Check(); err != nil {
		return err
	}
	err := s.queryRowW(ctx, `INSERT INTO help_point_closures (help_point_id, from_day, to_day, reason, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, c.HelpPointID, c.From, c.To, strings.TrimSpace(c.Reason), s.d.ts(s.now())).Scan(&c.ID)
	return s.d.translate(err)
}

// ListClosures returns the closures of a help point that overlap the days
// from to to, in date order.
func (s *Store) ListClosures(ctx context.Context, helpPointID int64, from, to date.Date) ([]booking.Closure, error) {
	rows, err := s.query(ctx, `SELECT id, help_point_id, from_day, to_day, reason FROM help_point_closures
		WHERE help_point_id = ? AND to_day >= ? AND from_day <= ? ORDER BY from_day, id`, helpPointID, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.Closure
	for rows.Next() {
		var c booking.Closure
		if err := rows.Scan(&c.ID, &c.HelpPointID, &c.From, &c.To, &c.Reason); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

// DeleteClosure removes the closure id of a help point.
func (s *Store) DeleteClosure(ctx context.Context, helpPointID, id int64) error {
	var got int64
	err := s.queryRowW(ctx, `DELETE FROM help_point_closures WHERE id = ? AND help_point_id = ? RETURNING id`, id, helpPointID).Scan(&got)
	return notFound(s.d.translate(err), "Cette fermeture n'existe pas.")
}

// CreateKind validates and records a kind of appointment, and sets its ID.
// A code already used is a conflict.
func (s *Store) CreateKind(ctx context.Context, k *booking.Kind) error {
	if err := k.Check(); err != nil {
		return err
	}
	err := s.queryRowW(ctx, `INSERT INTO appointment_kinds (code, label, minutes) VALUES (?, ?, ?) RETURNING id`,
		k.Code, strings.TrimSpace(k.Label), k.Minutes).Scan(&k.ID)
	if apperr.Is(s.d.translate(err), apperr.Conflict) {
		return apperr.Wrap(apperr.Conflict, "Un type de rendez-vous porte déjà ce code.", err)
	}
	return s.d.translate(err)
}

const errUnknownKind = "Ce type de rendez-vous n'existe pas."

// FindKind returns the kind id, or not_found.
func (s *Store) FindKind(ctx context.Context, id int64) (booking.Kind, error) {
	var k booking.Kind
	err := s.queryRow(ctx, `SELECT id, code, label, minutes FROM appointment_kinds WHERE id = ?`, id).Scan(
		&k.ID, &k.Code, &k.Label, &k.Minutes)
	return k, notFound(s.d.translate(err), errUnknownKind)
}

// FindKindByCode returns the kind with that code, or not_found.
func (s *Store) FindKindByCode(ctx context.Context, code string) (booking.Kind, error) {
	var k booking.Kind
	err := s.queryRow(ctx, `SELECT id, code, label, minutes FROM appointment_kinds WHERE code = ?`, code).Scan(
		&k.ID, &k.Code, &k.Label, &k.Minutes)
	return k, notFound(s.d.translate(err), errUnknownKind)
}

// ListKinds returns the kinds of appointment, by label: every kind when
// helpPointID is 0, else those the help point offers.
func (s *Store) ListKinds(ctx context.Context, helpPointID int64) ([]booking.Kind, error) {
	q, args := `SELECT id, code, label, minutes FROM appointment_kinds k`, []any{}
	if helpPointID != 0 {
		q += ` WHERE EXISTS (SELECT 1 FROM help_point_kinds h WHERE h.kind_id = k.id AND h.help_point_id = ?)`
		args = append(args, helpPointID)
	}
	rows, err := s.query(ctx, q+` ORDER BY label, id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []booking.Kind
	for rows.Next() {
		var k booking.Kind
		if err := rows.Scan(&k.ID, &k.Code, &k.Label, &k.Minutes); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, s.d.translate(rows.Err())
}

// EnableKind makes a help point offer a kind of appointment, or stop
// offering it (appointments already booked stay). Doing it twice is not an
// error.
func (s *Store) EnableKind(ctx context.Context, helpPointID, kindID int64, enabled bool) error {
	var err error
	if enabled {
		_, err = s.exec(ctx, `INSERT INTO help_point_kinds (help_point_id, kind_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
			helpPointID, kindID)
	} else {
		_, err = s.exec(ctx, `DELETE FROM help_point_kinds WHERE help_point_id = ? AND kind_id = ?`, helpPointID, kindID)
	}
	return err
}

// KindEnabled reports whether the help point offers the kind.
func (s *Store) KindEnabled(ctx context.Context, helpPointID, kindID int64) (bool, error) {
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM help_point_kinds WHERE help_point_id = ? AND kind_id = ?`,
		helpPointID, kindID).Scan(&n)
	return n > 0, s.d.translate(err)
}

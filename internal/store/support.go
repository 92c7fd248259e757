package store

import (
	"context"
	"strings"
	"time"
)

// Ticket is a fault report or an appeal.
type Ticket struct {
	ID          int64
	Reference   string
	Kind        string // "fault" or "appeal"
	Procedure   string
	Summary     string
	Details     string
	ContactName string
	Email       string
	UserID      int64 // 0 when filed without an account
	NEPH        string
	DecisionRef string
	Status      string // "new", "in_progress", "answered", "closed"
	AssigneeID  int64  // 0 when nobody has taken it
	CreatedAt   time.Time
	UpdatedAt   time.Time

	AssigneeName string // filled by ListTickets and FindTicket
}

// TicketMessage is one message of a ticket's thread.
type TicketMessage struct {
	ID         int64
	TicketID   int64
	Author     string // "person", "agent" or "note" (private to agents)
	AuthorID   int64
	AuthorName string // filled on reads
	Body       string
	CreatedAt  time.Time
}

// TicketFile is a file attached to a ticket (a screenshot).
type TicketFile struct {
	ID          int64
	TicketID    int64
	Key         string
	ContentType string
	Size        int64
	SHA256      string
	Name        string
	CreatedAt   time.Time
}

const ticketCols = `t.id, t.reference, t.kind, t.procedure_code, t.summary, t.details, t.contact_name, t.email,
	coalesce(t.user_id, 0), t.neph, t.decision_ref, t.status, coalesce(t.assignee_id, 0), t.created_at, t.updated_at,
	coalesce(a.given_name || ' ' || a.family_name, '')`

const ticketFrom = ` FROM tickets t LEFT JOIN users a ON a.id = t.assignee_id`

func scanTicket(sc scanner) (Ticket, error) {
	var t Ticket
	err := sc.Scan(&t.ID, &t.Reference, &t.Kind, &t.Procedure, &t.Summary, &t.Details, &t.ContactName, &t.Email,
		&t.UserID, &t.NEPH, &t.DecisionRef, &t.Status, &t.AssigneeID, timestamp{&t.CreatedAt}, timestamp{&t.UpdatedAt},
		&t.AssigneeName)
	t.AssigneeName = strings.TrimSpace(t.AssigneeName)
	return t, err
}

// optionalID stores 0 as NULL.
func optionalID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// CreateTicket records t (and its first files) and sets its ID and dates.
func (s *Store) CreateTicket(ctx context.Context, t *Ticket, files []TicketFile) error {
	return s.Transact(ctx, func(tx *Store) error {
		now := tx.now()
		t.CreatedAt, t.UpdatedAt, t.Status = now, now, "new"
		err := tx.queryRowW(ctx, `INSERT INTO tickets (reference, kind, procedure_code, summary, details, contact_name, email,
			user_id, neph, decision_ref, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			t.Reference, t.Kind, t.Procedure, t.Summary, t.Details, t.ContactName, t.Email, optionalID(t.UserID), t.NEPH,
			t.DecisionRef, t.Status, tx.d.ts(now), tx.d.ts(now)).Scan(&t.ID)
		if err != nil {
			return tx.d.translate(err)
		}
		for i := range files {
			f := &files[i]
			f.TicketID, f.CreatedAt = t.ID, now
			if err := tx.queryRowW(ctx, `INSERT INTO ticket_files (ticket_id, file_key, content_type, size, sha256, name, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`, f.TicketID, f.Key, f.ContentType, f.Size, f.SHA256, f.Name,
				tx.d.ts(now)).Scan(&f.ID); err != nil {
				return tx.d.translate(err)
			}
		}
		return nil
	})
}

// TicketFilter selects tickets for the agents' queue.
type TicketFilter struct {
	Kind       string   // "" for both
	Statuses   []string // nil for all
	AssigneeID int64    // 0 for anyone
	Limit      int      // default 200
}

// ListTickets returns the tickets of filter, oldest first (the queue's
// order: first come, first served).
func (s *Store) ListTickets(ctx context.Context, f TicketFilter) ([]Ticket, error) {
	q := `SELECT ` + ticketCols + ticketFrom + ` WHERE 1 = 1`
	var args []any
	if f.Kind != "" {
		q += ` AND t.kind = ?`
		args = append(args, f.Kind)
	}
	if len(f.Statuses) > 0 {
		q += ` AND t.status IN (?` + strings.Repeat(", ?", len(f.Statuses)-1) + `)`
		for _, st := range f.Statuses {
			args = append(args, st)
		}
	}
	if f.AssigneeID != 0 {
		q += ` AND t.assignee_id = ?`
		args = append(args, f.AssigneeID)
	}
	if f.Limit <= 0 {
		f.Limit = 200
	}
	q += ` ORDER BY t.created_at, t.id LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, t)
	}
	return out, s.d.translate(rows.Err())
}

// FindTicket returns a ticket by id, or not_found.
func (s *Store) FindTicket(ctx context.Context, id int64) (Ticket, error) {
	t, err := scanTicket(s.queryRow(ctx, `SELECT `+ticketCols+ticketFrom+` WHERE t.id = ?`, id))
	return t, notFound(s.d.translate(err), "Demande inconnue.")
}

// TicketPatch changes a ticket; nil fields are kept.
type TicketPatch struct {
	Status     *string
	AssigneeID *int64 // 0 unassigns
}

// UpdateTicket applies p to ticket id.
func (s *Store) UpdateTicket(ctx context.Context, id int64, p TicketPatch) error {
	sets := []string{"updated_at = ?"}
	args := []any{s.d.ts(s.now())}
	if p.Status != nil {
		sets = append(sets, "status = ?")
		args = append(args, *p.Status)
	}
	if p.AssigneeID != nil {
		sets = append(sets, "assignee_id = ?")
		args = append(args, optionalID(*p.AssigneeID))
	}
	var got int64
	err := s.queryRowW(ctx, `UPDATE tickets SET `+strings.Join(sets, ", ")+` WHERE id = ? RETURNING id`,
		append(args, id)...).Scan(&got)
	return notFound(s.d.translate(err), "Demande inconnue.")
}

// AddTicketMessage appends a message to a ticket's thread.
func (s *Store) AddTicketMessage(ctx context.Context, m *TicketMessage) error {
	m.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO ticket_messages (ticket_id, author, author_id, body, created_at)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, m.TicketID, m.Author, optionalID(m.AuthorID), m.Body, s.d.ts(m.CreatedAt)).Scan(&m.ID)
	return s.d.translate(err)
}

// ListTicketMessages returns a ticket's thread, oldest first.
func (s *Store) ListTicketMessages(ctx context.Context, ticketID int64) ([]TicketMessage, error) {
	rows, err := s.query(ctx, `SELECT m.id, m.ticket_id, m.author, coalesce(m.author_id, 0),
		coalesce(u.given_name || ' ' || u.family_name, ''), m.body, m.created_at
		FROM ticket_messages m LEFT JOIN users u ON u.id = m.author_id WHERE m.ticket_id = ? ORDER BY m.id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TicketMessage
	for rows.Next() {
		var m TicketMessage
		if err := rows.Scan(&m.ID, &m.TicketID, &m.Author, &m.AuthorID, &m.AuthorName, &m.Body, timestamp{&m.CreatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		m.AuthorName = strings.TrimSpace(m.AuthorName)
		out = append(out, m)
	}
	return out, s.d.translate(rows.Err())
}

// ListTicketFiles returns a ticket's files.
func (s *Store) ListTicketFiles(ctx context.Context, ticketID int64) ([]TicketFile, error) {
	rows, err := s.query(ctx, `SELECT id, ticket_id, file_key, content_type, size, sha256, name, created_at
		FROM ticket_files WHERE ticket_id = ? ORDER BY id`, ticketID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []TicketFile
	for rows.Next() {
		var f TicketFile
		if err := rows.Scan(&f.ID, &f.TicketID, &f.Key, &f.ContentType, &f.Size, &f.SHA256, &f.Name, timestamp{&f.CreatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, f)
	}
	return out, s.d.translate(rows.Err())
}

// Incident is an ongoing (or past) incident on an online procedure.
type Incident struct {
	ID         int64
	Procedure  string
	Title      string
	Message    string
	StartedAt  time.Time
	EndedAt    *time.Time
	DeclaredBy int64
	ClosedBy   int64
}

// CreateIncident records an incident and sets its ID and start.
func (s *Store) CreateIncident(ctx context.Context, in *Incident) error {
	in.StartedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO incidents (procedure_code, title, message, started_at, declared_by)
		VALUES (?, ?, ?, ?, ?) RETURNING id`, in.Procedure, in.Title, in.Message, s.d.ts(in.StartedAt), optionalID(in.DeclaredBy)).Scan(&in.ID)
	return s.d.translate(err)
}

// CloseIncident ends an open incident; closing twice keeps the first end.
func (s *Store) CloseIncident(ctx context.Context, id, by int64) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE incidents SET ended_at = coalesce(ended_at, ?), closed_by = coalesce(closed_by, ?)
		WHERE id = ? RETURNING id`, s.d.ts(s.now()), optionalID(by), id).Scan(&got)
	return notFound(s.d.translate(err), "Incident inconnu.")
}

// ListIncidents returns the open incidents, or also the closed ones,
// newest first.
func (s *Store) ListIncidents(ctx context.Context, includeClosed bool, limit int) ([]Incident, error) {
	q := `SELECT id, procedure_code, title, message, started_at, ended_at, coalesce(declared_by, 0), coalesce(closed_by, 0) FROM incidents`
	if !includeClosed {
		q += ` WHERE ended_at IS NULL`
	}
	if limit <= 0 {
		limit = 100
	}
	rows, err := s.query(ctx, q+` ORDER BY started_at DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Incident
	for rows.Next() {
		var in Incident
		if err := rows.Scan(&in.ID, &in.Procedure, &in.Title, &in.Message, timestamp{&in.StartedAt}, nullTime{&in.EndedAt},
			&in.DeclaredBy, &in.ClosedBy); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, in)
	}
	return out, s.d.translate(rows.Err())
}

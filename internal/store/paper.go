package store

import (
	"context"
	"strings"
	"time"

	"permis/internal/date"
)

// PaperFile is a paper file received by post and sent back with the
// online instructions (requests are online only since November 2017).
type PaperFile struct {
	ID         int64
	Reference  string // COU-XXXX-XXXX, printed on the return letter
	SenderName string
	Address    string // postal address, lines separated by "\n"
	ReceivedOn date.Date
	Contents   string // what it was
	RecordedBy int64  // the agent's account
	CreatedAt  time.Time
}

const paperCols = `id, reference, sender_name, address, received_on, contents, recorded_by, created_at`

func scanPaperFile(sc scanner) (PaperFile, error) {
	var p PaperFile
	err := sc.Scan(&p.ID, &p.Reference, &p.SenderName, &p.Address, &p.ReceivedOn, &p.Contents, &p.RecordedBy,
		timestamp{&p.CreatedAt})
	return p, err
}

// CreatePaperFile records p and sets its ID and CreatedAt. A reference
// already used is a conflict.
func (s *Store) CreatePaperFile(ctx context.Context, p *PaperFile) error {
	p.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO paper_files (reference, sender_name, address, received_on, contents,
		recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.Reference, strings.TrimSpace(p.SenderName), strings.TrimSpace(p.Address), p.ReceivedOn,
		strings.TrimSpace(p.Contents), p.RecordedBy, s.d.ts(p.CreatedAt)).Scan(&p.ID)
	return s.d.translate(err)
}

// FindPaperFile returns the paper file id, or a not_found error.
func (s *Store) FindPaperFile(ctx context.Context, id int64) (PaperFile, error) {
	p, err := scanPaperFile(s.queryRow(ctx, `SELECT `+paperCols+` FROM paper_files WHERE id = ?`, id))
	return p, notFound(s.d.translate(err), "Ce courrier papier n'existe pas.")
}

// ListPaperFiles returns the latest paper files, the most recently
// received first, at most limit of them.
func (s *Store) ListPaperFiles(ctx context.Context, limit int) ([]PaperFile, error) {
	rows, err := s.query(ctx, `SELECT `+paperCols+` FROM paper_files ORDER BY received_on DESC, id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []PaperFile
	for rows.Next() {
		p, err := scanPaperFile(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, s.d.translate(rows.Err())
}

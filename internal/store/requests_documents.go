package store

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"permis/internal/requests"
)

// The states of a request's document.
const (
	DocProvided  = "provided"  // given by the applicant, not yet checked
	DocRequested = "requested" // asked (again) by the agent, with a reason
	DocAccepted  = "accepted"  // checked by the agent
	DocReplaced  = "replaced"  // an older file, kept for the audit
)

// RequestDocument is one supporting document of a request: the stored file
// (files.Stored's fields) and its state.
type RequestDocument struct {
	ID          int64
	RequestID   int64
	Document    requests.Document
	State       string
	Key         string // "" while requested and not yet given
	ContentType string
	Size        int64
	SHA256      string
	Name        string
	Reason      string // the agent's, when requested
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

const requestDocCols = `id, request_id, document, state,
	CASE WHEN file_key LIKE '` + noFileKey + `%' THEN '' ELSE coalesce(file_key, '') END, content_type, size, sha256, name,
	reason, created_at, updated_at`

// PutRequestDocument records d as the live file of its document: any
// earlier live row of that document (a file, or the agent's request for
// it) becomes replaced. It sets d's ID, state and dates, and returns the
// keys of the files so replaced, for the caller to delete once the
// transaction commits (issue 10, finding 5: they were kept forever).
func (s *Store) PutRequestDocument(ctx context.Context, d *RequestDocument) ([]string, error) {
	var replaced []string
	err := s.Transact(ctx, func(tx *Store) error {
		replaced = nil
		now := tx.now()
		rows, err := tx.query(ctx, `SELECT file_key FROM request_documents
			WHERE request_id = ? AND document = ? AND state <> 'replaced' AND file_key IS NOT NULL
			AND file_key NOT LIKE '`+noFileKey+`%'`, d.RequestID, string(d.Document))
		if err != nil {
			return err
		}
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				rows.Close()
				return tx.d.translate(err)
			}
			replaced = append(replaced, k)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return tx.d.translate(err)
		}
		if _, err := tx.exec(ctx, `UPDATE request_documents SET state = 'replaced', updated_at = ?
			WHERE request_id = ? AND document = ? AND state <> 'replaced'`, tx.d.ts(now), d.RequestID, string(d.Document)); err != nil {
			return err
		}
		d.State, d.CreatedAt, d.UpdatedAt = DocProvided, now, now
		err = tx.queryRowW(ctx, `INSERT INTO request_documents (request_id, document, state, file_key, content_type,
			size, sha256, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			d.RequestID, string(d.Document), d.State, fileKey(d.Key, d.RequestID, now), d.ContentType, d.Size, d.SHA256, d.Name,
			tx.d.ts(now), tx.d.ts(now)).Scan(&d.ID)
		return tx.d.translate(err)
	})
	return replaced, err
}

// OwnerUploadBytes is the size of the live documents (not replaced) of
// every request of the account owner.
func (s *Store) OwnerUploadBytes(ctx context.Context, owner int64) (int64, error) {
	var n int64
	err := s.queryRow(ctx, `SELECT coalesce(sum(d.size), 0) FROM request_documents d JOIN requests r ON r.id = d.request_id
		WHERE r.owner_id = ? AND d.state <> 'replaced'`, owner).Scan(&n)
	return n, s.d.translate(err)
}

// RequestDocumentAgain marks the document of a request as requested by the
// agent with reason: its live file (if any) is kept but marked requested,
// or a row without a file is added.
func (s *Store) RequestDocumentAgain(ctx context.Context, requestID int64, doc requests.Document, reason string) error {
	now := s.now()
	res, err := s.exec(ctx, `UPDATE request_documents SET state = 'requested', reason = ?, updated_at = ?
		WHERE request_id = ? AND document = ? AND state <> 'replaced'`, reason, s.d.ts(now), requestID, string(doc))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return nil
	}
	_, err = s.exec(ctx, `INSERT INTO request_documents (request_id, document, state, reason, created_at, updated_at)
		VALUES (?, ?, 'requested', ?, ?, ?)`, requestID, string(doc), reason, s.d.ts(now), s.d.ts(now))
	return err
}

// AcceptRequestDocuments marks the request's provided documents accepted.
func (s *Store) AcceptRequestDocuments(ctx context.Context, requestID int64) error {
	_, err := s.exec(ctx, `UPDATE request_documents SET state = 'accepted', updated_at = ?
		WHERE request_id = ? AND state = 'provided'`, s.d.ts(s.now()), requestID)
	return err
}

// ListRequestDocuments returns the live documents of a request (replaced
// files too when withReplaced), in the order given.
func (s *Store) ListRequestDocuments(ctx context.Context, requestID int64, withReplaced bool) ([]RequestDocument, error) {
	q := `SELECT ` + requestDocCols + ` FROM request_documents WHERE request_id = ?`
	if !withReplaced {
		q += ` AND state <> 'replaced'`
	}
	rows, err := s.query(ctx, q+` ORDER BY id`, requestID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestDocument
	for rows.Next() {
		var (
			d   RequestDocument
			doc string
		)
		if err := rows.Scan(&d.ID, &d.RequestID, &doc, &d.State, &d.Key, &d.ContentType, &d.Size, &d.SHA256, &d.Name,
			&d.Reason, timestamp{&d.CreatedAt}, timestamp{&d.UpdatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		d.Document = requests.Document(doc)
		out = append(out, d)
	}
	return out, s.d.translate(rows.Err())
}

// RequestMessage is one message of a request's thread.
type RequestMessage struct {
	ID        int64
	RequestID int64
	Author    string // "applicant" or "agent"
	AuthorID  int64
	Body      string
	Private   bool // a note between agents
	CreatedAt time.Time
}

// AddRequestMessage appends m to its request's thread.
func (s *Store) AddRequestMessage(ctx context.Context, m *RequestMessage) error {
	m.CreatedAt = s.now()
	err := s.queryRowW(ctx, `INSERT INTO request_messages (request_id, author, author_id, body, private, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, m.RequestID, m.Author, optionalID(m.AuthorID), m.Body, m.Private,
		s.d.ts(m.CreatedAt)).Scan(&m.ID)
	return s.d.translate(err)
}

// ListRequestMessages returns a request's thread, oldest first; private
// notes only when withPrivate.
func (s *Store) ListRequestMessages(ctx context.Context, requestID int64, withPrivate bool) ([]RequestMessage, error) {
	q := `SELECT id, request_id, author, coalesce(author_id, 0), body, private, created_at FROM request_messages
		WHERE request_id = ?`
	args := []any{requestID}
	if !withPrivate {
		q += ` AND private = ?`
		args = append(args, false)
	}
	rows, err := s.query(ctx, q+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RequestMessage
	for rows.Next() {
		var m RequestMessage
		if err := rows.Scan(&m.ID, &m.RequestID, &m.Author, &m.AuthorID, &m.Body, &m.Private, timestamp{&m.CreatedAt}); err != nil {
			return nil, s.d.translate(err)
		}
		out = append(out, m)
	}
	return out, s.d.translate(rows.Err())
}

// noFileKey starts the file key of a document given without a file (an
// electronic medical opinion is its own document). A given document must
// have a key (CHECK) and keys are unique, so each such document gets its
// own key, which is never a file: it reads back as "" (RequestDocument.Key:
// no file to open or delete).
const noFileKey = "sans-fichier:"

// fileKey is the file_key column of a document: k, or a key of its own
// when no file holds it.
func fileKey(k string, requestID int64, now time.Time) string {
	if k != "" {
		return k
	}
	return fmt.Sprintf("%s%d:%d:%s", noFileKey, requestID, now.UnixNano(), rand.Text()[:8])
}

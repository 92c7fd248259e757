package store

import (
	"cmp"
	"context"
	"database/sql"
	"mime"
	"slices"
	"strings"
	"time"
	"unicode"

	"permis/internal/apperr"
)

// The statuses of an outbox row.
const (
	// MailPending is a mail waiting for (another) delivery attempt.
	MailPending = "pending"
	// MailSent is a mail the mail server accepted.
	MailSent = "sent"
	// MailFailed is a mail given up after too many attempts; LastError says why.
	MailFailed = "failed"
	// MailKept is a mail deliberately not sent (no mail server configured, as
	// on a developer's machine): it stays readable on the developer page.
	MailKept = "kept"
)

// MailStatusLabel is an outbox status in French, as a page shows it.
func MailStatusLabel(s string) string {
	switch s {
	case MailPending:
		return "en attente d'envoi"
	case MailSent:
		return "envoyé"
	case MailFailed:
		return "abandonné après plusieurs essais"
	case MailKept:
		return "conservé ici, non envoyé (aucun serveur de courriel configuré)"
	}
	return s
}

// Mail is a row of the outbox: a mail written in the same transaction as the
// change that causes it, delivered later by a relay (internal/mail).
type Mail struct {
	ID            int64
	CreatedAt     time.Time
	To            string // one bare address: name@example.fr
	Subject       string
	Text          string // the text/plain body, always present
	HTML          string // an optional text/html alternative
	Attachments   []MailAttachment
	Status        string // MailPending, MailSent, MailFailed or MailKept
	Attempts      int    // delivery attempts made so far
	NextAttemptAt time.Time
	SentAt        *time.Time // nil until sent
	LastError     string     // the last delivery error, for operators
}

// MailAttachment is a file attached to a mail.
type MailAttachment struct {
	Filename    string
	ContentType string // a media type with its parameters: "text/calendar; method=REQUEST"
	Data        []byte // nil in ListMail results
	Size        int    // len(Data), set by the store on every read (ListMail too)
}

// MailFilter selects mails in ListMail. Empty fields select everything.
type MailFilter struct {
	To     string // exact address, case-insensitive
	Status string // one of the Mail… statuses
	Limit  int    // at most this many (default 100, at most 1000)
}

// maxMailError bounds the error text kept in last_error.
const maxMailError = 1000

const mailCols = `id, created_at, to_addr, subject, body_text, body_html, status, attempts, next_attempt_at, sent_at, last_error`

func scanMail(sc scanner) (Mail, error) {
	var m Mail
	err := sc.Scan(&m.ID, timestamp{&m.CreatedAt}, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Status, &m.Attempts,
		timestamp{&m.NextAttemptAt}, nullTime{&m.SentAt}, &m.LastError)
	return m, err
}

// EnqueueMail writes a pending mail and its attachments, and returns its id.
// Call it inside the Transact of the change that causes the mail, so that
// both are kept or both are lost. The mail is due at m.NextAttemptAt, or now
// when that is zero; ID, CreatedAt, Status, Attempts, SentAt and LastError
// are ignored. A mail without a plausible address, a subject or a text is
// invalid.
func (s *Store) EnqueueMail(ctx context.Context, m Mail) (int64, error) {
	m.To = strings.TrimSpace(m.To)
	m.Subject = strings.TrimSpace(m.Subject)
	if err := validateMail(m); err != nil {
		return 0, err
	}
	now := s.now()
	due := m.NextAttemptAt
	if due.IsZero() {
		due = now
	}
	var id int64
	err := s.Transact(ctx, func(tx *Store) error {
		err := tx.queryRowW(ctx, `INSERT INTO outbox (created_at, to_addr, subject, body_text, body_html, status,
			attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?) RETURNING id`,
			tx.d.ts(now), m.To, m.Subject, m.Text, m.HTML, MailPending, tx.d.ts(due)).Scan(&id)
		if err != nil {
			return tx.d.translate(err)
		}
		for i, a := range m.Attachments {
			data := a.Data
			if data == nil {
				data = []byte{} // NOT NULL
			}
			if _, err := tx.exec(ctx, `INSERT INTO outbox_attachments (outbox_id, position, filename, content_type, data)
				VALUES (?, ?, ?, ?, ?)`, id, i, a.Filename, a.ContentType, data); err != nil {
				return err
			}
		}
		return nil
	})
	return id, err
}

// validateMail checks what a mail server would refuse or what would make a
// broken mail. Problems are reported per field, in French.
func validateMail(m Mail) error {
	invalid := func(field, msg string) error {
		return &apperr.Error{Code: apperr.Invalid, Message: msg, Fields: map[string]string{field: msg}}
	}
	switch {
	case m.To == "":
		return invalid("to", "L'adresse électronique du destinataire est obligatoire.")
	case !plausibleAddress(m.To):
		return invalid("to", "L'adresse électronique du destinataire n'est pas valide.")
	case m.Subject == "":
		return invalid("subject", "L'objet du courriel est obligatoire.")
	case strings.ContainsAny(m.Subject, "\r\n"):
		return invalid("subject", "L'objet du courriel doit tenir sur une ligne.")
	case strings.TrimSpace(m.Text) == "":
		return invalid("text", "Le texte du courriel est obligatoire.")
	}
	for _, a := range m.Attachments {
		if strings.TrimSpace(a.Filename) == "" || strings.ContainsAny(a.Filename, "\r\n/\\") {
			return invalid("attachments", "Le nom d'une pièce jointe est vide ou n'est pas valide.")
		}
		if mt, _, err := mime.ParseMediaType(a.ContentType); err != nil || !strings.Contains(mt, "/") {
			return invalid("attachments", "Le type d'une pièce jointe n'est pas valide.")
		}
	}
	return nil
}

// plausibleAddress is a rough check of a bare address (local@domain.tld):
// the mail server has the last word, this only stops obvious mistakes and
// header injection.
func plausibleAddress(a string) bool {
	if len(a) > 254 || strings.IndexFunc(a, func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsControl(r) || strings.ContainsRune(`<>(),;:"[]\`, r)
	}) >= 0 {
		return false
	}
	local, domain, ok := strings.Cut(a, "@")
	if !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") {
		return false
	}
	dot := strings.LastIndexByte(domain, '.')
	return dot > 0 && dot < len(domain)-1 && !strings.Contains(domain, "..") && !strings.HasPrefix(domain, "-")
}

// ListMail returns the mails filter selects, newest first. Attachments are
// listed (name, type, size) without their data.
func (s *Store) ListMail(ctx context.Context, filter MailFilter) ([]Mail, error) {
	var (
		where []string
		args  []any
	)
	if filter.To != "" {
		where = append(where, `lower(to_addr) = ?`)
		args = append(args, strings.ToLower(strings.TrimSpace(filter.To)))
	}
	if filter.Status != "" {
		where = append(where, `status = ?`)
		args = append(args, filter.Status)
	}
	limit := filter.Limit
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	q := `SELECT ` + mailCols + ` FROM outbox`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	q += ` ORDER BY id DESC LIMIT ?`
	args = append(args, limit)
	ms, err := s.scanMails(s.query(ctx, q, args...))
	if err != nil {
		return nil, err
	}
	return ms, s.loadAttachments(ctx, s.reader(), ms, false)
}

// FindMail returns a mail with its attachments' data, or a not_found error.
func (s *Store) FindMail(ctx context.Context, id int64) (Mail, error) {
	m, err := scanMail(s.queryRow(ctx, `SELECT `+mailCols+` FROM outbox WHERE id = ?`, id))
	if err != nil {
		return Mail{}, notFound(s.d.translate(err), "Courriel inconnu.")
	}
	ms := []Mail{m}
	if err := s.loadAttachments(ctx, s.reader(), ms, true); err != nil {
		return Mail{}, err
	}
	return ms[0], nil
}

// ClaimMail takes up to n pending mails due at now (oldest due first) and
// pushes their next attempt to now+lease in the same statement, so that
// another relay, in this process or another instance, does not take them
// while this one sends them. A relay that dies before marking them lets
// them fall due again when the lease ends: delivery is at least once. The
// mails come with their attachments' data, ordered by id.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, n int, lease time.Duration) ([]Mail, error) {
	if n <= 0 {
		return nil, nil
	}
	// SQLite has one writer: the statement is atomic by itself. On
	// PostgreSQL, concurrent UPDATEs would pick the same ids and the second
	// would update them again after waiting; SKIP LOCKED makes it pick other
	// rows instead. The ids are chosen once, in a materialised CTE: as an
	// IN (subquery …LIMIT n) PostgreSQL may evaluate the subquery more than
	// once and claim more than n rows (TestClaimMail saw it).
	lock := ""
	if s.d.name == postgresDialect.name {
		lock = ` FOR UPDATE SKIP LOCKED`
	}
	q := s.d.rebind(`WITH due AS MATERIALIZED (
			SELECT id FROM outbox WHERE status = ? AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ?` + lock + `)
		UPDATE outbox SET next_attempt_at = ? WHERE id IN (SELECT id FROM due)
		RETURNING ` + mailCols)
	ms, err := s.scanMails(s.writer().QueryContext(ctx, q, MailPending, s.d.ts(now), n, s.d.ts(now.Add(lease))))
	if err != nil {
		return nil, err
	}
	slices.SortFunc(ms, func(a, b Mail) int { return cmp.Compare(a.ID, b.ID) })
	return ms, s.loadAttachments(ctx, s.writer(), ms, true)
}

// MarkMailSent records that the mail server accepted the mail at at.
func (s *Store) MarkMailSent(ctx context.Context, id int64, at time.Time) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, sent_at = ?, last_error = ''
		WHERE id = ? RETURNING id`, MailSent, s.d.ts(at), id).Scan(&got)
	return notFound(s.d.translate(err), "Courriel inconnu.")
}

// MarkMailFailed records a failed delivery attempt and its error: the mail
// is tried again at next, or, when final, given up (status MailFailed).
func (s *Store) MarkMailFailed(ctx context.Context, id int64, errText string, next time.Time, final bool) error {
	status := MailPending
	if final {
		status = MailFailed
	}
	if len(errText) > maxMailError {
		errText = strings.ToValidUTF8(errText[:maxMailError], "")
	}
	var got int64
	err := s.queryRowW(ctx, `UPDATE outbox SET status = ?, attempts = attempts + 1, next_attempt_at = ?, last_error = ?
		WHERE id = ? RETURNING id`, status, s.d.ts(next), errText, id).Scan(&got)
	return notFound(s.d.translate(err), "Courriel inconnu.")
}

// MarkMailKept records that a mail was deliberately not sent (MailKept).
func (s *Store) MarkMailKept(ctx context.Context, id int64) error {
	var got int64
	err := s.queryRowW(ctx, `UPDATE outbox SET status = ? WHERE id = ? RETURNING id`, MailKept, id).Scan(&got)
	return notFound(s.d.translate(err), "Courriel inconnu.")
}

func (s *Store) scanMails(rows *sql.Rows, err error) ([]Mail, error) {
	if err != nil {
		return nil, s.d.translate(err)
	}
	defer rows.Close()
	var ms []Mail
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, s.d.translate(rows.Err())
}

// loadAttachments fills the Attachments of ms, with their data or not,
// reading through q. It bypasses the prepared-statement cache: the query
// text changes with len(ms).
func (s *Store) loadAttachments(ctx context.Context, q querier, ms []Mail, withData bool) error {
	if len(ms) == 0 {
		return nil
	}
	byID := make(map[int64]*Mail, len(ms))
	args := make([]any, len(ms))
	for i := range ms {
		byID[ms[i].ID] = &ms[i]
		args[i] = ms[i].ID
	}
	data := `NULL`
	if withData {
		data = `data`
	}
	rows, err := q.QueryContext(ctx, s.d.rebind(`SELECT outbox_id, filename, content_type, length(data), `+data+`
		FROM outbox_attachments WHERE outbox_id IN (?`+strings.Repeat(`, ?`, len(ms)-1)+`)
		ORDER BY outbox_id, position`), args...)
	if err != nil {
		return s.d.translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			id int64
			a  MailAttachment
		)
		if err := rows.Scan(&id, &a.Filename, &a.ContentType, &a.Size, &a.Data); err != nil {
			return err
		}
		if withData && a.Data == nil {
			a.Data = []byte{}
		}
		m := byID[id]
		m.Attachments = append(m.Attachments, a)
	}
	return s.d.translate(rows.Err())
}

// PurgedMailText replaces the body of a mail purged after delivery.
const PurgedMailText = "(contenu effacé après l'envoi)"

// PurgeMailBodies empties the bodies and attachments of the mails handed
// over (sent or kept) before before, and of those given up: their links
// and one-time tokens must not stay readable in the database. Recipient,
// subject, status and dates stay, as the record of what was sent. It
// returns how many mails it emptied.
func (s *Store) PurgeMailBodies(ctx context.Context, before time.Time) (int64, error) {
	var n int64
	err := s.Transact(ctx, func(tx *Store) error {
		cut := tx.d.ts(before)
		where := `body_text <> ? AND ((status = ? AND sent_at < ?) OR (status IN (?, ?) AND created_at < ?))`
		args := []any{PurgedMailText, MailSent, cut, MailKept, MailFailed, cut}
		if _, err := tx.exec(ctx, `DELETE FROM outbox_attachments WHERE outbox_id IN (SELECT id FROM outbox WHERE `+where+`)`, args...); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE outbox SET body_text = ?, body_html = '' WHERE `+where, append([]any{PurgedMailText}, args...)...)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	return n, err
}

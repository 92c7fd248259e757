package mail

import (
	"context"

	"permis/internal/store"
)

// Enqueue writes m to the outbox and returns the outbox id. Pass the
// Store of the use case's transaction (the tx of s.Transact) so that the
// mail is kept exactly when the change that causes it is. m.Date and
// m.MessageID are not stored: the relay derives them from the row. An
// invalid message is an apperr.Invalid error with a French message.
func Enqueue(ctx context.Context, s *store.Store, m Message) (int64, error) {
	sm := store.Mail{To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML}
	for _, a := range m.Attachments {
		sm.Attachments = append(sm.Attachments, store.MailAttachment{Filename: a.Filename, ContentType: a.ContentType, Data: a.Data})
	}
	return s.EnqueueMail(ctx, sm)
}

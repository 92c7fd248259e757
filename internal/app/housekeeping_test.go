package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"permis/internal/clock"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// Issue 10, finding 14: a mail's links and tokens do not stay in the
// outbox forever. Past the retention after delivery, its body and
// attachments are emptied (recipient, subject and status stay); a mail not
// yet sent, or sent recently, keeps its body.
func TestHousekeepingPurgesSentMailBodies(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(noon("2026-03-10"))
		s, a := mustOpenPortal(t, dsn, c)
		link := "https://permis.test/mot-de-passe/nouveau/SECRETTOKEN"
		enqueue := func(to string) int64 {
			id, err := s.EnqueueMail(ctx, store.Mail{To: to, Subject: "Réinitialisation", Text: "Votre lien : " + link,
				Attachments: []store.MailAttachment{{Filename: "a.pdf", ContentType: "application/pdf", Data: []byte("%PDF-1.7")}}})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		old, pending := enqueue("ancien@example.fr"), enqueue("attente@example.fr")
		if err := s.MarkMailSent(ctx, old, c.Now()); err != nil {
			t.Fatal(err)
		}
		c.Add(6 * 24 * time.Hour)
		recent := enqueue("recent@example.fr")
		if err := s.MarkMailSent(ctx, recent, c.Now()); err != nil {
			t.Fatal(err)
		}
		c.Add(2 * 24 * time.Hour)
		if _, err := a.Housekeeping(ctx); err != nil {
			t.Fatal(err)
		}
		for id, purged := range map[int64]bool{old: true, pending: false, recent: false} {
			m, err := s.FindMail(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if got := !strings.Contains(m.Text, "SECRETTOKEN"); got != purged {
				t.Errorf("mail to %s (%s): body %q, purged %v, want %v", m.To, m.Status, m.Text, got, purged)
			}
			if m.Subject != "Réinitialisation" {
				t.Errorf("mail to %s: subject %q lost", m.To, m.Subject)
			}
			if purged && len(m.Attachments) != 0 {
				t.Errorf("mail to %s: %d attachments kept", m.To, len(m.Attachments))
			}
		}
	})
}

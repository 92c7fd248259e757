package medical

import (
	"context"
	"fmt"

	"permis/internal/app"
	"permis/internal/mail"
	"permis/internal/requests"
	"permis/internal/store"
)

// Reminders (issue 13): the holder of a heavy category is mailed
// RemindBeforeMonths (3) months before its medical validity ends, with the
// link to the renewal request. `permis medical remind` runs it once a day;
// a reminder is recorded with its mail in one transaction, once per
// licence and end date, so a missed day is caught up the next and two runs
// at once send one mail.

// RemindSummary reports a run.
type RemindSummary struct {
	Due, Sent, NoAddress int
}

// Remind mails the holders whose heavy categories' medical validity ends
// within the reminder's window (from today), not reminded yet.
func (s *Service) Remind(ctx context.Context, req app.Request) (RemindSummary, error) {
	var sum RemindSummary
	today := s.Today()
	due, err := s.k.Store.ListMedicalRenewalsDue(ctx, today, today.AddMonths(s.cfg.RemindBeforeMonths), 10000)
	if err != nil {
		return sum, err
	}
	sum.Due = len(due)
	link := s.k.PublicURL + "/mes-demarches/nouvelle/" + requests.MedicalRenewal.Slug()
	for _, d := range due {
		err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
			fresh, err := tx.RecordMedicalReminder(ctx, d.LicenceID, d.MedicalUntil, s.k.Clock.Now())
			if err != nil || !fresh {
				return err
			}
			if d.Email == "" {
				sum.NoAddress++
				return nil
			}
			if _, err := mail.Enqueue(ctx, tx, mail.Message{To: d.Email,
				Subject: "Votre aptitude médicale poids lourd prend fin le " + d.MedicalUntil.French(),
				Text: fmt.Sprintf("Bonjour %s %s,\n\nL'aptitude médicale de vos catégories poids lourd ou transport en commun (permis n° %s) prend fin le %s. "+
					"Pour continuer à conduire ces véhicules, passez la visite médicale chez un médecin agréé (jamais votre médecin traitant), "+
					"puis demandez le renouvellement de vos catégories :\n\n%s\n\nQuelle visite passer, à quel prix : %s/visite-medicale%s",
					d.GivenNames, d.FamilyName, d.NEPH, d.MedicalUntil.French(), link, s.k.PublicURL, app.MailSignature)}); err != nil {
				return err
			}
			sum.Sent++
			return s.k.AuditTx(ctx, tx, req, "medical.reminder", "licence", d.NEPH)
		})
		if err != nil {
			return sum, err
		}
	}
	return sum, nil
}

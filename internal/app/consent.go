package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/french"
	"permis/internal/mail"
	"permis/internal/store"
)

// ConsentView is a standing consent in the holder's list.
type ConsentView struct {
	ID           int64
	Organisation string
	Email        string
	Since        string
	Withdrawn    bool
}

// GrantConsent lets one organisation be told by email when the holder's
// driving rights change (suspension, invalidation, a category expiring),
// until the holder withdraws it. The organisation gets a first mail with
// the rights as they are now.
func (a *App) GrantConsent(ctx context.Context, req Request, organisation, email string) error {
	u, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return err
	}
	organisation, email = strings.TrimSpace(organisation), strings.TrimSpace(email)
	fields := map[string]string{}
	if organisation == "" || len([]rune(organisation)) > 120 {
		fields["organisation"] = "Saisissez le nom de l'organisme (120 caractères au plus)."
	}
	if !plausibleEmail(email) {
		fields["consent_email"] = "Saisissez l'adresse électronique de l'organisme, par exemple flotte@exemple.fr."
	}
	if len(fields) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: fields}
	}
	r, err := a.rightsOf(ctx, l, false)
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		c := store.Consent{LicenceID: l.ID, UserID: u.ID, Organisation: organisation, Email: email, LastRights: r.Summary()}
		if err := tx.CreateConsent(ctx, &c); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, a.mailConsentGranted(c, r)); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "consent.grant", "licence", string(l.NEPH))
	})
}

// MyConsents lists the holder's consents, withdrawn ones included.
func (a *App) MyConsents(ctx context.Context, req Request) ([]ConsentView, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return nil, err
	}
	cs, err := a.store.ListConsents(ctx, l.ID, true)
	if err != nil {
		return nil, err
	}
	out := make([]ConsentView, len(cs))
	for i, c := range cs {
		out[i] = ConsentView{ID: c.ID, Organisation: c.Organisation, Email: c.Email,
			Since: c.CreatedAt.In(dateParis()).Format("02/01/2006"), Withdrawn: c.WithdrawnAt != nil}
	}
	return out, nil
}

// WithdrawConsent ends a consent; the organisation is told.
func (a *App) WithdrawConsent(ctx context.Context, req Request, id int64) error {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		cs, err := tx.ListConsents(ctx, l.ID, false)
		if err != nil {
			return err
		}
		if err := tx.WithdrawConsent(ctx, id, l.ID, a.clock.Now()); err != nil {
			return err
		}
		for _, c := range cs {
			if c.ID == id {
				if _, err := mail.Enqueue(ctx, tx, a.mailConsentWithdrawn(c)); err != nil {
					return err
				}
			}
		}
		return a.auditTx(ctx, tx, req, "consent.withdraw", "licence", string(l.NEPH))
	})
}

// NotifyConsents compares, for every active consent, the holder's rights
// today with those last told to the organisation, and mails the
// organisation when they changed. It returns how many mails were queued.
// The server runs it periodically; each mail and the new state are written
// in one transaction, so a crash neither loses nor repeats a notice.
func (a *App) NotifyConsents(ctx context.Context) (int, error) {
	sent := 0
	var after int64
	for {
		cs, err := a.store.ListActiveConsents(ctx, after, 500)
		if err != nil {
			return sent, err
		}
		if len(cs) == 0 {
			return sent, nil
		}
		for _, c := range cs {
			after = c.ID
			l, err := a.store.FindLicence(ctx, c.LicenceID)
			if err != nil {
				return sent, err
			}
			r, err := a.rightsOf(ctx, l, false)
			if err != nil {
				return sent, err
			}
			if r.Summary() == c.LastRights {
				continue
			}
			err = a.store.Transact(ctx, func(tx *store.Store) error {
				if err := tx.UpdateConsentRights(ctx, c.ID, r.Summary(), a.clock.Now()); err != nil {
					return err
				}
				if _, err := mail.Enqueue(ctx, tx, a.mailConsentChanged(c, r)); err != nil {
					return err
				}
				return a.auditTx(ctx, tx, Request{Actor: systemConsents, Reason: c.Organisation}, "consent.check", "licence", string(l.NEPH))
			})
			if err != nil {
				return sent, err
			}
			sent++
		}
	}
}

func (a *App) mailConsentGranted(c store.Consent, r Rights) mail.Message {
	return mail.Message{
		To:      c.Email,
		Subject: "Autorisation de suivi des droits à conduire " + french.Of(r.Holder),
		Text: "Bonjour,\n\n" + r.Holder + " vous autorise à être informé par courriel des changements de ses droits à conduire " +
			"(suspension, invalidation, fin de validité d'une catégorie), jusqu'à ce qu'" + french.Pronoun(r.Sex) + " retire cette autorisation.\n\n" +
			"Droits à la date du " + r.CheckedAt.In(dateParis()).Format("02/01/2006") + " :\n" + rightsText(r) + mailSignature,
	}
}

func (a *App) mailConsentChanged(c store.Consent, r Rights) mail.Message {
	return mail.Message{
		To:      c.Email,
		Subject: "Changement des droits à conduire " + french.Of(r.Holder),
		Text: "Bonjour,\n\nLes droits à conduire " + french.Of(r.Holder) + " ont changé. " +
			"Vous recevez ce message parce que cette personne vous y a autorisé (" + c.Organisation + ").\n\n" +
			"Droits à la date du " + r.CheckedAt.In(dateParis()).Format("02/01/2006") + " :\n" + rightsText(r) + mailSignature,
	}
}

func (a *App) mailConsentWithdrawn(c store.Consent) mail.Message {
	return mail.Message{
		To:      c.Email,
		Subject: "Fin de l'autorisation de suivi des droits à conduire",
		Text: "Bonjour,\n\nLe titulaire du permis a retiré l'autorisation donnée à " + c.Organisation +
			". Vous ne recevrez plus d'information sur ses droits à conduire." + mailSignature,
	}
}

func rightsText(r Rights) string {
	var b strings.Builder
	fmt.Fprintf(&b, "- droit à conduire : %s\n", r.StateLabel)
	for _, c := range r.Categories {
		state := "valide"
		if !c.ValidToday {
			state = "non valide"
		}
		fmt.Fprintf(&b, "- catégorie %s : %s", c.Category, state)
		if c.ValidUntil.Valid {
			fmt.Fprintf(&b, " (jusqu'au %s)", c.ValidUntil.Date.French())
		}
		b.WriteString("\n")
	}
	return b.String()
}

// systemConsents is the actor of the consent notifications.
var systemConsents = access.SystemActor("consents")

func dateParis() *time.Location { return date.Paris() }

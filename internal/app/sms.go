package app

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/sms"
	"permis/internal/store"
)

// SMS notices: a citizen who gives a mobile number in their space gets a
// text at each step of their licence requests, besides the mail.

// SetSMSPhone records (or, with "", removes) the signed-in citizen's mobile
// number for notices.
func (a *App) SetSMSPhone(ctx context.Context, req Request, phone string) (string, error) {
	if req.Actor.Role != access.Citizen {
		return "", apperr.New(apperr.Forbidden, "Seul un usager peut recevoir des SMS de suivi.")
	}
	id, err := userIDOf(req.Actor)
	if err != nil {
		return "", err
	}
	e164 := ""
	if strings.TrimSpace(phone) != "" {
		if e164, err = sms.ParseMobile(phone); err != nil {
			return "", err
		}
	}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.SetUserSMSPhone(ctx, id, e164); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "account.sms_phone", "user", fmt.Sprint(id))
	})
	return e164, err
}

// MySMSPhone returns the signed-in citizen's notice number, "" when none.
func (a *App) MySMSPhone(ctx context.Context, req Request) (string, error) {
	id, err := userIDOf(req.Actor)
	if err != nil {
		return "", err
	}
	return a.store.UserSMSPhone(ctx, id)
}

// smsStep queues the text of a request's step for its owner, in tx, when
// the owner gave a number. The text names the step, not the person's data.
func (a *App) smsStep(ctx context.Context, tx *store.Store, r store.Request, subject string) error {
	if r.OwnerID == 0 {
		return nil
	}
	phone, err := tx.UserSMSPhone(ctx, r.OwnerID)
	if err != nil || phone == "" {
		if apperr.Is(err, apperr.NotFound) {
			return nil
		}
		return err
	}
	_, err = tx.EnqueueSMS(ctx, phone, "Permis de conduire — demande "+r.Reference+" : "+subject+". Détails : "+a.publicURL+"/mes-demarches/"+fmt.Sprint(r.ID))
	return err
}

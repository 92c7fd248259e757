package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// Linking a licence to an account (issue 10, finding 2). A holder's NEPH,
// name and birth date are printed on the card and on every fine: knowing
// them proves nothing. Linking therefore needs a proof of identity:
//
//   - an identity from the national identity provider (FranceConnect),
//     whose verified civil status matches the register; the check relies on
//     where the identity comes from (Config.IdentityIssuer), not on the
//     provider's internals;
//   - for a local account, whose email must be confirmed first, an
//     activation code posted to the holder's address in the register
//     (valid linkCodeTTL, single use, only its hash kept).
//
// A licence is linked to one account at most (a unique index); a second
// attempt is refused and the current holder told by mail.

const (
	linkCodeTTL     = 30 * 24 * time.Hour // the letter's code is valid 30 days
	linkCodeLength  = 12                  // symbols of secret.CodeAlphabet, about 60 bits
	linkLettersUser = 3                   // letters an account may ask for per 30 days
)

// errNeedsProof tells a local account how to prove its identity.
var errNeedsProof = apperr.New(apperr.Forbidden,
	"Pour rattacher votre permis, prouvez votre identité : connectez-vous avec votre identité numérique (FranceConnect), "+
		"ou demandez un code d'activation, que nous envoyons par courrier à l'adresse enregistrée pour votre permis.")

// errEmailUnverified is the answer to a local account whose address is not
// confirmed yet: nothing personal is shown to it.
var errEmailUnverified = apperr.New(apperr.Forbidden,
	"Confirmez d'abord votre adresse électronique : ouvrez le lien que nous vous avons envoyé par courriel (ou demandez-en un nouveau depuis votre espace).")

// errAlreadyLinked refuses a licence already linked to another account.
var errAlreadyLinked = apperr.New(apperr.Conflict,
	"Ce permis est déjà rattaché à un autre compte, dont le titulaire vient d'être prévenu. "+
		"Si ce compte n'est pas le vôtre, signalez-le à l'assistance depuis la page « Signaler un problème ».")

// VerifiedIdentity reports whether the account signed in through the
// national identity provider, whose civil status is verified.
func (a *App) VerifiedIdentity(u store.User) bool {
	return a.identityIssuer != "" && u.OIDCSubject != "" && u.OIDCIssuer == a.identityIssuer
}

// IdentityVerified reports whether the account's identity comes from the
// national identity provider: it links its licence with LinkLicence; any
// other account asks for a code by post (RequestLinkCode).
func (a *App) IdentityVerified(acct Account) bool {
	return a.identityIssuer != "" && acct.ViaOIDC && acct.OIDCIssuer == a.identityIssuer
}

// mayShowPersonal reports whether personal data may be shown to the
// account: a verified identity, or a local account whose email address is
// confirmed.
func mayShowPersonal(u store.User) error {
	if u.OIDCSubject == "" && u.EmailVerifiedAt == nil {
		return errEmailUnverified
	}
	return nil
}

// linkCandidate loads the signed-in citizen and the licence they name, and
// checks the civil status of the account against the register's holder.
func (a *App) linkCandidate(ctx context.Context, req Request, number string) (store.User, licence.Licence, licence.Person, error) {
	var u store.User
	var l licence.Licence
	var p licence.Person
	if req.Actor.Role != access.Citizen {
		return u, l, p, apperr.New(apperr.Forbidden, "Seul un usager peut rattacher son permis à son compte.")
	}
	userID, err := userIDOf(req.Actor)
	if err != nil {
		return u, l, p, err
	}
	number = strings.ToUpper(strings.Join(strings.Fields(number), ""))
	if number == "" {
		return u, l, p, apperr.Field("number", "Saisissez le numéro de votre permis ou votre NEPH.")
	}
	if err := a.limit(ctx, fmt.Sprintf("link:user:%d", userID), time.Hour, linkPerHour); err != nil {
		return u, l, p, err
	}
	if u, err = a.store.FindUser(ctx, userID); err != nil {
		return u, l, p, err
	}
	if u.LicenceID != 0 {
		return u, l, p, apperr.New(apperr.Conflict, "Un permis est déjà rattaché à votre compte.")
	}
	l, err = a.findLicenceByNumber(ctx, number)
	if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Invalid) {
		_ = a.audit.Record(ctx, a.entry(req, "licence.link_failed", "user", fmt.Sprint(userID)))
		return u, l, p, errNoMatch
	}
	if err != nil {
		return u, l, p, err
	}
	if p, err = a.store.FindPerson(ctx, l.PersonID); err != nil {
		return u, l, p, err
	}
	if !sameHolder(u, p) {
		_ = a.audit.Record(ctx, a.entry(req, "licence.link_failed", "user", fmt.Sprint(userID)))
		return u, l, p, errNoMatch
	}
	return u, l, p, nil
}

// LinkLicence links the signed-in citizen's account to their licence, found
// by NEPH or card number, when the account's identity comes from the
// national identity provider and its civil status is the register's
// holder's: family (or usage) name and first given name equal without
// accents or case, and the same birth date. Local accounts prove
// themselves with RequestLinkCode and LinkWithCode instead.
func (a *App) LinkLicence(ctx context.Context, req Request, number string) error {
	u, l, _, err := a.linkCandidate(ctx, req, number)
	if err != nil {
		return err
	}
	if !a.VerifiedIdentity(u) {
		return errNeedsProof
	}
	return a.link(ctx, req, u, l)
}

// link records the link in one transaction with its audit entry. A licence
// already linked to another account (the unique index decides, even between
// two attempts at the same instant) is refused and its holder told.
func (a *App) link(ctx context.Context, req Request, u store.User, l licence.Licence) error {
	now := a.clock.Now()
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &l.ID, LinkedAt: &now}); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "licence.link", "licence", string(l.NEPH))
	})
	if apperr.Is(err, apperr.Conflict) {
		return a.refuseSecondLink(ctx, req, u, l)
	}
	return err
}

// refuseSecondLink tells the account the licence is linked to that another
// account tried to link it, and answers errAlreadyLinked.
func (a *App) refuseSecondLink(ctx context.Context, req Request, u store.User, l licence.Licence) error {
	err := a.store.Transact(ctx, func(tx *store.Store) error {
		holder, err := tx.FindUserOfLicence(ctx, l.ID)
		if err != nil {
			return err
		}
		if holder.Email != "" {
			if _, err := mail.Enqueue(ctx, tx, a.mailSecondLink(holder)); err != nil {
				return err
			}
		}
		return a.auditTx(ctx, tx, req, "licence.link_refused", "licence", string(l.NEPH))
	})
	if err != nil {
		return err
	}
	return errAlreadyLinked
}

// LinkCodeLetter is what RequestLinkCode answers: when the letter was
// queued and until when its code works.
type LinkCodeLetter struct {
	ValidUntil date.Date
}

// RequestLinkCode posts an activation code to the address the register
// holds for the licence named by number, when the signed-in local account
// (email confirmed) has the holder's civil status. The same neutral answer
// as LinkLicence covers an unknown number and another person's.
func (a *App) RequestLinkCode(ctx context.Context, req Request, number string) (LinkCodeLetter, error) {
	u, l, p, err := a.linkCandidate(ctx, req, number)
	if err != nil {
		return LinkCodeLetter{}, err
	}
	if err := mayShowPersonal(u); err != nil {
		return LinkCodeLetter{}, err
	}
	if linked, err := a.store.FindUserOfLicence(ctx, l.ID); err == nil && linked.ID != u.ID {
		return LinkCodeLetter{}, a.refuseSecondLink(ctx, req, u, l)
	} else if err != nil && !apperr.Is(err, apperr.NotFound) {
		return LinkCodeLetter{}, err
	}
	address := postalAddress(p.Address)
	if address == "" {
		return LinkCodeLetter{}, apperr.New(apperr.Conflict,
			"Aucune adresse postale n'est enregistrée pour ce permis : nous ne pouvons pas vous envoyer de code. "+
				"Connectez-vous avec votre identité numérique (FranceConnect) ou contactez l'assistance.")
	}
	now := a.clock.Now()
	if n, err := a.store.CountLinkCodes(ctx, u.ID, now.Add(-linkCodeTTL)); err != nil {
		return LinkCodeLetter{}, err
	} else if n >= linkLettersUser {
		return LinkCodeLetter{}, apperr.New(apperr.TooMany,
			"Vous avez déjà demandé plusieurs courriers ce mois-ci : attendez leur arrivée (quelques jours ouvrés). Chaque code reste valable 30 jours.")
	}
	code := secret.NewCode(linkCodeLength)
	until := now.Add(linkCodeTTL)
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateLinkCode(ctx, store.LinkCode{Hash: secret.HashToken(code), UserID: u.ID, LicenceID: l.ID,
			CreatedAt: now, ExpiresAt: until}); err != nil {
			return err
		}
		letter := a.linkCodeLetter(p, address, code, date.Today(until))
		letter.LicenceID = l.ID
		if err := tx.CreatePostalLetter(ctx, &letter); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "licence.link_code_posted", "licence", string(l.NEPH))
	})
	if err != nil {
		return LinkCodeLetter{}, err
	}
	return LinkCodeLetter{ValidUntil: date.Today(until)}, nil
}

// LinkWithCode links the licence the activation code was posted for to the
// signed-in account that asked for it. A code works once, for 30 days, for
// that account only; attempts are limited like the number form.
func (a *App) LinkWithCode(ctx context.Context, req Request, code string) error {
	if req.Actor.Role != access.Citizen {
		return apperr.New(apperr.Forbidden, "Seul un usager peut rattacher son permis à son compte.")
	}
	userID, err := userIDOf(req.Actor)
	if err != nil {
		return err
	}
	code = secret.NormalizeCode(code)
	if !secret.IsCode(code, linkCodeLength) {
		return apperr.Field("code", fmt.Sprintf("Saisissez le code d'activation de %d caractères reçu par courrier.", linkCodeLength))
	}
	if err := a.limit(ctx, fmt.Sprintf("link:user:%d", userID), time.Hour, linkPerHour); err != nil {
		return err
	}
	u, err := a.store.FindUser(ctx, userID)
	if err != nil {
		return err
	}
	if err := mayShowPersonal(u); err != nil {
		return err
	}
	if u.LicenceID != 0 {
		return apperr.New(apperr.Conflict, "Un permis est déjà rattaché à votre compte.")
	}
	now := a.clock.Now()
	var l licence.Licence
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		id, err := tx.UseLinkCode(ctx, secret.HashToken(code), u.ID, now)
		if err != nil {
			return err
		}
		if l, err = tx.FindLicence(ctx, id); err != nil {
			return err
		}
		if err := tx.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &l.ID, LinkedAt: &now}); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "licence.link", "licence", string(l.NEPH))
	})
	switch {
	case apperr.Is(err, apperr.NotFound):
		_ = a.audit.Record(ctx, a.entry(req, "licence.link_failed", "user", fmt.Sprint(userID)))
		return apperr.Field("code", "Ce code n'est pas valable : vérifiez-le, il sert une seule fois et pendant 30 jours, pour le compte qui l'a demandé.")
	case apperr.Is(err, apperr.Conflict):
		return a.refuseSecondLink(ctx, req, u, l)
	}
	return err
}

// postalAddress writes the register's address as the lines of an envelope.
func postalAddress(ad licence.Address) string {
	var lines []string
	for _, l := range []string{ad.Line1, ad.Line2, strings.TrimSpace(ad.PostalCode + " " + ad.City)} {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	if len(lines) == 0 {
		return ""
	}
	if ad.Country != "" && ad.Country != "FR" {
		lines = append(lines, ad.Country)
	}
	return strings.Join(lines, "\n")
}

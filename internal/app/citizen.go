package app

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/licence"
	"permis/internal/store"
)

// Linking rules: a citizen may try this many licence numbers per hour, so
// that nobody can walk the register through the form.
const linkPerHour = 5

// errNoMatch is the one answer to a licence number that does not exist,
// and to one whose holder is not the signed-in person: the form must not
// tell which.
var errNoMatch = apperr.Field("number",
	"Nous n'avons pas trouvé de permis à votre nom avec ce numéro. Vérifiez le numéro : il figure sur votre permis (rubrique 5 pour le numéro du titre) ou sur vos courriers (NEPH, 12 chiffres).")

func (a *App) findLicenceByNumber(ctx context.Context, number string) (licence.Licence, error) {
	if n, err := licence.ParseNEPH(number); err == nil {
		return a.store.FindLicenceByNEPH(ctx, n)
	}
	t, err := licence.ParseTitleNumber(number)
	if err != nil {
		return licence.Licence{}, apperr.Wrap(apperr.Invalid, "numéro illisible", err)
	}
	return a.store.FindLicenceByTitleNumber(ctx, t)
}

// sameHolder compares the account's identity with the register's person.
func sameHolder(u store.User, p licence.Person) bool {
	if !u.BirthDate.Valid || u.BirthDate.Date != p.BirthDate {
		return false
	}
	if !licence.SameName(u.FamilyName, p.FamilyName) && (p.UsageName == "" || !licence.SameName(u.FamilyName, p.UsageName)) {
		return false
	}
	given := strings.Fields(u.GivenName)
	if len(given) == 0 || len(p.GivenNames) == 0 {
		return false
	}
	// The provider may send "Jean-Pierre Marie" and the register hold
	// ["Jean-Pierre", "Marie"]: the first given name must agree.
	return licence.SameName(given[0], p.GivenNames[0])
}

func userIDOf(ac access.Actor) (int64, error) {
	var id int64
	if ac.Kind != access.KindUser {
		return 0, apperr.New(apperr.Unauthenticated, "Connectez-vous pour accéder à votre espace.")
	}
	if _, err := fmt.Sscanf(ac.ID, "user:%d", &id); err != nil || id <= 0 {
		return 0, apperr.New(apperr.Unauthenticated, "Connectez-vous pour accéder à votre espace.")
	}
	return id, nil
}

// ownLicence returns the signed-in citizen's linked licence, or a not_found
// error that tells them to link it. It is the only way citizen use cases
// find a licence: there is no licence id in a citizen's URLs.
func (a *App) ownLicence(ctx context.Context, req Request) (store.User, licence.Licence, error) {
	if req.Actor.Role != access.Citizen {
		return store.User{}, licence.Licence{}, apperr.New(apperr.Forbidden, "Cet espace est réservé aux titulaires du permis.")
	}
	userID, err := userIDOf(req.Actor)
	if err != nil {
		return store.User{}, licence.Licence{}, err
	}
	u, err := a.store.FindUser(ctx, userID)
	if err != nil {
		return store.User{}, licence.Licence{}, err
	}
	if u.LicenceID == 0 {
		return u, licence.Licence{}, apperr.New(apperr.NotFound, "Aucun permis n'est encore rattaché à votre compte.")
	}
	if err := mayShowPersonal(u); err != nil {
		return u, licence.Licence{}, err
	}
	l, err := a.store.FindLicence(ctx, u.LicenceID)
	return u, l, err
}

// MyLicence is the citizen's own licence record.
func (a *App) MyLicence(ctx context.Context, req Request) (LicenceView, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return LicenceView{}, err
	}
	p, err := a.store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return LicenceView{}, err
	}
	titles, err := a.store.ListTitles(ctx, l.ID)
	if err != nil {
		return LicenceView{}, err
	}
	return licenceView(l, p, titles, a.today()), nil
}

// MyPoints is the citizen's own points, replayed today from the ledger.
// The holder's own reads are not written to the audit log: it records who
// else read the file.
func (a *App) MyPoints(ctx context.Context, req Request) (PointsView, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return PointsView{}, err
	}
	ll, err := a.store.LoadLicenceLedgerByNEPH(ctx, l.NEPH)
	if err != nil {
		return PointsView{}, err
	}
	res, err := a.rules.Replay(ll.Ledger, a.today())
	if err != nil {
		return PointsView{}, apperr.Wrap(apperr.Internal, "Le relevé de points ne peut pas être calculé.", err)
	}
	return pointsView(l.NEPH, res), nil
}

// Consultation is one read of the citizen's file by someone else.
type Consultation struct {
	At     time.Time
	Who    string // role, and organisation where known
	What   string // what was read, in French
	Reason string
}

// consultedActions are the audit actions that are reads of a person's file
// by someone else, with their French description.
var consultedActions = map[string]string{
	"licence.read":     "Consultation du dossier de permis",
	"points.read":      "Consultation du solde et de l'historique des points",
	"check.read":       "Vérification des droits à conduire avec un code de vérification",
	"check.statement":  "Téléchargement de l'attestation avec un code de vérification",
	"consent.check":    "Vérification des droits par un organisme autorisé",
	"statement.verify": "Vérification d'un relevé ou d'une attestation",
}

// MyConsultations lists who read the citizen's file, when and why, newest
// first: every read by an agent or a partner is in the audit log.
func (a *App) MyConsultations(ctx context.Context, req Request) ([]Consultation, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return nil, err
	}
	entries, err := a.store.ListAudit(ctx, "licence", string(l.NEPH))
	if err != nil {
		return nil, err
	}
	var out []Consultation
	for _, e := range slices.Backward(entries) {
		what, ok := consultedActions[e.Action]
		if !ok {
			continue
		}
		who := access.Role(e.ActorRole).Label()
		if strings.HasPrefix(e.Actor, "check:") || e.ActorRole == "" {
			who = "Tiers muni de votre code de vérification"
		}
		out = append(out, Consultation{At: e.At, Who: who, What: what, Reason: e.Reason})
	}
	return out, nil
}

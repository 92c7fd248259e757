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
	// An agent at a help point reading the request the person shared with
	// an appointment.
	"request.read_shared": "Consultation de votre demande, que vous avez partagée avec un rendez-vous",
}

// consultedRequestActions are the reads of one of the person's licence
// requests by someone else (subject "request", its reference).
var consultedRequestActions = map[string]string{
	"request.read": "Consultation de votre demande %s",
	"request.file": "Téléchargement d'une pièce de votre demande %s",
}

// MyConsultations lists who read the citizen's data, when and why, newest
// first: every read of their licence record and of their licence requests
// (the file, each downloaded document) by an agent or a partner is in the
// audit log. The person's own reads are not listed: an entry whose actor is
// the person is theirs.
func (a *App) MyConsultations(ctx context.Context, req Request) ([]Consultation, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return nil, err
	}
	entries, err := a.store.ListAudit(ctx, "licence", string(l.NEPH))
	if err != nil {
		return nil, err
	}
	own := actorID(req.Actor)
	var out []Consultation
	for _, e := range entries {
		what, ok := consultedActions[e.Action]
		if !ok || e.Actor == own {
			continue
		}
		out = append(out, Consultation{At: e.At, Who: consultant(e), What: what, Reason: e.Reason})
	}
	owner, err := requestOwner(req)
	if err != nil {
		return nil, err
	}
	mine, err := a.store.ListRequestsOfOwner(ctx, owner)
	if err != nil {
		return nil, err
	}
	for _, r := range mine {
		entries, err := a.store.ListAudit(ctx, "request", r.Reference)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			what, ok := consultedRequestActions[e.Action]
			if !ok || e.Actor == own {
				continue
			}
			c := Consultation{At: e.At, Who: consultant(e), What: fmt.Sprintf(what, r.Reference)}
			if e.Action == "request.file" && e.Reason != "" {
				c.What += " : " + e.Reason // the document, as recorded by AgentRequestFile
			} else {
				c.Reason = e.Reason
			}
			out = append(out, c)
		}
	}
	slices.SortStableFunc(out, func(x, y Consultation) int { return y.At.Compare(x.At) })
	return out, nil
}

// consultant names who read: a role, or the third party holding a check
// code.
func consultant(e store.AuditEntry) string {
	switch {
	case strings.HasPrefix(e.Actor, "check:"):
		return "Tiers muni de votre code de vérification"
	case e.ActorRole == "" || e.Actor == "anonymous":
		return "Personne non connectée, munie d'un de vos relevés ou attestations"
	}
	return access.Role(e.ActorRole).Label()
}

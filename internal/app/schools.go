package app

import (
	"context"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/french"
	"permis/internal/licence"
	"permis/internal/mail"
	"permis/internal/requests"
	"permis/internal/secret"
	"permis/internal/store"
)

// Driving schools (issue 4 item 8): a school records the mandate a student
// signed, files first-licence and new-category requests for the student
// under it, follows them, and moves a file to another school only with the
// student's consent, given through a one-time link mailed to the student.

// TransferLinkValidity is how long the student's consent link is valid.
const TransferLinkValidity = 14 * 24 * time.Hour

func schoolOf(req Request) (int64, error) {
	if req.Actor.Role != access.DrivingSchool {
		return 0, apperr.New(apperr.Forbidden, "Cette page est réservée aux auto-écoles.")
	}
	return userIDOf(req.Actor)
}

// MandateInput is a student's signed mandate as the school types it.
type MandateInput struct {
	FamilyName, GivenNames string
	BirthDate              date.Date
	Email                  string
	NEPH                   string // when the student already has one
	Reference              string
	SignedOn               date.Date
}

// RecordMandate records the school's mandate for a student.
func (a *App) RecordMandate(ctx context.Context, req Request, in MandateInput) (store.Mandate, error) {
	school, err := schoolOf(req)
	if err != nil {
		return store.Mandate{}, err
	}
	p := map[string]string{}
	if strings.TrimSpace(in.FamilyName) == "" {
		p["family_name"] = "Saisissez le nom de l'élève."
	}
	if strings.TrimSpace(in.GivenNames) == "" {
		p["given_names"] = "Saisissez le ou les prénoms de l'élève."
	}
	today := a.today()
	if in.BirthDate == 0 || in.BirthDate > today {
		p["birth_date"] = "Saisissez la date de naissance de l'élève, par exemple 14 7 2008."
	}
	email := strings.ToLower(strings.TrimSpace(in.Email))
	if !plausibleEmail(email) {
		p["email"] = "Saisissez l'adresse électronique de l'élève, par exemple nom@domaine.fr : elle sert à recueillir son accord pour un transfert."
	}
	neph := ""
	if strings.TrimSpace(in.NEPH) != "" {
		if n, err := licence.ParseNEPH(in.NEPH); err != nil {
			p["neph"] = "Le NEPH compte 12 chiffres : laissez ce champ vide si l'élève n'en a pas encore."
		} else {
			neph = string(n)
		}
	}
	if strings.TrimSpace(in.Reference) == "" {
		p["reference"] = "Saisissez la référence du mandat signé par l'élève."
	}
	if in.SignedOn == 0 || in.SignedOn > today {
		p["signed_on"] = "Saisissez la date de signature du mandat (aujourd'hui ou avant)."
	}
	if len(p) > 0 {
		return store.Mandate{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: p}
	}
	m := store.Mandate{SchoolID: school, FamilyName: in.FamilyName, GivenNames: in.GivenNames, BirthDate: in.BirthDate,
		Email: email, NEPH: neph, Reference: in.Reference, SignedOn: in.SignedOn}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateMandate(ctx, &m); err != nil {
			if apperr.Is(err, apperr.Conflict) {
				return apperr.Field("reference", "Vous avez déjà enregistré un mandat sous cette référence.")
			}
			return err
		}
		return a.auditTx(ctx, tx, req, "mandate.record", "mandate", m.Reference)
	})
	return m, err
}

// RevokeMandate ends the school's mandate id: no new request can be filed
// under it (the requests already filed stay with the school).
func (a *App) RevokeMandate(ctx context.Context, req Request, id int64) error {
	school, err := schoolOf(req)
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		m, err := tx.RevokeMandate(ctx, id, school)
		if err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "mandate.revoke", "mandate", m.Reference)
	})
}

// StudentView is a student under mandate with the requests filed for them.
type StudentView struct {
	Mandate  store.Mandate
	Requests []store.Request
}

// MyStudents returns the school's students (its mandates, newest first)
// with the requests the school filed under each.
func (a *App) MyStudents(ctx context.Context, req Request) ([]StudentView, error) {
	school, err := schoolOf(req)
	if err != nil {
		return nil, err
	}
	ms, err := a.store.ListMandatesOfSchool(ctx, school)
	if err != nil {
		return nil, err
	}
	rs, err := a.store.ListRequestsOfOwner(ctx, school)
	if err != nil {
		return nil, err
	}
	out := make([]StudentView, len(ms))
	for i, m := range ms {
		out[i].Mandate = m
		for _, r := range rs {
			if r.MandateRef == m.Reference {
				out[i].Requests = append(out[i].Requests, r)
			}
		}
	}
	return out, nil
}

// checkMandate returns the school's active mandate for that student, or
// refuses the request.
func (a *App) checkMandate(ctx context.Context, school int64, in StartInput) (store.Mandate, error) {
	m, err := a.store.FindActiveMandate(ctx, school, in.MandateRef)
	if apperr.Is(err, apperr.NotFound) {
		return m, apperr.Field("mandate_ref", "Aucun mandat en cours ne porte cette référence : enregistrez d'abord le mandat signé par l'élève.")
	}
	if err != nil {
		return m, err
	}
	if !licence.SameName(m.FamilyName, in.Student.FamilyName) || m.BirthDate != in.Student.BirthDate {
		return m, apperr.Field("mandate_ref", "Ce mandat a été signé par un autre élève : vérifiez le nom, la date de naissance et la référence.")
	}
	return m, nil
}

// StartRequestForStudent starts a request of kind for the student of the
// school's mandate mandateID (names and birth date from the mandate).
func (a *App) StartRequestForStudent(ctx context.Context, req Request, mandateID int64, kind string) (store.Request, error) {
	school, err := schoolOf(req)
	if err != nil {
		return store.Request{}, err
	}
	m, err := a.store.FindMandateOfSchool(ctx, mandateID, school)
	if err != nil {
		return store.Request{}, err
	}
	if m.RevokedAt != nil {
		return store.Request{}, apperr.New(apperr.Conflict, "Ce mandat est révoqué : vous ne pouvez plus déposer de demande pour cet élève.")
	}
	return a.StartRequest(ctx, req, StartInput{Kind: kind, MandateRef: m.Reference,
		Student: &Student{FamilyName: m.FamilyName, GivenNames: m.GivenNames, BirthDate: m.BirthDate}})
}

// TransferRequest asks the student of the school's request id for consent
// to move it to the school whose account is toSchoolEmail: the student is
// mailed a one-time link.
func (a *App) TransferRequest(ctx context.Context, req Request, id int64, toSchoolEmail string) error {
	school, err := schoolOf(req)
	if err != nil {
		return err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, school)
	if err != nil {
		return err
	}
	m, err := a.store.FindActiveMandate(ctx, school, r.MandateRef)
	if err != nil {
		return apperr.New(apperr.Conflict, "Le mandat de cet élève n'est plus en cours : le transfert ne peut pas lui être proposé.")
	}
	to, err := a.store.FindUserByEmail(ctx, strings.ToLower(strings.TrimSpace(toSchoolEmail)))
	if err != nil || to.Role != string(access.DrivingSchool) || to.DisabledAt != nil {
		return apperr.Field("to_school", "Aucune auto-école n'a de compte à cette adresse électronique.")
	}
	if to.ID == school {
		return apperr.Field("to_school", "Indiquez l'adresse du compte d'une autre auto-école que la vôtre.")
	}
	from, err := a.store.FindUser(ctx, school)
	if err != nil {
		return err
	}
	plain, hash := secret.NewToken()
	now := a.clock.Now()
	t := store.Transfer{RequestID: r.ID, FromSchool: school, ToSchool: to.ID, StudentEmail: m.Email, TokenHash: hash,
		ExpiresAt: now.Add(TransferLinkValidity)}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateTransfer(ctx, &t); err != nil {
			return err
		}
		if _, err := mail.Enqueue(ctx, tx, mail.Message{To: m.Email, Subject: "Transfert de votre dossier de permis (" + r.Reference + ")",
			Text: "Bonjour,\n\nL'auto-école " + schoolName(from) + " propose de transférer votre demande " + r.Reference + " (" +
				kindLabel(r.Kind) + ") à l'auto-école " + schoolName(to) + ".\n\nSi vous êtes d'accord, confirmez-le avec ce lien (valable " +
				"14 jours, une seule fois) :\n" + a.publicURL + "/auto-ecole/transfert/" + plain +
				"\n\nSi vous n'êtes pas d'accord, ne faites rien : votre dossier reste à votre auto-école actuelle." + mailSignature}); err != nil {
			return err
		}
		if err := a.event(ctx, tx, req, r.ID, "system", "Transfert proposé à l'élève", "Vers l'auto-école "+schoolName(to), false); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "request.transfer_ask", "request", r.Reference)
	})
}

func schoolName(u store.User) string {
	if u.Organisation != "" {
		return u.Organisation
	}
	return strings.TrimSpace(u.GivenName + " " + u.FamilyName)
}

// TransferView is what the student's consent page shows.
type TransferView struct {
	Reference, Kind, From, To string
}

// TransferInfo returns what the consent link token proposes.
func (a *App) TransferInfo(ctx context.Context, token string) (TransferView, error) {
	t, err := a.store.FindTransferByHash(ctx, secret.HashToken(token), a.clock.Now())
	if err != nil {
		return TransferView{}, err
	}
	r, err := a.store.FindRequest(ctx, t.RequestID)
	if err != nil {
		return TransferView{}, err
	}
	from, err := a.store.FindUser(ctx, t.FromSchool)
	if err != nil {
		return TransferView{}, err
	}
	to, err := a.store.FindUser(ctx, t.ToSchool)
	if err != nil {
		return TransferView{}, err
	}
	return TransferView{Reference: r.Reference, Kind: kindLabel(r.Kind), From: schoolName(from), To: schoolName(to)}, nil
}

// ConsentTransfer is the student's consent given through the link: in one
// transaction the link is used, the new school gets a mandate (a new
// reference) and the request, the timeline and the audit say so. The old
// school loses access at once (its reads check the owner).
func (a *App) ConsentTransfer(ctx context.Context, req Request, token string) (TransferView, error) {
	v, err := a.TransferInfo(ctx, token)
	if err != nil {
		return v, err
	}
	now := a.clock.Now()
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		t, err := tx.FindTransferByHash(ctx, secret.HashToken(token), now)
		if err != nil {
			return err
		}
		if err := tx.UseTransfer(ctx, t.ID, now); err != nil {
			return err
		}
		r, err := tx.FindRequestOfOwner(ctx, t.RequestID, t.FromSchool)
		if err != nil {
			return apperr.New(apperr.Conflict, "Ce dossier a déjà changé d'auto-école : ce lien ne peut plus servir.")
		}
		old, err := tx.FindActiveMandate(ctx, t.FromSchool, r.MandateRef)
		if err != nil {
			return err
		}
		to, err := tx.FindUser(ctx, t.ToSchool)
		if err != nil {
			return err
		}
		m := store.Mandate{SchoolID: t.ToSchool, FamilyName: old.FamilyName, GivenNames: old.GivenNames, BirthDate: old.BirthDate,
			Email: old.Email, NEPH: old.NEPH, Reference: "TRANSFERT-" + r.Reference + "-" + secret.NewCode(4), SignedOn: date.Today(now)}
		if err := tx.CreateMandate(ctx, &m); err != nil {
			return err
		}
		if err := tx.MoveRequest(ctx, r.ID, t.FromSchool, t.ToSchool, m.Reference, to.Email); err != nil {
			return err
		}
		if err := a.event(ctx, tx, req, r.ID, "system", "Dossier transféré à une autre auto-école",
			"Avec l'accord de l'élève, "+french.Of(v.From)+" à "+v.To, false); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "request.transfer", "request", r.Reference)
	})
	return v, err
}

// SchoolKinds are the request types a driving school may file.
func SchoolKinds() []requests.Type {
	var out []requests.Type
	for _, t := range requests.Types() {
		if t.Filable(access.DrivingSchool) {
			out = append(out, t)
		}
	}
	return out
}

// ParseTypedDate reads a date as people type it (JJ/MM/AAAA) or as a date
// field sends it (AAAA-MM-JJ); ok is false otherwise.
func ParseTypedDate(s string) (d date.Date, ok bool) { return parseBirthDate(s) }

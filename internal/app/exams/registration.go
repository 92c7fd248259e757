package exams

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/store"
)

// Registration for the exams (issue 14 §1; docs/exams.md "Registration:
// the flow"): the candidate files it (FileRegistration), an agent accepts
// it (AcceptRegistration), which gives the NEPH: a new one for a person
// who holds no licence, kept on the registration; the NEPH of their
// licence when they come back after an invalidation or an annulment.

// RegisterInput is what the candidate declares when filing.
type RegisterInput struct {
	Category  string
	French    bool // a French national (the JDC concerns them)
	AAC       bool // apprentissage anticipé de la conduite (B)
	Automatic bool
	Health    bool // a health problem or an invalidity pension declared
	// HandedIn is the day the card was handed in to the préfet (JJ/MM/AAAA),
	// asked only when the linked licence is invalidated.
	HandedIn string
	// The photo: an ePhoto code (checked and claimed at filing, as the
	// requests do), or the paper photo-signature form brought instead.
	// Kept in their own columns, not in the declarations' JSON.
	EPhotoCode string `json:"-"`
	PaperPhoto bool   `json:"-"`
	// Documents are the files sent, by document (registration_files.go).
	Documents map[requests.Document]Upload `json:"-"`
}

// Registered is a registration with the decision of the rules on it.
type Registered struct {
	store.ExamRegistration
	Decision exam.Registration
}

// applicant builds what the rules need about the signed-in citizen; the
// licence linked to the account, if any, gives the categories held or
// the comeback after an invalidation or an annulment.
func (s *Service) applicant(ctx context.Context, req app.Request, in RegisterInput) (store.User, licence.Licence, exam.Applicant, error) {
	var l licence.Licence
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.Citizen {
		return store.User{}, l, exam.Applicant{}, apperr.New(apperr.Forbidden, "Seul le candidat s'inscrit lui-même aux examens.")
	}
	u, err := s.k.Store.FindUser(ctx, me)
	if err != nil {
		return u, l, exam.Applicant{}, err
	}
	l, a, err := s.applicantOf(ctx, u, in)
	return u, l, a, err
}

// applicantOf builds what the rules need about the account u.
func (s *Service) applicantOf(ctx context.Context, u store.User, in RegisterInput) (licence.Licence, exam.Applicant, error) {
	var l licence.Licence
	var err error
	if !u.BirthDate.Valid {
		return l, exam.Applicant{}, apperr.New(apperr.Invalid,
			"Votre date de naissance n'est pas connue : connectez-vous avec FranceConnect pour vous inscrire.")
	}
	cat := licence.Category(strings.TrimSpace(in.Category))
	if cat != licence.CategoryB && cat != licence.CategoryAM {
		return l, exam.Applicant{}, apperr.Field("category", "Choisissez la catégorie B (voiture) : l'inscription en ligne concerne la catégorie B.")
	}
	a := exam.Applicant{Born: u.BirthDate.Date, French: in.French, Category: cat, AAC: in.AAC, Automatic: in.Automatic,
		Filer: exam.ByCandidate, Health: in.Health}
	if u.LicenceID == 0 {
		return l, a, nil
	}
	if l, err = s.k.Store.FindLicence(ctx, u.LicenceID); err != nil {
		return l, a, err
	}
	switch l.State {
	case licence.StateInvalidated:
		handed, err := date.ParseTyped(in.HandedIn)
		if err != nil {
			return l, a, apperr.Field("handed_in", "Indiquez le jour où vous avez remis votre permis à la préfecture, au format JJ/MM/AAAA.")
		}
		// The register's history of the right gives the invalidation
		// notified before this one, if any: within 5 years the wait is a
		// year (C. route L223-5 II).
		prev, err := s.k.Store.InvalidationNotifiedBefore(ctx, l.ID, l.StateSince)
		if err != nil {
			return l, a, err
		}
		a.Back = &exam.Comeback{Measure: exam.Invalidation, LicenceSince: l.Obtained, Lost: l.StateSince, HandedIn: handed,
			PreviousInvalidation: prev}
	case licence.StateAnnulled:
		a.Back = &exam.Comeback{Measure: exam.Annulment, LicenceSince: l.Obtained, Lost: l.StateSince, BanEnds: l.StateUntil.Date}
	default:
		for _, c := range l.Categories {
			a.Held = append(a.Held, c.Category)
		}
	}
	return l, a, nil
}

// CheckRegistration returns what the rules decide today for the input:
// the documents needed, or the reasons it would be refused.
func (s *Service) CheckRegistration(ctx context.Context, req app.Request, in RegisterInput) (exam.Registration, error) {
	_, _, a, err := s.applicant(ctx, req, in)
	if err != nil {
		return exam.Registration{}, err
	}
	return exam.Register(a, date.Today(s.k.Clock.Now()), s.cfg), nil
}

// FileRegistration files the signed-in citizen's registration, when the
// rules accept it today; a refusal names each reason (the end of a waiting
// period with its date). Nothing is written on a refusal.
func (s *Service) FileRegistration(ctx context.Context, req app.Request, in RegisterInput) (Registered, error) {
	u, _, a, err := s.applicant(ctx, req, in)
	if err != nil {
		return Registered{}, err
	}
	today := date.Today(s.k.Clock.Now())
	d := exam.Register(a, today, s.cfg)
	if !d.Eligible() {
		return Registered{}, refusal(d.Refusals)
	}
	r := store.ExamRegistration{UserID: u.ID, Category: string(a.Category), FiledOn: today}
	return s.file(ctx, req, r, d, in, filing{limitKey: u.ID,
		open:    func() (bool, error) { return s.openRegistration(ctx, u.ID, r.Category) },
		openMsg: "Vous avez déjà une inscription en cours ou acceptée pour cette catégorie."})
}

func (s *Service) openRegistration(ctx context.Context, user int64, category string) (bool, error) {
	rs, err := s.k.Store.ListExamRegistrationsOfUser(ctx, user)
	for _, r := range rs {
		if r.Category == category && r.State != store.RegistrationRejected {
			return true, err
		}
	}
	return false, err
}

// MyRegistrations returns the signed-in citizen's registrations.
func (s *Service) MyRegistrations(ctx context.Context, req app.Request) ([]store.ExamRegistration, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.Citizen {
		return nil, apperr.New(apperr.Forbidden, "Seul le candidat voit ses inscriptions.")
	}
	u, err := s.k.Store.FindUser(ctx, me)
	if err != nil {
		return nil, err
	}
	if err := s.LinkStudent(ctx, req, u); err != nil {
		return nil, err
	}
	return s.k.Store.ListExamRegistrationsOfUser(ctx, me)
}

// FiledRegistration is a registration in the agent's queue: the
// candidate, who filed it, what they declared, the files sent and what the
// rules ask today.
type FiledRegistration struct {
	store.ExamRegistration
	Name      string
	Born      date.Null
	School    string // the driving school that filed it under mandate ("" when the candidate did)
	Mandate   string // the mandate's reference
	Declared  RegisterInput
	Decision  exam.Registration
	Documents []store.ExamRegistrationDocument
	// Comeback is the situation after an invalidation or an annulment
	// (the measure, an earlier invalidation, the medical check), nil
	// otherwise.
	Comeback *Comeback
}

// registrant is who a registration is for: the candidate's account, or the
// school's student as the mandate names them (with the account once tied).
type registrant struct {
	user     store.User
	mandate  *store.Mandate
	declared RegisterInput
	name     string
	born     date.Null
	email    string
}

func (s *Service) registrant(ctx context.Context, r store.ExamRegistration) (registrant, error) {
	var g registrant
	if err := json.Unmarshal([]byte(r.Details), &g.declared); err != nil {
		return g, err
	}
	if r.UserID != 0 {
		u, err := s.k.Store.FindUser(ctx, r.UserID)
		if err != nil {
			return g, err
		}
		g.user, g.name, g.born, g.email = u, strings.TrimSpace(u.GivenName+" "+u.FamilyName), u.BirthDate, u.Email
	}
	if r.MandateID != 0 {
		m, err := s.k.Store.FindMandate(ctx, r.MandateID)
		if err != nil {
			return g, err
		}
		g.mandate, g.name, g.born, g.email = &m, strings.TrimSpace(m.GivenNames+" "+m.FamilyName), date.Some(m.BirthDate), m.Email
	}
	return g, nil
}

// applicant is what the rules need about the registrant.
func (s *Service) applicantFor(ctx context.Context, g registrant) (licence.Licence, exam.Applicant, error) {
	if g.mandate != nil {
		a, err := applicantOfMandate(*g.mandate, g.declared)
		return licence.Licence{}, a, err
	}
	return s.applicantOf(ctx, g.user, g.declared)
}

// FiledRegistrations returns the registrations waiting for an agent, with
// the files sent and the documents the rules ask today; each candidate's
// read is audited.
func (s *Service) FiledRegistrations(ctx context.Context, req app.Request) ([]FiledRegistration, error) {
	if err := agent(req); err != nil {
		return nil, err
	}
	rs, err := s.k.Store.ListFiledExamRegistrations(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]FiledRegistration, 0, len(rs))
	for _, r := range rs {
		g, err := s.registrant(ctx, r)
		if err != nil {
			return nil, err
		}
		f := FiledRegistration{ExamRegistration: r, Name: g.name, Born: g.born, Declared: g.declared}
		if g.mandate != nil {
			school, err := s.k.Store.FindUser(ctx, g.mandate.SchoolID)
			if err != nil {
				return nil, err
			}
			f.School, f.Mandate = fieldOr(school.Organisation, school.Email), g.mandate.Reference
		}
		if l, a, err := s.applicantFor(ctx, g); err == nil {
			f.Decision = exam.Register(a, date.Today(s.k.Clock.Now()), s.cfg)
			if a.Back != nil {
				if f.Comeback, err = s.comebackOf(ctx, l); err != nil {
					return nil, err
				}
			}
		}
		if f.Documents, err = s.k.Store.ListExamRegistrationDocuments(ctx, r.ID); err != nil {
			return nil, err
		}
		if err := s.k.Audit(ctx, req, "exam.registration.read", "registration", r.Reference); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

func fieldOr(s, def string) string {
	if strings.TrimSpace(s) != "" {
		return s
	}
	return def
}

// AcceptRegistration is the agent's favourable decision: the candidate
// gets their NEPH (the NEPH of the licence linked to their account when
// they come back after an invalidation or an annulment, a new one
// otherwise), is mailed it, and can then book a place and sit the theory
// test. The rules are applied again on the day of the decision.
func (s *Service) AcceptRegistration(ctx context.Context, req app.Request, ref string) (store.ExamRegistration, error) {
	if err := agent(req); err != nil {
		return store.ExamRegistration{}, err
	}
	r, err := s.k.Store.FindExamRegistration(ctx, ref)
	if err != nil {
		return r, err
	}
	g, err := s.registrant(ctx, r)
	if err != nil {
		return r, err
	}
	l, a, err := s.applicantFor(ctx, g)
	if err != nil {
		return r, err
	}
	today := date.Today(s.k.Clock.Now())
	if d := exam.Register(a, today, s.cfg); !d.Eligible() {
		return r, refusal(d.Refusals)
	}
	if a.Back != nil {
		// Before being admitted to the exams: the psychotechnic test, then
		// a favourable medical opinion (R224-21, R224-22).
		m, err := s.medicalCheck(ctx, l, today)
		if err != nil {
			return r, err
		}
		if !m.Favourable {
			return r, apperr.New(apperr.Invalid, "Le candidat revient au permis après une "+measureWord(a.Back.Measure)+
				" : son inscription n'est acceptée qu'avec un avis médical favorable donné depuis (C. route R224-21, R224-22) ; "+m.Status())
		}
	}
	neph, licenceID := "", int64(0)
	if g.mandate == nil {
		licenceID = g.user.LicenceID
	}
	if licenceID != 0 {
		l, err := s.k.Store.FindLicence(ctx, licenceID)
		if err != nil {
			return r, err
		}
		neph = string(l.NEPH)
	}
	for range 5 {
		if licenceID == 0 {
			if neph, err = s.newNEPH(ctx); err != nil {
				return r, err
			}
		}
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.AcceptExamRegistration(ctx, r.ID, neph, licenceID); err != nil {
				return err
			}
			if g.mandate != nil {
				// The school books under the mandate's NEPH (whoFor).
				if err := tx.SetMandateNEPH(ctx, g.mandate.ID, neph); err != nil {
					return err
				}
			}
			if err := s.mailCandidate(ctx, tx, g.email, "Votre inscription aux examens est acceptée ("+r.Reference+")",
				"Votre inscription à l'examen du permis de catégorie "+r.Category+" est acceptée. Votre numéro de dossier (NEPH) est "+
					neph+" : donnez-le au centre où vous passerez l'épreuve théorique (code), puis réservez une place d'examen pratique."); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, req, "exam.registration.accept", "registration", r.Reference)
		})
		if !apperr.Is(err, apperr.Conflict) || licenceID != 0 {
			break
		}
		if again, _ := s.k.Store.FindExamRegistration(ctx, ref); again.State != store.RegistrationFiled {
			break // decided meanwhile: the conflict is the answer
		}
	}
	if err != nil {
		return r, err
	}
	return s.k.Store.FindExamRegistration(ctx, ref)
}

// RejectRegistration refuses the filed registration with a reason the
// candidate reads.
func (s *Service) RejectRegistration(ctx context.Context, req app.Request, ref, reason string) error {
	if err := agent(req); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return apperr.Field("reason", "Écrivez le motif du refus : le candidat le lira.")
	}
	r, err := s.k.Store.FindExamRegistration(ctx, ref)
	if err != nil {
		return err
	}
	g, err := s.registrant(ctx, r)
	if err != nil {
		return err
	}
	return s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.RejectExamRegistration(ctx, r.ID, reason); err != nil {
			return err
		}
		if g.mandate != nil { // the student did not file it: they are told
			if err := s.mailCandidate(ctx, tx, g.email, "Votre inscription aux examens est refusée ("+r.Reference+")",
				"L'inscription que votre auto-école a déposée pour vous est refusée, pour ce motif : « "+reason+" ». "+
					"Votre auto-école peut la déposer de nouveau avec les pièces demandées."); err != nil {
				return err
			}
		}
		return s.k.AuditTx(ctx, tx, req, "exam.registration.reject", "registration", r.Reference)
	})
}

// newNEPH draws a 12-digit NEPH that no licence and no registration holds:
// the year's two digits, then ten random digits (the ministry's own
// numbering is not published; docs/exams.md).
func (s *Service) newNEPH(ctx context.Context) (string, error) {
	for range 10 {
		n, err := rand.Int(rand.Reader, big.NewInt(1e10))
		if err != nil {
			return "", err
		}
		neph := fmt.Sprintf("%02d%010d", s.k.Clock.Now().Year()%100, n.Int64())
		if _, err := s.k.Store.FindLicenceByNEPH(ctx, licence.NEPH(neph)); !apperr.Is(err, apperr.NotFound) {
			if err != nil {
				return "", err
			}
			continue
		}
		if used, err := s.k.Store.ExamRegistrationNEPHUsed(ctx, neph); err != nil || !used {
			return neph, err
		}
	}
	return "", apperr.New(apperr.Unavailable, "Aucun numéro de dossier libre n'a pu être tiré : réessayez.")
}

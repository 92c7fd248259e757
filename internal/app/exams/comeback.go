package exams

import (
	"context"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/medical"
	"permis/internal/store"
)

// Back to the licence after an invalidation or an annulment (docs/exams.md,
// "Back to the licence"): what the register says of the measure, and the
// medical check that must come before the exams (C. route R224-21,
// R224-22; L223-5 II; L224-14). The medical check is the medical
// capability's: an approved doctor or the commission records the cerfa
// 14880 opinion on the licence's NEPH (/medecin), after the psychotechnic
// test; the registration reads it from the register (medical_opinions of
// the licence) — nothing is copied.

// MedicalCheck is the medical opinion a comeback needs, as the register
// holds it.
type MedicalCheck struct {
	// Since is the day the licence was lost: only an opinion given on or
	// after it counts.
	Since date.Date
	// Opinion is the latest opinion examined since, nil when none.
	Opinion *store.MedicalOpinion
	// Favourable: the opinion is fit (possibly with restrictions, or
	// temporary and still valid today), the préfet did not depart from
	// it, and it names the psychotechnic test taken since the loss
	// (R224-21 al. 2). The registration is accepted only then.
	Favourable bool
	// NoPsychotechnic: the opinion is fit but names no psychotechnic test
	// taken since the loss.
	NoPsychotechnic bool
}

// Status says the check in French, for the candidate and the agent.
func (m MedicalCheck) Status() string {
	o := m.Opinion
	switch {
	case o == nil:
		return "aucun avis médical enregistré depuis le " + m.Since.French() + " (il suit le test psychotechnique, puis la visite chez un médecin agréé ou devant la commission médicale)."
	case m.Favourable:
		return "avis médical favorable (" + medical.Outcome(o.Outcome).Label() + ") du " + o.Examined.French() + ", référence " + o.Reference +
			", après le test psychotechnique du " + o.Psychotechnic.Date.French() + "."
	case m.NoPsychotechnic:
		return "l'avis médical du " + o.Examined.French() + " (référence " + o.Reference + ") ne mentionne pas de test psychotechnique passé depuis le " +
			m.Since.French() + " : il en faut un avant l'avis."
	case o.Decision == decisionDepart:
		return "le préfet ne suit pas l'avis médical du " + o.Examined.French() + " (référence " + o.Reference + ")."
	case medical.Outcome(o.Outcome) == medical.FitLimited:
		return "l'avis médical temporaire du " + o.Examined.French() + " (référence " + o.Reference + ") n'est plus valable : une nouvelle visite est nécessaire."
	}
	return "avis médical défavorable (" + medical.Outcome(o.Outcome).Label() + ") du " + o.Examined.French() + ", référence " + o.Reference + "."
}

// decisionDepart is the préfet's decision departing from an opinion
// (store.MedicalOpinion.Decision; the medical capability writes it).
const decisionDepart = "depart"

// medicalCheck reads the medical opinions given on the licence l since it
// was lost.
func (s *Service) medicalCheck(ctx context.Context, l licence.Licence, today date.Date) (MedicalCheck, error) {
	m := MedicalCheck{Since: l.StateSince}
	os, err := s.k.Store.ListMedicalOpinionsOfLicence(ctx, l.ID)
	if err != nil {
		return m, err
	}
	for i := range os { // the most recent first
		if os[i].Examined.Before(l.StateSince) {
			continue
		}
		o := os[i]
		m.Opinion = &o
		switch medical.Outcome(o.Outcome) {
		case medical.Fit, medical.FitRestricted:
			m.Favourable = o.Decision != decisionDepart
		case medical.FitLimited:
			m.Favourable = o.Decision != decisionDepart && o.Until.Valid && !o.Until.Date.Before(today)
		}
		if m.Favourable && (!o.Psychotechnic.Valid || o.Psychotechnic.Date.Before(l.StateSince)) {
			m.Favourable, m.NoPsychotechnic = false, true
		}
		break
	}
	return m, nil
}

// Comeback is the situation of a person coming back to the licence, as the
// registration's pages show it.
type Comeback struct {
	exam.Comeback
	NEPH    string
	Medical MedicalCheck
}

// Invalidated reports whether the measure is an invalidation (48SI).
func (c Comeback) Invalidated() bool { return c.Measure == exam.Invalidation }

// comebackOf returns the situation of the account's licence l when it is
// invalidated or annulled, nil otherwise. The hand-in day is the
// candidate's to declare: it is not filled here.
func (s *Service) comebackOf(ctx context.Context, l licence.Licence) (*Comeback, error) {
	c := &Comeback{NEPH: string(l.NEPH), Comeback: exam.Comeback{LicenceSince: l.Obtained, Lost: l.StateSince}}
	switch l.State {
	case licence.StateInvalidated:
		c.Measure = exam.Invalidation
		prev, err := s.k.Store.InvalidationNotifiedBefore(ctx, l.ID, l.StateSince)
		if err != nil {
			return nil, err
		}
		c.PreviousInvalidation = prev
	case licence.StateAnnulled:
		c.Measure, c.BanEnds = exam.Annulment, l.StateUntil.Date
	default:
		return nil, nil
	}
	var err error
	c.Medical, err = s.medicalCheck(ctx, l, date.Today(s.k.Clock.Now()))
	return c, err
}

// MyComeback returns the signed-in citizen's situation when the licence
// linked to their account is invalidated or annulled, nil otherwise: the
// measure and its day, an earlier invalidation within the register's
// history, and the medical check.
func (s *Service) MyComeback(ctx context.Context, req app.Request) (*Comeback, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.Citizen {
		return nil, apperr.New(apperr.Forbidden, "Seul le candidat voit sa situation.")
	}
	u, err := s.k.Store.FindUser(ctx, me)
	if err != nil || u.LicenceID == 0 {
		return nil, err
	}
	l, err := s.k.Store.FindLicence(ctx, u.LicenceID)
	if err != nil {
		return nil, err
	}
	return s.comebackOf(ctx, l)
}

func measureWord(m exam.Measure) string {
	if m == exam.Annulment {
		return "annulation"
	}
	return "invalidation"
}

// MyRegistration is one of the candidate's registrations with what the
// rules decided on its day (the day of acceptance once accepted, today
// while it waits): the tests to take and the probationary licence.
type MyRegistration struct {
	store.ExamRegistration
	Decision exam.Registration
	Comeback bool // the NEPH is the one of the licence lost, kept
}

// MyRegistrationViews returns the signed-in citizen's registrations, the
// most recent first, each with the decision of the rules on its day.
func (s *Service) MyRegistrationViews(ctx context.Context, req app.Request) ([]MyRegistration, error) {
	rs, err := s.MyRegistrations(ctx, req)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	out := make([]MyRegistration, 0, len(rs))
	for _, r := range rs {
		v := MyRegistration{ExamRegistration: r, Comeback: r.LicenceID != 0}
		day := date.Today(s.k.Clock.Now())
		if r.DecidedAt != nil {
			day = date.Today(*r.DecidedAt)
		}
		// A registration a school filed is decided on the mandate's
		// identity (registrant), the candidate's own on their account.
		if g, err := s.registrant(ctx, r); err == nil {
			if _, a, err := s.applicantFor(ctx, g); err == nil {
				v.Decision = exam.Register(a, day, s.cfg)
			}
		}
		out = append(out, v)
	}
	return out, nil
}

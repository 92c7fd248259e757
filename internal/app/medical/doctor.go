package medical

import (
	"context"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	rules "permis/internal/medical"
	"permis/internal/requests"
	"permis/internal/secret"
	"permis/internal/store"
)

// The approved doctors' side (issue 13): a doctor whose approval is valid
// finds the person who came to the consultation by the NEPH and the birth
// date, or by a filed request's reference and the birth date, and records
// the opinion of cerfa 14880. The opinion is sealed by the service and
// joins, by itself, the person's pending request that asks for a medical
// opinion: no paper to scan. A doctor reads back only the opinions they
// recorded.

// Doctor is the signed-in doctor's account and approval.
type Doctor struct {
	User     store.User
	Approval store.DoctorApproval
}

// doctorOf returns the signed-in doctor, refusing an account without an
// approval or whose approval is not valid today (arrêté du 31 juillet 2012
// art. 6: the préfet's approval is what entitles a doctor to examine).
func (s *Service) doctorOf(ctx context.Context, req app.Request) (Doctor, error) {
	if req.Actor.Role != access.Doctor || req.Actor.Kind != access.KindUser {
		return Doctor{}, apperr.New(apperr.Forbidden, "Cet espace est réservé aux médecins agréés.")
	}
	var id int64
	if _, err := fmt.Sscanf(req.Actor.ID, "user:%d", &id); err != nil || id <= 0 {
		return Doctor{}, apperr.New(apperr.Unauthenticated, "Connectez-vous pour accéder à votre espace.")
	}
	u, err := s.k.Store.FindUser(ctx, id)
	if err != nil {
		return Doctor{}, err
	}
	a, err := s.k.Store.FindDoctorApproval(ctx, id)
	if apperr.Is(err, apperr.NotFound) {
		return Doctor{}, apperr.New(apperr.Forbidden, "Votre compte n'a pas d'agrément préfectoral enregistré : vous ne pouvez pas rendre d'avis. Demandez à la préfecture de l'ajouter.")
	}
	if err != nil {
		return Doctor{}, err
	}
	today := s.Today()
	if today.After(a.ValidUntil) || today.Before(a.ValidFrom) {
		return Doctor{}, apperr.New(apperr.Forbidden, fmt.Sprintf(
			"Votre agrément n° %s n'est pas valide aujourd'hui (du %s au %s) : vous ne pouvez pas rendre d'avis. Demandez son renouvellement à la préfecture.",
			a.ApprovalNumber, a.ValidFrom.French(), a.ValidUntil.French()))
	}
	return Doctor{User: u, Approval: a}, nil
}

// DoctorSpace is the doctor's home: the approval and the last opinions.
type DoctorSpace struct {
	Doctor   Doctor
	Opinions []OpinionView
}

// OpinionView is an opinion as its doctor and its holder read it.
type OpinionView struct {
	store.MedicalOpinion
	HolderName   string
	NEPH         licence.NEPH
	RequestRef   string // the request it joined, "" when none
	OutcomeLabel string
	// RestrictionLabels are the EU codes with their meaning.
	RestrictionLabels []string
}

// DoctorSpace returns the doctor's home.
func (s *Service) DoctorSpace(ctx context.Context, req app.Request) (DoctorSpace, error) {
	d, err := s.doctorOf(ctx, req)
	if err != nil {
		return DoctorSpace{}, err
	}
	os, err := s.k.Store.ListMedicalOpinionsOfDoctor(ctx, d.User.ID, 50)
	if err != nil {
		return DoctorSpace{}, err
	}
	sp := DoctorSpace{Doctor: d}
	for _, o := range os {
		v, err := s.view(ctx, o)
		if err != nil {
			return DoctorSpace{}, err
		}
		sp.Opinions = append(sp.Opinions, v)
	}
	return sp, nil
}

func (s *Service) view(ctx context.Context, o store.MedicalOpinion) (OpinionView, error) {
	v := OpinionView{MedicalOpinion: o, OutcomeLabel: rules.Outcome(o.Outcome).Label()}
	l, err := s.k.Store.FindLicence(ctx, o.LicenceID)
	if err != nil {
		return v, err
	}
	p, err := s.k.Store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return v, err
	}
	v.NEPH, v.HolderName = l.NEPH, strings.Join(p.GivenNames, " ")+" "+p.FamilyName
	if o.RequestID != 0 {
		r, err := s.k.Store.FindRequest(ctx, o.RequestID)
		if err != nil {
			return v, err
		}
		v.RequestRef = r.Reference
	}
	codes := rules.Codes()
	for _, c := range o.Restrictions {
		v.RestrictionLabels = append(v.RestrictionLabels, c+" — "+codes[c])
	}
	return v, nil
}

// PatientQuery is how a doctor names the person in front of them: the
// NEPH or a filed request's reference, with the birth date in both cases
// (a reference alone is too short a secret to open a file).
type PatientQuery struct {
	NEPH      string
	Reference string
	BirthDate string // JJ/MM/AAAA
}

// Patient is what the doctor sees of the person: who they are, the
// categories they hold, and the pending requests the opinion will join.
type Patient struct {
	Query      PatientQuery // as typed, for the opinion's form
	NEPH       licence.NEPH
	Name       string
	BirthDate  date.Date
	Categories []licence.CategoryEntry
	Requests   []store.Request // pending requests that ask for a medical opinion
	// ExaminerIsMember: the doctor who found the person sits in the
	// commission (the form then offers to record as the commission).
	ExaminerIsMember bool
	// Psychotechnic: the register's measure (an invalidation, an
	// annulment, a suspension of 6 months or more) calls for a
	// psychotechnic test before the opinion (R224-21 al. 2): the form asks
	// its day.
	Psychotechnic bool
	licenceID     int64
}

// errNoPatient is the one answer to any mismatch, so that the form tells
// nothing of which part was wrong.
func errNoPatient() error {
	return apperr.Field("neph", "Aucun dossier ne correspond à ce numéro et à cette date de naissance. Vérifiez-les avec la personne.")
}

// FindPatient returns the person the doctor names, and audits the read.
func (s *Service) FindPatient(ctx context.Context, req app.Request, q PatientQuery) (Patient, error) {
	d, err := s.doctorOf(ctx, req)
	if err != nil {
		return Patient{}, err
	}
	p, err := s.patient(ctx, q)
	if err != nil {
		return Patient{}, err
	}
	p.ExaminerIsMember = d.Approval.CommissionMember
	if err := s.k.Audit(ctx, req, "medical.patient.read", "licence", p.NEPH.String()); err != nil {
		return Patient{}, err
	}
	return p, nil
}

func (s *Service) patient(ctx context.Context, q PatientQuery) (Patient, error) {
	q.NEPH, q.Reference, q.BirthDate = strings.TrimSpace(q.NEPH), strings.ToUpper(strings.TrimSpace(q.Reference)), strings.TrimSpace(q.BirthDate)
	birth, err := date.ParseTyped(q.BirthDate)
	if err != nil {
		return Patient{}, apperr.Field("birth_date", "Indiquez la date de naissance au format JJ/MM/AAAA, par exemple 17/05/1990.")
	}
	var l licence.Licence
	switch {
	case q.NEPH != "":
		n, err := licence.ParseNEPH(q.NEPH)
		if err != nil {
			return Patient{}, apperr.Field("neph", "Le numéro de dossier (NEPH) a 12 chiffres ; vérifiez-le sur le permis, rubrique 5.")
		}
		if l, err = s.k.Store.FindLicenceByNEPH(ctx, n); err != nil {
			return Patient{}, notFoundAs(err, errNoPatient())
		}
	case q.Reference != "":
		r, err := s.k.Store.FindRequestForTracking(ctx, q.Reference, birth)
		if err != nil {
			return Patient{}, notFoundAs(err, errNoPatient())
		}
		n, err := licence.ParseNEPH(r.NEPH)
		if err != nil {
			return Patient{}, errNoPatient()
		}
		if l, err = s.k.Store.FindLicenceByNEPH(ctx, n); err != nil {
			return Patient{}, notFoundAs(err, errNoPatient())
		}
	default:
		return Patient{}, apperr.Field("neph", "Indiquez le numéro de dossier (NEPH) de la personne, ou la référence de sa demande.")
	}
	per, err := s.k.Store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return Patient{}, err
	}
	if per.BirthDate != birth {
		return Patient{}, errNoPatient()
	}
	open, err := s.k.Store.ListOpenRequestsOfLicence(ctx, l.ID, l.NEPH.String())
	if err != nil {
		return Patient{}, err
	}
	sit := rules.FromRegister(l)
	p := Patient{Query: q, NEPH: l.NEPH, Name: strings.Join(per.GivenNames, " ") + " " + per.FamilyName,
		BirthDate: birth, Categories: l.Categories, licenceID: l.ID,
		Psychotechnic: rules.Psychotechnic(rules.Measure{Kind: sit.Kind, Months: sit.Months})}
	for _, r := range open {
		if asksOpinion(r.Kind) {
			p.Requests = append(p.Requests, r)
		}
	}
	return p, nil
}

// asksOpinion reports whether a request's type lists the medical opinion
// among its documents.
func asksOpinion(k requests.Kind) bool {
	t, err := requests.Lookup(string(k))
	return err == nil && slices.ContainsFunc(t.Documents, func(d requests.DocumentRule) bool { return d.Doc == requests.DocMedicalOpinion })
}

func notFoundAs(err, as error) error {
	if apperr.Is(err, apperr.NotFound) {
		return as
	}
	return err
}

// OpinionInput is the cerfa 14880 opinion the doctor records.
type OpinionInput struct {
	Patient      PatientQuery
	Outcome      string
	Until        string // JJ/MM/AAAA, for a temporary fitness
	Restrictions []string
	Categories   []string // the categories examined; empty: all held
	// Commission: the doctor examines sitting in the commission, with the
	// second doctor named by SecondApproval (their approval number).
	Commission     bool
	SecondApproval string
	// Psychotechnic is the day of the psychotechnic test (JJ/MM/AAAA)
	// whose certificate the doctor saw; required for a favourable opinion
	// when the register's measure calls for the test (R224-21 al. 2).
	Psychotechnic string
}

// RecordOpinion records the doctor's opinion on the person, sealed and
// dated by the service, joins it to the person's pending request that asks
// for a medical opinion (the most recent), and audits it, in one
// transaction.
func (s *Service) RecordOpinion(ctx context.Context, req app.Request, in OpinionInput) (store.MedicalOpinion, error) {
	d, err := s.doctorOf(ctx, req)
	if err != nil {
		return store.MedicalOpinion{}, err
	}
	p, err := s.patient(ctx, in.Patient)
	if err != nil {
		return store.MedicalOpinion{}, err
	}
	if in.Commission {
		pair, err := s.commissionPair(ctx, d, in.SecondApproval)
		if err != nil {
			return store.MedicalOpinion{}, err
		}
		return s.record(ctx, req, d.User.ID, pair, rules.Commission, p, in)
	}
	return s.record(ctx, req, d.User.ID, d.Approval.ApprovalNumber, rules.ApprovedDoctor, p, in)
}

// record builds, checks, seals and stores an opinion by examiner.
func (s *Service) record(ctx context.Context, req app.Request, doctorID int64, approval string, examiner rules.Examiner, p Patient, in OpinionInput) (store.MedicalOpinion, error) {
	now := s.k.Clock.Now()
	op := rules.Opinion{By: examiner, Outcome: rules.Outcome(in.Outcome), Examined: date.Today(now)}
	if u := strings.TrimSpace(in.Until); u != "" {
		d, err := date.ParseTyped(u)
		if err != nil {
			return store.MedicalOpinion{}, apperr.Field("until", "Indiquez la date de fin au format JJ/MM/AAAA.")
		}
		op.Until = date.Some(d)
	}
	for _, c := range in.Restrictions {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(op.Restrictions, c) {
			op.Restrictions = append(op.Restrictions, c)
		}
	}
	slices.Sort(op.Restrictions)
	if err := op.Check(); err != nil {
		oe := err.(*rules.OpinionError)
		return store.MedicalOpinion{}, apperr.Field(oe.Field, frenchOpinionProblem(oe))
	}
	var psycho date.Null
	if t := strings.TrimSpace(in.Psychotechnic); t != "" {
		d, err := date.ParseTyped(t)
		if err != nil || d.After(op.Examined) {
			return store.MedicalOpinion{}, apperr.Field("psychotechnic", "Indiquez la date du test psychotechnique au format JJ/MM/AAAA, au plus tard aujourd'hui.")
		}
		psycho = date.Some(d)
	} else if p.Psychotechnic && op.Outcome != rules.Unfit {
		return store.MedicalOpinion{}, apperr.Field("psychotechnic",
			"Indiquez la date du test psychotechnique : après une invalidation, une annulation ou une suspension de 6 mois ou plus, l'avis favorable ne se donne qu'après ce test (article R224-21 du code de la route).")
	}
	cats := in.Categories
	if len(cats) == 0 {
		for _, c := range p.Categories {
			cats = append(cats, string(c.Category))
		}
	}
	o := store.MedicalOpinion{Reference: "AVM-" + secret.NewCode(8), LicenceID: p.licenceID, Examiner: string(examiner),
		DoctorID: doctorID, ApprovalNumber: approval, Outcome: string(op.Outcome), Examined: op.Examined, Until: op.Until,
		Restrictions: op.Restrictions, Categories: cats, RecordedAt: now, Psychotechnic: psycho}
	seal, err := s.seal(o)
	if err != nil {
		return store.MedicalOpinion{}, err
	}
	o.Seal = seal
	if len(p.Requests) > 0 {
		o.RequestID = p.Requests[0].ID
	}
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateMedicalOpinion(ctx, &o); err != nil {
			return err
		}
		if o.RequestID != 0 {
			if err := s.join(ctx, tx, o); err != nil {
				return err
			}
		}
		return s.k.AuditTx(ctx, tx, req, "medical.opinion.record", "licence", p.NEPH.String())
	})
	return o, err
}

// join attaches the opinion to its request as the medical-opinion
// document (no file: the opinion itself is the document) and writes it on
// the request's timeline.
func (s *Service) join(ctx context.Context, tx *store.Store, o store.MedicalOpinion) error {
	doc := store.RequestDocument{RequestID: o.RequestID, Document: requests.DocMedicalOpinion,
		Name: fmt.Sprintf("Avis médical électronique %s — %s, le %s (agrément n° %s)", o.Reference,
			rules.Outcome(o.Outcome).Label(), o.Examined.French(), o.ApprovalNumber)}
	replaced, err := tx.PutRequestDocument(ctx, &doc)
	if err != nil {
		return err
	}
	if len(replaced) > 0 && s.k.Files != nil {
		for _, k := range replaced {
			_ = s.k.Files.Delete(context.WithoutCancel(ctx), k) // an earlier scan, now superseded
		}
	}
	e := store.RequestEvent{RequestID: o.RequestID, Kind: "documents", ActorRole: "system",
		Label: "Avis médical reçu", Detail: "L'avis médical " + o.Reference + " a été transmis électroniquement par " + examinerLabel(rules.Examiner(o.Examiner)) + "."}
	return tx.AppendRequestEvent(ctx, &e)
}

func examinerLabel(e rules.Examiner) string {
	if e == rules.Commission {
		return "la commission médicale"
	}
	return "le médecin agréé"
}

// seal signs the opinion's content with the service's key, when there is
// one, else records its SHA-256: either way the stored opinion can be
// checked against what was recorded.
func (s *Service) seal(o store.MedicalOpinion) (string, error) {
	content := strings.Join([]string{o.Reference, strconv.FormatInt(o.LicenceID, 10), o.Examiner, o.ApprovalNumber,
		o.Outcome, o.Examined.String(), nullString(o.Until), strings.Join(o.Restrictions, " "),
		strings.Join(o.Categories, " "), o.RecordedAt.UTC().Format("2006-01-02T15:04:05.000000Z")}, "|")
	if o.Psychotechnic.Valid { // sealed when recorded; the opinions sealed before keep their content
		content += "|psychotechnique " + o.Psychotechnic.Date.String()
	}
	if sg := s.k.Issuer.Signer; sg != nil {
		sig, err := sg.Sign([]byte(content))
		if err != nil {
			return "", err
		}
		return sg.CA + "/" + sg.Cert + ":" + base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(sig), nil
	}
	sum := sha256.Sum256([]byte(content))
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

func nullString(n date.Null) string {
	if !n.Valid {
		return ""
	}
	return n.Date.String()
}

func frenchOpinionProblem(e *rules.OpinionError) string {
	switch {
	case e.Field == "outcome":
		return "Choisissez l'avis : apte, apte temporaire, apte avec restrictions ou inapte."
	case e.Field == "until" && strings.Contains(e.Problem, "obligatoire"):
		return "Indiquez la date de fin de l'aptitude temporaire."
	}
	return strings.ToUpper(e.Problem[:1]) + e.Problem[1:] + "."
}

// Opinion returns an opinion the signed-in doctor recorded; any other
// reference is not found.
func (s *Service) Opinion(ctx context.Context, req app.Request, reference string) (OpinionView, error) {
	d, err := s.doctorOf(ctx, req)
	if err != nil {
		return OpinionView{}, err
	}
	o, err := s.k.Store.FindMedicalOpinionOfDoctor(ctx, reference, d.User.ID)
	if err != nil {
		return OpinionView{}, err
	}
	return s.view(ctx, o)
}

// MyOpinions are the opinions given on the signed-in holder.
func (s *Service) MyOpinions(ctx context.Context, req app.Request) ([]OpinionView, error) {
	lv, err := s.a.MyLicence(ctx, req)
	if err != nil {
		return nil, err
	}
	l, err := s.k.Store.FindLicenceByNEPH(ctx, lv.NEPH)
	if err != nil {
		return nil, err
	}
	os, err := s.k.Store.ListMedicalOpinionsOfLicence(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	var out []OpinionView
	for _, o := range os {
		v, err := s.view(ctx, o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// PublicApproval is what the préfecture's public list says of an
// approval: its validity. It is shown on an approved doctor's page of the
// directory.
type PublicApproval struct {
	Number     string
	ValidUntil date.Date
	Lapsed     bool
}

// ApprovalOf returns the validity of the approval with that number when an
// account holds it, or a not_found error.
func (s *Service) ApprovalOf(ctx context.Context, number string) (PublicApproval, error) {
	a, err := s.k.Store.FindDoctorApprovalByNumber(ctx, number)
	if err != nil {
		return PublicApproval{}, err
	}
	today := s.Today()
	return PublicApproval{Number: a.ApprovalNumber, ValidUntil: a.ValidUntil, Lapsed: today.After(a.ValidUntil) || today.Before(a.ValidFrom)}, nil
}

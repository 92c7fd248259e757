package exams

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/ephoto"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/secret"
	"permis/internal/store"
)

// The registration's documents, and the registration a driving school files
// under its student's mandate (issue 14 §1; docs/exams.md, "Documents" and
// "Filed by a driving school"). The documents exam.Register asks are sent
// with the filing, checked by content (files.Accept: PDF, JPEG or PNG, 10 Mo
// each), kept in the kernel's files store; a missing one refuses the filing
// and nothing is written.

// Upload is one file sent with a registration.
type Upload struct {
	Name string // as the browser named it
	Body io.Reader
}

// Limits of filing (our choice): registrations filed per account and hour,
// each with its files.
const registerPerHour = 10

// FormDocument is one document input of the registration form: the
// document, and when it is asked, in French.
type FormDocument struct {
	Doc  requests.Document
	Or   requests.Document
	When string
}

// Field is the form field of the document.
func (d FormDocument) Field() string { return DocumentField(d.Doc) }

// DocumentField is the form field (and error field) of document d.
func DocumentField(d requests.Document) string { return "document-" + string(d) }

// FormDocuments lists the documents a registration form offers: every
// document exam.Register may ask of a B candidate, the school's mandate
// when a school files, the comeback's when the account's licence was
// invalidated or annulled. Which ones are needed is decided at filing.
func FormDocuments(school, comeback bool) []FormDocument {
	ds := []FormDocument{
		{Doc: requests.DocIdentity, When: "Toujours demandée."},
		{Doc: requests.DocAddress, When: "Toujours demandé."},
	}
	if school {
		ds = append(ds, FormDocument{Doc: requests.DocMandate, When: "Toujours demandé quand l'auto-école dépose l'inscription."})
	}
	if comeback {
		return append(ds,
			FormDocument{Doc: requests.DocInvalidationDecision, When: "La décision qui a retiré le permis (lettre 48SI ou jugement) et le récépissé de sa remise."},
			FormDocument{Doc: requests.DocPsychotechnic, When: "Après une invalidation ou une annulation, avant l'avis médical."},
			FormDocument{Doc: requests.DocMedicalOpinion, When: "Après une invalidation ou une annulation."})
	}
	return append(ds,
		FormDocument{Doc: requests.DocJDC, When: "Pour un candidat de nationalité française de 17 à 25 ans qui s'inscrit pour la première fois (sauf en conduite accompagnée avant 18 ans)."},
		FormDocument{Doc: requests.DocRoadSafety, Or: requests.DocSwornStatement, When: "Pour un candidat de moins de 21 ans qui n'a pas encore de permis (ou l'attestation sur l'honneur de son obtention)."},
		FormDocument{Doc: requests.DocParentalConsent, When: "Pour un candidat mineur."},
		FormDocument{Doc: requests.DocMedicalOpinion, When: "Si un problème de santé ou une pension d'invalidité est déclaré."})
}

// filing is how file records a registration: whose limit it counts
// against, how to tell a second open registration from a reference clash,
// and the mail to the candidate ("" when none).
type filing struct {
	limitKey      int64
	open          func() (bool, error)
	openMsg       string
	mailTo, about string
}

// picked is a needed document and the file sent for it.
type picked struct {
	doc requests.Document
	up  Upload
}

// pick returns the files sent for each document d needs (the document
// itself or its accepted alternative), or the missing ones by field, with
// the photo's: an ePhoto code or the paper form.
func pick(d exam.Registration, in RegisterInput) ([]picked, string, map[string]string) {
	var out []picked
	p := map[string]string{}
	for _, n := range d.Needs {
		if up, ok := in.Documents[n.Doc]; ok && up.Body != nil {
			out = append(out, picked{n.Doc, up})
			continue
		}
		if up, ok := in.Documents[n.Or]; n.Or != "" && ok && up.Body != nil {
			out = append(out, picked{n.Or, up})
			continue
		}
		msg := "Joignez : " + lowerFirst(n.Doc.Label())
		if n.Or != "" {
			msg += ", ou " + lowerFirst(n.Or.Label())
		}
		if n.Why != "" {
			msg += " (" + n.Why + ")"
		}
		p[DocumentField(n.Doc)] = msg + "."
	}
	code := ""
	if d.Photo {
		switch {
		case strings.TrimSpace(in.EPhotoCode) != "":
			c, err := ephoto.Parse(in.EPhotoCode)
			if err != nil {
				p[ephoto.Field] = apperr.As(err).Message
			}
			code = string(c)
		case !in.PaperPhoto:
			p[ephoto.Field] = "Saisissez le code ePhoto de 22 caractères imprimé sur la planche photo, ou indiquez que le formulaire papier de photo et signature sera remis."
		}
	}
	return out, code, p
}

// lowerFirst puts a label's first letter in lower case, inside a sentence.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

// file records the registration r with its documents, after the rules
// accepted it (d): each needed document present, the ePhoto code valid and
// claimed, the files accepted by content; on any refusal nothing is kept.
func (s *Service) file(ctx context.Context, req app.Request, r store.ExamRegistration, d exam.Registration, in RegisterInput, f filing) (Registered, error) {
	docs, code, p := pick(d, in)
	if len(p) > 0 {
		return Registered{}, &apperr.Error{Code: apperr.Invalid, Message: "Il manque des pièces à l'inscription : elle n'est pas envoyée.", Fields: p}
	}
	if s.k.Files == nil {
		return Registered{}, apperr.New(apperr.Unavailable, "L'envoi de fichiers est momentanément indisponible. Réessayez plus tard.")
	}
	now := s.k.Clock.Now()
	if res, err := s.k.Store.HitRateLimit(ctx, fmt.Sprintf("exam-register:%d", f.limitKey), now, time.Hour, registerPerHour); err != nil {
		return Registered{}, err
	} else if !res.Allowed {
		return Registered{}, apperr.New(apperr.TooMany, "Trop d'inscriptions envoyées depuis ce compte : réessayez dans une heure.")
	}
	details, err := json.Marshal(in)
	if err != nil {
		return Registered{}, err
	}
	r.Details, r.EPhotoCode, r.PaperPhoto = string(details), code, code == "" && in.PaperPhoto
	var stored []store.ExamRegistrationDocument
	drop := func() {
		for _, x := range stored {
			_ = s.k.Files.Delete(context.WithoutCancel(ctx), x.Key)
		}
	}
	for _, x := range docs {
		st, err := files.Accept(ctx, s.k.Files, DocumentField(x.doc), x.up.Name, x.up.Body, files.DefaultMaxSize)
		if err != nil {
			drop()
			return Registered{}, err
		}
		stored = append(stored, store.ExamRegistrationDocument{Document: x.doc, Key: st.Key, ContentType: st.Type, Size: st.Size, SHA256: st.SHA256, Name: st.Name})
	}
	for range 3 {
		r.Reference = "INS-" + secret.NewCode(8)
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.CreateExamRegistration(ctx, &r); err != nil {
				return err
			}
			for i := range stored {
				stored[i].RegistrationID = r.ID
				if err := tx.AddExamRegistrationDocument(ctx, &stored[i]); err != nil {
					return err
				}
			}
			if code != "" {
				if _, err := tx.ClaimEPhotoCode(ctx, ephoto.Code(code), r.Reference, now); err != nil {
					if ephoto.Reason(err) != "" {
						return apperr.Field(ephoto.Field, apperr.As(err).Message)
					}
					return err
				}
			}
			if f.mailTo != "" {
				if err := s.mailCandidate(ctx, tx, f.mailTo, "Votre inscription aux examens est déposée ("+r.Reference+")", f.about); err != nil {
					return err
				}
			}
			return s.k.AuditTx(ctx, tx, req, "exam.registration.file", "registration", r.Reference)
		})
		if !apperr.Is(err, apperr.Conflict) {
			break
		}
		if open, _ := f.open(); open {
			err = apperr.Field("category", f.openMsg)
			break
		}
	}
	if err != nil {
		drop()
		return Registered{}, err
	}
	return Registered{ExamRegistration: r, Decision: d}, nil
}

// applicantOfMandate builds what the rules need about a school's student
// from the mandate: the birth date as signed, the declarations; the
// student has no NEPH yet, so holds no category.
func applicantOfMandate(m store.Mandate, in RegisterInput) (exam.Applicant, error) {
	cat := licence.Category(strings.TrimSpace(in.Category))
	if cat != licence.CategoryB && cat != licence.CategoryAM {
		return exam.Applicant{}, apperr.Field("category", "Choisissez la catégorie B (voiture) : l'inscription en ligne concerne la catégorie B.")
	}
	return exam.Applicant{Born: m.BirthDate, French: in.French, Category: cat, AAC: in.AAC, Automatic: in.Automatic,
		Filer: exam.BySchool, Health: in.Health}, nil
}

// studentMandate returns the school's active mandate id of a student with
// no NEPH yet.
func (s *Service) studentMandate(ctx context.Context, req app.Request, id int64) (store.Mandate, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.DrivingSchool {
		return store.Mandate{}, apperr.New(apperr.Forbidden, "Seule l'auto-école mandatée inscrit son élève aux examens.")
	}
	m, err := s.k.Store.FindMandateOfSchool(ctx, id, me)
	if err != nil {
		return m, err
	}
	if m.RevokedAt != nil {
		return m, apperr.New(apperr.Forbidden, "Ce mandat est révoqué : l'auto-école ne peut plus agir pour cet élève.")
	}
	if m.NEPH != "" {
		return m, apperr.New(apperr.Conflict, "Cet élève a déjà un numéro de dossier (NEPH) : il est inscrit.")
	}
	rs, err := s.k.Store.ListExamRegistrationsOfMandate(ctx, m.ID)
	for _, r := range rs {
		if r.State == store.RegistrationFiled {
			return m, apperr.New(apperr.Conflict, "L'inscription de cet élève ("+r.Reference+") est déjà envoyée : le bureau de l'éducation routière l'examine.")
		}
	}
	return m, err
}

// StudentMandate returns the mandate the school may register its student
// under, for the form.
func (s *Service) StudentMandate(ctx context.Context, req app.Request, id int64) (store.Mandate, error) {
	return s.studentMandate(ctx, req, id)
}

// FileStudentRegistration files, for the school signed in, the
// registration of its student under the active mandate id, who has no
// NEPH yet, with the student's documents and the signed mandate. The
// student is mailed at the mandate's address at each step; accepted, the
// NEPH is written on the mandate (so the school books under it) and the
// student finds it once signed in (LinkStudent).
func (s *Service) FileStudentRegistration(ctx context.Context, req app.Request, id int64, in RegisterInput) (Registered, error) {
	m, err := s.studentMandate(ctx, req, id)
	if err != nil {
		return Registered{}, err
	}
	a, err := applicantOfMandate(m, in)
	if err != nil {
		return Registered{}, err
	}
	today := date.Today(s.k.Clock.Now())
	d := exam.Register(a, today, s.cfg)
	if !d.Eligible() {
		return Registered{}, refusal(d.Refusals)
	}
	school, err := s.k.Store.FindUser(ctx, m.SchoolID)
	if err != nil {
		return Registered{}, err
	}
	r := store.ExamRegistration{MandateID: m.ID, Category: string(a.Category), FiledOn: today}
	return s.file(ctx, req, r, d, in, filing{limitKey: m.SchoolID, mailTo: m.Email,
		openMsg: "Cet élève a déjà une inscription en cours ou acceptée pour cette catégorie.",
		open: func() (bool, error) {
			rs, err := s.k.Store.ListExamRegistrationsOfMandate(ctx, m.ID)
			for _, x := range rs {
				if x.Category == r.Category && x.State != store.RegistrationRejected {
					return true, err
				}
			}
			return false, err
		},
		about: schoolName(school) + " a déposé votre inscription à l'examen du permis de catégorie " + r.Category +
			", avec vos pièces, sous le mandat " + m.Reference + ". Le bureau de l'éducation routière l'examine ; vous recevrez " +
			"votre numéro de dossier (NEPH) par courriel. Connectez-vous avec FranceConnect, avec cette adresse électronique, " +
			"pour suivre votre examen dans votre espace."})
}

func schoolName(u store.User) string {
	if n := strings.TrimSpace(u.Organisation); n != "" {
		return "Votre auto-école (" + n + ")"
	}
	return "Votre auto-école"
}

// LinkStudent ties to the signed-in citizen the registrations a school
// filed for them: the mandate's mail address is the account's, proven
// (FranceConnect's, or confirmed by a link), and the family name and birth
// date FranceConnect gave match the mandate's. Each tie is audited; a
// registration the account already has for the category is left alone.
func (s *Service) LinkStudent(ctx context.Context, req app.Request, u store.User) error {
	if u.Email == "" || u.EmailVerifiedAt == nil || !u.BirthDate.Valid || req.Actor.Role != access.Citizen {
		return nil
	}
	rs, err := s.k.Store.ListUnlinkedExamRegistrations(ctx, u.Email)
	if err != nil || len(rs) == 0 {
		return err
	}
	for _, r := range rs {
		m, err := s.k.Store.FindMandate(ctx, r.MandateID)
		if err != nil {
			return err
		}
		if m.BirthDate != u.BirthDate.Date || !licence.SameName(m.FamilyName, u.FamilyName) {
			continue
		}
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.LinkExamRegistration(ctx, r.ID, u.ID); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, req, "exam.registration.link", "registration", r.Reference)
		})
		if err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
	}
	return nil
}

// StudentRegistrations returns, by mandate id, the registrations the
// signed-in school filed for its students.
func (s *Service) StudentRegistrations(ctx context.Context, req app.Request, mandates []store.Mandate) (map[int64][]store.ExamRegistration, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.DrivingSchool {
		return nil, apperr.New(apperr.Forbidden, "Cette page est réservée aux auto-écoles.")
	}
	out := map[int64][]store.ExamRegistration{}
	for _, m := range mandates {
		if m.SchoolID != me {
			continue
		}
		rs, err := s.k.Store.ListExamRegistrationsOfMandate(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		if len(rs) > 0 {
			out[m.ID] = rs
		}
	}
	return out, nil
}

// RegistrationFile opens document docID of registration ref for an agent;
// the read is audited with the document's name. The caller closes it; its
// content type is the one recognised at filing.
func (s *Service) RegistrationFile(ctx context.Context, req app.Request, ref string, docID int64) (store.ExamRegistrationDocument, io.ReadCloser, error) {
	if err := agent(req); err != nil {
		return store.ExamRegistrationDocument{}, nil, err
	}
	r, err := s.k.Store.FindExamRegistration(ctx, ref)
	if err != nil {
		return store.ExamRegistrationDocument{}, nil, err
	}
	ds, err := s.k.Store.ListExamRegistrationDocuments(ctx, r.ID)
	if err != nil {
		return store.ExamRegistrationDocument{}, nil, err
	}
	for _, d := range ds {
		if d.ID != docID {
			continue
		}
		if s.k.Files == nil {
			return d, nil, apperr.New(apperr.Unavailable, "Les pièces sont momentanément indisponibles. Réessayez plus tard.")
		}
		rc, err := s.k.Files.Open(ctx, d.Key)
		if err != nil {
			return d, nil, err
		}
		fileReq := req
		fileReq.Reason = d.Document.Label()
		if err := s.k.Audit(ctx, fileReq, "exam.registration.document", "registration", r.Reference); err != nil {
			rc.Close()
			return d, nil, err
		}
		return d, rc, nil
	}
	return store.ExamRegistrationDocument{}, nil, apperr.New(apperr.NotFound, "Pièce introuvable.")
}

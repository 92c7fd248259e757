package app

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/ephoto"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/mail"
	"permis/internal/requests"
	"permis/internal/secret"
	"permis/internal/stamp"
	"permis/internal/store"
)

// Licence requests, the citizen's (or driving school's) side: start a
// draft with what the account and the register know, answer, attach
// documents, submit. Submit is ONE transaction: the completeness check,
// the stamp's reservation, the ePhoto code's claim, the status, the
// timeline, the receipt mail and the audit commit together or not at all.

// RequestOptions are the delays of the requests' processing. The zero
// value of a field takes its default (see withDefaults).
type RequestOptions struct {
	Rules requests.Config // amounts and delays the law sets (default requests.DefaultConfig())
	// DecisionDays is the service's target from submission to decision:
	// the expected decision date, and files past it are flagged. 14 days
	// (REFERENCE §6.2, the minister in October 2019; UNCONFIRMED as a rule).
	DecisionDays int
	// ProductionDays from acceptance to posting: 3 (REFERENCE §6.2).
	ProductionDays int
	// LockFor is how long an agent's hold on a file lasts without action: 2 h.
	LockFor time.Duration
	// MaxUpload is the size limit of a document (default files.DefaultMaxSize).
	MaxUpload int64
	// TrackPerHour is how many public tracking look-ups a client may make per hour: 20.
	TrackPerHour int
	// UploadQuota is the size of the live documents an account may keep,
	// all its requests together: 500 Mo (uploads.go).
	UploadQuota int64
	// UploadsPerHour is how many documents an account may send per hour: 30.
	UploadsPerHour int
	// DraftPurgeDays: a draft untouched this long is deleted, with its
	// files, DraftWarnDays after a mail warned its owner: 90 and 14
	// (drafts.go).
	DraftPurgeDays, DraftWarnDays int
	// TrackEvery is how often the mail-tracking job asks the carrier: 1 h
	// (short in tests).
	TrackEvery time.Duration
}

func (o RequestOptions) withDefaults() RequestOptions {
	if o.Rules.Fees == nil {
		o.Rules = requests.DefaultConfig()
	}
	if o.DecisionDays <= 0 {
		o.DecisionDays = 14
	}
	if o.ProductionDays <= 0 {
		o.ProductionDays = 3
	}
	if o.LockFor <= 0 {
		o.LockFor = 2 * time.Hour
	}
	if o.MaxUpload <= 0 {
		o.MaxUpload = files.DefaultMaxSize
	}
	if o.TrackPerHour <= 0 {
		o.TrackPerHour = 20
	}
	if o.UploadQuota <= 0 {
		o.UploadQuota = defaultUploadQuota
	}
	if o.UploadsPerHour <= 0 {
		o.UploadsPerHour = defaultUploadsPerHour
	}
	if o.DraftPurgeDays <= 0 {
		o.DraftPurgeDays = 90
	}
	if o.DraftWarnDays <= 0 || o.DraftWarnDays >= o.DraftPurgeDays {
		o.DraftWarnDays = min(14, o.DraftPurgeDays/2)
	}
	if o.TrackEvery <= 0 {
		o.TrackEvery = time.Hour
	}
	return o
}

// Answers are the type's questions, kept as JSON with the draft: what the
// account and the register cannot know.
type Answers struct {
	Categories             []licence.Category `json:"categories,omitempty"`
	HealthCondition        bool               `json:"health_condition,omitempty"`
	Sanction               *requests.Sanction `json:"sanction,omitempty"`
	NonEUNational          bool               `json:"non_eu_national,omitempty"`
	EUForeignNational      bool               `json:"eu_foreign_national,omitempty"`
	ForeignLicenceLost     bool               `json:"foreign_licence_lost,omitempty"`
	ForeignLicenceInFrench bool               `json:"foreign_licence_in_french,omitempty"`
	// LossDate and LossPlace are when and where the licence was lost, as
	// the declaration of loss states them (cerfa 14882 asks both; a copy of
	// the lost card is not asked: the holder no longer has it).
	LossDate  date.Null `json:"loss_date,omitzero"`
	LossPlace string    `json:"loss_place,omitempty"`
}

// Student is the applicant a driving school files for.
type Student struct {
	FamilyName string
	GivenNames string
	BirthDate  date.Date
}

// StartInput starts a request.
type StartInput struct {
	Kind       string
	Student    *Student // driving schools only
	MandateRef string   // driving schools only: the student's signed mandate
}

// requestOwner returns the signed-in citizen's or driving school's id.
func requestOwner(req Request) (int64, error) {
	if req.Actor.Role != access.Citizen && req.Actor.Role != access.DrivingSchool {
		return 0, apperr.New(apperr.Forbidden, "Seuls un usager ou une auto-école peuvent déposer une demande de permis.")
	}
	return userIDOf(req.Actor)
}

// newReference draws a reference people can read aloud: DEM-2026-7KQ4XM.
func newReference(now time.Time) string {
	y, _, _ := date.Today(now).Civil()
	return fmt.Sprintf("DEM-%d-%s", y, secret.NewCode(6))
}

// StartRequest creates a draft of kind, filled with what the account and
// the register already know: the applicant's name, birth date, email, and
// the licence (NEPH, département) when one is linked. Nothing is asked twice.
func (a *App) StartRequest(ctx context.Context, req Request, in StartInput) (store.Request, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return store.Request{}, err
	}
	t, err := requests.Lookup(in.Kind)
	if err != nil {
		return store.Request{}, err
	}
	if !t.Filable(req.Actor.Role) {
		return store.Request{}, apperr.New(apperr.Forbidden, "Une auto-école ne peut déposer que les demandes de premier permis et d'ajout de catégorie, pour ses élèves.")
	}
	u, err := a.store.FindUser(ctx, owner)
	if err != nil {
		return store.Request{}, err
	}
	r := store.Request{Kind: t.Kind, OwnerID: owner, FilerRole: string(req.Actor.Role), Email: u.Email}
	if req.Actor.Role == access.DrivingSchool {
		if err := checkStudent(in); err != nil {
			return store.Request{}, err
		}
		m, err := a.checkMandate(ctx, owner, in) // schools.go
		if err != nil {
			return store.Request{}, err
		}
		r.FamilyName, r.GivenNames = strings.TrimSpace(in.Student.FamilyName), strings.TrimSpace(in.Student.GivenNames)
		r.BirthDate, r.MandateRef = date.Some(in.Student.BirthDate), strings.TrimSpace(in.MandateRef)
		if f := a.studentNEPH.Load(); f != nil && t.Kind == requests.FirstLicence { // the exams capability's hook (kernel.go)
			if r.NEPH, err = (*f)(ctx, m); err != nil {
				return store.Request{}, err
			}
		}
	} else {
		r.FamilyName, r.GivenNames, r.BirthDate = u.FamilyName, u.GivenName, u.BirthDate
		if u.LicenceID != 0 && mayShowPersonal(u) == nil {
			l, err := a.store.FindLicence(ctx, u.LicenceID)
			if err != nil {
				return store.Request{}, err
			}
			r.LicenceID, r.NEPH, r.Departement = l.ID, string(l.NEPH), l.Departement
		} else if neph, err := a.store.NEPHOfAccount(ctx, u.ID); err == nil { // no licence: the accepted exam registration's NEPH
			r.NEPH = neph
		} else if !apperr.Is(err, apperr.NotFound) {
			return store.Request{}, err
		}
		if err := duplicateAllowed(ctx, a.store, t.Kind, r.LicenceID); err != nil {
			return store.Request{}, err
		}
	}
	if t.Kind == requests.FirstLicence && r.NEPH != "" { // prefilled with the categories of the CEPCs on file
		cats, err := a.store.CertifiedCategories(ctx, r.NEPH, a.certifiedSince(a.today()))
		if err != nil {
			return store.Request{}, err
		}
		if b, _ := json.Marshal(Answers{Categories: cats}); len(cats) > 0 {
			r.Answers = string(b)
		}
	}
	for range 3 {
		r.Reference = newReference(a.clock.Now())
		err = a.store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.CreateRequest(ctx, &r); err != nil {
				return err
			}
			return a.auditTx(ctx, tx, req, "request.start", "request", r.Reference)
		})
		if !apperr.Is(err, apperr.Conflict) {
			break
		}
	}
	return r, err
}

func checkStudent(in StartInput) error {
	p := map[string]string{}
	if in.Student == nil || strings.TrimSpace(in.Student.FamilyName) == "" {
		p["family_name"] = "Saisissez le nom de l'élève."
	}
	if in.Student == nil || strings.TrimSpace(in.Student.GivenNames) == "" {
		p["given_names"] = "Saisissez le ou les prénoms de l'élève."
	}
	if in.Student == nil || in.Student.BirthDate == 0 {
		p["birth_date"] = "Saisissez la date de naissance de l'élève."
	}
	if strings.TrimSpace(in.MandateRef) == "" {
		p["mandate_ref"] = "Indiquez la référence du mandat signé par l'élève : une auto-école ne dépose une demande que sous mandat."
	}
	if len(p) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: p}
	}
	return nil
}

// DraftInput changes a draft; nil fields are kept.
type DraftInput struct {
	Answers      *Answers
	Departement  *string
	StampNumber  *string // 16 digits, spaces allowed; "" removes it
	EPhotoCode   *string // 22 characters, spaces and dashes allowed; "" removes it
	PaperPhoto   *bool   // the paper photo-signature form (FPS) instead of a code
	LossDeclared *bool   // the sworn declaration of loss
}

// SaveAnswers saves a step of the owner's draft. Each value is checked as
// typed; what they add up to is checked at submission.
func (a *App) SaveAnswers(ctx context.Context, req Request, id int64, in DraftInput) (store.Request, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return store.Request{}, err
	}
	var p store.DraftPatch
	if in.Answers != nil {
		for _, c := range in.Answers.Categories {
			if !c.Valid() {
				return store.Request{}, apperr.Field("categories", "Catégorie inconnue : « "+string(c)+" ».")
			}
		}
		if in.Answers.LossDate.Valid && in.Answers.LossDate.Date.After(a.today()) {
			return store.Request{}, apperr.Field("loss_date", "La date de la perte ne peut pas être dans le futur.")
		}
		in.Answers.LossPlace = strings.TrimSpace(in.Answers.LossPlace)
		if len(in.Answers.LossPlace) > 200 {
			return store.Request{}, apperr.Field("loss_place", "Le lieu de la perte : 200 caractères au plus.")
		}
		b, err := json.Marshal(in.Answers)
		if err != nil {
			return store.Request{}, err
		}
		s := string(b)
		p.Answers = &s
	}
	if in.Departement != nil {
		d := strings.ToUpper(strings.TrimSpace(*in.Departement))
		if !validDepartement(d) {
			return store.Request{}, apperr.Field("departement", "Saisissez le numéro de votre département de résidence : 34, 2A, 973…")
		}
		p.Departement = &d
	}
	if in.StampNumber != nil {
		s := ""
		if strings.TrimSpace(*in.StampNumber) != "" {
			n, err := stamp.ParseNumber(*in.StampNumber)
			if err != nil {
				return store.Request{}, err
			}
			s = string(n)
		}
		p.StampNumber = &s
	}
	if in.EPhotoCode != nil {
		s := ""
		if strings.TrimSpace(*in.EPhotoCode) != "" {
			c, err := ephoto.Parse(*in.EPhotoCode)
			if err != nil {
				return store.Request{}, err
			}
			s = string(c)
		}
		p.EPhotoCode = &s
	}
	p.PaperPhoto, p.LossDeclared = in.PaperPhoto, in.LossDeclared
	return a.store.UpdateDraft(ctx, id, owner, p)
}

func validDepartement(d string) bool {
	switch {
	case d == "2A" || d == "2B":
		return true
	case len(d) == 2 || len(d) == 3:
		for _, c := range d {
			if c < '0' || c > '9' {
				return false
			}
		}
		return d != "00" && d != "20" && (len(d) == 2 || strings.HasPrefix(d, "97"))
	}
	return false
}

// docAllowed reports whether the type asks for document d, itself or as an
// accepted alternative.
func docAllowed(t requests.Type, d requests.Document) bool {
	return slices.ContainsFunc(t.Documents, func(r requests.DocumentRule) bool { return r.Doc == d || r.Or == d })
}

// AddDocument attaches (or replaces) the owner's document of code doc,
// recognised by content. On a request waiting for documents, the last one
// asked sends it back to the agents' queue.
func (a *App) AddDocument(ctx context.Context, req Request, id int64, doc string, up Upload) (store.RequestDocument, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return store.RequestDocument{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return store.RequestDocument{}, err
	}
	t, err := requests.Lookup(string(r.Kind))
	if err != nil {
		return store.RequestDocument{}, err
	}
	d := requests.Document(doc)
	if !docAllowed(t, d) {
		return store.RequestDocument{}, apperr.Field("document", "Cette pièce n'est pas demandée pour cette démarche.")
	}
	if r.Status != requests.StatusDraft && r.Status != requests.StatusAwaitingDocuments {
		return store.RequestDocument{}, apperr.New(apperr.Conflict, "Cette demande n'attend pas de pièce : elle est au statut « "+r.Status.Label()+" ».")
	}
	if a.files == nil {
		return store.RequestDocument{}, apperr.New(apperr.Unavailable, "L'envoi de fichiers est momentanément indisponible. Réessayez plus tard.")
	}
	if err := a.limit(ctx, fmt.Sprintf("upload:owner:%d", owner), time.Hour, a.reqs.UploadsPerHour); err != nil {
		return store.RequestDocument{}, err
	}
	f, err := files.Accept(ctx, a.files, "document", up.Name, up.Body, a.reqs.MaxUpload)
	if err != nil {
		return store.RequestDocument{}, err
	}
	if err := a.withinUploadQuota(ctx, owner, f); err != nil {
		return store.RequestDocument{}, err
	}
	var replaced []string
	rd := store.RequestDocument{RequestID: r.ID, Document: d, Key: f.Key, ContentType: f.Type, Size: f.Size, SHA256: f.SHA256, Name: f.Name}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		cur, err := tx.FindRequestOfOwner(ctx, id, owner)
		if err != nil {
			return err
		}
		if cur.Status != r.Status {
			return apperr.New(apperr.Conflict, "Cette demande vient de changer de statut. Rechargez la page.")
		}
		if replaced, err = tx.PutRequestDocument(ctx, &rd); err != nil {
			return err
		}
		if cur.Status == requests.StatusAwaitingDocuments {
			if err := a.documentsBack(ctx, tx, req, cur, d); err != nil {
				return err
			}
		}
		return a.auditTx(ctx, tx, req, "request.document", "request", r.Reference)
	})
	if err != nil {
		_ = a.files.Delete(context.WithoutCancel(ctx), f.Key)
		return store.RequestDocument{}, err
	}
	a.deleteFiles(ctx, replaced)
	return rd, nil
}

// documentsBack records a document given after the agent asked, and when
// none is still asked, sends the request back to the queue.
func (a *App) documentsBack(ctx context.Context, tx *store.Store, req Request, r store.Request, d requests.Document) error {
	if err := a.event(ctx, tx, req, r.ID, "documents", "Pièce déposée", d.Label(), false); err != nil {
		return err
	}
	docs, err := tx.ListRequestDocuments(ctx, r.ID, false)
	if err != nil {
		return err
	}
	if slices.ContainsFunc(docs, func(x store.RequestDocument) bool { return x.State == store.DocRequested }) {
		return nil
	}
	_, nr, err := a.transition(ctx, tx, req, r.ID, store.Transition{Event: requests.EventDocumentsProvided, Unlock: true}, "")
	if err != nil {
		return err
	}
	return a.mailStep(ctx, tx, nr, "Nous avons reçu les pièces demandées",
		"Nous avons bien reçu les pièces demandées pour votre demande. Elle reprend son instruction.")
}

// applicant builds what Requirements needs from the request, its answers
// and the register.
func (a *App) applicant(ctx context.Context, r store.Request, today date.Date) (requests.Applicant, error) {
	var ans Answers
	err := json.Unmarshal([]byte(r.Answers), &ans)
	if err != nil {
		return requests.Applicant{}, fmt.Errorf("requests: answers of %s: %w", r.Reference, err)
	}
	ap := requests.Applicant{
		BirthDate: r.BirthDate.Date, Filed: today, Departement: r.Departement, Filer: access.Role(r.FilerRole),
		Categories: ans.Categories, HealthCondition: ans.HealthCondition, Sanction: ans.Sanction,
		NonEUNational: ans.NonEUNational, EUForeignNational: ans.EUForeignNational, ForeignLicenceLost: ans.ForeignLicenceLost, ForeignLicenceInFrench: ans.ForeignLicenceInFrench,
	}
	if r.LicenceID != 0 {
		l, err := a.store.FindLicence(ctx, r.LicenceID)
		if err != nil {
			return ap, err
		}
		ap.Licence = &l
	}
	if r.NEPH != "" { // the CEPCs the service issued: found, not uploaded (issue 14)
		ap.CertifiedCategories, err = a.store.CertifiedCategories(ctx, r.NEPH, a.certifiedSince(today))
	}
	return ap, err
}

// Requirements returns what the owner's draft still needs, for the
// "check your answers" page.
func (a *App) Requirements(ctx context.Context, req Request, id int64) (requests.Requirements, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return requests.Requirements{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return requests.Requirements{}, err
	}
	return a.requirements(ctx, r)
}

func (a *App) requirements(ctx context.Context, r store.Request) (requests.Requirements, error) {
	t, err := requests.Lookup(string(r.Kind))
	if err != nil {
		return requests.Requirements{}, err
	}
	ap, err := a.applicant(ctx, r, a.today())
	if err != nil {
		return requests.Requirements{}, err
	}
	return t.Requirements(ap, a.reqs.Rules)
}

// missing returns, by field, what the request lacks for its requirements.
func missing(r store.Request, need requests.Requirements, docs []store.RequestDocument) map[string]string {
	has := map[requests.Document]bool{}
	for _, d := range docs {
		if d.State == store.DocProvided || d.State == store.DocAccepted {
			has[d.Document] = true
		}
	}
	p := map[string]string{}
	var ans Answers
	_ = json.Unmarshal([]byte(r.Answers), &ans) // read by applicant before; an empty answer lacks the loss's date
	for _, n := range need.Documents {
		if !n.Optional && !has[n.Document] && (n.Or == "" || !has[n.Or]) {
			p["document_"+string(n.Document)] = "Joignez : " + n.Label() + "."
		}
	}
	if !r.BirthDate.Valid {
		p["birth_date"] = "Indiquez la date de naissance du demandeur."
	}
	if r.Departement == "" {
		p["departement"] = "Indiquez votre département de résidence."
	}
	if need.Stamp && r.StampNumber == "" {
		p[stamp.Field] = fmt.Sprintf("Achetez un timbre fiscal de %s, ou saisissez le numéro à 16 chiffres de celui que vous avez.", need.Fee)
	}
	if need.EPhoto && r.EPhotoCode == "" && !r.PaperPhoto {
		p["ephoto_code"] = "Saisissez le code ePhoto de 22 caractères imprimé sur votre planche photo, ou choisissez l'envoi du formulaire papier."
	}
	if need.LossDeclaration && !r.LossDeclared {
		p["loss_declared"] = "Déclarez la perte de votre permis en cochant la déclaration."
	}
	if need.LossDeclaration && (!ans.LossDate.Valid || strings.TrimSpace(ans.LossPlace) == "") {
		p["loss_date"] = "Indiquez la date et le lieu de la perte dans la déclaration."
	}
	return p
}

// ErrIncomplete is the message of a submission refused for what it lacks;
// Fields names each missing thing.
const ErrIncomplete = "Votre demande est incomplète : complétez les éléments signalés avant de l'envoyer."

// Submit files the owner's draft in ONE transaction: completeness against
// Requirements, the stamp's reservation, the ePhoto code's claim, the
// status, the timeline, the receipt mail and the audit. Any failure leaves
// the draft as it was and the stamp and code free.
func (a *App) Submit(ctx context.Context, req Request, id int64) (store.Request, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return store.Request{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return store.Request{}, err
	}
	if r.Status != requests.StatusDraft {
		return r, apperr.New(apperr.Conflict, "Cette demande est déjà envoyée.")
	}
	need, err := a.requirements(ctx, r)
	if err != nil {
		return r, err
	}
	now := a.clock.Now()
	today := date.Today(now)
	var out store.Request
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		// The right to drive as it is now, in the transaction that files
		// the request and issues its attestation de perte.
		if err := duplicateAllowed(ctx, tx, r.Kind, r.LicenceID); err != nil {
			return err
		}
		docs, err := tx.ListRequestDocuments(ctx, r.ID, false)
		if err != nil {
			return err
		}
		if p := missing(r, need, docs); len(p) > 0 {
			return &apperr.Error{Code: apperr.Invalid, Message: ErrIncomplete, Fields: p}
		}
		tr := store.Transition{Event: requests.EventSubmit, SubmittedAt: &now,
			ExpectedDecision: date.Some(today.AddDays(a.reqs.DecisionDays))}
		if need.LossDeclaration {
			la := a.reqs.Rules.LossAttestation(today)
			tr.LossAttestation = &la
		}
		_, nr, err := a.transition(ctx, tx, req, r.ID, tr, "")
		if err != nil {
			return err
		}
		if need.Stamp {
			if _, err := tx.ReserveStamp(ctx, stamp.Number(r.StampNumber), r.Reference, need.Fee, now); err != nil {
				return err
			}
		}
		if need.EPhoto && r.EPhotoCode != "" {
			if _, err := tx.ClaimEPhotoCode(ctx, ephoto.Code(r.EPhotoCode), r.Reference, now); err != nil {
				return err
			}
		}
		if err := a.mailReceipt(ctx, tx, nr, need); err != nil {
			return err
		}
		out = nr
		return a.auditTx(ctx, tx, req, "request.submit", "request", r.Reference)
	})
	if err != nil {
		return r, a.openRequestConflict(ctx, r, err)
	}
	return out, nil
}

// transition applies a status change and writes its line in the timeline.
func (a *App) transition(ctx context.Context, tx *store.Store, req Request, id int64, t store.Transition, detail string) (requests.Transition, store.Request, error) {
	tr, r, err := tx.TransitionRequest(ctx, id, t)
	if err != nil {
		return tr, r, err
	}
	me, _ := userIDOf(req.Actor)
	e := store.RequestEvent{RequestID: id, Kind: "status", Event: tr.Event, From: tr.From, To: tr.To,
		ActorRole: string(tr.By), ActorID: me, Label: tr.Label, Detail: detail}
	return tr, r, tx.AppendRequestEvent(ctx, &e)
}

// event writes a line that is not a status change in the timeline.
func (a *App) event(ctx context.Context, tx *store.Store, req Request, id int64, kind, label, detail string, private bool) error {
	me, _ := userIDOf(req.Actor)
	role := "applicant"
	switch req.Actor.Role {
	case access.Agent, access.Admin:
		role = "agent"
	}
	if req.Actor.Kind == access.KindSystem {
		role = "system"
	}
	e := store.RequestEvent{RequestID: id, Kind: kind, ActorRole: role, ActorID: me, Label: label, Detail: detail, Private: private}
	return tx.AppendRequestEvent(ctx, &e)
}

// mailStep mails the request's owner about a step, in tx.
func (a *App) mailStep(ctx context.Context, tx *store.Store, r store.Request, subject, body string) error {
	if err := a.smsStep(ctx, tx, r, subject); err != nil {
		return err
	}
	if r.Email == "" {
		return nil
	}
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: r.Email, Subject: subject + " (" + r.Reference + ")",
		Text: "Bonjour,\n\n" + body + "\n\nDemande : " + r.Reference + " — " + kindLabel(r.Kind) +
			"\nStatut : " + r.Status.Label() + "\nEt ensuite : " + r.Status.NextStep(a.reqs.Rules) +
			"\n\nSuivez votre demande dans votre espace : " + a.publicURL + "/demandes/" + fmt.Sprint(r.ID) + mailSignature})
	return err
}

func kindLabel(k requests.Kind) string {
	if t, err := requests.Lookup(string(k)); err == nil {
		return t.Label
	}
	return string(k)
}

func (a *App) mailReceipt(ctx context.Context, tx *store.Store, r store.Request, need requests.Requirements) error {
	body := "Votre demande a bien été enregistrée le " + date.Today(*r.SubmittedAt).French() + " à " + frenchTime(*r.SubmittedAt) +
		" sous la référence " + r.Reference + ". Décision attendue au plus tard le " + r.ExpectedDecision.Date.French() + "."
	if need.Stamp {
		body += "\nVotre timbre fiscal (" + stamp.Number(r.StampNumber).Masked() + ") est réservé pour cette demande : il ne sera utilisé que si elle est acceptée."
	}
	if r.LossAttestationUntil.Valid {
		body += "\nVotre attestation de perte est disponible dans votre espace : elle vous permet de conduire jusqu'au " +
			r.LossAttestationUntil.Date.French() + " inclus."
	}
	return a.mailStep(ctx, tx, r, "Demande enregistrée", body)
}

// certifiedSince is the first exam day whose CEPC is still valid today.
func (a *App) certifiedSince(today date.Date) date.Date {
	return today.AddMonths(-a.exams.CertificateValidityMonths).AddDays(1)
}

package portal

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/web"
)

// The draft of a request, one thing per page: the answers, the sworn
// declaration of loss, the ePhoto code (or the paper form), each document,
// the stamp, then "check your answers" and the submission. Every step is
// saved as it is sent, so a draft is resumed from "my requests" where it
// was left. A step's URL names it (/mes-demarches/{id}/etape/{step}); the
// steps are computed from the type and, once the answers are known, from
// app.Requirements.

// The step slugs that are not a document.
const (
	stepInfo        = "informations"
	stepDeclaration = "declaration"
	stepPhoto       = "photo"
	stepStamp       = "timbre"
	stepCheck       = "verification"
	// oldDocPrefix began the English document steps of old addresses
	// ("piece-identity"): they are redirected to the French ones
	// ("piece-identite", requests.Document.Slug).
	oldDocPrefix = "piece-"
)

// reqStep is one page of the draft.
type reqStep struct {
	Slug  string
	Title string
	Kind  string // info, declaration, photo, document, stamp, check
	Need  requests.Need
}

// draft is a draft as its pages read it.
type draft struct {
	Req     store.Request
	Type    requests.Type
	Answers app.Answers
	Need    *requests.Requirements // nil while the answers do not allow computing it
	NeedErr string                 // why, in French
	Docs    map[requests.Document]store.RequestDocument
	Steps   []reqStep
}

func draftURL(id int64, step string) string { return reqURL(id) + "/etape/" + step }

func startInput(t requests.Type) app.StartInput { return app.StartInput{Kind: string(t.Kind)} }

// loadDraft reads the signed-in person's draft of the path.
func (p *Portal) loadDraft(r *http.Request) (*draft, error) {
	id, err := reqID(r)
	if err != nil {
		return nil, err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return nil, err
	}
	return p.draftOf(r, v)
}

func (p *Portal) draftOf(r *http.Request, v app.RequestView) (*draft, error) {
	t, err := requests.Lookup(string(v.Request.Kind))
	if err != nil {
		return nil, err
	}
	d := &draft{Req: v.Request, Type: t, Docs: map[requests.Document]store.RequestDocument{}}
	if v.Request.Answers != "" {
		if err := json.Unmarshal([]byte(v.Request.Answers), &d.Answers); err != nil {
			return nil, err
		}
	}
	for _, doc := range v.Documents {
		if doc.State == store.DocProvided || doc.State == store.DocAccepted {
			d.Docs[doc.Document] = doc
		}
	}
	if v.Request.Status == requests.StatusDraft {
		need, err := p.app.Requirements(r.Context(), request(r), v.Request.ID)
		switch {
		case err == nil:
			d.Need = &need
		case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.Forbidden):
			d.NeedErr = fieldMessage(err)
		default:
			return nil, err
		}
	}
	d.Steps = d.steps()
	return d, nil
}

// fieldMessage is the first field message of an application error, or its
// message.
func fieldMessage(err error) string {
	e := apperr.As(err)
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	if len(keys) > 0 {
		return e.Fields[keys[0]]
	}
	return e.Message
}

// steps lists the draft's pages in order.
func (d *draft) steps() []reqStep {
	t := d.Type
	out := []reqStep{{Slug: stepInfo, Title: "Votre situation", Kind: "info"}}
	if t.LossDeclaration {
		out = append(out, reqStep{Slug: stepDeclaration, Title: "Déclaration de perte", Kind: "declaration"})
	}
	ephoto := t.EPhoto == requests.Always
	if d.Need != nil {
		ephoto = d.Need.EPhoto
	}
	if ephoto {
		out = append(out, reqStep{Slug: stepPhoto, Title: "Photo et signature", Kind: "photo"})
	}
	if d.Need != nil {
		for _, n := range d.Need.Documents {
			out = append(out, reqStep{Slug: n.Document.Slug(), Title: n.Document.Label(), Kind: "document", Need: n})
		}
	}
	stampNeeded := t.Stamp == requests.Always
	if d.Need != nil {
		stampNeeded = d.Need.Stamp
	}
	if stampNeeded {
		out = append(out, reqStep{Slug: stepStamp, Title: "Timbre fiscal", Kind: "stamp"})
	}
	return append(out, reqStep{Slug: stepCheck, Title: "Vérifiez votre demande", Kind: "check"})
}

func (d *draft) step(slug string) (int, reqStep, bool) {
	for i, s := range d.Steps {
		if s.Slug == slug {
			return i, s, true
		}
	}
	return 0, reqStep{}, false
}

// done reports whether a step has what it asks.
func (d *draft) done(s reqStep) bool {
	switch s.Kind {
	case "info":
		return d.Req.Departement != "" && d.Need != nil
	case "declaration":
		return d.Req.LossDeclared
	case "photo":
		return d.Req.EPhotoCode != "" || d.Req.PaperPhoto
	case "document":
		_, ok := d.Docs[s.Need.Document]
		_, alt := d.Docs[s.Need.Or]
		return ok || (s.Need.Or != "" && alt) || s.Need.Optional
	case "stamp":
		return d.Req.StampNumber != ""
	}
	return false
}

// resume is the first step not done (or "check your answers").
func (d *draft) resume() string {
	for _, s := range d.Steps {
		if !d.done(s) {
			return s.Slug
		}
	}
	return stepCheck
}

// asks tells which questions the type's answers step asks.
type reqAsks struct {
	Categories, Health, Sanction, NonEU, EUForeign, ForeignLost, ForeignFrench bool
	Restitution                                                                bool // the sanction is a suspension (with its dates)
}

func asksOf(t requests.Type) reqAsks {
	has := t.Depends
	return reqAsks{Categories: t.Categories, Health: t.AsksHealth(),
		Sanction:    t.Kind == requests.Restitution || t.Kind == requests.AfterInvalidation,
		Restitution: t.Kind == requests.Restitution,
		NonEU:       has(requests.IfNonEUNational), EUForeign: has(requests.IfEUForeignNational), ForeignLost: has(requests.IfForeignLicenceLost),
		ForeignFrench: has(requests.IfForeignLicenceNotFrench)}
}

// reqForm holds what a step's form shows (the saved values, or the ones
// just sent when they are refused).
type reqForm struct {
	Departement                                                   string
	Categories                                                    map[licence.Category]bool
	Health, NonEU, EUForeign, ForeignLost, ForeignFrench, Alcohol bool
	Measure, From, Until                                          string
	Declared                                                      bool
	LossDate, LossPlace                                           string
	PhotoChoice, EPhotoCode, StampNumber                          string
}

func formOf(d *draft) reqForm {
	f := reqForm{Departement: d.Req.Departement, Categories: map[licence.Category]bool{}, Health: d.Answers.HealthCondition,
		NonEU: d.Answers.NonEUNational, EUForeign: d.Answers.EUForeignNational, ForeignLost: d.Answers.ForeignLicenceLost, ForeignFrench: d.Answers.ForeignLicenceInFrench,
		Declared: d.Req.LossDeclared, LossPlace: d.Answers.LossPlace, EPhotoCode: d.Req.EPhotoCode, StampNumber: stampGrouped(d.Req.StampNumber)}
	for _, c := range d.Answers.Categories {
		f.Categories[c] = true
	}
	if d.Answers.LossDate.Valid {
		f.LossDate = d.Answers.LossDate.Date.French()
	}
	if s := d.Answers.Sanction; s != nil {
		f.Measure, f.Alcohol = string(s.Measure), s.AlcoholOrDrugs
		if s.From != 0 {
			f.From = s.From.French()
		}
		if s.Until != 0 {
			f.Until = s.Until.French()
		}
	}
	switch {
	case d.Req.PaperPhoto:
		f.PhotoChoice = "paper"
	case d.Req.EPhotoCode != "":
		f.PhotoChoice = "code"
	}
	return f
}

type reqStepPage struct {
	web.Page
	D          *draft
	Step       reqStep
	Action     string
	Return     string
	Form       reqForm
	Asks       reqAsks
	Categories []licence.Category
	Sex        string // the applicant's, when known: "female", "male" or ""
	Doc        *store.RequestDocument
	MaxSize    string
	Fee        string
	Help       map[string]string
	Rows       []reqRow // "check your answers"
	Back       string
	Incomplete string // why the submission was refused, above the list of what is missing
}

// reqRow is a line of "check your answers".
type reqRow struct {
	ID      string // the anchor the error summary links to
	Label   string
	Value   string
	Date    date.Null // shown as a date, when valid
	Missing bool
	Edit    string
}

func (p *Portal) stepPage(r *http.Request, d *draft, s reqStep, ret string) *reqStepPage {
	i, _, _ := d.step(s.Slug)
	next := ""
	if i+1 < len(d.Steps) {
		next = d.Steps[i+1].Title
	}
	pg := &reqStepPage{Page: web.Page{Title: s.Title + " — " + d.Type.Label,
		Steps:      &web.Steps{Current: i + 1, Total: len(d.Steps), Title: s.Title, NextTitle: next},
		Breadcrumb: reqCrumbs(d.Req, web.Link{Text: d.Type.Label})},
		D: d, Step: s, Action: draftURL(d.Req.ID, s.Slug), Form: formOf(d), Asks: asksOf(d.Type),
		Categories: licence.Categories(), MaxSize: files.FormatSize(maxDocument), Help: reqHelp()}
	if ret == stepCheck {
		pg.Return = stepCheck
	}
	if st, ok := stateOf(r); ok && st.Account.Role == access.Citizen {
		pg.Sex = st.Account.Gender // "née le" for her own request; a school's student stays "né(e)"
	}
	switch {
	case ret == stepCheck:
		pg.Back = draftURL(d.Req.ID, stepCheck)
	case i > 0:
		pg.Back = draftURL(d.Req.ID, d.Steps[i-1].Slug)
	case d.School():
		pg.Back = d.Home()
	default:
		pg.Back = "/mes-demarches/nouvelle/" + d.Type.Kind.Slug()
	}
	if s.Kind == "document" {
		if doc, ok := d.Docs[s.Need.Document]; ok {
			pg.Doc = &doc
		} else if doc, ok := d.Docs[s.Need.Or]; ok && s.Need.Or != "" {
			pg.Doc = &doc
		}
	}
	if d.Need != nil && d.Need.Stamp {
		pg.Fee = d.Need.Fee.String()
	}
	if s.Kind == "check" {
		pg.Rows = checkRows(d)
	}
	return pg
}

// checkRows are the lines of "check your answers", each with its "Modifier".
func checkRows(d *draft) []reqRow {
	id := d.Req.ID
	edit := func(step string) string { return draftURL(id, step) + "?retour=" + stepCheck }
	yesNo := func(b bool) string {
		if b {
			return "Oui"
		}
		return "Non"
	}
	rows := []reqRow{
		{ID: "applicant", Label: "Demandeur", Value: strings.TrimSpace(d.Req.GivenNames + " " + d.Req.FamilyName)},
		{ID: "birth_date", Label: "Date de naissance", Date: d.Req.BirthDate, Missing: !d.Req.BirthDate.Valid},
	}
	if d.Type.NeedsLicence {
		row := reqRow{ID: "licence", Label: "Numéro de permis (NEPH)", Value: d.Req.NEPH, Missing: d.Req.NEPH == ""}
		if row.Missing {
			row.Edit = "/mon-espace/permis/rattacher"
		}
		rows = append(rows, row)
	}
	rows = append(rows, reqRow{ID: "departement", Label: "Département de résidence", Value: d.Req.Departement,
		Missing: d.Req.Departement == "", Edit: edit(stepInfo)})
	a := asksOf(d.Type)
	if a.Categories {
		var cs []string
		for _, c := range d.Answers.Categories {
			cs = append(cs, string(c))
		}
		rows = append(rows, reqRow{ID: "categories", Label: "Catégories demandées", Value: strings.Join(cs, ", "), Missing: len(cs) == 0, Edit: edit(stepInfo)})
	}
	if d.Need != nil && d.Need.CertificateOnFile { // issue 14: the CEPC the service issued, found by the NEPH
		rows = append(rows, reqRow{ID: "exam_certificate", Label: "Certificat d'examen (CEPC)",
			Value: "Retrouvé par le service (NEPH " + d.Req.NEPH + ") : rien à joindre"})
	}
	if a.Health {
		rows = append(rows, reqRow{ID: "health_condition", Label: "Affection médicale déclarée", Value: yesNo(d.Answers.HealthCondition), Edit: edit(stepInfo)})
	}
	if a.Sanction {
		v := ""
		if s := d.Answers.Sanction; s != nil {
			v = measureLabel(s.Measure)
			if a.Restitution && s.From != 0 {
				v += " du " + s.From.French() + " au " + s.Until.French()
			}
			if s.AlcoholOrDrugs {
				v += ", liée à l'alcool ou aux stupéfiants"
			}
		}
		rows = append(rows, reqRow{ID: "sanction", Label: "Mesure qui a pris fin", Value: v, Missing: v == "", Edit: edit(stepInfo)})
	}
	if a.EUForeign {
		rows = append(rows, reqRow{ID: "eu_foreign_national", Label: "Nationalité d'un autre pays de l'UE, de l'EEE ou de la Suisse", Value: yesNo(d.Answers.EUForeignNational), Edit: edit(stepInfo)})
	}
	if a.NonEU {
		rows = append(rows, reqRow{ID: "non_eu_national", Label: "Nationalité hors UE, EEE et Suisse", Value: yesNo(d.Answers.NonEUNational), Edit: edit(stepInfo)})
	}
	if a.ForeignLost {
		rows = append(rows, reqRow{ID: "foreign_licence_lost", Label: "Permis étranger perdu ou volé", Value: yesNo(d.Answers.ForeignLicenceLost), Edit: edit(stepInfo)})
	}
	if a.ForeignFrench {
		rows = append(rows, reqRow{ID: "foreign_licence_in_french", Label: "Permis étranger rédigé en français", Value: yesNo(d.Answers.ForeignLicenceInFrench), Edit: edit(stepInfo)})
	}
	for _, s := range d.Steps {
		switch s.Kind {
		case "declaration":
			v := "Non faite"
			if d.Req.LossDeclared {
				v = "Je déclare sur l'honneur avoir perdu mon permis de conduire"
			}
			rows = append(rows, reqRow{ID: "loss_declared", Label: "Déclaration de perte", Value: v, Missing: !d.Req.LossDeclared, Edit: edit(s.Slug)})
			when := ""
			if d.Answers.LossDate.Valid {
				when = d.Answers.LossDate.Date.French()
				if d.Answers.LossPlace != "" {
					when += ", " + d.Answers.LossPlace
				}
			}
			rows = append(rows, reqRow{ID: "loss_date", Label: "Date et lieu de la perte", Value: when, Missing: when == "", Edit: edit(s.Slug)})
		case "photo":
			v := ""
			switch {
			case d.Req.EPhotoCode != "":
				v = "Code ePhoto " + d.Req.EPhotoCode
			case d.Req.PaperPhoto:
				v = "Formulaire papier photo-signature (FPS), envoyé par courrier"
			}
			rows = append(rows, reqRow{ID: "ephoto_code", Label: "Photo et signature", Value: v, Missing: v == "", Edit: edit(s.Slug)})
		case "document":
			v := ""
			if doc, ok := d.Docs[s.Need.Document]; ok {
				v = doc.Name + " (" + files.FormatSize(doc.Size) + ")"
			} else if doc, ok := d.Docs[s.Need.Or]; ok && s.Need.Or != "" {
				v = doc.Name + " (" + files.FormatSize(doc.Size) + ")"
			} else if s.Need.Optional {
				v = "Aucun (facultatif)"
			}
			rows = append(rows, reqRow{ID: "document_" + string(s.Need.Document), Label: s.Need.Label(), Value: v, Missing: v == "", Edit: edit(s.Slug)})
		case "stamp":
			rows = append(rows, reqRow{ID: "stamp_number", Label: "Timbre fiscal", Value: stampGrouped(d.Req.StampNumber),
				Missing: d.Req.StampNumber == "", Edit: edit(s.Slug)})
		}
	}
	return rows
}

func measureLabel(m licence.RightState) string {
	switch m {
	case licence.StateSuspendedAdmin:
		return "Suspension administrative (décision du préfet)"
	case licence.StateSuspendedCourt:
		return "Suspension judiciaire (décision d'un juge)"
	case licence.StateInvalidated:
		return "Invalidation (solde de points nul, lettre 48SI)"
	case licence.StateAnnulled:
		return "Annulation par un juge"
	}
	return ""
}

// reqShow opens a request: a draft resumes where it was left; a request
// sent shows its timeline.
func (p *Portal) reqShow(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	if v.Request.Status == requests.StatusDraft {
		d, err := p.draftOf(r, v)
		if err != nil {
			return err
		}
		http.Redirect(w, r, draftURL(id, d.resume()), http.StatusSeeOther)
		return nil
	}
	pg := p.viewPage(v)
	if r.URL.Query().Get("message") == "envoye" { // messageSent
		pg.Notices = append(pg.Notices, messageNotice)
	}
	return p.r.Render(w, r, http.StatusOK, "req_view.html", pg)
}

// reqStepForm shows one step of the draft.
func (p *Portal) reqStepForm(w http.ResponseWriter, r *http.Request) error {
	d, err := p.loadDraft(r)
	if err != nil {
		return err
	}
	if d.Req.Status != requests.StatusDraft {
		http.Redirect(w, r, reqURL(d.Req.ID), http.StatusSeeOther)
		return nil
	}
	_, s, ok := d.step(r.PathValue("step"))
	if !ok {
		if code, old := strings.CutPrefix(r.PathValue("step"), oldDocPrefix); old {
			if _, _, ok := d.step(requests.Document(code).Slug()); ok && requests.Document(code).Slug() != r.PathValue("step") {
				http.Redirect(w, r, draftURL(d.Req.ID, requests.Document(code).Slug()), http.StatusMovedPermanently)
				return nil
			}
		}
		return apperr.New(apperr.NotFound, "Cette étape n'existe pas pour cette demande.")
	}
	return p.r.Render(w, r, http.StatusOK, "req_step.html", p.stepPage(r, d, s, r.URL.Query().Get("retour")))
}

// reqStepSave saves one step, then goes to the next (or back to "check
// your answers" when the person came from there).
func (p *Portal) reqStepSave(w http.ResponseWriter, r *http.Request) error {
	d, err := p.loadDraft(r)
	if err != nil {
		return err
	}
	if d.Req.Status != requests.StatusDraft {
		return apperr.New(apperr.Conflict, "Cette demande est déjà envoyée : elle ne se modifie plus.")
	}
	_, s, ok := d.step(r.PathValue("step"))
	if !ok || s.Kind == "check" {
		return apperr.New(apperr.NotFound, "Cette étape n'existe pas pour cette demande.")
	}
	var form reqForm
	if s.Kind == "document" {
		err = p.saveDocument(w, r, d, s)
	} else {
		if err := parseForm(w, r); err != nil {
			return err
		}
		form, err = p.saveStep(r, d, s)
	}
	ret := r.FormValue("retour")
	if err != nil {
		pg := p.stepPage(r, d, s, ret)
		if s.Kind != "document" {
			pg.Form = form
		}
		return p.refuse(w, r, "req_step.html", pg, err)
	}
	// The steps may change with the answers (documents, stamp): read again.
	nd, err := p.loadDraft(r)
	if err != nil {
		return err
	}
	next := stepCheck
	if ret != stepCheck {
		if i, _, ok := nd.step(s.Slug); ok && i+1 < len(nd.Steps) {
			next = nd.Steps[i+1].Slug
		}
	}
	http.Redirect(w, r, draftURL(d.Req.ID, next), http.StatusSeeOther)
	return nil
}

// saveStep saves a step of answers; it returns the values sent, to show
// them again when they are refused.
func (p *Portal) saveStep(r *http.Request, d *draft, s reqStep) (reqForm, error) {
	f := formOf(d)
	ctx, req, id := r.Context(), request(r), d.Req.ID
	var in app.DraftInput
	switch s.Kind {
	case "info":
		a := asksOf(d.Type)
		f.Departement = strings.TrimSpace(r.PostForm.Get("departement"))
		ans := d.Answers
		if a.Categories {
			f.Categories = map[licence.Category]bool{}
			ans.Categories = nil
			for _, c := range r.PostForm["categories"] {
				ans.Categories = append(ans.Categories, licence.Category(c))
				f.Categories[licence.Category(c)] = true
			}
		}
		if a.Health {
			f.Health = r.PostForm.Get("health_condition") == "oui"
			ans.HealthCondition = f.Health
		}
		if a.EUForeign {
			f.EUForeign = r.PostForm.Get("eu_foreign_national") == "oui"
			ans.EUForeignNational = f.EUForeign
		}
		if a.NonEU {
			f.NonEU = r.PostForm.Get("non_eu_national") == "oui"
			ans.NonEUNational = f.NonEU
		}
		if a.ForeignLost {
			f.ForeignLost = r.PostForm.Get("foreign_licence_lost") == "oui"
			ans.ForeignLicenceLost = f.ForeignLost
		}
		if a.ForeignFrench {
			f.ForeignFrench = r.PostForm.Get("foreign_licence_in_french") == "oui"
			ans.ForeignLicenceInFrench = f.ForeignFrench
		}
		if a.Sanction {
			f.Measure, f.From, f.Until = r.PostForm.Get("sanction"), r.PostForm.Get("sanction_from"), r.PostForm.Get("sanction_until")
			f.Alcohol = r.PostForm.Get("sanction_alcohol") == "oui"
			sn, err := sanctionOf(a, f)
			if err != nil {
				return f, err
			}
			ans.Sanction = sn
		}
		in.Answers, in.Departement = &ans, &f.Departement
	case "declaration":
		f.Declared = r.PostForm.Get("loss_declared") == "oui"
		f.LossDate, f.LossPlace = strings.TrimSpace(r.PostForm.Get("loss_date")), strings.TrimSpace(r.PostForm.Get("loss_place"))
		day, err := date.ParseTyped(f.LossDate)
		switch {
		case f.LossDate == "":
			return f, apperr.Field("loss_date", "Indiquez la date de la perte, même approximative, au format JJ/MM/AAAA.")
		case err != nil:
			return f, apperr.Field("loss_date", "Saisissez la date de la perte au format JJ/MM/AAAA, par exemple 14/03/2026.")
		case f.LossPlace == "":
			return f, apperr.Field("loss_place", "Indiquez où vous avez perdu votre permis : la commune, ou « inconnu » si vous ne savez pas.")
		case !f.Declared:
			return f, apperr.Field("loss_declared", "Cochez la déclaration de perte pour continuer : elle est obligatoire pour cette démarche.")
		}
		ans := d.Answers
		ans.LossDate, ans.LossPlace = date.Some(day), f.LossPlace
		in.LossDeclared, in.Answers = &f.Declared, &ans
	case "photo":
		f.PhotoChoice, f.EPhotoCode = r.PostForm.Get("photo"), strings.TrimSpace(r.PostForm.Get("ephoto_code"))
		no, yes, none := false, true, ""
		switch f.PhotoChoice {
		case "code":
			if f.EPhotoCode == "" {
				return f, apperr.Field("ephoto_code", "Saisissez le code ePhoto de 22 caractères imprimé sur votre planche photo.")
			}
			in.EPhotoCode, in.PaperPhoto = &f.EPhotoCode, &no
		case "paper":
			in.EPhotoCode, in.PaperPhoto = &none, &yes
		default:
			return f, apperr.Field("photo", "Choisissez : saisir un code ePhoto, ou envoyer le formulaire papier.")
		}
	case "stamp":
		f.StampNumber = strings.TrimSpace(r.PostForm.Get("stamp_number"))
		if f.StampNumber == "" {
			return f, apperr.Field("stamp_number", "Saisissez le numéro à 16 chiffres de votre timbre fiscal électronique.")
		}
		in.StampNumber = &f.StampNumber
	}
	if _, err := p.app.SaveAnswers(ctx, req, id, in); err != nil {
		if e := apperr.As(err); s.Kind == "photo" && e.Code == apperr.Invalid && len(e.Fields) == 0 {
			return f, apperr.Field("ephoto_code", e.Message)
		}
		return f, err
	}
	if s.Kind == "info" {
		// What the answers add up to (age, categories, sanction) is told
		// now, on the page that can fix it.
		if _, err := p.app.Requirements(ctx, req, id); err != nil {
			return f, err
		}
	}
	return f, nil
}

func sanctionOf(a reqAsks, f reqForm) (*requests.Sanction, error) {
	m := licence.RightState(f.Measure)
	ok := m == licence.StateInvalidated || m == licence.StateAnnulled
	if a.Restitution {
		ok = m == licence.StateSuspendedAdmin || m == licence.StateSuspendedCourt
	}
	if !ok {
		return nil, apperr.Field("sanction", "Indiquez la mesure qui a pris fin.")
	}
	s := &requests.Sanction{Measure: m, AlcoholOrDrugs: f.Alcohol}
	if a.Restitution {
		from, err1 := date.ParseTyped(f.From)
		until, err2 := date.ParseTyped(f.Until)
		switch {
		case err1 != nil:
			return nil, apperr.Field("sanction_from", "Saisissez le premier jour de la suspension, au format JJ/MM/AAAA, par exemple 14/03/2026.")
		case err2 != nil:
			return nil, apperr.Field("sanction_until", "Saisissez le dernier jour de la suspension, au format JJ/MM/AAAA, par exemple 13/09/2026.")
		case until.Before(from):
			return nil, apperr.Field("sanction_until", "Le dernier jour de la suspension doit suivre le premier.")
		}
		s.From, s.Until = from, until
	}
	return s, nil
}

// readUpload reads a multipart form of one document, with the size limit
// the page states.
func readUpload(w http.ResponseWriter, r *http.Request, field string) (*app.Upload, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDocument+(1<<20))
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return nil, func() {}, apperr.Field(field, "Le fichier dépasse "+files.FormatSize(maxDocument)+
				". Réduisez sa taille (en le numérisant en noir et blanc, par exemple) puis joignez-le de nouveau.")
		}
		return nil, func() {}, apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	cleanup := func() { _ = r.MultipartForm.RemoveAll() }
	f, h, err := r.FormFile(field)
	if err != nil || h.Size == 0 {
		if f != nil {
			f.Close()
		}
		return nil, cleanup, nil
	}
	return &app.Upload{Name: h.Filename, Body: f}, func() { f.Close(); cleanup() }, nil
}

// saveDocument attaches the step's document. Without a file, the step is
// passed when the document is already there or optional.
func (p *Portal) saveDocument(w http.ResponseWriter, r *http.Request, d *draft, s reqStep) error {
	up, done, err := readUpload(w, r, "document")
	defer done()
	if err != nil {
		return err
	}
	if up == nil {
		if d.done(s) {
			return nil
		}
		return apperr.Field("document", "Choisissez le fichier de ce document (PDF, JPEG ou PNG, "+files.FormatSize(maxDocument)+" au plus).")
	}
	doc := s.Need.Document
	if s.Need.Or != "" && r.FormValue("variante") == string(s.Need.Or) {
		doc = s.Need.Or
	}
	_, err = p.app.AddDocument(r.Context(), request(r), d.Req.ID, string(doc), *up)
	return err
}

// reqSubmit files the draft, or shows "check your answers" again with
// what is missing.
func (p *Portal) reqSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	d, err := p.loadDraft(r)
	if err != nil {
		return err
	}
	if d.Req.Status != requests.StatusDraft {
		http.Redirect(w, r, reqURL(d.Req.ID), http.StatusSeeOther)
		return nil
	}
	if _, err := p.app.Submit(r.Context(), request(r), d.Req.ID); err != nil {
		_, s, _ := d.step(stepCheck)
		pg := p.stepPage(r, d, s, "")
		if e := apperr.As(err); e.Code == apperr.Invalid && len(e.Fields) > 0 {
			pg.Incomplete = e.Message
		}
		return p.refuse(w, r, "req_step.html", pg, err)
	}
	http.Redirect(w, r, reqURL(d.Req.ID)+"/confirmation", http.StatusSeeOther)
	return nil
}

type reqDonePage struct {
	web.Page
	Req      store.Request
	Kind     string
	Next     string
	Expected date.Null
	Loss     bool
	Help     map[string]string
}

// reqDone is the confirmation: the reference, what happens next and the
// expected decision date.
func (p *Portal) reqDone(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	if v.Request.Status == requests.StatusDraft {
		http.Redirect(w, r, draftURL(id, stepCheck), http.StatusSeeOther)
		return nil
	}
	pg := &reqDonePage{Page: web.Page{Title: "Demande envoyée"}, Req: v.Request, Kind: v.Track.KindLabel, Next: v.Track.NextStep,
		Expected: v.Request.ExpectedDecision, Loss: v.Track.Loss != nil, Help: reqHelp()}
	return p.r.Render(w, r, http.StatusOK, "req_done.html", pg)
}

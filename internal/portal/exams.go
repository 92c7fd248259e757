package portal

import (
	"net/http"
	"strconv"
	"strings"

	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/web"
)

// The candidate's practical exam (issue 14): their theory pass, their
// places, the block after an unused place, the half-days with places, the
// booking form of a candidat libre (companion and dual-control car), and
// the cancellation. Forms follow post/redirect/get: the result is said on
// /mon-espace/examen by a fixed notice named in the query (?fait=…).

type examSpacePage struct {
	web.Page
	Space         examsapp.Space
	Registrations []examsapp.MyRegistration
	// Comeback: the account's licence is invalidated or annulled; nil
	// otherwise.
	Comeback *examsapp.Comeback
}

// examNotices are the notices a redirect may ask for.
var examNotices = map[string]web.Notice{
	"reserve": {Kind: web.NoticeSuccess, Title: "Place réservée", Text: "Un courriel de confirmation vous a été envoyé avec la référence de la réservation."},
	"file": {Kind: web.NoticeInfo, Title: "Demande enregistrée dans la file de l'ouverture",
		Text: "Les demandes reçues dans les 2 premières minutes sont tirées au sort, chacune avec la même chance. Le résultat vous sera envoyé par courriel."},
	"annule": {Kind: web.NoticeSuccess, Title: "Place annulée", Text: "La place est rendue aux autres candidats."},
	"inscription": {Kind: web.NoticeSuccess, Title: "Inscription envoyée",
		Text: "Le bureau de l'éducation routière l'examine ; vous recevrez votre numéro de dossier (NEPH) par courriel dès qu'elle sera acceptée."},
	"annule-tard": {Kind: web.NoticeWarning, Title: "Place annulée tardivement", Text: "L'annulation intervient moins de 7 jours avant l'examen : vous ne pourrez pas réserver de nouvelle place pendant 40 jours, sauf cas de force majeure reconnu par le bureau de l'éducation routière."},
}

func (p *Portal) examSpace(w http.ResponseWriter, r *http.Request) error {
	sp, err := p.exams.CandidateSpace(r.Context(), request(r))
	if err != nil {
		return err
	}
	regs, err := p.exams.MyRegistrationViews(r.Context(), request(r))
	if err != nil {
		return err
	}
	back, err := p.exams.MyComeback(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg := &examSpacePage{Page: web.Page{Title: "Mon examen du permis",
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Text: "Mon examen du permis"}}}, Space: sp, Registrations: regs,
		Comeback: back}
	if n, ok := examNotices[r.URL.Query().Get("fait")]; ok {
		pg.Notices = []web.Notice{n}
	}
	return p.r.Render(w, r, http.StatusOK, "exam_space.html", pg)
}

type examBookPage struct {
	web.Page
	Slot examsapp.SlotView
	Form examBookForm
}

// examBookForm is the booking form as typed.
type examBookForm struct {
	Slot, FamilyName, GivenNames, Since   string
	NotInstructor, LinkSworn, DualControl bool
}

func (p *Portal) examBookForm(w http.ResponseWriter, r *http.Request) error {
	slot, err := examsapp.ParseSlotKey(r.URL.Query().Get("place"))
	if err != nil {
		return apperr.New(apperr.NotFound, "Cette demi-journée n'existe pas.")
	}
	v, err := p.exams.Slot(r.Context(), slot)
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "exam_book.html", p.examBookPage(v, examBookForm{Slot: v.Key()}))
}

func (p *Portal) examBookPage(v examsapp.SlotView, f examBookForm) *examBookPage {
	return &examBookPage{Page: web.Page{Title: "Réserver une place d'examen",
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Href: "/mon-espace/examen", Text: "Mon examen du permis"},
			{Text: "Réserver une place"}}}, Slot: v, Form: f}
}

// examFields maps the rules' refusal codes to the form's fields, so that
// the error summary links to the field to correct.
var examFields = map[string]string{
	"companion_missing": "family_name", "companion_licence_recent": "since", "companion_instructor": "not_instructor",
	"companion_link": "link_sworn", "dual_control": "dual_control",
}

func (p *Portal) examBook(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	f := examBookForm{Slot: r.PostForm.Get("slot"), FamilyName: strings.TrimSpace(r.PostForm.Get("family_name")),
		GivenNames: strings.TrimSpace(r.PostForm.Get("given_names")), Since: strings.TrimSpace(r.PostForm.Get("since")),
		NotInstructor: r.PostForm.Get("not_instructor") == "oui", LinkSworn: r.PostForm.Get("link_sworn") == "oui",
		DualControl: r.PostForm.Get("dual_control") == "oui"}
	slot, err := examsapp.ParseSlotKey(f.Slot)
	if err != nil {
		return apperr.New(apperr.NotFound, "Cette demi-journée n'existe pas.")
	}
	v, err := p.exams.Slot(r.Context(), slot)
	if err != nil {
		return err
	}
	pg := p.examBookPage(v, f)
	in := examsapp.BookInput{Slot: slot, DualControl: f.DualControl}
	problems := map[string]string{}
	if f.FamilyName == "" {
		problems["family_name"] = "Saisissez le nom de la personne qui vous accompagnera."
	}
	since, err := date.ParseTyped(f.Since)
	if err != nil {
		problems["since"] = "Saisissez la date d'obtention de son permis B au format JJ/MM/AAAA, par exemple 14/05/2012."
	}
	if len(problems) == 0 {
		in.Companion = &examsapp.Companion{FamilyName: f.FamilyName, GivenNames: f.GivenNames, LicenceBSince: since,
			Instructor: !f.NotInstructor, LinkSworn: f.LinkSworn}
		var b examsapp.Booked
		if b, err = p.exams.Book(r.Context(), request(r), in); err == nil {
			done := "reserve"
			if b.Queued {
				done = "file"
			}
			http.Redirect(w, r, "/mon-espace/examen?fait="+done, http.StatusSeeOther)
			return nil
		}
		ae := apperr.As(err)
		if ae.Code != apperr.Invalid && ae.Code != apperr.Conflict && ae.Code != apperr.TooMany {
			return err
		}
		for code, msg := range ae.Fields {
			problems[fieldOr(examFields[code], code)] = msg
		}
		if len(ae.Fields) == 0 {
			pg.Errors = []web.FieldError{{Message: ae.Message}}
		}
	}
	pg.Errors = append(pg.Errors, web.FieldErrors(problems, "family_name", "given_names", "since", "not_instructor", "link_sworn", "dual_control")...)
	for i, e := range pg.Errors {
		if _, isField := map[string]bool{"family_name": true, "given_names": true, "since": true, "not_instructor": true,
			"link_sworn": true, "dual_control": true}[e.Field]; !isField {
			pg.Errors[i].Field = "" // a rule with no field of its own (theory, block…): said at the top
		}
	}
	return p.r.Render(w, r, statusOf(err), "exam_book.html", pg)
}

func fieldOr(f, def string) string {
	if f != "" {
		return f
	}
	return def
}

func (p *Portal) examCancel(w http.ResponseWriter, r *http.Request) error {
	late, err := p.exams.Cancel(r.Context(), request(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	done := "annule"
	if late {
		done = "annule-tard"
	}
	http.Redirect(w, r, "/mon-espace/examen?fait="+done, http.StatusSeeOther)
	return nil
}

// examCertificate sends the CEPC of the candidate's favourable exam.
func (p *Portal) examCertificate(w http.ResponseWriter, r *http.Request) error {
	c, err := p.exams.Certificate(r.Context(), request(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return sendPDF(w, app.Issued{Reference: c.Reference, PDF: c.PDF, Filename: c.Filename})
}

var schoolExamNotices = map[string]web.Notice{
	"inscription": {Kind: web.NoticeSuccess, Title: "Inscription à l'examen envoyée",
		Text: "Le bureau de l'éducation routière l'examine ; l'élève est informé par courriel. Une fois l'inscription acceptée, son NEPH s'inscrit sur le mandat et vous pouvez réserver ses places."},
	"reserve": {Kind: web.NoticeSuccess, Title: "Place d'examen réservée", Text: "L'élève reçoit un courriel de confirmation."},
	"file": {Kind: web.NoticeInfo, Title: "Demande dans la file de l'ouverture",
		Text: "Les demandes reçues dans les 2 premières minutes sont tirées au sort ; l'élève reçoit le résultat par courriel."},
	"annule":      {Kind: web.NoticeSuccess, Title: "Place annulée", Text: "L'élève en est informé par courriel."},
	"annule-tard": {Kind: web.NoticeWarning, Title: "Place annulée tardivement", Text: "Moins de 7 jours avant l'examen : l'élève ne pourra pas réserver de nouvelle place pendant 40 jours, sauf force majeure reconnue."},
}

// schoolExamBook books a place for a student under mandate.
func (p *Portal) schoolExamBook(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Mandat introuvable.")
	}
	hours := "hours-" + r.PathValue("id")
	slot, err := examsapp.ParseSlotKey(r.PostForm.Get("slot"))
	if err == nil {
		in := examsapp.BookInput{Slot: slot, MandateID: id, Automatic: r.PostForm.Get("automatic") == "oui"}
		if in.TrainingHours, err = strconv.Atoi(strings.TrimSpace(r.PostForm.Get("hours"))); err != nil {
			err = apperr.Field("training_hours", "Indiquez le nombre d'heures de formation pratique suivies, en chiffres.")
		} else {
			var b examsapp.Booked
			if b, err = p.exams.Book(r.Context(), request(r), in); err == nil {
				done := "reserve"
				if b.Queued {
					done = "file"
				}
				http.Redirect(w, r, "/auto-ecole?examen="+done+"#eleve-"+r.PathValue("id"), http.StatusSeeOther)
				return nil
			}
		}
	}
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid && ae.Code != apperr.Conflict && ae.Code != apperr.TooMany {
		return err
	}
	pg, lerr := p.schoolHomePage(r, mandateForm{})
	if lerr != nil {
		return lerr
	}
	for code, msg := range ae.Fields {
		field := ""
		if code == "training_hours" {
			field = hours
		}
		pg.Errors = append(pg.Errors, web.FieldError{Field: field, Message: msg})
	}
	if len(ae.Fields) == 0 {
		pg.Errors = []web.FieldError{{Message: ae.Message}}
	}
	return p.r.Render(w, r, statusOf(err), "school_home.html", pg)
}

// schoolExamCancel cancels a place the school booked.
func (p *Portal) schoolExamCancel(w http.ResponseWriter, r *http.Request) error {
	late, err := p.exams.Cancel(r.Context(), request(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	done := "annule"
	if late {
		done = "annule-tard"
	}
	http.Redirect(w, r, "/auto-ecole?examen="+done, http.StatusSeeOther)
	return nil
}

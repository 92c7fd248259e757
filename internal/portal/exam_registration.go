package portal

import (
	"net/http"
	"strings"

	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/web"
)

// The registration for the exams (issue 14 §1): the candidate declares
// what the rules need, files it (post/redirect/get to "Mon examen du
// permis", which lists the registrations and, once accepted, the NEPH).

type examRegisterPage struct {
	web.Page
	Form examRegisterForm
	// Comeback: the account's licence is invalidated or annulled (the
	// measure, an earlier invalidation, the medical check); nil otherwise.
	Comeback *examsapp.Comeback
}

// examRegisterForm is the registration form as typed.
type examRegisterForm struct {
	French, AAC, Automatic, Health bool
	HandedIn                       string
}

var registerFields = []string{"category", "french", "aac", "automatic", "health", "handed_in"}

func (p *Portal) examRegisterPage(f examRegisterForm) *examRegisterPage {
	return &examRegisterPage{Page: web.Page{Title: "M'inscrire à l'examen du permis",
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Href: "/mon-espace/examen", Text: "Mon examen du permis"},
			{Text: "M'inscrire à l'examen"}}}, Form: f}
}

func (p *Portal) examRegisterForm(w http.ResponseWriter, r *http.Request) error {
	pg := p.examRegisterPage(examRegisterForm{French: true})
	var err error
	if pg.Comeback, err = p.exams.MyComeback(r.Context(), request(r)); err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "exam_register.html", pg)
}

func (p *Portal) examRegister(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := examRegisterForm{French: r.PostForm.Get("french") == "oui", AAC: r.PostForm.Get("aac") == "oui",
		Automatic: r.PostForm.Get("automatic") == "oui", Health: r.PostForm.Get("health") == "oui",
		HandedIn: strings.TrimSpace(r.PostForm.Get("handed_in"))}
	_, err := p.exams.FileRegistration(r.Context(), request(r), examsapp.RegisterInput{Category: "B", French: f.French, AAC: f.AAC,
		Automatic: f.Automatic, Health: f.Health, HandedIn: f.HandedIn})
	if err == nil {
		http.Redirect(w, r, "/mon-espace/examen?fait=inscription", http.StatusSeeOther)
		return nil
	}
	ae := apperr.As(err)
	if ae.Code != apperr.Invalid {
		return err
	}
	pg := p.examRegisterPage(f)
	if pg.Comeback, err = p.exams.MyComeback(r.Context(), request(r)); err != nil {
		return err
	}
	fields := map[string]string{}
	for code, msg := range ae.Fields {
		if code == "handed_in" || code == "category" {
			fields[code] = msg
		} else {
			pg.Errors = append(pg.Errors, web.FieldError{Message: msg}) // a rule with no field of its own: said at the top
		}
	}
	pg.Errors = append(pg.Errors, web.FieldErrors(fields, registerFields...)...)
	if len(pg.Errors) == 0 {
		pg.Errors = []web.FieldError{{Message: ae.Message}}
	}
	return p.r.Render(w, r, http.StatusUnprocessableEntity, "exam_register.html", pg)
}

// examRegistrationAttestation sends the attestation d'inscription of the
// candidate's accepted registration.
func (p *Portal) examRegistrationAttestation(w http.ResponseWriter, r *http.Request) error {
	a, err := p.exams.RegistrationAttestation(r.Context(), request(r), r.PathValue("ref"))
	if err != nil {
		return err
	}
	return sendPDF(w, app.Issued{Reference: a.Reference, PDF: a.PDF, Filename: a.Filename})
}

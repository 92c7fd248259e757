package portal

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/files"
	"permis/internal/requests"
	"permis/internal/web"
)

// The registration for the exams (issue 14 §1): the candidate, or a driving
// school for its student under mandate, declares what the rules need and
// sends the documents in one form (multipart); filed, it goes to "Mon
// examen du permis" (or "Mes élèves"), which lists the registrations and,
// once accepted, the NEPH. Refused, nothing is kept and the files are to
// be chosen again (the page says so).

type examRegisterPage struct {
	web.Page
	Form      examRegisterForm
	Action    string
	Student   string // the school's student ("" when the candidate files)
	Documents []examsapp.FormDocument
	// Comeback: the account's licence is invalidated or annulled (the
	// measure, an earlier invalidation, the medical check); nil otherwise.
	Comeback *examsapp.Comeback
	MaxSize  string
}

// examRegisterForm is the registration form as typed.
type examRegisterForm struct {
	French, AAC, Automatic, Health, PaperPhoto bool
	HandedIn, EPhotoCode                       string
}

var registerFields = []string{"category", "french", "aac", "automatic", "health", "handed_in"}

// maxRegisterUpload bounds a registration's form: eight documents at the
// stated limit each.
const maxRegisterUpload = 8*files.DefaultMaxSize + (1 << 20)

func (p *Portal) examRegisterPage(r *http.Request, f examRegisterForm) (*examRegisterPage, error) {
	comeback, err := p.exams.MyComeback(r.Context(), request(r))
	if err != nil {
		return nil, err
	}
	return &examRegisterPage{Page: web.Page{Title: "M'inscrire à l'examen du permis",
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Href: "/mon-espace/examen", Text: "Mon examen du permis"},
			{Text: "M'inscrire à l'examen"}}}, Form: f, Action: "/mon-espace/examen/inscription",
		Documents: examsapp.FormDocuments(false, comeback != nil), Comeback: comeback, MaxSize: files.FormatSize(files.DefaultMaxSize)}, nil
}

func (p *Portal) examRegisterForm(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.examRegisterPage(r, examRegisterForm{French: true})
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "exam_register.html", pg)
}

// readRegistration reads the registration's multipart form: the
// declarations and the file of each document offered. The caller runs
// done once the files are read.
func readRegistration(w http.ResponseWriter, r *http.Request, docs []examsapp.FormDocument) (examRegisterForm, examsapp.RegisterInput, func(), error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxRegisterUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return examRegisterForm{}, examsapp.RegisterInput{}, func() {}, apperr.New(apperr.Invalid,
				"Les fichiers dépassent "+files.FormatSize(files.DefaultMaxSize)+" chacun : réduisez leur taille puis joignez-les de nouveau.")
		}
		return examRegisterForm{}, examsapp.RegisterInput{}, func() {}, apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	var closers []func()
	done := func() {
		for _, c := range closers {
			c()
		}
		_ = r.MultipartForm.RemoveAll()
	}
	f := examRegisterForm{French: r.PostForm.Get("french") == "oui", AAC: r.PostForm.Get("aac") == "oui",
		Automatic: r.PostForm.Get("automatic") == "oui", Health: r.PostForm.Get("health") == "oui",
		PaperPhoto: r.PostForm.Get("paper_photo") == "oui", HandedIn: strings.TrimSpace(r.PostForm.Get("handed_in")),
		EPhotoCode: strings.TrimSpace(r.PostForm.Get("ephoto_code"))}
	in := examsapp.RegisterInput{Category: "B", French: f.French, AAC: f.AAC, Automatic: f.Automatic, Health: f.Health,
		HandedIn: f.HandedIn, EPhotoCode: f.EPhotoCode, PaperPhoto: f.PaperPhoto, Documents: map[requests.Document]examsapp.Upload{}}
	for _, d := range docs {
		file, h, err := r.FormFile(d.Field())
		if err != nil || h.Size == 0 {
			if file != nil {
				file.Close()
			}
			continue
		}
		closers = append(closers, func() { file.Close() })
		in.Documents[d.Doc] = examsapp.Upload{Name: h.Filename, Body: file}
	}
	return f, in, done, nil
}

// registerErrors places a refusal's problems: the form's fields and the
// documents' inputs get theirs, a rule with no field of its own is said at
// the top.
func registerErrors(pg *examRegisterPage, err error) {
	ae := apperr.As(err)
	known := append([]string{}, registerFields...)
	for _, d := range pg.Documents {
		known = append(known, d.Field())
	}
	known = append(known, "ephoto_code")
	fields := map[string]string{}
	for code, msg := range ae.Fields {
		if slices.Contains(known, code) {
			fields[code] = msg
		} else {
			pg.Errors = append(pg.Errors, web.FieldError{Message: msg})
		}
	}
	pg.Errors = append(pg.Errors, web.FieldErrors(fields, known...)...)
	if len(pg.Errors) == 0 {
		pg.Errors = []web.FieldError{{Message: ae.Message}}
	}
	pg.Errors = append(pg.Errors, web.FieldError{Message: "Pour votre sécurité, les fichiers choisis ne sont pas conservés : choisissez-les de nouveau."})
}

func (p *Portal) examRegister(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.examRegisterPage(r, examRegisterForm{})
	if err != nil {
		return err
	}
	f, in, done, err := readRegistration(w, r, pg.Documents)
	defer done()
	if err == nil {
		pg.Form = f
		if _, err = p.exams.FileRegistration(r.Context(), request(r), in); err == nil {
			http.Redirect(w, r, "/mon-espace/examen?fait=inscription", http.StatusSeeOther)
			return nil
		}
	}
	if ae := apperr.As(err); ae.Code != apperr.Invalid && ae.Code != apperr.TooMany {
		return err
	}
	registerErrors(pg, err)
	return p.r.Render(w, r, statusOf(err), "exam_register.html", pg)
}

// schoolRegisterPage is the registration form of a school's student.
func (p *Portal) schoolRegisterPage(r *http.Request, f examRegisterForm) (*examRegisterPage, int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, 0, apperr.New(apperr.NotFound, "Mandat introuvable.")
	}
	m, err := p.exams.StudentMandate(r.Context(), request(r), id)
	if err != nil {
		return nil, id, err
	}
	student := strings.TrimSpace(m.GivenNames + " " + m.FamilyName)
	return &examRegisterPage{Page: web.Page{Title: "Inscrire " + student + " à l'examen du permis",
		Breadcrumb: []web.Link{{Href: "/auto-ecole", Text: "Mes élèves"}, {Text: "Inscrire à l'examen"}}}, Form: f,
		Action: "/auto-ecole/eleves/" + strconv.FormatInt(id, 10) + "/inscription", Student: student,
		Documents: examsapp.FormDocuments(true, false), MaxSize: files.FormatSize(files.DefaultMaxSize)}, id, nil
}

// schoolRegisterForm shows the registration form for a student under
// mandate who has no NEPH yet.
func (p *Portal) schoolRegisterForm(w http.ResponseWriter, r *http.Request) error {
	pg, _, err := p.schoolRegisterPage(r, examRegisterForm{French: true})
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "exam_register.html", pg)
}

// schoolRegister files the student's registration with their documents.
func (p *Portal) schoolRegister(w http.ResponseWriter, r *http.Request) error {
	pg, id, err := p.schoolRegisterPage(r, examRegisterForm{})
	if err != nil {
		return err
	}
	f, in, done, err := readRegistration(w, r, pg.Documents)
	defer done()
	if err == nil {
		pg.Form = f
		if _, err = p.exams.FileStudentRegistration(r.Context(), request(r), id, in); err == nil {
			http.Redirect(w, r, "/auto-ecole?examen=inscription#eleve-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return nil
		}
	}
	if ae := apperr.As(err); ae.Code != apperr.Invalid && ae.Code != apperr.TooMany {
		return err
	}
	registerErrors(pg, err)
	return p.r.Render(w, r, statusOf(err), "exam_register.html", pg)
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

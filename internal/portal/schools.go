package portal

import (
	"net/http"
	"strconv"

	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/web"
)

// Driving schools' pages (issue 4 item 8): the school's students under
// mandate with their requests, the mandate form, a request started for a
// student (then the draft's own pages, which accept the school), the
// transfer of a file to another school, and the student's public consent
// page reached through the mailed one-time link.

type schoolHomePage struct {
	web.Page
	// CertUntil gives a CEPC's last valid day from its exam's day.
	CertUntil func(date.Date) date.Date
	Exams     examsapp.SchoolView
	Students  []schoolStudent
	Kinds     []requests.Type
	Form      mandateForm
}

// schoolStudent is a student under mandate with the requests filed.
type schoolStudent struct {
	Mandate  store.Mandate
	Requests []schoolRequest
	Exams    []store.ExamBooking // the student's exam places and results
	// Registering: a registration for the exams is in progress or
	// accepted, so none can be filed again.
	Registering bool
}

type schoolRequest struct {
	ID                      int64
	Reference, Kind, Status string
}

type mandateForm struct {
	FamilyName, GivenNames, BirthDate, Email, NEPH, Reference, SignedOn string
}

func (p *Portal) schoolHomePage(r *http.Request, f mandateForm) (*schoolHomePage, error) {
	sts, err := p.app.MyStudents(r.Context(), request(r))
	if err != nil {
		return nil, err
	}
	ex, err := p.exams.SchoolExams(r.Context(), request(r))
	if err != nil {
		return nil, err
	}
	pg := &schoolHomePage{Page: web.Page{Title: "Mes élèves"}, Kinds: app.SchoolKinds(), Form: f, Exams: ex, CertUntil: p.exams.CertificateUntil}
	for _, st := range sts {
		v := schoolStudent{Mandate: st.Mandate, Exams: ex.Bookings[st.Mandate.NEPH]}
		for _, x := range ex.Registrations[st.Mandate.ID] {
			v.Registering = v.Registering || x.State != store.RegistrationRejected
		}
		for _, q := range st.Requests {
			v.Requests = append(v.Requests, schoolRequest{ID: q.ID, Reference: q.Reference, Kind: kindLabelOf(q.Kind), Status: q.Status.Label()})
		}
		pg.Students = append(pg.Students, v)
	}
	return pg, nil
}

// schoolHome lists the school's students with their requests and states.
func (p *Portal) schoolHome(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.schoolHomePage(r, mandateForm{})
	if err != nil {
		return err
	}
	if n, ok := schoolExamNotices[r.URL.Query().Get("examen")]; ok {
		pg.Notices = []web.Notice{n}
	}
	if r.URL.Query().Get("mandat") == "enregistre" {
		pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Mandat enregistré",
			Text: "Vous pouvez maintenant déposer une demande pour cet élève."}}
	}
	return p.r.Render(w, r, http.StatusOK, "school_home.html", pg)
}

// schoolMandate records a student's signed mandate.
func (p *Portal) schoolMandate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := mandateForm{FamilyName: r.PostForm.Get("family_name"), GivenNames: r.PostForm.Get("given_names"),
		BirthDate: r.PostForm.Get("birth_date"), Email: r.PostForm.Get("email"), NEPH: r.PostForm.Get("neph"),
		Reference: r.PostForm.Get("reference"), SignedOn: r.PostForm.Get("signed_on")}
	birth, _ := app.ParseTypedDate(f.BirthDate)
	signed, _ := app.ParseTypedDate(f.SignedOn)
	_, err := p.app.RecordMandate(r.Context(), request(r), app.MandateInput{FamilyName: f.FamilyName, GivenNames: f.GivenNames,
		BirthDate: birth, Email: f.Email, NEPH: f.NEPH, Reference: f.Reference, SignedOn: signed})
	if err != nil {
		pg, lerr := p.schoolHomePage(r, f)
		if lerr != nil {
			return lerr
		}
		return p.refuse(w, r, "school_home.html", pg, err)
	}
	http.Redirect(w, r, "/auto-ecole?mandat=enregistre", http.StatusSeeOther)
	return nil
}

// schoolStart starts a request of the chosen type for the student of a
// mandate, then goes to the draft's first step.
func (p *Portal) schoolStart(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.New(apperr.NotFound, "Mandat introuvable.")
	}
	d, err := p.app.StartRequestForStudent(r.Context(), request(r), id, r.PostForm.Get("kind"))
	if err != nil {
		pg, lerr := p.schoolHomePage(r, mandateForm{})
		if lerr != nil {
			return lerr
		}
		return p.refuse(w, r, "school_home.html", pg, err)
	}
	http.Redirect(w, r, draftURL(d.ID, stepInfo), http.StatusSeeOther)
	return nil
}

type schoolTransferPage struct {
	web.Page
	ID        int64
	Reference string
	Kind      string
	Student   string
	ToSchool  string
	Sent      bool
}

func (p *Portal) schoolTransferPage(r *http.Request) (*schoolTransferPage, error) {
	id, err := reqID(r)
	if err != nil {
		return nil, err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return nil, err
	}
	return &schoolTransferPage{Page: web.Page{Title: "Transférer un dossier à une autre auto-école",
		Breadcrumb: []web.Link{{Href: "/auto-ecole", Text: "Mes élèves"}, {Text: "Transférer un dossier"}}},
		ID: id, Reference: v.Request.Reference, Kind: kindLabelOf(v.Request.Kind),
		Student: v.Request.GivenNames + " " + v.Request.FamilyName}, nil
}

// schoolTransferForm asks for the account of the school to transfer to.
func (p *Portal) schoolTransferForm(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.schoolTransferPage(r)
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "school_transfer.html", pg)
}

// schoolTransfer mails the student the consent link.
func (p *Portal) schoolTransfer(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := p.schoolTransferPage(r)
	if err != nil {
		return err
	}
	pg.ToSchool = r.PostForm.Get("to_school")
	if err := p.app.TransferRequest(r.Context(), request(r), pg.ID, pg.ToSchool); err != nil {
		return p.refuse(w, r, "school_transfer.html", pg, err)
	}
	pg.Sent = true
	return p.r.Render(w, r, http.StatusOK, "school_transfer.html", pg)
}

type schoolConsentPage struct {
	web.Page
	Token string
	View  app.TransferView
	Done  bool
}

// schoolConsentForm shows the student what the link proposes.
func (p *Portal) schoolConsentForm(w http.ResponseWriter, r *http.Request) error {
	v, err := p.app.TransferInfo(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "school_consent.html",
		&schoolConsentPage{Page: web.Page{Title: "Transfert de votre dossier"}, Token: r.PathValue("token"), View: v})
}

// schoolConsent is the student's consent: the file moves at once.
func (p *Portal) schoolConsent(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, err := p.app.ConsentTransfer(r.Context(), request(r), r.PathValue("token"))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "school_consent.html",
		&schoolConsentPage{Page: web.Page{Title: "Transfert de votre dossier"}, View: v, Done: true})
}

// schoolRevoke ends a mandate: no new request under it.
func (p *Portal) schoolRevoke(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return apperr.New(apperr.NotFound, "Mandat introuvable.")
	}
	if err := p.app.RevokeMandate(r.Context(), request(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/auto-ecole", http.StatusSeeOther)
	return nil
}

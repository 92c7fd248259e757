package portal

import (
	"net/http"
	"strings"

	medicalapp "permis/internal/app/medical"
	"permis/internal/apperr"
	"permis/internal/date"
	rules "permis/internal/medical"
	"permis/internal/web"
)

// The approved doctor's pages (issue 13): the home with the search form
// and the opinions recorded, the person found and the cerfa 14880 form,
// and an opinion recorded. A doctor whose approval is missing or lapsed is
// refused on every page (403); a doctor opens only the opinions they
// recorded (404 for any other reference).

type doctorPage struct {
	web.Page
	Space   medicalapp.DoctorSpace
	Query   medicalapp.PatientQuery
	Patient *medicalapp.Patient
	Form    medicalapp.OpinionInput
	Codes   []codeChoice
	Member  bool // the doctor sits in the commission
}

// codeChoice is an EU restriction code for the form's checkboxes.
type codeChoice struct {
	Code, Label string
	Checked     bool
}

func (p *Portal) doctorHome(w http.ResponseWriter, r *http.Request) error {
	sp, err := p.medical.DoctorSpace(r.Context(), request(r))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "doctor.html", &doctorPage{Page: web.Page{Title: "Avis médicaux"}, Space: sp})
}

func patientQuery(r *http.Request) medicalapp.PatientQuery {
	return medicalapp.PatientQuery{NEPH: r.PostFormValue("neph"), Reference: r.PostFormValue("reference"), BirthDate: r.PostFormValue("birth_date")}
}

// doctorFind finds the person and shows the opinion's form.
func (p *Portal) doctorFind(w http.ResponseWriter, r *http.Request) error {
	q := patientQuery(r)
	pt, err := p.medical.FindPatient(r.Context(), request(r), q)
	if err != nil {
		if apperr.Is(err, apperr.Forbidden) {
			return err
		}
		sp, serr := p.medical.DoctorSpace(r.Context(), request(r))
		if serr != nil {
			return serr
		}
		return p.refuse(w, r, "doctor.html", &doctorPage{Page: web.Page{Title: "Avis médicaux"}, Space: sp, Query: q}, err)
	}
	return p.r.Render(w, r, http.StatusOK, "doctor_patient.html", p.patientPage(&pt, medicalapp.OpinionInput{Patient: q}))
}

func (p *Portal) patientPage(pt *medicalapp.Patient, in medicalapp.OpinionInput) *doctorPage {
	pg := &doctorPage{Page: web.Page{Title: "Avis médical de " + pt.Name}, Patient: pt, Form: in, Member: pt.ExaminerIsMember}
	codes := rules.Codes()
	for _, c := range []string{"01", "02", "03", "05", "10", "20", "35", "40", "61", "62", "64", "65", "66", "67", "68"} {
		pg.Codes = append(pg.Codes, codeChoice{Code: c, Label: codes[c], Checked: contains(in.Restrictions, c)})
	}
	return pg
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// doctorRecord records the opinion: 303 to it, or the form again (422).
func (p *Portal) doctorRecord(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	in := medicalapp.OpinionInput{Patient: patientQuery(r), Outcome: r.PostFormValue("outcome"),
		Until: r.PostFormValue("until"), Restrictions: r.PostForm["restrictions"], Categories: r.PostForm["categories"],
		Commission: r.PostFormValue("commission") == "oui", SecondApproval: r.PostFormValue("second_approval"),
		Psychotechnic: r.PostFormValue("psychotechnic")}
	o, err := p.medical.RecordOpinion(r.Context(), request(r), in)
	if err == nil {
		http.Redirect(w, r, "/medecin/avis/"+o.Reference, http.StatusSeeOther)
		return nil
	}
	if apperr.Is(err, apperr.Forbidden) {
		return err
	}
	pt, perr := p.medical.FindPatient(r.Context(), request(r), in.Patient)
	if perr != nil {
		return perr
	}
	return p.refuse(w, r, "doctor_patient.html", p.patientPage(&pt, in), err)
}

// doctorOpinion shows an opinion the doctor recorded.
func (p *Portal) doctorOpinion(w http.ResponseWriter, r *http.Request) error {
	o, err := p.medical.Opinion(r.Context(), request(r), strings.ToUpper(r.PathValue("ref")))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "doctor_opinion.html", &opinionPage{Page: web.Page{Title: "Avis médical " + o.Reference}, Opinion: o})
}

type opinionPage struct {
	web.Page
	Opinion  medicalapp.OpinionView
	Opinions []medicalapp.OpinionView
}

// myOpinions lists the opinions given on the signed-in holder.
func (p *Portal) myOpinions(w http.ResponseWriter, r *http.Request) error {
	os, err := p.medical.MyOpinions(r.Context(), request(r))
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "my_opinions.html", &opinionPage{Page: web.Page{Title: "Mes avis médicaux"}, Opinions: os})
}

type commissionPage struct {
	web.Page
	Session medicalapp.Session
	Day     string // AAAA-MM-JJ, for the day field
}

// doctorCommission is the commission's list of a day, for its doctors.
func (p *Portal) doctorCommission(w http.ResponseWriter, r *http.Request) error {
	day := p.medical.Today()
	pg := &commissionPage{Page: web.Page{Title: "Séance de la commission médicale"}}
	if v := r.URL.Query().Get("jour"); v != "" {
		d, err := date.ParseTyped(v)
		if err != nil {
			pg.Errors = []web.FieldError{{Field: "jour", Message: "Indiquez le jour au format JJ/MM/AAAA."}}
		} else {
			day = d
		}
	}
	sess, err := p.medical.CommissionSession(r.Context(), request(r), day)
	if apperr.Is(err, apperr.NotFound) {
		err = nil // no commission on this service: the page says so
	}
	if err != nil {
		return err
	}
	pg.Session, pg.Day = sess, day.String()
	status := http.StatusOK
	if pg.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	return p.r.Render(w, r, status, "doctor_commission.html", pg)
}

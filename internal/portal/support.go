package portal

import (
	"errors"
	"net/http"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/support"
	"permis/internal/web"
)

// Fault reports and appeals: open to everyone, signed in or not (a person
// who cannot sign in is precisely who needs to report it). A signed-in
// person's name and address are filled in.

const maxReportUpload = 6 << 20 // the 5 Mo screenshot and the form around it

type reportPage struct {
	web.Page
	Form support.Report
}

// Procedures are the form's choices.
func (reportPage) Procedures() []support.Procedure { return support.Procedures() }

// Phone is the help line people can call.
func (reportPage) Phone() string { return "3400" }

func (p *Portal) prefill(r *http.Request) (name, email string) {
	if st, ok := stateOf(r); ok && !st.Pending {
		return st.Account.Name(), st.Account.Email
	}
	return "", ""
}

func (p *Portal) reportForm(w http.ResponseWriter, r *http.Request) error {
	pg := &reportPage{Page: web.Page{Title: "Signaler un dysfonctionnement"}}
	pg.Form.Name, pg.Form.Email = p.prefill(r)
	pg.Form.Procedure = r.URL.Query().Get("demarche")
	return p.r.Render(w, r, http.StatusOK, "report.html", pg)
}

func (p *Portal) report(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxReportUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return p.refuse(w, r, "report.html", &reportPage{Page: web.Page{Title: "Signaler un dysfonctionnement"}},
				apperr.Field("screenshot", "La capture d'écran dépasse 5 Mo. Réduisez-la ou envoyez le signalement sans elle."))
		}
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	defer r.MultipartForm.RemoveAll()
	in := support.Report{Procedure: r.FormValue("procedure"), Summary: r.FormValue("summary"), Details: r.FormValue("details"),
		Name: r.FormValue("name"), Email: r.FormValue("email")}
	var shot *app.Upload
	if f, h, err := r.FormFile("screenshot"); err == nil {
		defer f.Close()
		if h.Size > 0 {
			shot = &app.Upload{Name: h.Filename, Body: f}
		}
	}
	t, err := p.app.ReportFault(r.Context(), request(r), in, shot)
	if err != nil {
		return p.refuse(w, r, "report.html", &reportPage{Page: web.Page{Title: "Signaler un dysfonctionnement"}, Form: in}, err)
	}
	http.Redirect(w, r, "/signaler-un-probleme/recu?reference="+t.Reference, http.StatusSeeOther)
	return nil
}

type receiptPage struct {
	web.Page
	Reference string
	Appeal    bool
}

// receipt shows the reference just given. The reference alone reveals
// nothing: the page says no more than what the mail says.
func (p *Portal) receipt(appeal bool) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		ref := r.URL.Query().Get("reference")
		if len(ref) > 20 {
			ref = ""
		}
		title := "Signalement envoyé"
		if appeal {
			title = "Recours envoyé"
		}
		return p.r.Render(w, r, http.StatusOK, "ticket_sent.html", &receiptPage{Page: web.Page{Title: title}, Reference: ref, Appeal: appeal})
	}
}

type appealPage struct {
	web.Page
	Form support.Appeal
}

func (p *Portal) appealForm(w http.ResponseWriter, r *http.Request) error {
	pg := &appealPage{Page: web.Page{Title: "Contester une décision sur mon permis"}}
	pg.Form.Name, pg.Form.Email = p.prefill(r)
	return p.r.Render(w, r, http.StatusOK, "appeal.html", pg)
}

func (p *Portal) appeal(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := support.Appeal{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), NEPH: r.PostForm.Get("neph"),
		DecisionRef: r.PostForm.Get("decision_ref"), Summary: r.PostForm.Get("summary"), Details: r.PostForm.Get("details")}
	t, err := p.app.FileAppeal(r.Context(), request(r), in)
	if err != nil {
		return p.refuse(w, r, "appeal.html", &appealPage{Page: web.Page{Title: "Contester une décision sur mon permis"}, Form: in}, err)
	}
	http.Redirect(w, r, "/recours/recu?reference="+t.Reference, http.StatusSeeOther)
	return nil
}

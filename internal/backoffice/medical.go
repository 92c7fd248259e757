package backoffice

import (
	"net/http"

	medicalapp "permis/internal/app/medical"
	"permis/internal/apperr"
	"permis/internal/web"
)

// The préfet's decisions on medical opinions (issue 13): the opinions the
// approved doctors and the commission sent, awaiting the decision, which
// an instructing agent records; a decision that follows the opinion
// writes it into the register (internal/app/medical/decision.go).

type medicalPage struct {
	web.Page
	Opinions []medicalapp.OpinionView
	Ref      string // the opinion whose form was refused
	Decision string
	Note     string
}

func (b *Backoffice) medicalQueue(w http.ResponseWriter, r *http.Request) error {
	return b.medicalPage(w, r, http.StatusOK, &medicalPage{})
}

func (b *Backoffice) medicalPage(w http.ResponseWriter, r *http.Request, status int, pg *medicalPage) error {
	os, err := b.medical.AwaitingDecisions(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg.Opinions = os
	pg.Title = "Avis médicaux à décider"
	pg.Breadcrumb = []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Avis médicaux"}}
	if r.URL.Query().Get("decision") == "enregistree" {
		pg.Notices = append(pg.Notices, web.Notice{Kind: web.NoticeSuccess, Title: "Décision enregistrée",
			Text: "La décision du préfet est enregistrée ; si elle suit l'avis, le fichier national des permis est à jour."})
	}
	return b.r.Render(w, r, status, "bo_medical.html", pg)
}

func (b *Backoffice) medicalDecide(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	pg := &medicalPage{Ref: r.PathValue("ref"), Decision: r.PostForm.Get("decision"), Note: r.PostForm.Get("note")}
	if err := b.medical.Decide(r.Context(), request(r), pg.Ref, pg.Decision, pg.Note); err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid || e.Code == apperr.Conflict {
			pg.Errors = web.FieldErrors(e.Fields, "decision", "note")
			if len(pg.Errors) == 0 {
				pg.Errors = []web.FieldError{{Message: e.Message}}
			}
			return b.medicalPage(w, r, http.StatusUnprocessableEntity, pg)
		}
		return err
	}
	http.Redirect(w, r, "/agents/avis-medicaux?decision=enregistree", http.StatusSeeOther)
	return nil
}

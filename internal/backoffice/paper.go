package backoffice

import (
	"net/http"
	"strconv"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/store"
	"permis/internal/web"
)

// Paper files received by post: the list, the form that records one, and
// the return letter (PDF) that sends it back with the online instructions.

const paperBase = "/agents/courriers-papier"

type paperPage struct {
	web.Page
	Form  app.PaperFileInput
	Files []store.PaperFile
}

func (b *Backoffice) paperPage(w http.ResponseWriter, r *http.Request, status int, pg *paperPage) error {
	fs, err := b.app.PaperFiles(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg.Files = fs
	pg.Title = "Courriers papier"
	pg.Breadcrumb = []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Courriers papier"}}
	return b.r.Render(w, r, status, "bo_paper.html", pg)
}

func (b *Backoffice) paperFiles(w http.ResponseWriter, r *http.Request) error {
	pg := &paperPage{}
	if ref := r.URL.Query().Get("enregistre"); ref != "" {
		pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Courrier enregistré",
			Text: "Imprimez la lettre de retour depuis la liste et joignez-la au dossier renvoyé."}}
	}
	return b.paperPage(w, r, http.StatusOK, pg)
}

func (b *Backoffice) recordPaperFile(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible ou trop volumineux.", err)
	}
	f := app.PaperFileInput{SenderName: r.PostForm.Get("sender_name"), Address: r.PostForm.Get("address"),
		ReceivedOn: r.PostForm.Get("received_on"), Contents: r.PostForm.Get("contents")}
	p, err := b.app.RecordPaperFile(r.Context(), request(r), f)
	if err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid {
			pg := &paperPage{Form: f}
			pg.Errors = web.FieldErrors(e.Fields, "sender_name", "address", "received_on", "contents")
			return b.paperPage(w, r, http.StatusUnprocessableEntity, pg)
		}
		return err
	}
	http.Redirect(w, r, paperBase+"?enregistre="+p.Reference+"#courrier-"+strconv.FormatInt(p.ID, 10), http.StatusSeeOther)
	return nil
}

func (b *Backoffice) paperLetter(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, pdf, err := b.app.PaperLetter(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `inline; filename="lettre-retour-`+p.Reference+`.pdf"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(pdf)
	return err
}

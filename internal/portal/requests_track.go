package portal

import (
	"net/http"
	"strings"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/files"
	"permis/internal/requests"
	"permis/internal/store"
	"permis/internal/web"
)

// A request once sent: its page in the citizen's space (the timeline, the
// next step and its date, what it waits on and who; the documents asked
// again with an upload form each; the attestation de perte), and the
// public tracking by reference and birth date.

type reqViewPage struct {
	web.Page
	Req       store.Request
	Track     app.TrackView
	Requested []store.RequestDocument
	Documents []store.RequestDocument
	Messages  []store.RequestMessage
	MaxSize   string
	Help      map[string]string
	Reply     string // the applicant's message, kept when refused
}

// Field of a re-requested document's upload input.
func (reqViewPage) UploadField(d requests.Document) string { return "document-" + string(d) }

func (p *Portal) viewPage(v app.RequestView) *reqViewPage {
	return &reqViewPage{Page: web.Page{Title: v.Track.KindLabel + " — " + v.Request.Reference,
		Breadcrumb: reqCrumbs(v.Request, web.Link{Text: v.Request.Reference})},
		Req: v.Request, Track: v.Track, Requested: requestedDocs(v.Documents), Documents: v.Documents, Messages: v.Messages,
		MaxSize: files.FormatSize(maxDocument), Help: reqHelp()}
}

// reqUpload receives a document the agent asked again, from the request's
// page; the last one asked sends the file back to the agents.
func (p *Portal) reqUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	up, done, err := readUpload(w, r, "document")
	defer done()
	doc := requests.Document(r.FormValue("piece"))
	field := "document-" + string(doc)
	if err == nil && up == nil {
		err = apperr.Field("document", "Choisissez le fichier à joindre (PDF, JPEG ou PNG, "+files.FormatSize(maxDocument)+" au plus).")
	}
	if err == nil {
		_, err = p.app.AddDocument(r.Context(), request(r), id, string(doc), *up)
	}
	if err != nil {
		v, verr := p.app.MyRequest(r.Context(), request(r), id)
		if verr != nil {
			return verr
		}
		// The application names the field "document"; the page has one
		// upload input per document asked.
		if e := apperr.As(err); len(e.Fields) > 0 {
			fields := map[string]string{}
			for k, m := range e.Fields {
				if k == "document" {
					k = field
				}
				fields[k] = m
			}
			err = &apperr.Error{Code: e.Code, Message: e.Message, Fields: fields}
		}
		return p.refuse(w, r, "req_view.html", p.viewPage(v), err)
	}
	http.Redirect(w, r, reqURL(id)+"?piece=recue", http.StatusSeeOther)
	return nil
}

// reqShowNotice wraps reqShow with the notice of a document just received.
func (p *Portal) reqShowNotice(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Query().Get("piece") != "recue" {
		return p.reqShow(w, r)
	}
	id, err := reqID(r)
	if err != nil {
		return err
	}
	v, err := p.app.MyRequest(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	pg := p.viewPage(v)
	pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "Document reçu",
		Text: "Merci. Quand tous les documents demandés sont là, votre demande reprend son instruction."}}
	return p.r.Render(w, r, http.StatusOK, "req_view.html", pg)
}

type reqLossPage struct {
	web.Page
	View app.LossAttestationView
}

// reqLoss shows the attestation de perte (its data; the PDF comes later).
func (p *Portal) reqLoss(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	v, err := p.app.LossAttestation(r.Context(), request(r), id)
	if err != nil {
		return err
	}
	pg := &reqLossPage{Page: web.Page{Title: "Attestation de perte — " + v.Reference,
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Href: "/mes-demarches", Text: "Mes démarches"},
			{Href: reqURL(id), Text: v.Reference}, {Text: "Attestation de perte"}}}, View: v}
	return p.r.Render(w, r, http.StatusOK, "req_loss.html", pg)
}

type reqTrackPage struct {
	web.Page
	Reference string
	BirthDate string
	Result    *app.TrackView
	Help      map[string]string
}

// trackForm asks for the reference and the birth date.
func (p *Portal) trackForm(w http.ResponseWriter, r *http.Request) error {
	pg := &reqTrackPage{Page: web.Page{Title: "Suivre une demande de permis"}, Help: reqHelp(),
		Reference: strings.TrimSpace(r.URL.Query().Get("reference"))}
	if len(pg.Reference) > 40 {
		pg.Reference = ""
	}
	return p.r.Render(w, r, http.StatusOK, "req_track.html", pg)
}

// track answers the tracking form. A wrong reference, a wrong birth date
// or both get the same answer, and look-ups are rate limited (the
// application does both). The answer is not cached.
func (p *Portal) track(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &reqTrackPage{Page: web.Page{Title: "Suivre une demande de permis"}, Help: reqHelp(),
		Reference: r.PostForm.Get("reference"), BirthDate: r.PostForm.Get("birth_date")}
	v, err := p.app.Track(r.Context(), request(r), pg.Reference, pg.BirthDate)
	if err != nil {
		if apperr.Is(err, apperr.NotFound) {
			// One message, on no particular field: the form must not
			// tell which of the two was wrong.
			err = apperr.New(apperr.Invalid, apperr.As(err).Message)
		}
		return p.refuse(w, r, "req_track.html", pg, err)
	}
	w.Header().Set("Cache-Control", "no-store")
	pg.Title = "Suivi de la demande " + v.Reference
	pg.Result = &v
	return p.r.Render(w, r, http.StatusOK, "req_track.html", pg)
}

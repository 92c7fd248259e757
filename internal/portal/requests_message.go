package portal

import (
	"net/http"

	"permis/internal/web"
)

// reqMessage is the applicant's answer in the request's thread, read by
// the agents on the file.
func (p *Portal) reqMessage(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	body := r.PostForm.Get("body")
	if err := p.app.SendRequestMessage(r.Context(), request(r), id, body, false); err != nil {
		v, verr := p.app.MyRequest(r.Context(), request(r), id)
		if verr != nil {
			return verr
		}
		pg := p.viewPage(v)
		pg.Reply = body
		return p.refuse(w, r, "req_view.html", pg, err)
	}
	// Post/redirect/get: refreshing the request's page sends nothing again.
	http.Redirect(w, r, reqURL(id)+"?"+messageSent+"#messages", http.StatusSeeOther)
	return nil
}

// messageSent is the query of the request's page after a message was sent:
// it shows the notice that says so.
const messageSent = "message=envoye"

// messageNotice is the notice of the request's page after a message.
var messageNotice = web.Notice{Kind: web.NoticeSuccess, Title: "Message envoyé", Text: "Il est joint à votre dossier ; l'agent qui l'instruit le lira."}

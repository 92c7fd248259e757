package portal

import (
	"net/http"

	"permis/internal/web"
)

// The citizen's mobile number for SMS notices (optional, opt-in).

type smsPage struct {
	web.Page
	Phone string
}

func (p *Portal) smsForm(w http.ResponseWriter, r *http.Request) error {
	phone, err := p.app.MySMSPhone(r.Context(), request(r))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "sms.html", &smsPage{Page: web.Page{Title: "Être prévenu par SMS"}, Phone: phone})
}

func (p *Portal) smsSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &smsPage{Page: web.Page{Title: "Être prévenu par SMS"}, Phone: r.PostForm.Get("phone")}
	if r.PostForm.Get("remove") == "oui" {
		pg.Phone = ""
	}
	phone, err := p.app.SetSMSPhone(r.Context(), request(r), pg.Phone)
	if err != nil {
		return p.refuse(w, r, "sms.html", pg, err)
	}
	pg.Phone = phone
	text := "Vous ne recevrez plus de SMS."
	if phone != "" {
		text = "Vous recevrez un SMS à chaque étape de vos demandes de permis."
	}
	pg.Notices = []web.Notice{{Kind: web.NoticeSuccess, Title: "C'est enregistré", Text: text}}
	return p.r.Render(w, r, http.StatusOK, "sms.html", pg)
}

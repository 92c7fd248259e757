package portal

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"time"

	"permis/internal/app"
	"permis/internal/booking"
	"permis/internal/web"
)

// The booking follows post/redirect/get: the POST books, then sends the
// browser to bookedPath, which shows what was booked. Refreshing that page
// books nothing again. What it shows travels in a short-lived cookie of the
// browser that booked: only the facts the person just typed and chose (the
// place, the kind, the slot, their address), so a forged cookie can show
// nothing but itself, and no identifier of the appointment is needed in the
// address.

const (
	bookedPath   = "/rendez-vous/reserve"
	bookedCookie = "permis_rdv"
)

// bookedFacts is what the confirmation page needs.
type bookedFacts struct {
	Point   int64  `json:"p"`
	Kind    string `json:"k"`
	Start   int64  `json:"s"`
	End     int64  `json:"e"`
	Email   string `json:"m"`
	Hold    int64  `json:"h,omitempty"`
	Pending bool   `json:"w,omitempty"`
	Shared  string `json:"r,omitempty"` // "ok", "failed" or ""
}

// redirectBooked remembers b for the page after the redirect and sends the
// browser there (303).
func (p *Portal) redirectBooked(w http.ResponseWriter, r *http.Request, b app.Booked, shared string) {
	f := bookedFacts{Point: b.HelpPoint.ID, Kind: b.Kind.Code, Start: b.Start.Unix(), End: b.End.Unix(),
		Email: b.Email, Pending: b.Pending, Shared: shared}
	if b.HoldUntil != nil {
		f.Hold = b.HoldUntil.Unix()
	}
	raw, _ := json.Marshal(f)
	http.SetCookie(w, &http.Cookie{Name: bookedCookie, Value: base64.RawURLEncoding.EncodeToString(raw), Path: bookedPath,
		MaxAge: 900, HttpOnly: true, Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, bookedPath, http.StatusSeeOther)
}

// booked shows the appointment just booked by this browser.
func (p *Portal) booked(w http.ResponseWriter, r *http.Request) error {
	var f bookedFacts
	c, err := r.Cookie(bookedCookie)
	if err == nil {
		raw, derr := base64.RawURLEncoding.DecodeString(c.Value)
		if derr != nil || json.Unmarshal(raw, &f) != nil {
			f = bookedFacts{}
		}
	}
	if f.Point == 0 {
		http.Redirect(w, r, "/rendez-vous", http.StatusSeeOther)
		return nil
	}
	hp, kinds, err := p.appts.Place(r.Context(), f.Point)
	if err != nil {
		return err
	}
	b := app.Booked{AppointmentView: app.AppointmentView{HelpPoint: hp,
		Appointment: booking.Appointment{Start: time.Unix(f.Start, 0), End: time.Unix(f.End, 0), Contact: booking.Contact{Email: f.Email}}},
		Pending: f.Pending}
	for _, k := range kinds {
		if k.Code == f.Kind {
			b.Kind = k
		}
	}
	if f.Hold != 0 {
		h := time.Unix(f.Hold, 0)
		b.HoldUntil = &h
	}
	done := &bookPage{Page: web.Page{Title: "Rendez-vous réservé"}, Booked: &b}
	switch f.Shared {
	case "failed":
		done.Notices = append(done.Notices, web.Notice{Kind: web.NoticeWarning, Title: "Demande non partagée",
			Text: "Le rendez-vous est réservé, mais votre demande n'a pas pu être partagée avec le point d'accueil. Apportez sa référence."})
	case "ok":
		done.Notices = append(done.Notices, web.Notice{Kind: web.NoticeInfo, Title: "Demande partagée",
			Text: "L'agent du point d'accueil pourra consulter votre demande pour préparer le rendez-vous."})
	}
	if b.Pending {
		done.Title = "Confirmez votre rendez-vous"
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "book_done.html", done)
}

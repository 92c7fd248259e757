package portal

import (
	"net/http"
	"strconv"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/web"
)

// The citizen's upcoming appointments, cancellable from their space.

type myAppointmentsPage struct {
	web.Page
	Appointments []app.AppointmentView
}

func (p *Portal) myAppointments(w http.ResponseWriter, r *http.Request) error {
	var notices []web.Notice
	if n, ok := manageNotice(r.URL.Query().Get("fait")); ok {
		notices = append(notices, n)
	}
	return p.myAppointmentsPage(w, r, notices)
}

func (p *Portal) myAppointmentsPage(w http.ResponseWriter, r *http.Request, notices []web.Notice) error {
	aps, err := p.appts.MyAppointments(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg := &myAppointmentsPage{Page: web.Page{Title: "Mes rendez-vous", Notices: notices,
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Text: "Mes rendez-vous"}}}, Appointments: aps}
	return p.r.Render(w, r, http.StatusOK, "my_appointments.html", pg)
}

func (p *Portal) cancelMyAppointment(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return apperr.New(apperr.NotFound, "Rendez-vous inconnu.")
	}
	if _, err := p.appts.CancelMine(r.Context(), request(r), id); err != nil {
		return err
	}
	// post/redirect/get: a refresh cancels nothing again.
	http.Redirect(w, r, "/mon-espace/rendez-vous?"+manageCancelled, http.StatusSeeOther)
	return nil
}

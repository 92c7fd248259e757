package app

import (
	"context"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/store"
)

// A signed-in citizen's own appointments: the upcoming ones (booked with
// their account), each cancellable from their space without the mail's
// link.

func (s *Appointments) mine(req Request) (int64, error) {
	if req.Actor.Role != access.Citizen {
		return 0, apperr.New(apperr.Forbidden, "Seul un usager a des rendez-vous à son nom.")
	}
	return userIDOf(req.Actor)
}

// MyAppointments lists the signed-in citizen's upcoming appointments.
func (s *Appointments) MyAppointments(ctx context.Context, req Request) ([]AppointmentView, error) {
	me, err := s.mine(req)
	if err != nil {
		return nil, err
	}
	aps, err := s.a.store.ListAppointments(ctx, store.AppointmentFilter{PersonKey: booking.PersonKeyUser(me),
		From: s.a.clock.Now(), Statuses: []booking.Status{booking.Pending, booking.Confirmed}, Limit: 50})
	if err != nil {
		return nil, err
	}
	out := make([]AppointmentView, 0, len(aps))
	for _, ap := range aps {
		hp, k, err := s.load(ctx, ap)
		if err != nil {
			return nil, err
		}
		out = append(out, AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k})
	}
	return out, nil
}

// CancelMine cancels one of the signed-in citizen's appointments; another
// person's is "not found".
func (s *Appointments) CancelMine(ctx context.Context, req Request, id int64) (AppointmentView, error) {
	me, err := s.mine(req)
	if err != nil {
		return AppointmentView{}, err
	}
	ap, err := s.a.store.FindAppointment(ctx, id)
	if err != nil {
		return AppointmentView{}, err
	}
	if ap.UserID != me {
		return AppointmentView{}, apperr.New(apperr.NotFound, "Rendez-vous inconnu.")
	}
	hp, k, err := s.load(ctx, ap)
	if err != nil {
		return AppointmentView{}, err
	}
	return s.cancel(ctx, req, AppointmentView{Appointment: ap, HelpPoint: hp, Kind: k})
}

package medical

import (
	"context"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/store"
)

// The commission médicale primaire (arrêté du 31 juillet 2012 art. 5 and
// 7): two approved doctors named by the préfet sit together. Its sessions
// are a place of the booking system (internal/booking) with one kind of
// appointment, "commission-medicale": a person (or an agent for them)
// books a seat like any appointment and receives the same mails — the
// convocation with its .ics, the reminder, the links to move or cancel.
// The commission's doctors see the day's list and record their opinions as
// the commission, naming the second doctor.

// CommissionKind is the kind of appointment of a commission session.
const CommissionKind = "commission-medicale"

// CommissionPlace is the commission of the demo département.
func CommissionPlace() booking.HelpPoint {
	return booking.HelpPoint{
		Type: booking.Prefecture, Name: "Commission médicale primaire de l'Hérault",
		Address: "Place des Martyrs de la Résistance", PostalCode: "34062", Commune: "Montpellier", INSEE: "34172",
		Lat: 43.6116, Lon: 3.8771, Phone: "04 67 61 61 61", Email: "commission-medicale@prefecture-34.example",
		Services:      []string{"Contrôle médical de l'aptitude à la conduite par deux médecins agréés"},
		Accessibility: "Accès de plain-pied par l'entrée principale, boucle magnétique à l'accueil.",
		OpeningHours:  "Tu,Th 13:30-17:00; PH off", Agents: 1,
	}
}

// SeedCommission creates the commission's place and kind when they do not
// exist (demo mode, tests). Idempotent.
func (s *Service) SeedCommission(ctx context.Context) error {
	if _, _, err := s.Commission(ctx); err == nil || !apperr.Is(err, apperr.NotFound) {
		return err
	}
	return s.k.Store.Transact(ctx, func(tx *store.Store) error {
		k := booking.Kind{Code: CommissionKind, Label: "Visite devant la commission médicale (deux médecins agréés)", Minutes: 30}
		if err := tx.CreateKind(ctx, &k); err != nil {
			return err
		}
		hp := CommissionPlace()
		if err := tx.CreateHelpPoint(ctx, &hp); err != nil {
			return err
		}
		return tx.EnableKind(ctx, hp.ID, k.ID, true)
	})
}

// Commission returns the commission's place and kind of appointment, or
// a not_found error when the service has none.
func (s *Service) Commission(ctx context.Context) (booking.HelpPoint, booking.Kind, error) {
	k, err := s.k.Store.FindKindByCode(ctx, CommissionKind)
	if err != nil {
		return booking.HelpPoint{}, k, err
	}
	hps, err := s.k.Store.ListHelpPoints(ctx, store.HelpPointFilter{})
	if err != nil {
		return booking.HelpPoint{}, k, err
	}
	for _, hp := range hps {
		if on, err := s.k.Store.KindEnabled(ctx, hp.ID, k.ID); err != nil {
			return hp, k, err
		} else if on {
			return hp, k, nil
		}
	}
	return booking.HelpPoint{}, k, apperr.New(apperr.NotFound, "Aucune séance de commission médicale n'est proposée sur ce service.")
}

// Session is a day of the commission: the people convened, by time.
type Session struct {
	Place        booking.HelpPoint
	Day          date.Date
	Appointments []booking.Appointment
}

// CommissionSession returns a day's list for a doctor who sits in the
// commission; the read is audited.
func (s *Service) CommissionSession(ctx context.Context, req app.Request, day date.Date) (Session, error) {
	d, err := s.doctorOf(ctx, req)
	if err != nil {
		return Session{}, err
	}
	if !d.Approval.CommissionMember {
		return Session{}, apperr.New(apperr.Forbidden, "Vous ne siégez pas à la commission médicale : sa liste ne vous est pas ouverte.")
	}
	hp, _, err := s.Commission(ctx)
	if err != nil {
		return Session{}, err
	}
	from := time.Date(day.Year(), day.Time().Month(), day.Time().Day(), 0, 0, 0, 0, date.Paris())
	as, err := s.k.Store.ListAppointments(ctx, store.AppointmentFilter{HelpPointID: hp.ID, From: from, To: from.AddDate(0, 0, 1),
		Statuses: []booking.Status{booking.Pending, booking.Confirmed, booking.Attended}})
	if err != nil {
		return Session{}, err
	}
	if err := s.k.Audit(ctx, req, "medical.commission.list", "help_point", day.String()); err != nil {
		return Session{}, err
	}
	return Session{Place: hp, Day: day, Appointments: as}, nil
}

// commissionPair checks that the signed-in doctor and the second one
// (by approval number) may sit together: both named to the commission,
// both approvals valid today, two different doctors.
func (s *Service) commissionPair(ctx context.Context, d Doctor, second string) (string, error) {
	if !d.Approval.CommissionMember {
		return "", apperr.Field("commission", "Vous ne siégez pas à la commission médicale.")
	}
	b, err := s.k.Store.FindDoctorApprovalByNumber(ctx, second)
	today := s.Today()
	switch {
	case apperr.Is(err, apperr.NotFound) || (err == nil && (!b.CommissionMember || b.UserID == d.User.ID)):
		return "", apperr.Field("second_approval", "Indiquez le numéro d'agrément de l'autre médecin de la commission.")
	case err != nil:
		return "", err
	case today.After(b.ValidUntil) || today.Before(b.ValidFrom):
		return "", apperr.Field("second_approval", "L'agrément de l'autre médecin n'est pas valide aujourd'hui.")
	}
	return d.Approval.ApprovalNumber + " et " + b.ApprovalNumber, nil
}

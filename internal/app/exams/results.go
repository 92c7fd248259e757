package exams

import (
	"context"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/store"
)

// ownBooking returns the booking with that reference if the actor booked
// it (the candidate, or the school that booked under mandate); anybody
// else gets not_found, as for a reference that does not exist.
func (s *Service) ownBooking(ctx context.Context, req app.Request, ref string) (store.ExamBooking, error) {
	b, err := s.k.Store.FindExamBooking(ctx, ref)
	if err != nil {
		return store.ExamBooking{}, err
	}
	if me := userID(req.Actor); me == 0 || b.BookerID != me {
		return store.ExamBooking{}, apperr.New(apperr.NotFound, "Réservation introuvable.")
	}
	return b, nil
}

// Cancel frees the actor's booked place. Fewer than 7 days before the exam
// it is a late cancellation: a new booking is blocked 40 days (exam.Config).
// It returns whether the cancellation was late.
func (s *Service) Cancel(ctx context.Context, req app.Request, ref string) (late bool, err error) {
	b, err := s.ownBooking(ctx, req, ref)
	if err != nil {
		return false, err
	}
	now := s.k.Clock.Now()
	late = exam.LateCancellation(date.Today(now), b.Slot.Day, s.cfg)
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CancelExamBooking(ctx, b.ID, late, now); err != nil {
			return err
		}
		body := "Votre place d'examen du " + b.Slot.Day.French() + " (" + b.Reference + ") est annulée."
		if late {
			until, _ := exam.BlockedUntil([]exam.Strike{{ExamDay: b.Slot.Day}}, s.cfg)
			body += " L'annulation intervient moins de 7 jours avant l'examen : vous ne pourrez pas réserver de nouvelle place avant le " +
				until.AddDays(1).French() + ", sauf cas de force majeure reconnu par le bureau de l'éducation routière."
		}
		if err := s.mailCandidate(ctx, tx, b.Email, "Place d'examen annulée ("+b.Reference+")", body); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, "exam.cancel", "neph", b.NEPH)
	})
	return late, err
}

// RecordResult records the examiner's result of a booked place:
// favourable, unfavourable or absent. Examiners are agents.
func (s *Service) RecordResult(ctx context.Context, req app.Request, ref string, result exam.Result) error {
	me := userID(req.Actor)
	if me == 0 || (req.Actor.Role != access.Agent && req.Actor.Role != access.Admin) {
		return apperr.New(apperr.Forbidden, "Seuls les inspecteurs du permis de conduire enregistrent un résultat.")
	}
	if !result.Valid() {
		return apperr.Field("result", "Choisissez : favorable, défavorable ou absent.")
	}
	b, err := s.k.Store.FindExamBooking(ctx, ref)
	if err != nil {
		return err
	}
	now := s.k.Clock.Now()
	if date.Today(now).Before(b.Slot.Day) {
		return apperr.New(apperr.Conflict, "L'examen a lieu le "+b.Slot.Day.French()+" : le résultat s'enregistre ce jour-là.")
	}
	return s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.RecordExamResult(ctx, b.ID, string(result), me, now); err != nil {
			return err
		}
		body := "Résultat de votre examen pratique du " + b.Slot.Day.French() + " : " + result.Label() + "."
		if result == exam.Absent {
			until, _ := exam.BlockedUntil([]exam.Strike{{ExamDay: b.Slot.Day}}, s.cfg)
			body += " Une place réservée et non utilisée bloque une nouvelle réservation jusqu'au " + until.French() +
				" inclus, sauf cas de force majeure reconnu par le bureau de l'éducation routière."
		}
		if err := s.mailCandidate(ctx, tx, b.Email, "Résultat de votre examen ("+b.Reference+")", body); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, "exam.result", "neph", b.NEPH)
	})
}

// Excuse records that an agent accepted a force majeure for an absence or
// a late cancellation: it no longer blocks a booking.
func (s *Service) Excuse(ctx context.Context, req app.Request, ref string) error {
	if userID(req.Actor) == 0 || (req.Actor.Role != access.Agent && req.Actor.Role != access.Admin) {
		return apperr.New(apperr.Forbidden, "Seuls les agents du bureau de l'éducation routière reconnaissent un cas de force majeure.")
	}
	b, err := s.k.Store.FindExamBooking(ctx, ref)
	if err != nil {
		return err
	}
	return s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.ExcuseExamBooking(ctx, b.ID); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, "exam.excuse", "neph", b.NEPH)
	})
}

// Bookings returns the places booked for the signed-in candidate's file
// (newest first); the read is audited.
func (s *Service) Bookings(ctx context.Context, req app.Request) ([]store.ExamBooking, error) {
	c, err := s.whoFor(ctx, req, 0)
	if err != nil || c.role != string(access.Citizen) {
		return nil, apperr.New(apperr.Forbidden, "Seul le candidat voit ici ses places d'examen.")
	}
	bs, err := s.k.Store.ListExamBookings(ctx, c.neph)
	if err != nil {
		return nil, err
	}
	return bs, s.k.Audit(ctx, req, "exam.bookings.read", "neph", c.neph)
}

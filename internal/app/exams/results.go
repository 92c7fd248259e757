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
		if result == exam.Favourable {
			body += " Téléchargez votre certificat d'examen (CEPC) dans votre espace : il vous permet de conduire en France jusqu'au " +
				exam.CertificateValidUntil(b.Slot.Day, date.Null{}, s.cfg).French() + " inclus, en attendant votre permis."
		}
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

// agent checks that req is an agent of the road-education bureau (or an
// administrator).
func agent(req app.Request) error {
	if userID(req.Actor) == 0 || (req.Actor.Role != access.Agent && req.Actor.Role != access.Admin) {
		return apperr.New(apperr.Forbidden, "Cette page est réservée aux agents du bureau de l'éducation routière.")
	}
	return nil
}

// Bureau is the bureau's page: the centres and every half-day published
// from today, with its booked and free places.
type Bureau struct {
	Centres []store.ExamCentre
	Slots   []SlotView
}

// BureauPage returns the centres and the published half-days.
func (s *Service) BureauPage(ctx context.Context, req app.Request) (Bureau, error) {
	if err := agent(req); err != nil {
		return Bureau{}, err
	}
	if err := s.DrawDue(ctx); err != nil {
		return Bureau{}, err
	}
	cs, err := s.k.Store.ListExamCentres(ctx)
	if err != nil {
		return Bureau{}, err
	}
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	now := s.k.Clock.Now()
	vs, err := s.k.Store.ListExamSlots(ctx, 0, "B", date.Today(now))
	if err != nil {
		return Bureau{}, err
	}
	out := Bureau{Centres: cs}
	for _, v := range vs {
		out.Slots = append(out.Slots, SlotView{ExamSlotView: v, Centre: names[v.CentreID], Open: !v.OpensAt.After(now)})
	}
	return out, nil
}

// Sheet is the examiner's list of a half-day: the places booked, by seat.
type Sheet struct {
	Centre   store.ExamCentre
	Slot     store.ExamSlot
	Bookings []store.ExamBooking
	Today    bool // the half-day is today: results can be recorded
}

// ExamSheet returns the bookings of a centre's half-day for the examiner;
// the read of the candidates' files is audited.
func (s *Service) ExamSheet(ctx context.Context, req app.Request, slot store.ExamSlot) (Sheet, error) {
	if err := agent(req); err != nil {
		return Sheet{}, err
	}
	cs, err := s.k.Store.ListExamCentres(ctx)
	if err != nil {
		return Sheet{}, err
	}
	sh := Sheet{Slot: slot, Today: !date.Today(s.k.Clock.Now()).Before(slot.Day)}
	for _, c := range cs {
		if c.ID == slot.CentreID {
			sh.Centre = c
		}
	}
	if sh.Centre.ID == 0 {
		return Sheet{}, apperr.New(apperr.NotFound, "Centre d'examen introuvable.")
	}
	if sh.Bookings, err = s.k.Store.ListExamBookingsOfSlot(ctx, slot.CentreID, slot.Day, slot.Half); err != nil {
		return Sheet{}, err
	}
	for _, b := range sh.Bookings {
		if err := s.k.Audit(ctx, req, "exam.sheet.read", "neph", b.NEPH); err != nil {
			return Sheet{}, err
		}
	}
	return sh, nil
}

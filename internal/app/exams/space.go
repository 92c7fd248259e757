package exams

import (
	"context"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/store"
)

// SlotView is a half-day of a centre with places, as a candidate reads it.
type SlotView struct {
	store.ExamSlotView
	Centre string
	Open   bool // its places can be asked for now
}

// Key identifies the slot in a form: centre id, day and half.
func (v SlotView) Key() string {
	return SlotKey(v.CentreID, v.Day, v.Half)
}

// SlotKey writes a slot's form value: "12-2027-01-12-am".
func SlotKey(centre int64, day date.Date, half string) string {
	return itoa64(centre) + "-" + day.String() + "-" + half
}

// ParseSlotKey reads SlotKey's value back, for category B.
func ParseSlotKey(s string) (store.ExamSlot, error) {
	bad := apperr.Field("slot", "Choisissez une demi-journée dans la liste des places.")
	if len(s) < 15 {
		return store.ExamSlot{}, bad
	}
	half, day, rest := s[len(s)-2:], s[len(s)-13:len(s)-3], s[:len(s)-14]
	d, err := date.Parse(day)
	var id int64
	for _, c := range rest {
		if c < '0' || c > '9' {
			return store.ExamSlot{}, bad
		}
		id = id*10 + int64(c-'0')
	}
	if err != nil || id == 0 || (half != "am" && half != "pm") || s[len(s)-3] != '-' || s[len(s)-14] != '-' {
		return store.ExamSlot{}, bad
	}
	return store.ExamSlot{CentreID: id, Day: d, Half: half, Category: string(licence.CategoryB)}, nil
}

func itoa64(n int64) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa64(n/10) + string(rune('0'+n%10))
}

// Space is a candidate's exam page: the theory pass, the places booked,
// the block, and the places that can be asked for.
type Space struct {
	// NoFile: the account is linked to no file (NEPH) yet; nothing else
	// is filled but the slots.
	NoFile bool
	// Unregistered: the file (a licence's NEPH) has no accepted
	// registration for B, so no place can be booked under it yet.
	Unregistered bool
	NEPH         string
	Theory       *exam.TheoryPass
	TheoryUntil  date.Date
	AttemptsLeft int
	Bookings     []store.ExamBooking
	BlockedUntil date.Null // last blocked day, when a strike blocks
	Slots        []SlotView
	Centres      map[int64]string
}

// CandidateSpace returns the signed-in candidate's exam page; the read of
// their file is audited.
func (s *Service) CandidateSpace(ctx context.Context, req app.Request) (Space, error) {
	if err := s.DrawDue(ctx); err != nil {
		return Space{}, err
	}
	if me := userID(req.Actor); me != 0 && req.Actor.Role == access.Citizen {
		u, err := s.k.Store.FindUser(ctx, me)
		if err != nil {
			return Space{}, err
		}
		if err := s.LinkStudent(ctx, req, u); err != nil { // a registration a school filed for them
			return Space{}, err
		}
		if _, err := s.k.Store.NEPHOfAccount(ctx, me); u.LicenceID == 0 && apperr.Is(err, apperr.NotFound) {
			sp := Space{NoFile: true}
			sp.Slots, sp.Centres, err = s.openSlots(ctx, 0)
			return sp, err
		}
	}
	c, err := s.whoFor(ctx, req, 0)
	if err != nil {
		return Space{}, err
	}
	if c.role != string(access.Citizen) {
		return Space{}, apperr.New(apperr.Forbidden, "Seul le candidat voit cette page.")
	}
	h, err := s.history(ctx, c.neph, string(licence.CategoryB))
	if err != nil {
		return Space{}, err
	}
	sp := Space{NEPH: c.neph, Theory: h.Theory}
	if _, err := s.k.Store.AcceptedExamRegistration(ctx, c.neph, string(licence.CategoryB)); apperr.Is(err, apperr.NotFound) {
		sp.Unregistered = true
	} else if err != nil {
		return Space{}, err
	}
	if h.Theory != nil {
		sp.TheoryUntil, sp.AttemptsLeft = h.Theory.Expires(s.cfg), h.Theory.AttemptsLeft(s.cfg)
	}
	if until, ok := exam.BlockedUntil(h.Strikes, s.cfg); ok && !date.Today(s.k.Clock.Now()).After(until) {
		sp.BlockedUntil = date.Some(until)
	}
	if sp.Bookings, err = s.k.Store.ListExamBookings(ctx, c.neph); err != nil {
		return Space{}, err
	}
	if sp.Slots, sp.Centres, err = s.openSlots(ctx, 0); err != nil {
		return Space{}, err
	}
	return sp, s.k.Audit(ctx, req, "exam.space.read", "neph", c.neph)
}

// openSlots lists the category B half-days from tomorrow with a free place
// or opening later, with the centres' names.
func (s *Service) openSlots(ctx context.Context, centre int64) ([]SlotView, map[int64]string, error) {
	now := s.k.Clock.Now()
	cs, err := s.k.Store.ListExamCentres(ctx)
	if err != nil {
		return nil, nil, err
	}
	names := map[int64]string{}
	for _, c := range cs {
		names[c.ID] = c.Name
	}
	vs, err := s.k.Store.ListExamSlots(ctx, centre, string(licence.CategoryB), date.Today(now).AddDays(1))
	if err != nil {
		return nil, nil, err
	}
	var out []SlotView
	for _, v := range vs {
		if v.Free == 0 {
			continue
		}
		out = append(out, SlotView{ExamSlotView: v, Centre: names[v.CentreID], Open: !v.OpensAt.After(now)})
	}
	return out, names, nil
}

// Slot returns one slot with places, for the booking form.
func (s *Service) Slot(ctx context.Context, slot store.ExamSlot) (SlotView, error) {
	vs, _, err := s.openSlots(ctx, slot.CentreID)
	if err != nil {
		return SlotView{}, err
	}
	for _, v := range vs {
		if v.Day == slot.Day && v.Half == slot.Half {
			return v, nil
		}
	}
	return SlotView{}, apperr.New(apperr.NotFound, "Cette demi-journée n'a plus de place libre.")
}

// Now is the service's clock, for pages that say "opens at".
func (s *Service) Now() time.Time { return s.k.Clock.Now() }

// SchoolView is what a driving school sees of its students' exams: the
// registrations it filed (by mandate id), the theory pass, the places and
// the block of each student's file (by NEPH, from the active mandates), and
// the half-days with places it can book.
type SchoolView struct {
	Registrations map[int64][]store.ExamRegistration // by mandate id
	Bookings      map[string][]store.ExamBooking     // by NEPH
	TheoryUntil   map[string]date.Date               // by NEPH: the theory pass's last valid day (a Date is never 0 once set)
	BlockedUntil  map[string]date.Date               // by NEPH: the last blocked day, when a strike blocks today
	Slots         []SlotView
}

// SchoolExams returns the school's students' registrations, theory passes,
// places, results, CEPCs and blocks; each file read is audited.
func (s *Service) SchoolExams(ctx context.Context, req app.Request) (SchoolView, error) {
	me := userID(req.Actor)
	if me == 0 || req.Actor.Role != access.DrivingSchool {
		return SchoolView{}, apperr.New(apperr.Forbidden, "Cette page est réservée aux auto-écoles.")
	}
	if err := s.DrawDue(ctx); err != nil {
		return SchoolView{}, err
	}
	ms, err := s.k.Store.ListMandatesOfSchool(ctx, me)
	if err != nil {
		return SchoolView{}, err
	}
	v := SchoolView{Bookings: map[string][]store.ExamBooking{}, TheoryUntil: map[string]date.Date{}, BlockedUntil: map[string]date.Date{}}
	if v.Registrations, err = s.StudentRegistrations(ctx, req, ms); err != nil {
		return SchoolView{}, err
	}
	today := date.Today(s.k.Clock.Now())
	for _, m := range ms {
		if m.NEPH == "" || m.RevokedAt != nil {
			continue
		}
		h, err := s.history(ctx, m.NEPH, string(licence.CategoryB))
		if err != nil {
			return SchoolView{}, err
		}
		bs, err := s.k.Store.ListExamBookings(ctx, m.NEPH)
		if err != nil {
			return SchoolView{}, err
		}
		if len(bs) == 0 && h.Theory == nil {
			continue
		}
		v.Bookings[m.NEPH] = bs
		if h.Theory != nil {
			v.TheoryUntil[m.NEPH] = h.Theory.Expires(s.cfg)
		}
		if until, ok := exam.BlockedUntil(h.Strikes, s.cfg); ok && !today.After(until) {
			v.BlockedUntil[m.NEPH] = until
		}
		if err := s.k.Audit(ctx, req, "exam.school.read", "neph", m.NEPH); err != nil {
			return SchoolView{}, err
		}
	}
	v.Slots, _, err = s.openSlots(ctx, 0)
	return v, err
}

// CertificateUntil returns the last valid day of the CEPC of a favourable
// exam on day.
func (s *Service) CertificateUntil(day date.Date) date.Date {
	return exam.CertificateValidUntil(day, date.Null{}, s.cfg)
}

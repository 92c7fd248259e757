package exams

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/mail"
	"permis/internal/secret"
	"permis/internal/store"
)

// Practical-exam places: the bureau publishes (Publish), candidates and
// schools book by name (Book), cancel (Cancel), the examiner records the
// result (RecordResult). The rules are exam.CheckBooking's; the database
// guarantees one booking per place and one pending place per candidate and
// category.

// Limits of booking per account (our choice, docs/exams.md).
const (
	bookPerMinute = 10
	maxPlaces     = 200 // per publication of one half-day
)

// PublishInput is a publication of places for one half-day.
type PublishInput struct {
	CentreID int64
	Day      date.Date
	Half     string // "am" or "pm"
	Category licence.Category
	Places   int
	OpensAt  time.Time
}

// Publish opens places of a centre's half-day at the announced time. Only
// the road-education bureau's agents publish.
func (s *Service) Publish(ctx context.Context, req app.Request, in PublishInput) (store.ExamRelease, error) {
	me := userID(req.Actor)
	if req.Actor.Role != access.Agent && req.Actor.Role != access.Admin || me == 0 {
		return store.ExamRelease{}, apperr.New(apperr.Forbidden, "Seuls les agents du bureau de l'éducation routière publient des places d'examen.")
	}
	now := s.k.Clock.Now()
	p := map[string]string{}
	if in.CentreID == 0 {
		p["centre"] = "Choisissez le centre d'examen."
	}
	if !in.Day.After(date.Today(now)) {
		p["day"] = "Le jour de l'examen doit être après aujourd'hui."
	}
	if in.Half != "am" && in.Half != "pm" {
		p["half"] = "Choisissez le matin ou l'après-midi."
	}
	if !in.Category.Valid() || in.Category == licence.CategoryAM {
		p["category"] = "Choisissez une catégorie qui a un examen pratique."
	}
	if in.Places < 1 || in.Places > maxPlaces {
		p["places"] = fmt.Sprintf("Indiquez un nombre de places de 1 à %d.", maxPlaces)
	}
	if in.OpensAt.IsZero() || !in.Day.After(date.FromTime(in.OpensAt)) {
		p["opens_at"] = "L'ouverture des réservations doit précéder le jour de l'examen."
	}
	if len(p) > 0 {
		return store.ExamRelease{}, &apperr.Error{Code: apperr.Invalid, Message: "La publication contient des erreurs.", Fields: p}
	}
	r := store.ExamRelease{CentreID: in.CentreID, OpensAt: in.OpensAt, PublishedBy: me}
	slot := store.ExamSlotCapacity{ExamSlot: store.ExamSlot{CentreID: in.CentreID, Day: in.Day, Half: in.Half, Category: string(in.Category)}, Places: in.Places}
	err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateExamRelease(ctx, &r, []store.ExamSlotCapacity{slot}); err != nil {
			return err
		}
		return s.k.AuditTx(ctx, tx, req, "exam.publish", "exam_release", fmt.Sprint(r.ID))
	})
	return r, err
}

// Companion is a candidat libre's accompanying person, as declared.
type Companion struct {
	FamilyName    string    `json:"family_name"`
	GivenNames    string    `json:"given_names"`
	LicenceBSince date.Date `json:"licence_b_since"`
	Instructor    bool      `json:"instructor"`
	LinkSworn     bool      `json:"link_sworn"`
}

// details is what a booking keeps of its declarations (JSON).
type details struct {
	Day           date.Date  `json:"day"`
	Half          string     `json:"half"`
	TrainingHours int        `json:"training_hours,omitempty"`
	Automatic     bool       `json:"automatic,omitempty"`
	Companion     *Companion `json:"companion,omitempty"`
	DualControl   bool       `json:"dual_control,omitempty"`
}

// BookInput is a booking: the slot, whose place (a school names its
// student's mandate), and the declarations.
type BookInput struct {
	Slot          store.ExamSlot
	MandateID     int64 // a school's student
	TrainingHours int   // declared by the school
	Automatic     bool
	Companion     *Companion // candidat libre
	DualControl   bool       // candidat libre
}

// Booked is the outcome of Book: a place, or an entry in the release's
// queue drawn at DrawAt.
type Booked struct {
	Booking store.ExamBooking
	Queued  bool
	DrawAt  time.Time
}

// candidate is who a place is booked for, and by whom.
type candidate struct {
	neph, email, role, mandateRef string
	booker                        int64
}

// whoFor returns the candidate a booking is for: the signed-in citizen's
// own licence file, or a school's student under an active mandate that
// names the NEPH.
func (s *Service) whoFor(ctx context.Context, req app.Request, mandateID int64) (candidate, error) {
	me := userID(req.Actor)
	switch {
	case me != 0 && req.Actor.Role == access.Citizen:
		u, err := s.k.Store.FindUser(ctx, me)
		if err != nil {
			return candidate{}, err
		}
		if u.LicenceID == 0 {
			// A candidate who holds no licence: the NEPH of their
			// accepted registration (registration.go).
			neph, err := s.k.Store.NEPHOfAccount(ctx, me)
			if apperr.Is(err, apperr.NotFound) {
				return candidate{}, apperr.New(apperr.Invalid, "Votre compte n'est relié à aucun dossier (NEPH) : inscrivez-vous aux examens, ou reliez votre permis dans votre espace.")
			}
			return candidate{neph: neph, email: u.Email, role: string(access.Citizen), booker: me}, err
		}
		l, err := s.k.Store.FindLicence(ctx, u.LicenceID)
		if err != nil {
			return candidate{}, err
		}
		return candidate{neph: string(l.NEPH), email: u.Email, role: string(access.Citizen), booker: me}, nil
	case me != 0 && req.Actor.Role == access.DrivingSchool:
		m, err := s.k.Store.FindMandateOfSchool(ctx, mandateID, me)
		if err != nil {
			return candidate{}, err
		}
		if m.RevokedAt != nil {
			return candidate{}, apperr.New(apperr.Forbidden, "Ce mandat est révoqué : l'auto-école ne peut plus agir pour cet élève.")
		}
		if m.NEPH == "" {
			return candidate{}, apperr.Field("mandate", "Ce mandat n'indique pas le NEPH de l'élève.")
		}
		return candidate{neph: m.NEPH, email: m.Email, role: string(access.DrivingSchool), mandateRef: m.Reference, booker: me}, nil
	}
	return candidate{}, apperr.New(apperr.Forbidden, "Seuls le candidat ou son auto-école, sous mandat, réservent une place d'examen.")
}

// ReasonNotRegistered refuses a booking whose candidate has no accepted
// registration for the category under the NEPH (stable code for clients).
var ReasonNotRegistered = &apperr.Reason{Code: "registration_missing",
	Message: "Une place d'examen se réserve une fois l'inscription à l'examen acceptée."}

// registered checks that the candidate's NEPH is on an accepted
// registration for the category: the new NEPH of a candidate who holds no
// licence, or the NEPH of the licence they hold (another category, or a
// comeback after an invalidation or an annulment). Without one, no place.
func (s *Service) registered(ctx context.Context, c candidate, category string) error {
	_, err := s.k.Store.AcceptedExamRegistration(ctx, c.neph, category)
	if !apperr.Is(err, apperr.NotFound) {
		return err
	}
	msg := "Vous n'avez pas d'inscription acceptée à l'examen du permis de catégorie " + category +
		" : inscrivez-vous depuis « Mon examen du permis ». Une place se réserve une fois l'inscription acceptée."
	if c.role == string(access.DrivingSchool) {
		msg = "Cet élève n'a pas d'inscription acceptée à l'examen du permis de catégorie " + category +
			" sous ce NEPH : une place se réserve une fois son inscription acceptée."
	}
	return apperr.Fail(apperr.Invalid, ReasonNotRegistered.Code, ReasonNotRegistered, msg)
}

// history builds what the booking rules need from the candidate's file.
func (s *Service) history(ctx context.Context, neph, category string) (exam.Booking, error) {
	b := exam.Booking{Category: licence.Category(category)}
	pass, err := s.k.Store.LatestTheoryPass(ctx, licence.NEPH(neph))
	if err != nil && !apperr.Is(err, apperr.NotFound) {
		return b, err
	}
	bs, err := s.k.Store.ListExamBookings(ctx, neph)
	if err != nil {
		return b, err
	}
	if pass.ID != 0 {
		b.Theory = &exam.TheoryPass{Passed: pass.TakenOn}
	}
	for _, x := range bs {
		if b.Theory != nil && x.Result != "" && x.Slot.Day.After(b.Theory.Passed) {
			b.Theory.Attempts++
		}
		if (x.State == "late_cancelled" || x.Result == string(exam.Absent)) && !x.ForceMajeure {
			b.Strikes = append(b.Strikes, exam.Strike{ExamDay: x.Slot.Day})
		}
		if x.State == "booked" && x.Category == category {
			b.Pending = true
		}
	}
	return b, nil
}

// Book books a place of the slot by name, or, in the first minutes after
// the places open, puts the request in the release's queue (drawn at the
// end of the window, exam.ReleaseWindow). The candidate is mailed.
func (s *Service) Book(ctx context.Context, req app.Request, in BookInput) (Booked, error) {
	c, err := s.whoFor(ctx, req, in.MandateID)
	if err != nil {
		return Booked{}, err
	}
	if err := s.registered(ctx, c, in.Slot.Category); err != nil {
		return Booked{}, err
	}
	now := s.k.Clock.Now()
	if res, err := s.k.Store.HitRateLimit(ctx, fmt.Sprintf("exam-book:%d", c.booker), now, time.Minute, bookPerMinute); err != nil {
		return Booked{}, err
	} else if !res.Allowed {
		return Booked{}, apperr.New(apperr.TooMany, "Trop de tentatives de réservation : réessayez dans une minute.")
	}
	rel, err := s.releaseOf(ctx, in.Slot, now)
	if err != nil {
		return Booked{}, err
	}
	b, err := s.history(ctx, c.neph, in.Slot.Category)
	if err != nil {
		return Booked{}, err
	}
	b.School, b.TrainingHours, b.Automatic = c.role == string(access.DrivingSchool), in.TrainingHours, in.Automatic
	if in.Companion != nil {
		b.Companion = &exam.Companion{LicenceBSince: in.Companion.LicenceBSince, Instructor: in.Companion.Instructor, LinkSworn: in.Companion.LinkSworn}
	}
	b.DualControl = in.DualControl
	if rs := exam.CheckBooking(b, in.Slot.Day, date.Today(now), s.cfg); len(rs) > 0 {
		return Booked{}, refusal(rs)
	}
	d, _ := json.Marshal(details{Day: in.Slot.Day, Half: in.Slot.Half, TrainingHours: in.TrainingHours, Automatic: in.Automatic,
		Companion: in.Companion, DualControl: in.DualControl})
	if exam.InWindow(now.Sub(rel.OpensAt)) {
		q := store.ExamQueueEntry{ReleaseID: rel.ID, NEPH: c.neph, Category: in.Slot.Category, BookerID: c.booker,
			BookerRole: c.role, MandateRef: c.mandateRef, Email: c.email, Details: string(d)}
		drawAt := rel.OpensAt.Add(exam.ReleaseWindow)
		err := s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.JoinExamQueue(ctx, &q); err != nil {
				return err
			}
			if err := s.mailCandidate(ctx, tx, c.email, "Demande de place enregistrée",
				"Votre demande de place d'examen pour le "+in.Slot.Day.French()+" est dans la file de l'ouverture. Les demandes reçues "+
					"dans les 2 premières minutes sont tirées au sort à "+hhmm(drawAt)+" : chacune a la même chance. Vous recevrez le résultat par courriel."); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, req, "exam.queue", "neph", c.neph)
		})
		return Booked{Queued: true, DrawAt: drawAt}, err
	}
	if err := s.Draw(ctx, rel.ID); err != nil {
		return Booked{}, err
	}
	bk := store.ExamBooking{NEPH: c.neph, Category: in.Slot.Category, BookerID: c.booker, BookerRole: c.role,
		MandateRef: c.mandateRef, Email: c.email, Details: string(d)}
	for range 3 {
		bk.Reference = "RDV-" + secret.NewCode(8)
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.BookExamPlace(ctx, &bk, in.Slot, now); err != nil {
				return err
			}
			if err := s.mailBooked(ctx, tx, bk, in.Slot); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, req, "exam.book", "neph", c.neph)
		})
		if !apperr.Is(err, apperr.Conflict) || errors.Is(err, store.ErrNoFreePlace) || errors.Is(err, store.ErrPlacePending) {
			break
		}
	}
	return Booked{Booking: bk}, err
}

// releaseOf returns the release of the slot that is open now with a free
// place (or the one opening next, refused with its opening time).
func (s *Service) releaseOf(ctx context.Context, slot store.ExamSlot, now time.Time) (store.ExamRelease, error) {
	vs, err := s.k.Store.ListExamSlots(ctx, slot.CentreID, slot.Category, slot.Day)
	if err != nil {
		return store.ExamRelease{}, err
	}
	var next *store.ExamSlotView
	for i, v := range vs {
		if v.Day != slot.Day || v.Half != slot.Half {
			continue
		}
		if v.OpensAt.After(now) {
			if next == nil || v.OpensAt.Before(next.OpensAt) {
				next = &vs[i]
			}
			continue
		}
		if v.Free > 0 || exam.InWindow(now.Sub(v.OpensAt)) {
			return s.k.Store.FindExamRelease(ctx, v.ReleaseID)
		}
	}
	if next != nil {
		return store.ExamRelease{}, apperr.New(apperr.Conflict, "Ces places ouvrent le "+date.FromTime(next.OpensAt).French()+" à "+hhmm(next.OpensAt)+".")
	}
	return store.ExamRelease{}, apperr.Wrap(apperr.Conflict, "Il n'y a plus de place libre cette demi-journée : choisissez-en une autre.", store.ErrNoFreePlace)
}

// Draw draws a release's queue once its window has closed: in a uniform
// random order from a fresh seed, each entry takes a free place of the
// half-day it asked, if its candidate holds no place of the category yet.
// Only one caller draws (ClaimExamDraw); the others return at once.
func (s *Service) Draw(ctx context.Context, releaseID int64) error {
	_, err := s.draw(ctx, releaseID)
	return err
}

// draw is Draw, reporting whether this caller drew the release.
func (s *Service) draw(ctx context.Context, releaseID int64) (bool, error) {
	rel, err := s.k.Store.FindExamRelease(ctx, releaseID)
	if err != nil {
		return false, err
	}
	now := s.k.Clock.Now()
	if rel.DrawnAt != nil || now.Before(rel.OpensAt.Add(exam.ReleaseWindow)) {
		return false, nil
	}
	var seed [32]byte
	_, _ = rand.Read(seed[:])
	drawn := false
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		claimed, err := tx.ClaimExamDraw(ctx, releaseID, seed[:], now)
		if err != nil || !claimed {
			return err
		}
		drawn = true
		queue, err := tx.ListExamQueue(ctx, releaseID)
		if err != nil {
			return err
		}
		for _, q := range exam.DrawOrder(queue, seed) {
			if err := s.drawOne(ctx, tx, q, now); err != nil {
				return err
			}
		}
		return s.k.AuditTx(ctx, tx, app.Request{Actor: access.SystemActor("exam.draw")}, "exam.draw", "exam_release", fmt.Sprint(releaseID))
	})
	return drawn && err == nil, err
}

// DrawDue draws every release whose window has closed and whose queue is
// not drawn yet. The pages of the candidates, the schools and the bureau
// call it before they read, as a safety net: the draw job (DrawClosed,
// run by every instance of `permis serve`) draws on time.
func (s *Service) DrawDue(ctx context.Context) error {
	_, err := s.DrawClosed(ctx)
	return err
}

// DrawInterval is how often `permis serve` looks for releases whose window
// has closed: a queue is drawn at most this long after its window.
const DrawInterval = 30 * time.Second

// DrawClosed draws every release whose window has closed and whose queue
// is not drawn yet, and returns how many this caller drew. It is the
// background job of `permis serve`, run every DrawInterval on every
// instance: each draw is claimed by one conditional UPDATE
// (store.ClaimExamDraw), so of several instances one draws and the others
// skip it.
func (s *Service) DrawClosed(ctx context.Context) (int, error) {
	ids, err := s.k.Store.ListUndrawnReleases(ctx, s.k.Clock.Now().Add(-exam.ReleaseWindow))
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		drawn, err := s.draw(ctx, id)
		if err != nil {
			return n, err
		}
		if drawn {
			n++
		}
	}
	return n, nil
}

func (s *Service) drawOne(ctx context.Context, tx *store.Store, q store.ExamQueueEntry, now time.Time) error {
	var d details
	_ = json.Unmarshal([]byte(q.Details), &d)
	slot := store.ExamSlot{CentreID: 0, Day: d.Day, Half: d.Half, Category: q.Category}
	rel, err := tx.FindExamRelease(ctx, q.ReleaseID)
	if err != nil {
		return err
	}
	slot.CentreID = rel.CentreID
	bk := store.ExamBooking{Reference: "RDV-" + secret.NewCode(8), NEPH: q.NEPH, Category: q.Category, BookerID: q.BookerID,
		BookerRole: q.BookerRole, MandateRef: q.MandateRef, Email: q.Email, Details: q.Details}
	err = tx.BookExamPlace(ctx, &bk, slot, now)
	switch {
	case err == nil:
		if err := tx.SetExamQueueOutcome(ctx, q.ID, "booked"); err != nil {
			return err
		}
		return s.mailBooked(ctx, tx, bk, slot)
	case errors.Is(err, store.ErrNoFreePlace), errors.Is(err, store.ErrPlacePending):
		if err := tx.SetExamQueueOutcome(ctx, q.ID, "no_place"); err != nil {
			return err
		}
		return s.mailCandidate(ctx, tx, q.Email, "Pas de place à cette ouverture",
			"Le tirage au sort de l'ouverture n'a pas pu vous donner de place le "+d.Day.French()+". D'autres places seront publiées : "+
				"vous pouvez aussi réserver une place encore libre dans votre espace.")
	}
	return err
}

// refusal turns the rules' refusals into one error naming each reason.
func refusal(rs []exam.Refusal) error {
	p := map[string]string{}
	msgs := make([]string, len(rs))
	for i, r := range rs {
		p[r.Code] = r.Message
		msgs[i] = r.Message
	}
	return &apperr.Error{Code: apperr.Invalid, Message: strings.Join(msgs, " "), Fields: p}
}

func (s *Service) mailBooked(ctx context.Context, tx *store.Store, b store.ExamBooking, slot store.ExamSlot) error {
	half := "matin"
	if slot.Half == "pm" {
		half = "après-midi"
	}
	return s.mailCandidate(ctx, tx, b.Email, "Place d'examen réservée ("+b.Reference+")",
		"Une place d'examen pratique de la catégorie "+b.Category+" est réservée à votre nom le "+slot.Day.French()+" ("+half+"), "+
			"référence "+b.Reference+". Si vous ne pouvez pas venir, annulez au moins 7 jours avant : une place non utilisée ou "+
			"annulée plus tard bloque une nouvelle réservation pendant 40 jours, sauf cas de force majeure.")
}

func (s *Service) mailCandidate(ctx context.Context, tx *store.Store, to, subject, body string) error {
	if to == "" {
		return nil
	}
	_, err := mail.Enqueue(ctx, tx, mail.Message{To: to, Subject: subject, Text: "Bonjour,\n\n" + body +
		"\n\nVos places et vos résultats : " + s.k.PublicURL + "/mon-espace" + app.MailSignature})
	return err
}

func hhmm(t time.Time) string { return t.In(date.Paris()).Format("15h04") }

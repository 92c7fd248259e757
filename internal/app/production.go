package app

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/riverqueue/river"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/store"
)

// Production and secure mail of accepted requests, as River jobs inserted
// in the transaction of the change that causes them: produce_card (in the
// acceptance's transaction) orders the card and posts it; track_mail (in
// the posting's transaction) follows the letter until it is delivered, held
// at the post office, returned and re-sent. Every step is a conditional
// status change, so a job worked twice (River works a job at least once)
// changes nothing the second time.

// CardOrder is what the card maker needs to produce a card.
type CardOrder struct {
	Reference  string // the request: an order is idempotent by it
	FamilyName string
	GivenNames string
	BirthDate  date.Date
	Issued     date.Date
}

// Card is a produced card.
type Card struct {
	TitleNumber licence.TitleNumber
	MRZ         string
	Expiry      date.Date
}

// CardMaker produces cards (the Imprimerie nationale). Order must be
// idempotent: ordering the same Reference again returns the same card.
type CardMaker interface {
	Order(ctx context.Context, o CardOrder) (Card, error)
}

// SimulatedMaker is the built-in card maker: it derives the title number
// from the reference (the year of issue, two letters, five digits, as in
// §1.2) and builds the card's MRZ; the card is valid 15 years (§2.2).
type SimulatedMaker struct{}

// Order returns the card of o, the same for the same reference.
func (SimulatedMaker) Order(ctx context.Context, o CardOrder) (Card, error) {
	h := sha256.Sum256([]byte(o.Reference))
	y, _, _ := o.Issued.Civil()
	serial := binary.BigEndian.Uint32(h[2:6]) % 100000
	n, err := licence.ParseTitleNumber(fmt.Sprintf("%02d%c%c%05d", y%100, 'A'+h[0]%26, 'A'+h[1]%26, serial))
	if err != nil {
		return Card{}, err
	}
	exp := o.Issued.AddYears(15)
	return Card{TitleNumber: n, MRZ: licence.BuildMRZ(n, exp, o.FamilyName), Expiry: exp}, nil
}

// DeliveryState is where a letter stands at the carrier's.
type DeliveryState string

// The delivery states.
const (
	InTransit DeliveryState = "in_transit"
	Delivered DeliveryState = "delivered" // handed over against signature
	Held      DeliveryState = "held"      // nobody home: waiting at the post office
	Returned  DeliveryState = "returned"  // not collected in time: back to the sender
)

// Shipment is one posting of a card.
type Shipment struct {
	Reference      string
	Attempt        int // 1 for the first posting, 2 after a return…
	Name           string
	TrackingNumber string
	SentAt         time.Time
}

// Carrier posts cards by tracked letter (La Poste's Lettre Expert). Send
// must be idempotent by (Reference, Attempt).
type Carrier interface {
	Send(ctx context.Context, s Shipment) (tracking string, err error)
	Track(ctx context.Context, s Shipment, now time.Time) (DeliveryState, error)
}

// Outcome is what the simulated carrier does with a letter.
type Outcome int

// The outcomes.
const (
	OutcomeDelivered Outcome = iota // delivered at the first attempt
	OutcomeCollected                // held, then collected at the post office
	OutcomeReturned                 // held, not collected: returned
)

// SimulatedCarrier is the built-in carrier. After Transit the letter is
// delivered or held (Outcome); a held letter is collected half-way through
// HoldFor, or returned after it. Its state follows the clock passed to
// Track, so tests move it with a fake clock.
type SimulatedCarrier struct {
	Transit time.Duration                               // posting to first delivery attempt (default 2 days)
	HoldFor time.Duration                               // at the post office (requests.Config.PostOfficeHoldDays)
	Outcome func(reference string, attempt int) Outcome // nil: always delivered
}

// Send returns the tracking number of s, the same for the same posting.
func (c *SimulatedCarrier) Send(ctx context.Context, s Shipment) (string, error) {
	h := sha256.Sum256(fmt.Appendf(nil, "%s/%d", s.Reference, s.Attempt))
	return fmt.Sprintf("1L%011d", binary.BigEndian.Uint64(h[:8])%100000000000), nil
}

// Track returns where the letter s stands at now.
func (c *SimulatedCarrier) Track(ctx context.Context, s Shipment, now time.Time) (DeliveryState, error) {
	transit, hold := c.Transit, c.HoldFor
	if transit <= 0 {
		transit = 48 * time.Hour
	}
	if hold <= 0 {
		hold = 15 * 24 * time.Hour
	}
	out := OutcomeDelivered
	if c.Outcome != nil {
		out = c.Outcome(s.Reference, s.Attempt)
	}
	at := now.Sub(s.SentAt)
	switch {
	case at < transit:
		return InTransit, nil
	case out == OutcomeDelivered:
		return Delivered, nil
	case out == OutcomeCollected && at >= transit+hold/2:
		return Delivered, nil
	case out == OutcomeReturned && at >= transit+hold:
		return Returned, nil
	}
	return Held, nil
}

// ProduceCardArgs is the job that orders an accepted request's card and
// posts it.
type ProduceCardArgs struct {
	RequestID int64 `json:"request_id"`
}

// Kind is the job's stable name.
func (ProduceCardArgs) Kind() string { return "produce_card" }

// TrackMailArgs is the job that follows a posted card until delivered.
type TrackMailArgs struct {
	RequestID int64 `json:"request_id"`
}

// Kind is the job's stable name.
func (TrackMailArgs) Kind() string { return "track_mail" }

// RequestWorkers are the workers of the requests' jobs. Register them with
// AddRequestWorkers before jobs.Open, then Bind the App built over that
// queue.
type RequestWorkers struct{ app atomic.Pointer[App] }

// AddRequestWorkers adds produce_card and track_mail to ws.
func AddRequestWorkers(ws *river.Workers) *RequestWorkers {
	rw := &RequestWorkers{}
	river.AddWorker(ws, &produceCardWorker{rw: rw})
	river.AddWorker(ws, &trackMailWorker{rw: rw})
	return rw
}

// Bind gives the workers the App whose use cases they run.
func (rw *RequestWorkers) Bind(a *App) { rw.app.Store(a) }

var errUnbound = errors.New("app: requests workers not bound to an App yet")

type produceCardWorker struct {
	river.WorkerDefaults[ProduceCardArgs]
	rw *RequestWorkers
}

func (w *produceCardWorker) Work(ctx context.Context, job *river.Job[ProduceCardArgs]) error {
	a := w.rw.app.Load()
	if a == nil {
		return errUnbound
	}
	return a.ProduceCard(ctx, job.Args.RequestID)
}

type trackMailWorker struct {
	river.WorkerDefaults[TrackMailArgs]
	rw *RequestWorkers
}

func (w *trackMailWorker) Work(ctx context.Context, job *river.Job[TrackMailArgs]) error {
	a := w.rw.app.Load()
	if a == nil {
		return errUnbound
	}
	again, err := a.TrackMail(ctx, job.Args.RequestID)
	if err != nil || !again {
		return err
	}
	return river.JobSnooze(a.reqs.TrackEvery)
}

var productionActor = Request{Actor: access.SystemActor("production"), RequestID: "job"}

// ProduceCard orders the card of an accepted request (status in
// production, title number and MRZ recorded), then posts it (status sent,
// tracking number, track_mail job). It is idempotent: each step is a
// conditional change from the status before it, and a request already
// past a step skips it.
func (a *App) ProduceCard(ctx context.Context, id int64) error {
	r, err := a.store.FindRequest(ctx, id)
	if err != nil {
		return err
	}
	if r.Status == requests.StatusAccepted {
		card, err := a.maker.Order(ctx, CardOrder{Reference: r.Reference, FamilyName: r.FamilyName, GivenNames: r.GivenNames,
			BirthDate: r.BirthDate.Date, Issued: a.today()})
		if err != nil {
			return err
		}
		err = a.store.Transact(ctx, func(tx *store.Store) error {
			_, nr, err := a.transition(ctx, tx, productionActor, id, store.Transition{Event: requests.EventStartProduction,
				TitleNumber: string(card.TitleNumber), MRZ: card.MRZ}, "")
			if err != nil {
				return err
			}
			if err := a.mailStep(ctx, tx, nr, "Votre permis est en fabrication", "Votre permis est en cours de fabrication."); err != nil {
				return err
			}
			return a.auditTx(ctx, tx, productionActor, "request.start_production", "request", r.Reference)
		})
		if err != nil && !moved(err) {
			return err
		}
		if r, err = a.store.FindRequest(ctx, id); err != nil {
			return err
		}
	}
	if r.Status != requests.StatusInProduction {
		return nil // already posted (or never accepted): nothing to do
	}
	return a.ship(ctx, r, requests.EventShip)
}

// moved reports whether err says the request's status changed meanwhile:
// another run of the job did the step.
func moved(err error) bool { return apperr.Is(err, apperr.Conflict) }

// ship posts the card (again) and records it with event (ship or resend),
// a mail and the track_mail job, in one transaction.
func (a *App) ship(ctx context.Context, r store.Request, ev requests.Event) error {
	s := Shipment{Reference: r.Reference, Attempt: r.Shipments + 1, Name: r.GivenNames + " " + r.FamilyName}
	tracking, err := a.carrier.Send(ctx, s)
	if err != nil {
		return err
	}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		_, nr, err := a.transition(ctx, tx, productionActor, r.ID, store.Transition{Event: ev, TrackingNumber: tracking},
			"Lettre suivie n° "+tracking)
		if err != nil {
			return err
		}
		if a.jobs != nil {
			if _, err := a.jobs.Insert(ctx, tx, TrackMailArgs{RequestID: r.ID}, &river.InsertOpts{ScheduledAt: a.clock.Now().Add(a.reqs.TrackEvery)}); err != nil {
				return err
			}
		}
		if err := a.mailStep(ctx, tx, nr, "Votre permis vous a été envoyé",
			"Votre permis vous a été envoyé en lettre suivie n° "+tracking+", remise contre signature."); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, productionActor, "request."+string(ev), "request", r.Reference)
	})
	if moved(err) {
		return nil
	}
	return err
}

// TrackMail asks the carrier where the request's letter stands and
// records each step it has passed (held, delivered, returned, then the
// re-sending). again is true while the letter is still on its way.
func (a *App) TrackMail(ctx context.Context, id int64) (again bool, err error) {
	r, err := a.store.FindRequest(ctx, id)
	if err != nil {
		return false, err
	}
	if r.Status == requests.StatusReturned {
		return false, a.ship(ctx, r, requests.EventResend) // the new posting has its own track_mail job
	}
	if r.Status != requests.StatusSent && r.Status != requests.StatusHeld {
		return false, nil
	}
	st, err := a.carrier.Track(ctx, Shipment{Reference: r.Reference, Attempt: r.Shipments, TrackingNumber: r.TrackingNumber,
		SentAt: *r.SentAt}, a.clock.Now())
	if err != nil {
		return false, err
	}
	var steps []requests.Event
	switch {
	case st == Delivered:
		steps = []requests.Event{requests.EventDeliver}
	case st == Held && r.Status == requests.StatusSent:
		steps = []requests.Event{requests.EventHold}
	case st == Returned && r.Status == requests.StatusSent:
		steps = []requests.Event{requests.EventHold, requests.EventReturn}
	case st == Returned:
		steps = []requests.Event{requests.EventReturn}
	}
	for _, ev := range steps {
		if err := a.mailStatus(ctx, id, ev); err != nil && !moved(err) {
			return false, err
		}
	}
	if r, err = a.store.FindRequest(ctx, id); err != nil {
		return false, err
	}
	if r.Status == requests.StatusReturned {
		return false, a.ship(ctx, r, requests.EventResend)
	}
	return r.Status == requests.StatusSent || r.Status == requests.StatusHeld, nil
}

// mailStatus applies a carrier's event with its mail and audit.
func (a *App) mailStatus(ctx context.Context, id int64, ev requests.Event) error {
	return a.store.Transact(ctx, func(tx *store.Store) error {
		_, nr, err := a.transition(ctx, tx, productionActor, id, store.Transition{Event: ev, Held: ev == requests.EventHold}, "")
		if err != nil {
			return err
		}
		subject := map[requests.Event]string{
			requests.EventDeliver: "Votre permis vous a été remis",
			requests.EventHold:    "Votre permis vous attend au bureau de poste",
			requests.EventReturn:  "Votre permis est revenu au service",
		}[ev]
		body := nr.Status.NextStep(a.reqs.Rules)
		if ev == requests.EventHold {
			body = fmt.Sprintf("Vous étiez absent lors de la distribution. Retirez votre permis au bureau de poste avant le %s inclus, avec l'avis de passage et une pièce d'identité.",
				a.reqs.Rules.HeldUntil(a.today()).French())
		}
		if err := a.mailStep(ctx, tx, nr, subject, body); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, productionActor, "request."+string(ev), "request", nr.Reference)
	})
}

package app

import (
	"context"
	"time"

	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/store"
)

// SeedDemo creates the demo help points (booking.DemoHelpPoints), with
// every demo kind of appointment enabled, when there is no help point yet.
// It returns how many help points it created.
func (s *Appointments) SeedDemo(ctx context.Context) (int, error) {
	have, err := s.a.store.ListHelpPoints(ctx, store.HelpPointFilter{})
	if err != nil || len(have) > 0 {
		return 0, err
	}
	n := 0
	err = s.a.store.Transact(ctx, func(tx *store.Store) error {
		kinds := booking.DemoKinds()
		for i := range kinds {
			if err := tx.CreateKind(ctx, &kinds[i]); err != nil {
				return err
			}
		}
		for _, hp := range booking.DemoHelpPoints() {
			if err := tx.CreateHelpPoint(ctx, &hp); err != nil {
				return err
			}
			for _, k := range kinds {
				if err := tx.EnableKind(ctx, hp.ID, k.ID, true); err != nil {
					return err
				}
			}
			n++
		}
		return nil
	})
	return n, err
}

// HelpPoints lists the help points that take appointments.
func (s *Appointments) HelpPoints(ctx context.Context) ([]booking.HelpPoint, error) {
	return s.a.store.ListHelpPoints(ctx, store.HelpPointFilter{})
}

// Place returns a help point and the kinds of appointment it offers.
func (s *Appointments) Place(ctx context.Context, helpPointID int64) (booking.HelpPoint, []booking.Kind, error) {
	hp, err := s.a.store.FindHelpPoint(ctx, helpPointID)
	if err != nil {
		return hp, nil, err
	}
	ks, err := s.a.store.ListKinds(ctx, helpPointID)
	return hp, ks, err
}

// slotSearches is how many slot pages a client may load in 10 minutes: a
// person comparing weeks and places stays far below; a bot refreshing to
// catch a freed slot does not (freed slots go to the waiting list anyway).
const slotSearches = 120

// SearchSlots is Slots for the public pages, rate limited per client.
func (s *Appointments) SearchSlots(ctx context.Context, req Request, helpPointID, kindID int64, from, to date.Date) ([]booking.Slot, error) {
	if err := s.a.limit(ctx, "slots:client:"+req.Client, 10*time.Minute, slotSearches); err != nil {
		return nil, err
	}
	return s.Slots(ctx, helpPointID, kindID, from, to)
}

package app

import (
	"context"

	"permis/internal/booking"
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

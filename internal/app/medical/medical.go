// Package medical is the application side of medical fitness to drive
// (issue 13): the holder's case read from the register, the approved
// doctors' opinions and the préfet's decisions. It is built over
// app.Kernel (docs/decisions.md, "Capability packages"); the rules are
// those of the pure package internal/medical, imported here as rules.
package medical

import (
	"context"

	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/licence"
	rules "permis/internal/medical"
)

// Service holds the medical use cases.
type Service struct {
	k   app.Kernel
	a   *app.App
	cfg rules.Config
}

// New returns the medical use cases over a's kernel, with today's figures.
func New(a *app.App) *Service {
	return &Service{k: a.Kernel(), a: a, cfg: rules.DefaultConfig()}
}

// Config is the figures the service applies.
func (s *Service) Config() rules.Config { return s.cfg }

// Today is the current day in Paris, from the injected clock.
func (s *Service) Today() date.Date { return date.Today(s.k.Clock.Now()) }

// MySituation is what the signed-in holder's register entry says for the
// medical check: the measure in force, the heavy categories' medical
// validity. Its errors are app.MyLicence's (forbidden for an unconfirmed
// account, not found when no licence is linked).
func (s *Service) MySituation(ctx context.Context, req app.Request) (rules.Situation, error) {
	lv, err := s.a.MyLicence(ctx, req)
	if err != nil {
		return rules.Situation{}, err
	}
	l := licence.Licence{State: lv.State, StateSince: lv.StateSince, StateUntil: lv.StateUntil}
	for _, c := range lv.Categories {
		l.Categories = append(l.Categories, licence.CategoryEntry{Category: c.Category, Obtained: c.Obtained, ValidUntil: c.ValidUntil, MedicalUntil: c.MedicalUntil})
	}
	return rules.FromRegister(l), nil
}

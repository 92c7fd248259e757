package app

import (
	"context"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/ephoto"
)

// PhotographerCodesShown is how many recent captures a photographer's page
// lists.
const PhotographerCodesShown = 20

// PhotographerSpace is what an approved photographer's own page shows: the
// approval number its captures are recorded under (empty when the account
// has none yet: it cannot capture) and its latest captures, newest first.
// Only the code's last characters are kept (REFERENCE §7).
type PhotographerSpace struct {
	Name           string
	ApprovalNumber string
	Codes          []ephoto.Capture
}

// PhotographerSpace returns the signed-in photographer's page.
func (a *App) PhotographerSpace(ctx context.Context, req Request) (PhotographerSpace, error) {
	if req.Actor.Role != access.Photographer {
		return PhotographerSpace{}, apperr.New(apperr.Forbidden, "Cette page est réservée aux photographes et cabines agréés.")
	}
	id, err := userIDOf(req.Actor)
	if err != nil {
		return PhotographerSpace{}, err
	}
	u, err := a.store.FindUser(ctx, id)
	if err != nil {
		return PhotographerSpace{}, err
	}
	cs, err := a.store.ListEPhotoCodes(ctx, u.ID, PhotographerCodesShown)
	if err != nil {
		return PhotographerSpace{}, err
	}
	return PhotographerSpace{Name: accountOf(u).Name(), ApprovalNumber: u.ApprovalNumber, Codes: cs}, nil
}

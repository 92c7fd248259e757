package app

import (
	"context"
	"strings"
)

// MySite returns the id of the help point where the signed-in agent works:
// the one whose name is the organisation of their account (permis user
// create --organisation "France Services de Lodève"). ok is false when the
// account names none; the agenda then opens on the first help point.
func (s *Appointments) MySite(ctx context.Context, req Request) (id int64, ok bool) {
	uid, err := userIDOf(req.Actor)
	if err != nil {
		return 0, false
	}
	u, err := s.a.store.FindUser(ctx, uid)
	if err != nil || strings.TrimSpace(u.Organisation) == "" {
		return 0, false
	}
	pts, err := s.HelpPoints(ctx)
	if err != nil {
		return 0, false
	}
	for _, p := range pts {
		if strings.EqualFold(strings.TrimSpace(p.Name), strings.TrimSpace(u.Organisation)) {
			return p.ID, true
		}
	}
	return 0, false
}

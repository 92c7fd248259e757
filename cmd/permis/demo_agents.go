package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/oidcdemo"
	"permis/internal/store"
)

// demoAgentRoles are the roles of the demonstration agents who sign in with
// the built-in ProConnect (oidcdemo.DemoAgents, in that order); the last
// demonstration agent has no account, to show the refusal.
var demoAgentRoles = []access.Role{access.Agent, access.Helpdesk, access.Prosecutor, access.Admin}

// ensureDemoAgents creates, in demo mode, the accounts of the demonstration
// agents whose addresses the built-in ProConnect vouches for, as an
// administrator would (ProConnect itself never creates one). Idempotent.
// Their passwords are random and shown nowhere: they sign in through
// ProConnect.
func ensureDemoAgents(ctx context.Context, s *store.Store, a *app.App, logger *slog.Logger) error {
	agents := oidcdemo.DemoAgents()
	for i, r := range demoAgentRoles {
		ag := agents[i]
		if _, err := s.FindUserByEmail(ctx, ag.Email); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		if _, err := a.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("demo")}, app.StaffAccount{
			Role: r, Email: ag.Email, Password: rand.Text(), GivenName: ag.GivenName, FamilyName: ag.FamilyName,
			Organisation: "Démonstration",
		}); err != nil && !apperr.Is(err, apperr.Conflict) {
			return fmt.Errorf("compte d'agent de démonstration %s : %w", ag.Email, err)
		}
		logger.Info("compte d'agent de démonstration créé (connexion par ProConnect de démonstration)", "adresse", ag.Email, "rôle", string(r))
	}
	return nil
}

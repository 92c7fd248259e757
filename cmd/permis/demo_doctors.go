package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/store"
)

// demoDoctor is an approved doctor of the demonstration: one whose
// approval is valid, one whose approval lapsed (the portal refuses her).
type demoDoctor struct {
	email, given, family, approval string
	untilYears                     int  // approval's end, in years from today (negative: lapsed)
	commission                     bool // sits in the commission médicale
}

func demoDoctors() []demoDoctor {
	return []demoDoctor{
		{"docteur.agree@medecin.test", "Sophie", "Durand", "MA-34-2021-0042", 3, true},
		{"docteur.commission@medecin.test", "Malik", "Benali", "MA-34-2022-0108", 4, true},
		{"docteur.perime@medecin.test", "Paul", "Ancien", "MA-34-2015-0007", -1, false},
	}
}

// ensureDemoDoctors creates, in demo mode, the approved doctors' accounts
// with their approvals (issue 13), as the préfecture would, and the
// commission médicale's place in the booking system. Idempotent.
// Doctors sign in with a password: each new account's password is written
// once in the log, for the demonstration only.
func ensureDemoDoctors(ctx context.Context, s *store.Store, a *app.App, logger *slog.Logger) error {
	if err := medicalapp.New(a).SeedCommission(ctx); err != nil {
		return fmt.Errorf("commission médicale de démonstration : %w", err)
	}
	today := date.Today(time.Now())
	for _, d := range demoDoctors() {
		if _, err := s.FindUserByEmail(ctx, d.email); err == nil {
			continue
		} else if !apperr.Is(err, apperr.NotFound) {
			return err
		}
		password := rand.Text()
		id, err := a.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("demo")}, app.StaffAccount{
			Role: access.Doctor, Email: d.email, Password: password, GivenName: d.given, FamilyName: d.family,
			Organisation: "Cabinet de démonstration, Montpellier", ApprovalNumber: d.approval,
		})
		if err != nil {
			if apperr.Is(err, apperr.Conflict) {
				continue
			}
			return fmt.Errorf("compte de médecin de démonstration %s : %w", d.email, err)
		}
		until := today.AddYears(d.untilYears)
		if err := s.PutDoctorApproval(ctx, store.DoctorApproval{UserID: id, ApprovalNumber: d.approval,
			ValidFrom: until.AddYears(-5), ValidUntil: until, Departement: "34", CommissionMember: d.commission}); err != nil {
			return err
		}
		logger.Info("compte de médecin agréé de démonstration créé", "adresse", d.email, "mot de passe", password,
			"agrément", d.approval, "valable jusqu'au", until.French())
	}
	return nil
}

package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/licence"
	"permis/internal/store"
)

// ensureDemoFines gives the demo citizen Jean-Pierre Lefèvre ("twelve")
// notices of contravention, once: one to pay, contest or designate, and
// one for a car he had sold before the offence, already contested, in the
// OMP's queue (the prosecutor's pages); and a company's notice whose
// driver is still to be designate. Idempotent: nothing is added when he
// already has notices.
func ensureDemoFines(ctx context.Context, s *store.Store, a *app.App, logger *slog.Logger) error {
	var neph licence.NEPH
	for _, p := range demo.DemoPeople() {
		if p.Key == "twelve" {
			neph = p.NEPH
		}
	}
	l, err := s.FindLicenceByNEPH(ctx, neph)
	if err != nil {
		return nil // a register without the demo people: nothing to add
	}
	if ns, err := s.ListNoticesOfLicence(ctx, l.ID); err != nil || len(ns) > 0 {
		return err
	}
	p, err := s.FindPerson(ctx, l.PersonID)
	if err != nil {
		return err
	}
	today := date.Today(time.Now())
	holder := store.NoticeHolder{Kind: contest.Person, Name: p.FamilyName, GivenNames: p.GivenNames[0],
		Address: "8 rue de l'Aiguillerie, 34000 Montpellier", Email: p.Email, LicenceID: l.ID}
	notices := []store.Notice{
		{Plate: "FG-482-LM", Committed: today.AddDays(-9), Place: "A9, Saint-Jean-de-Védas (34)",
			Nature: "Excès de vitesse inférieur à 20 km/h (vitesse limitée à plus de 50 km/h)", Class: "3",
			Reduced: 45, Fine: 68, Increased: 180, Points: 1, Sent: today.AddDays(-4)},
		{Plate: "DK-217-PR", Committed: today.AddDays(-20), Place: "Avenue de la Liberté, Montpellier (34)",
			Nature: "Franchissement d'un feu rouge", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 4,
			Sent: today.AddDays(-15)},
	}
	svc := fines.New(a.Kernel(), fines.DefaultConfig())
	sys := app.Request{Actor: access.SystemActor("demo")}
	for i := range notices {
		n := &notices[i]
		n.Number, n.Kind, n.Mail, n.Holder = fines.NewNoticeNumber(), contest.ACO, contest.Ordinary, holder
		if err := s.CreateNotice(ctx, n); err != nil {
			return fmt.Errorf("avis de démonstration : %w", err)
		}
		logger.Info("avis de contravention de démonstration", "numéro", n.Number, "immatriculation", n.Plate, "titulaire", p.FamilyName)
	}
	// The sold car: the sale was declared and registered before the offence.
	if _, err := svc.Contest(ctx, sys, fines.ContestInput{Number: notices[1].Number, Plate: notices[1].Plate,
		Ground: contest.Sold, Email: p.Email, Reasons: "Véhicule vendu le " + today.AddDays(-40).French() + ", cession enregistrée.",
		Documents: []fines.DocumentInput{{Kind: contest.SaleDeclaration}, {Kind: contest.SaleAcknowledgement}}}, "/"); err != nil {
		return fmt.Errorf("contestation de démonstration : %w", err)
	}
	co := store.Notice{Number: fines.NewNoticeNumber(), Plate: "GT-903-AZ", Kind: contest.ACO, Committed: today.AddDays(-12),
		Place: "Boulevard de Strasbourg, Montpellier (34)", Nature: "Usage d'un téléphone tenu en main en conduisant",
		Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 3, Sent: today.AddDays(-6), Mail: contest.Ordinary,
		Holder: store.NoticeHolder{Kind: contest.Company, Name: "Lefèvre Livraisons SARL", SIREN: "552100554",
			Address: "12 rue du Faubourg Figuerolles, 34070 Montpellier", Email: p.Email}}
	if err := s.CreateNotice(ctx, &co); err != nil {
		return fmt.Errorf("avis de démonstration : %w", err)
	}
	logger.Info("avis de contravention de démonstration (société)", "numéro", co.Number, "immatriculation", co.Plate)
	return nil
}

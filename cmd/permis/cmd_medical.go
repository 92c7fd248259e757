package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/medical"
	"permis/internal/store"
)

// cmdMedicalRoute is the public medical contract (docs/medical-route.md):
// one JSON document in, one out; bad input exits 2 with one line on stderr
// and nothing on stdout.
func cmdMedicalRoute(_ context.Context, e *env, args []string) error {
	return runContract(e, "medical route", "Usage : permis medical route [FICHIER|-]\n\nLit un document JSON (une mesure, l'avis médical précédent, une date) et écrit en JSON\nsi un contrôle médical est requis, qui examine (commission médicale ou médecin agréé), si un\ntest psychotechnique le précède et son prix : contrat public décrit dans docs/medical-route.md.\nEntrée invalide : code 2.\n", args,
		func(in io.Reader, out io.Writer) error {
			q, err := medical.Decode(in)
			if err != nil {
				return err
			}
			return medical.Encode(out, medical.Decide(medical.DefaultConfig(), q.Measure, q.Previous, q.At))
		})
}

// cmdMedicalRemind mails the holders of heavy categories whose medical
// validity ends within 3 months (issue 13), once per end date. Run it once
// a day, like `permis points reevaluate` (docs/operations.md).
func cmdMedicalRemind(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("medical remind", flag.ContinueOnError)
	c := addCommon(fs, e)
	public := fs.String("public-url", e.getenv("PERMIS_PUBLIC_URL"), "adresse publique du service, pour le lien des courriels (PERMIS_PUBLIC_URL)")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if *public == "" {
		return usageErr("--public-url est obligatoire : le courriel donne le lien de la demande de renouvellement")
	}
	ss, err := c.open(ctx, e, store.Options{}, func(cfg *app.Config) error { cfg.PublicURL = strings.TrimSuffix(*public, "/"); return nil })
	if err != nil {
		return err
	}
	defer ss.close()
	sum, err := medicalapp.New(ss.app).Remind(ctx, app.Request{Actor: access.SystemActor("medical-remind")})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Rappels de visite médicale : %d permis concernés, %d courriels envoyés, %d sans adresse.\n", sum.Due, sum.Sent, sum.NoAddress)
	return nil
}

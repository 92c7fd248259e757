package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/directory"
	"permis/internal/store"
)

const demoHelp = `Usage : permis demo [options]

Construit un registre synthétique réaliste (personnes, permis, catégories,
titres, infractions, stages) dans une base vide, pour la démonstration, les
tests et les mesures. Avec --offences-file, écrit aussi un fichier NDJSON de
nouvelles infractions constatées pour ce registre (import : permis import
offences FICHIER).

Options :
`

// cmdDemo builds a synthetic register and, optionally, an offences file.
func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	c := addCommon(fs, e)
	n := fs.Int("licences", 10000, "nombre de permis (et de titulaires)")
	seed := fs.Uint64("seed", 1, "graine : même graine, même registre")
	today := fs.String("today", "", "date de référence AAAA-MM-JJ (par défaut : aujourd'hui)")
	offFile := fs.String("offences-file", "", "écrire aussi un fichier NDJSON de nouvelles infractions")
	offN := fs.Int("offences", 100000, "nombre de lignes du fichier d'infractions")
	offStart := fs.Int("offences-start", 0, "rang du premier événement du fichier (des rangs disjoints donnent des identifiants disjoints)")
	bad := fs.Float64("bad-fraction", 0, "part de lignes volontairement fautives dans le fichier (0 à 1)")
	skipLoad := fs.Bool("file-only", false, "n'écrire que le fichier d'infractions (le registre existe déjà)")
	fs.Usage = func() { fmt.Fprint(e.stderr, demoHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	ref := date.Today(time.Now())
	if *today != "" {
		d, err := date.Parse(*today)
		if err != nil {
			return usageErr("--today : " + err.Error())
		}
		ref = d
	}
	gen, err := demo.New(demo.Config{Seed: *seed, Licences: *n, Today: ref})
	if err != nil {
		return usageErr(err.Error())
	}
	if !*skipLoad {
		ss, err := c.open(ctx, e, store.Options{WriteCacheKiB: store.BulkWriteCacheKiB})
		if err != nil {
			return err
		}
		defer ss.close()
		count, err := ss.store.CountLicences(ctx)
		if err != nil {
			return err
		}
		if count > 0 {
			return inputErr(fmt.Sprintf("la base %s contient déjà %d permis : le registre synthétique se construit dans une base vide", c.describe(), count))
		}
		start := time.Now()
		if err := loadRegister(ctx, ss.app, gen, e.stderr, isTerminal(e.stderr), ss.logger); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Registre synthétique : %d permis chargés dans %s en %s.\n", *n, c.describe(), time.Since(start).Round(time.Millisecond))
	}
	if *offFile != "" {
		f, err := os.Create(*offFile)
		if err != nil {
			return err
		}
		w := bufio.NewWriterSize(f, 1<<20)
		sum, err := demo.WriteOffencesNDJSON(w, *seed, gen, *offN, demo.FileOptions{Start: *offStart, BadFraction: *bad})
		if err == nil {
			err = w.Flush()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Fichier d'infractions : %s (%d lignes).\n", *offFile, sum.Rows)
	}
	return nil
}

// loadRegister streams a generated register into the store, with progress
// on a terminal (or a log line every 10 s elsewhere).
func loadRegister(ctx context.Context, a *app.App, gen *demo.Generator, progress io.Writer, tty bool, logger *slog.Logger) error {
	last := time.Now()
	return a.LoadRegister(ctx, gen, func(done, total int) {
		switch {
		case tty && (time.Since(last) > 200*time.Millisecond || done == total):
			fmt.Fprintf(progress, "\rRegistre synthétique : %d / %d permis (%d %%)", done, total, done*100/total)
			if done == total {
				fmt.Fprintln(progress)
			}
			last = time.Now()
		case !tty && time.Since(last) > 10*time.Second:
			logger.Info("registre synthétique", "chargés", done, "total", total)
			last = time.Now()
		}
	})
}

// loadDemoIfEmpty loads the demo register on the first start of an empty
// database, and lists the demo people.
func loadDemoIfEmpty(ctx context.Context, s *store.Store, a *app.App, n int, logger *slog.Logger) error {
	// The demo directory (help points, photographers, doctors) is loaded
	// at every start: the load is idempotent and brings an older demo
	// database up to date.
	seeded, err := directory.LoadSeed(ctx, s)
	if err != nil {
		return fmt.Errorf("annuaire de démonstration : %w", err)
	}
	if seeded.Inserted+seeded.Updated > 0 {
		logger.Info("annuaire de démonstration chargé", "nouveaux", seeded.Inserted, "mis à jour", seeded.Updated)
	}
	if n, err := a.Appointments(booking.Config{}).SeedDemo(ctx); err != nil {
		return fmt.Errorf("points d'accueil de démonstration : %w", err)
	} else if n > 0 {
		logger.Info("points d'accueil de démonstration créés", "n", n)
	}
	if err := ensureDemoAgents(ctx, s, a, logger); err != nil {
		return err
	}
	if err := ensureDemoDoctors(ctx, s, a, logger); err != nil {
		return err
	}
	if err := ensureDemoExamCentres(ctx, s, logger); err != nil {
		return err
	}
	count, err := s.CountLicences(ctx)
	if err != nil {
		return err
	}
	if count > 0 {
		return ensureDemoFines(ctx, s, a, logger)
	}
	gen, err := demo.New(demo.Config{Seed: 1, Licences: n, Today: date.Today(time.Now())})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := loadRegister(ctx, a, gen, io.Discard, false, logger); err != nil {
		if apperr.Is(err, apperr.Conflict) {
			// Another instance started on the same empty database loaded them.
			logger.Info("données de démonstration déjà chargées par une autre instance")
			return nil
		}
		return fmt.Errorf("chargement des données de démonstration : %w", err)
	}
	logger.Info("données de démonstration chargées", "permis", n, "durée", time.Since(start).Round(time.Millisecond))
	if err := ensureDemoFines(ctx, s, a, logger); err != nil {
		return err
	}
	for _, p := range demo.DemoPeople() {
		logger.Info("personne de démonstration", "nom", p.Name, "neph", p.NEPH, "situation", p.Situation)
	}
	return nil
}

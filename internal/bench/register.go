package bench

import (
	"context"
	"fmt"
	"time"

	"permis/internal/date"
	"permis/internal/demo"
	"permis/internal/licence"
	"permis/internal/store"
)

// registerSeed is the demo generator's seed for the benchmark register.
const registerSeed = 1

// ensureRegister reuses a register of exactly cfg.Licences licences, or
// builds one in an empty database, or completes one whose build was
// interrupted (fewer licences than asked: the generator's records do not
// depend on each other, and each batch was one transaction), and says which.
// A completed build's reference day is the day it resumed on.
func (b *bench) ensureRegister(ctx context.Context) (string, error) {
	count, err := b.store.CountLicences(ctx)
	if err != nil {
		return "", err
	}
	n := b.cfg.Licences
	switch {
	case count == int64(n):
		return fmt.Sprintf("Registre : %s permis déjà présents dans %s, réutilisés.\n", frenchNumber(float64(n)), b.cfg.Describe), nil
	case count > int64(n):
		return "", fmt.Errorf("la base %s contient %d permis, plus que %d : videz-la ou choisissez un autre --data/--database", b.cfg.Describe, count, n)
	}
	gen, err := demo.New(demo.Config{Seed: registerSeed, Licences: n, Today: date.Today(time.Now())})
	if err != nil {
		return "", err
	}
	start := time.Now()
	if err := b.loadRegister(ctx, gen, int(count)); err != nil {
		return "", fmt.Errorf("construction du registre (relancez la même commande pour la reprendre) : %w", err)
	}
	resumed := ""
	if count > 0 {
		resumed = fmt.Sprintf(", reprise après %s permis déjà chargés", frenchNumber(float64(count)))
	}
	return fmt.Sprintf("Registre : %s permis synthétiques (graine %d) construits dans %s en %s (demo + store.BulkLoad%s).\n",
		frenchNumber(float64(n)), registerSeed, b.cfg.Describe, seconds(time.Since(start)), resumed), nil
}

// loadBatch is the number of licences of one BulkLoad transaction.
const loadBatch = 5000

// loadRegister streams the generated register from record from on into the
// store, as `permis demo` does (app.LoadRegister), one transaction a batch.
func (b *bench) loadRegister(ctx context.Context, gen *demo.Generator, from int) error {
	last := time.Now()
	batch := make([]store.BulkLicence, 0, loadBatch)
	done, total := from, gen.Len()
	err := gen.GenerateFrom(from, loadBatch, func(recs []demo.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range recs {
			l := store.BulkLicence{Person: r.Person, Licence: r.Licence, Titles: []licence.Title{r.Title}, Courses: r.Courses}
			for _, o := range r.Offences {
				l.Offences = append(l.Offences, o.Offence)
			}
			batch = append(batch, l)
		}
		if err := b.store.BulkLoad(ctx, batch); err != nil {
			return err
		}
		done += len(recs)
		if time.Since(last) > b.progressEvery() {
			b.progressf("Registre synthétique : %d / %d permis (%d %%)", done, total, done*100/total)
			last = time.Now()
		}
		return nil
	})
	b.progressDone()
	return err
}

// progressEvery is how often progress is reported: often on a terminal,
// where the line is redrawn, seldom in a log.
func (b *bench) progressEvery() time.Duration {
	if b.cfg.IsTerminal {
		return 200 * time.Millisecond
	}
	return 10 * time.Second
}

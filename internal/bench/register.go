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
// builds one in an empty database, and says which.
func (b *bench) ensureRegister(ctx context.Context) (string, error) {
	count, err := b.store.CountLicences(ctx)
	if err != nil {
		return "", err
	}
	n := b.cfg.Licences
	switch {
	case count == int64(n):
		return fmt.Sprintf("Registre : %s permis déjà présents dans %s, réutilisés.\n", frenchNumber(float64(n)), b.cfg.Describe), nil
	case count != 0:
		return "", fmt.Errorf("la base %s contient %d permis, pas %d : videz-la ou choisissez un autre --data/--database", b.cfg.Describe, count, n)
	}
	gen, err := demo.New(demo.Config{Seed: registerSeed, Licences: n, Today: date.Today(time.Now())})
	if err != nil {
		return "", err
	}
	start := time.Now()
	if err := b.loadRegister(ctx, gen); err != nil {
		return "", fmt.Errorf("construction du registre : %w", err)
	}
	return fmt.Sprintf("Registre : %s permis synthétiques (graine %d) construits dans %s en %s (demo + store.BulkLoad).\n",
		frenchNumber(float64(n)), registerSeed, b.cfg.Describe, seconds(time.Since(start))), nil
}

// loadRegister streams the generated register into the store in batches,
// as `permis demo` does.
func (b *bench) loadRegister(ctx context.Context, gen *demo.Generator) error {
	const batchSize = 5000
	batch := make([]store.BulkLicence, 0, batchSize)
	done, total := 0, gen.Len()
	last := time.Now()
	err := gen.Generate(batchSize, func(recs []demo.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range recs {
			bl := store.BulkLicence{Person: r.Person, Licence: r.Licence, Titles: []licence.Title{r.Title}, Courses: r.Courses}
			for _, o := range r.Offences {
				bl.Offences = append(bl.Offences, o.Offence)
			}
			batch = append(batch, bl)
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

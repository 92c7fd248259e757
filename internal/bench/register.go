package bench

import (
	"context"
	"fmt"
	"time"

	"permis/internal/date"
	"permis/internal/demo"
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

// loadRegister streams the generated register into the store, as
// `permis demo` does.
func (b *bench) loadRegister(ctx context.Context, gen *demo.Generator) error {
	last := time.Now()
	err := b.app.LoadRegister(ctx, gen, func(done, total int) {
		if time.Since(last) > b.progressEvery() {
			b.progressf("Registre synthétique : %d / %d permis (%d %%)", done, total, done*100/total)
			last = time.Now()
		}
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

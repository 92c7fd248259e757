package app

import (
	"context"

	"permis/internal/demo"
	"permis/internal/licence"
	"permis/internal/store"
)

// LoadRegister streams a generated synthetic register into the store in
// batches of BulkLoad (the demo data of a first start, `permis demo`, the
// benchmarks' register). progress, when not nil, is told the licences done
// after each batch.
func (a *App) LoadRegister(ctx context.Context, gen *demo.Generator, progress func(done, total int)) error {
	const batchSize = 5000
	batch := make([]store.BulkLicence, 0, batchSize)
	done, total := 0, gen.Len()
	return gen.Generate(batchSize, func(recs []demo.Record) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range recs {
			b := store.BulkLicence{Person: r.Person, Licence: r.Licence, Titles: []licence.Title{r.Title}, Courses: r.Courses}
			for _, o := range r.Offences {
				b.Offences = append(b.Offences, o.Offence)
			}
			batch = append(batch, b)
		}
		if err := a.store.BulkLoad(ctx, batch); err != nil {
			return err
		}
		done += len(recs)
		if progress != nil {
			progress(done, total)
		}
		return nil
	})
}

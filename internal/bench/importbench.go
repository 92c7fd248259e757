package bench

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"permis/internal/demo"
	"permis/internal/ingest"
)

// nationalYear is the withdrawals of a year in France: the size the import
// must take in under ten minutes.
const nationalYear = 15_000_000

// importSerialBase mirrors the demo generator's first import-file serial:
// a file written from rank Start has event ids PV + 12 digits from
// importSerialBase + 2·Start, up to importSerialBase + 2·(Start+count).
const importSerialBase = 500_000_000_000

func eventIDBound(rank int) string { return fmt.Sprintf("PV%012d", importSerialBase+2*rank) }

// importRun is one pass of the import benchmark: seconds of each side.
type importRun struct {
	rows             int
	baseline, ours   time.Duration
	baseCPU, oursCPU time.Duration // CPU time of this process during each side
}

// importBench measures ingest.Import against the bare insert of the same
// rows, alternating which goes first, on a fresh file (fresh event ids) per
// run. The register is left as it was: the imported events are deleted
// after each run, the scratch table dropped.
func (b *bench) importBench(ctx context.Context) (Section, error) {
	if err := os.MkdirAll(b.cfg.WorkDir, 0o750); err != nil {
		return Section{}, err
	}
	var runs []importRun
	for r := range b.cfg.Runs {
		run, err := b.importOnce(ctx, r)
		if err != nil {
			return Section{}, err
		}
		runs = append(runs, run)
	}
	return importSection(runs, b.bare.postgres), nil
}

func (b *bench) importOnce(ctx context.Context, r int) (importRun, error) {
	start := (r + 1) * 100_000_000
	path := filepath.Join(b.cfg.WorkDir, "offences-bench-"+strconv.Itoa(r)+".ndjson")
	defer os.Remove(path)
	b.progressf("import, passe %d/%d : écriture du fichier de %d infractions", r+1, b.cfg.Runs, b.cfg.Offences)
	if err := writeOffences(path, b.index, b.cfg.Offences, start); err != nil {
		return importRun{}, err
	}
	// Leftovers of an interrupted earlier run would turn inserts into no-ops.
	if err := b.deleteImported(ctx, start); err != nil {
		return importRun{}, err
	}
	run := importRun{}
	baseline := func() error {
		b.progressf("import, passe %d/%d : témoin (driver nu)", r+1, b.cfg.Runs)
		d, cpu, n, err := b.baselineImport(ctx, path)
		run.baseline, run.baseCPU, run.rows = d, cpu, n
		return err
	}
	ours := func() error {
		b.progressf("import, passe %d/%d : permis (ingest.Import)", r+1, b.cfg.Runs)
		d, cpu, err := b.oursImport(ctx, path)
		run.ours, run.oursCPU = d, cpu
		return err
	}
	if err := alternate(r, baseline, ours); err != nil {
		b.progressDone()
		return importRun{}, err
	}
	b.progressDone()
	return run, b.deleteImported(ctx, start)
}

func writeOffences(path string, src demo.LicenceSource, count, start int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	_, err = demo.WriteOffencesNDJSON(w, registerSeed, src, count, demo.FileOptions{Start: start})
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// baselineImport parses the file and creates the scratch table untimed, then
// times the bare insert; it returns the duration, the CPU time and the rows
// inserted.
func (b *bench) baselineImport(ctx context.Context, path string) (time.Duration, time.Duration, int, error) {
	rows, err := readRowsFile(path, b.index.idOf)
	if err != nil {
		return 0, 0, 0, err
	}
	if err := b.bare.createScratch(ctx); err != nil {
		return 0, 0, 0, err
	}
	defer b.bare.dropScratch(context.WithoutCancel(ctx))
	cpu := cpuTime()
	d, err := b.bare.insertBare(ctx, rows)
	cpu = cpuTime() - cpu
	if err != nil {
		return 0, 0, 0, err
	}
	n := len(rows)
	rows = nil
	runtime.GC() // the parsed rows must not weigh on the next measure
	got, err := b.bare.countScratch(ctx)
	if err == nil && got != n {
		err = fmt.Errorf("témoin : %d lignes écrites, %d attendues", got, n)
	}
	return d, cpu, n, err
}

// oursImport times ingest.Import of the file through the real store: parse,
// NEPH resolution and idempotent insert.
func (b *bench) oursImport(ctx context.Context, path string) (time.Duration, time.Duration, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	start, cpu := time.Now(), cpuTime()
	sum, err := ingest.Import(ctx, f, b.store, ingest.Options{})
	d, cpu := time.Since(start), cpuTime()-cpu
	if err != nil {
		return 0, 0, err
	}
	if sum.Inserted != sum.Records || sum.Records != b.cfg.Offences {
		return 0, 0, fmt.Errorf("import : %d lignes lues, %d enregistrées, %d attendues (%s)", sum.Records, sum.Inserted, b.cfg.Offences, sum.String())
	}
	return d, cpu, nil
}

// deleteImported removes the events of the file written from rank start.
func (b *bench) deleteImported(ctx context.Context, start int) error {
	_, err := b.bare.write.ExecContext(ctx, b.bare.q(`DELETE FROM point_events WHERE event_id >= ? AND event_id < ?`),
		eventIDBound(start), eventIDBound(start+b.cfg.Offences))
	return err
}

// perItem is microseconds per item.
func perItem(d time.Duration, n int) float64 {
	if n <= 0 {
		return 0
	}
	return float64(d.Microseconds()) / float64(n)
}

// micros formats microseconds with one decimal.
func micros(us float64) string { return strconv.FormatFloat(us, 'f', 1, 64) }

func rowsPerSecond(rows int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(rows) / d.Seconds()
}

func importSection(runs []importRun, postgres bool) Section {
	t := Table{Header: []string{"passe", "lignes", "témoin : driver nu (lignes/s)", "permis : ingest.Import (lignes/s)", "rapport",
		"témoin (µs CPU/ligne)", "permis (µs CPU/ligne)"}}
	var base, ours, ratios, baseCPU, oursCPU []float64
	for i, r := range runs {
		bs, us := rowsPerSecond(r.rows, r.baseline), rowsPerSecond(r.rows, r.ours)
		bc, uc := perItem(r.baseCPU, r.rows), perItem(r.oursCPU, r.rows)
		base, ours = append(base, bs), append(ours, us)
		baseCPU, oursCPU = append(baseCPU, bc), append(oursCPU, uc)
		ratios = append(ratios, us/bs)
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), frenchNumber(float64(r.rows)), frenchNumber(bs), frenchNumber(us), percent(us / bs),
			micros(bc), micros(uc)})
	}
	mb, mo := Median(base), Median(ours)
	t.Rows = append(t.Rows, []string{"**médiane**", "", "**" + frenchNumber(mb) + "**", "**" + frenchNumber(mo) + "**", "**" + percent(Median(ratios)) + "**",
		"**" + micros(Median(baseCPU)) + "**", "**" + micros(Median(oursCPU)) + "**"})
	engine, driver := "SQLite", "database/sql + modernc, INSERT préparé ligne à ligne"
	if postgres {
		engine, driver = "PostgreSQL", "pgx, pgx.Batch d'INSERT préparés"
	}
	notes := []string{
		fmt.Sprintf("Témoin : les mêmes lignes, analysées et rattachées à leur permis hors chronomètre, insérées par transactions de %s dans une copie de point_events (mêmes clé primaire, index et clé étrangère) ; %s. Permis : `ingest.Import` du fichier entier (analyse, contrôle, résolution du NEPH, insertion idempotente), par fenêtres de %s lignes envoyées dans l'ordre des permis, par lots de %s. Objectif : au moins 50 %% du témoin.", frenchNumber(bareBatch), driver, frenchNumber(ingest.DefaultWindowRows), frenchNumber(ingest.DefaultBatchSize)),
		fmt.Sprintf("Projection pour une année nationale (%s retraits) sur %s : **%s** (objectif sur SQLite : moins de 10 min). Mesure réelle : `--only import --offences 15000000 --runs 1`.",
			frenchNumber(nationalYear), engine, projected(mo)),
	}
	return Section{Title: "Import des infractions (" + engine + ")", Table: t, Notes: notes}
}

// projected is the time to import a national year at rate rows per second.
func projected(rate float64) string {
	if rate <= 0 {
		return "?"
	}
	d := time.Duration(float64(nationalYear) / rate * float64(time.Second))
	return fmt.Sprintf("%d min %02d s", int(d.Minutes()), int(d.Seconds())%60)
}

// alternate runs baseline and ours, baseline first on even runs and ours
// first on odd ones, so that neither side always profits from a warm cache.
func alternate(run int, baseline, ours func() error) error {
	order := []func() error{baseline, ours}
	if run%2 == 1 {
		order = []func() error{ours, baseline}
	}
	for _, fn := range order {
		if err := fn(); err != nil {
			return err
		}
	}
	return nil
}

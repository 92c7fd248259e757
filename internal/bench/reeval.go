package bench

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"time"

	"permis/internal/date"
)

// reevalRun is one pass of the re-evaluation benchmark.
type reevalRun struct {
	licences         int
	baseline, ours   time.Duration
	baseCPU, oursCPU time.Duration // CPU time of this process during each side
}

// reevaluateBench times app.Reevaluate (read, replay, snapshot upserts)
// against a bare read of the same licences and ledger rows, alternating
// which goes first.
func (b *bench) reevaluateBench(ctx context.Context) (Section, error) {
	var runs []reevalRun
	for r := range b.cfg.Runs {
		var run reevalRun
		baseline := func() error {
			b.progressf("réévaluation, passe %d/%d : témoin (lecture nue)", r+1, b.cfg.Runs)
			start, cpu := time.Now(), cpuTime()
			n, err := b.bare.readLedgers(ctx)
			run.baseline, run.baseCPU, run.licences = time.Since(start), cpuTime()-cpu, n
			return err
		}
		ours := func() error {
			b.progressf("réévaluation, passe %d/%d : permis (app.Reevaluate)", r+1, b.cfg.Runs)
			start, cpu := time.Now(), cpuTime()
			sum, err := b.app.Reevaluate(ctx, true, nil)
			run.ours, run.oursCPU = time.Since(start), cpuTime()-cpu
			if err == nil && sum.Refused > 0 {
				err = fmt.Errorf("%d relevés refusés", sum.Refused)
			}
			return err
		}
		if err := alternate(r, baseline, ours); err != nil {
			b.progressDone()
			return Section{}, err
		}
		runs = append(runs, run)
	}
	b.progressDone()
	return reevalSection(runs), nil
}

// readLedgers is the baseline: every licence with its ledger rows, in
// licence order, one query through the bare driver, each row scanned into
// plain values; no replay, no write. It returns the licences read.
func (b *bareDB) readLedgers(ctx context.Context) (int, error) {
	rows, err := b.read.QueryContext(ctx, `SELECT l.id, l.obtained, l.probation, l.complementary_training,
		e.event_id, e.kind, e.committed, e.established, e.points, e.class, e.occasion
		FROM licences l LEFT JOIN point_events e ON e.licence_id = l.id ORDER BY l.id`)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var (
		n, last            int
		id                 int64
		obtained           date.Date
		probation          string
		training           date.Null
		event, kind, class sql.NullString
		occasion           sql.NullString
		committed, establ  date.Null
		points             sql.NullInt64
	)
	for rows.Next() {
		if err := rows.Scan(&id, &obtained, &probation, &training, &event, &kind, &committed, &establ, &points, &class, &occasion); err != nil {
			return 0, err
		}
		if int(id) != last {
			n++
			last = int(id)
		}
	}
	return n, rows.Err()
}

func reevalSection(runs []reevalRun) Section {
	t := Table{Header: []string{"passe", "permis", "témoin : lecture nue (s)", "permis : app.Reevaluate (s)", "permis/s", "rapport de durée",
		"témoin (µs CPU/permis)", "permis (µs CPU/permis)"}}
	var base, ours, rates, baseCPU, oursCPU []float64
	for i, r := range runs {
		base, ours = append(base, r.baseline.Seconds()), append(ours, r.ours.Seconds())
		rate := rowsPerSecond(r.licences, r.ours)
		rates = append(rates, rate)
		bc, uc := perItem(r.baseCPU, r.licences), perItem(r.oursCPU, r.licences)
		baseCPU, oursCPU = append(baseCPU, bc), append(oursCPU, uc)
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), frenchNumber(float64(r.licences)), seconds(r.baseline), seconds(r.ours),
			frenchNumber(rate), fmt.Sprintf("× %.1f", r.ours.Seconds()/r.baseline.Seconds()), micros(bc), micros(uc)})
	}
	mb, mo := Median(base), Median(ours)
	t.Rows = append(t.Rows, []string{"**médiane**", "", "**" + seconds(secs(mb)) + "**", "**" + seconds(secs(mo)) + "**",
		"**" + frenchNumber(Median(rates)) + "**", fmt.Sprintf("**× %.1f**", mo/mb), "**" + micros(Median(baseCPU)) + "**", "**" + micros(Median(oursCPU)) + "**"})
	return Section{Title: "Réévaluation nocturne de tout le registre", Table: t, Notes: []string{
		"Témoin : lecture de chaque permis et de ses événements de points, dans l'ordre des permis, en une requête par le driver nu (ni calcul, ni écriture). " +
			"Permis : `app.Reevaluate`, la passe nocturne (lecture, rejeu du relevé par le moteur de points, écriture des instantanés par lots). Objectif : moins de 60 s pour 1 million de permis.",
	}}
}

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

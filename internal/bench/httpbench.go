package bench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"permis/internal/app"
	"permis/internal/audit"
	"strconv"
	"time"

	"permis/internal/access"
	"permis/internal/date"
	"permis/internal/loadgen"
	"permis/internal/router"
)

// httpRun is one pass of the HTTP benchmark, with the CPU time this
// process spent per request on each side (server and load generator: the
// same generator for all three, so the difference is the servers').
type httpRun struct {
	baseline, ours, noAudit          loadgen.Result
	baselineCPU, oursCPU, noAuditCPU time.Duration
	// the whole machine's busy time per request (machineCPU)
	baselineMachine, oursMachine, noAuditMachine time.Duration
}

// httpBench drives GET /api/v1/licences/{neph}/points of the real router and
// of a bare net/http handler reading the same licence and ledger rows, each on its
// own loopback port, alternating which goes first.
func (b *bench) httpBench(ctx context.Context) (Section, error) {
	token, err := b.app.CreateToken(ctx, "permis bench http", access.Agent)
	if err != nil {
		return Section{}, err
	}
	h, err := router.New(b.store, b.app, slog.New(slog.DiscardHandler), router.Options{})
	if err != nil {
		return Section{}, err
	}
	oursURL, stopOurs, err := serveLocal(h)
	if err != nil {
		return Section{}, err
	}
	defer stopOurs()
	// Diagnostic: the same router over an application whose audit entries
	// are dropped instead of stored, to show what the durable audit write of
	// each read costs. Never how a server runs.
	diag := app.New(app.Config{Store: b.store, Rules: b.app.Rules(), AuditSink: func(context.Context, []audit.Entry) error { return nil }})
	defer diag.Close()
	hd, err := router.New(b.store, diag, slog.New(slog.DiscardHandler), router.Options{})
	if err != nil {
		return Section{}, err
	}
	diagURL, stopDiag, err := serveLocal(hd)
	if err != nil {
		return Section{}, err
	}
	defer stopDiag()
	bh, err := bareHandler(b.bare)
	if err != nil {
		return Section{}, err
	}
	bareURL, stopBare, err := serveLocal(bh)
	if err != nil {
		return Section{}, err
	}
	defer stopBare()
	// Warm the process up before measuring: its first ~20 s are slower on
	// every side (the heap and PostgreSQL's new backends touching their
	// memory for the first time), and with one run the bare side, which goes
	// first, paid for it alone — at 3 M licences the diagnostic side ran at
	// 101–172 % of the bare one (BENCHMARKS.md, "The audited read on
	// PostgreSQL").
	for _, url := range []string{bareURL, oursURL, diagURL} {
		b.progressf("HTTP : mise en route, %s sur chaque serveur, non mesurée", processWarmup)
		if _, err := loadgen.Run(ctx, loadgen.Config{
			Request: func(i int) (*http.Request, error) {
				return http.NewRequest(http.MethodGet, url+"/api/v1/licences/"+string(b.index.pick(i))+"/points", nil)
			},
			Concurrency: b.cfg.Concurrency, Duration: processWarmup,
			Header: http.Header{"Authorization": {"Bearer " + token}},
		}); err != nil {
			b.progressDone()
			return Section{}, err
		}
	}
	var runs []httpRun
	batches0, entries0 := b.app.AuditStats()
	for r := range b.cfg.Runs {
		var run httpRun
		sides := []struct {
			name    string
			url     string
			res     *loadgen.Result
			cpu     *time.Duration
			machine *time.Duration
		}{{"témoin (net/http nu)", bareURL, &run.baseline, &run.baselineCPU, &run.baselineMachine},
			{"permis (routeur complet)", oursURL, &run.ours, &run.oursCPU, &run.oursMachine},
			{"diagnostic : permis sans écriture du journal d'audit", diagURL, &run.noAudit, &run.noAuditCPU, &run.noAuditMachine}}
		k := r % len(sides) // rotate who goes first, run after run
		sides = append(sides[k:], sides[:k]...)
		for _, s := range sides {
			b.progressf("HTTP, passe %d/%d : %s, %d connexions pendant %s", r+1, b.cfg.Runs, s.name, b.cfg.Concurrency, b.cfg.Duration)
			m0 := machineCPU()
			res, cpu, err := b.loadCPU(ctx, s.url, token)
			if err != nil {
				b.progressDone()
				return Section{}, err
			}
			*s.res, *s.cpu = res, cpu
			if n := res.Requests + res.Warmup; n > 0 {
				*s.machine = (machineCPU() - m0) / time.Duration(n)
			}
		}
		runs = append(runs, run)
	}
	b.progressDone()
	batches, entries := b.app.AuditStats()
	sec := httpSection(runs, b.cfg.Concurrency, b.cfg.Duration)
	sec.Notes = append(sec.Notes, "Entrées d'audit des lectures : "+b.cfg.ReadAuditDurability.String()+
		" (--read-audit-durability ; process : validées avant la réponse, à l'abri d'un arrêt brutal de permis ; disk : écrites sur disque avant la réponse).")
	if batches > batches0 {
		sec.Notes = append(sec.Notes, fmt.Sprintf("Journal d'audit du routeur complet : %d entrées en %d écritures groupées, %.1f entrées par écriture.",
			entries-entries0, batches-batches0, float64(entries-entries0)/float64(batches-batches0)))
	}
	return sec, nil
}

// processWarmup is how long each server is loaded, unmeasured, before the
// first run.
const processWarmup = 7 * time.Second

// load sends GET …/points for random existing NEPHs to base.
func (b *bench) load(ctx context.Context, base, token string) (loadgen.Result, error) {
	return loadgen.Run(ctx, loadgen.Config{
		Request: func(i int) (*http.Request, error) {
			return http.NewRequest(http.MethodGet, base+"/api/v1/licences/"+string(b.index.pick(i))+"/points", nil)
		},
		Concurrency: b.cfg.Concurrency,
		Duration:    b.cfg.Duration,
		Warmup:      b.cfg.Warmup,
		Header:      http.Header{"Authorization": {"Bearer " + token}},
	})
}

// loadCPU is load, returning also the CPU time the process spent per
// request completed, warm-up included on both sides of the division: on a
// machine shared with other work, CPU per request moves less than requests
// per second.
func (b *bench) loadCPU(ctx context.Context, base, token string) (loadgen.Result, time.Duration, error) {
	before := cpuTime()
	res, err := b.load(ctx, base, token)
	var perReq time.Duration
	if n := res.Requests + res.Warmup; n > 0 {
		perReq = (cpuTime() - before) / time.Duration(n)
	}
	return res, perReq, err
}

// serveLocal serves h on a free loopback port and returns its base URL and
// a function that stops it.
func serveLocal(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	stop := func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}
	return "http://" + ln.Addr().String(), stop, nil
}

// bareLicence is the bare handler's answer.
type bareLicence struct {
	ID                    int64       `json:"id"`
	NEPH                  string      `json:"neph"`
	Obtained              date.Date   `json:"obtained"`
	Probation             string      `json:"probation"`
	ComplementaryTraining date.Null   `json:"complementary_training"`
	Events                []bareEvent `json:"events"`
}

// bareEvent is one ledger row of the baseline's answer.
type bareEvent struct {
	ID          string    `json:"id"`
	Established date.Date `json:"established"`
	Points      int       `json:"points"`
}

// bareHandler is the baseline server: the same route, the licence and its
// ledger rows read in one query on the bare driver (the same data the
// service reads, issue 15), a small JSON answer; no middleware, no token,
// no replay, no audit.
func bareHandler(db *bareDB) (http.Handler, error) {
	q := db.q(`SELECT l.id, l.obtained, l.probation, l.complementary_training, e.event_id, e.established, e.points
		FROM licences l LEFT JOIN point_events e ON e.licence_id = l.id WHERE l.neph = ?`)
	// Prepared once, as a careful bare server would: the baseline is not
	// slowed by parsing SQL on every request.
	stmt, err := db.read.Prepare(q)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/licences/{neph}/points", func(w http.ResponseWriter, r *http.Request) {
		v := bareLicence{NEPH: r.PathValue("neph")}
		rows, err := stmt.QueryContext(r.Context(), v.NEPH)
		if err != nil {
			http.Error(w, "erreur interne", http.StatusInternalServerError)
			return
		}
		found := false
		for rows.Next() {
			var e bareEvent
			var id sql.NullString
			var established date.Null
			var pts sql.NullInt64
			if err := rows.Scan(&v.ID, &v.Obtained, &v.Probation, &v.ComplementaryTraining, &id, &established, &pts); err != nil {
				rows.Close()
				http.Error(w, "erreur interne", http.StatusInternalServerError)
				return
			}
			found = true
			if id.Valid {
				e.ID, e.Established, e.Points = id.String, established.Date, int(pts.Int64)
				v.Events = append(v.Events, e)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			http.Error(w, "erreur interne", http.StatusInternalServerError)
			return
		}
		if !found {
			http.Error(w, "permis inconnu", http.StatusNotFound)
			return
		}
		body, err := json.Marshal(v)
		if err != nil {
			http.Error(w, "erreur interne", http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	})
	return mux, nil
}

func httpSection(runs []httpRun, concurrency int, d time.Duration) Section {
	t := Table{Header: []string{"passe", "témoin : req/s", "témoin : p50 / p99", "permis : req/s", "permis : p50 / p99", "erreurs", "rapport",
		"diagnostic sans écriture d'audit : req/s (rapport)", "CPU par requête : témoin / permis / diagnostic",
		"CPU de la machine par requête : témoin / permis / diagnostic (rapport)"}}
	var base, ours, ratios, diag, diagRatios, cpuB, cpuO, cpuD, mB, mO, mD []float64
	for i, r := range runs {
		bs, us, ds := r.baseline.RPS, r.ours.RPS, r.noAudit.RPS
		base, ours, diag = append(base, bs), append(ours, us), append(diag, ds)
		ratios, diagRatios = append(ratios, us/bs), append(diagRatios, ds/bs)
		cpuB, cpuO, cpuD = append(cpuB, usOf(r.baselineCPU)), append(cpuO, usOf(r.oursCPU)), append(cpuD, usOf(r.noAuditCPU))
		mB, mO, mD = append(mB, usOf(r.baselineMachine)), append(mO, usOf(r.oursMachine)), append(mD, usOf(r.noAuditMachine))
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1),
			frenchNumber(bs), millis(r.baseline.P50) + " / " + millis(r.baseline.P99),
			frenchNumber(us), millis(r.ours.P50) + " / " + millis(r.ours.P99),
			fmt.Sprintf("%d / %d", r.baseline.Errors, r.ours.Errors), percent(us / bs),
			frenchNumber(ds) + " (" + percent(ds/bs) + ")", cpuCell(usOf(r.baselineCPU), usOf(r.oursCPU), usOf(r.noAuditCPU)),
			machineCell(usOf(r.baselineMachine), usOf(r.oursMachine), usOf(r.noAuditMachine))})
	}
	t.Rows = append(t.Rows, []string{"**médiane**", "**" + frenchNumber(Median(base)) + "**", "", "**" + frenchNumber(Median(ours)) + "**", "", "", "**" + percent(Median(ratios)) + "**",
		frenchNumber(Median(diag)) + " (" + percent(Median(diagRatios)) + ")", cpuCell(Median(cpuB), Median(cpuO), Median(cpuD)),
		machineCell(Median(mB), Median(mO), Median(mD))})
	return Section{Title: "API : GET /api/v1/licences/{neph}/points sous charge", Table: t, Notes: []string{
		fmt.Sprintf("%d connexions persistantes pendant %s après un échauffement (et, avant la première passe, une mise en route de 7 s de chaque serveur), générateur de charge (internal/loadgen) dans le même processus, sur les mêmes 2 cœurs ; NEPH tirés au hasard dans le registre. "+
			"Témoin : un gestionnaire net/http nu qui lit le permis et ses événements de points en une requête (`SELECT … FROM licences l LEFT JOIN point_events e ON e.licence_id = l.id WHERE l.neph = ?`, les mêmes données que le service) et répond un petit JSON. "+
			"Permis : le routeur complet (journal d'accès, métriques, en-têtes de sécurité, jeton d'agent, lecture du relevé, rejeu, JSON, et l'écriture durable de la consultation au journal d'audit avant la réponse). "+
			"Diagnostic : le même routeur dont les entrées d'audit ne sont pas écrites, pour mesurer ce que coûte l'audit synchrone ; aucun serveur ne tourne ainsi. Objectif : au moins 50 %% du témoin. "+
			"CPU par requête : temps CPU (utilisateur + système) de ce processus — serveur et générateur de charge, le même générateur des trois côtés — divisé par les requêtes servies ; moins sensible que le débit à la charge des autres processus de la machine (sur PostgreSQL, le CPU du serveur PostgreSQL n'y est pas). "+
			"CPU de la machine par requête : le temps occupé de tous les cœurs (/proc/stat) pendant la passe, divisé par les requêtes servies : PostgreSQL compris, et ce qui tourne d'autre sur la machine ; le rapport est celui du témoin au service, celui qu'atteindrait le débit si la machine était le seul goulot.", concurrency, d),
	}}
}

// usOf is d in microseconds.
func usOf(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }

// machineCell renders the machine's CPU per request on each side, and the
// baseline's over ours.
func machineCell(base, ours, diag float64) string {
	if ours == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f / %.0f / %.0f µs (%s)", base, ours, diag, percent(base/ours))
}

// cpuCell renders three CPU times per request in µs.
func cpuCell(base, ours, diag float64) string {
	return fmt.Sprintf("%.0f / %.0f / %.0f µs", base, ours, diag)
}

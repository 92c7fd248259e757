package bench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"permis/internal/access"
	"permis/internal/date"
	"permis/internal/loadgen"
)

// readerConns is the connections of the second process's reader, each
// reading in a loop.
const readerConns = 4

// slowRead is the latency above which a read counts as a stall.
const slowRead = 100 * time.Millisecond

// readerPhase is what the second process's reader saw during one phase.
type readerPhase struct {
	pass     int
	server   string          // the server beside the reader, "" for none
	load     *loadgen.Result // the load the server served, nil when idle
	reads    int
	errors   int
	elapsed  time.Duration
	lat      []time.Duration // sorted
	walMax   int64           // largest WAL file seen, bytes
	machine  string          // the 1-minute load average at the end
	slowRead int
}

// readerModes are the servers the reader is measured beside: SQLite's
// automatic checkpoints (on the committing connection), and the
// checkpoints moved to a background connection.
var readerModes = []struct {
	name string
	args []string
}{
	{"checkpoints automatiques (défaut)", nil},
	{"checkpoints en arrière-plan (`--sqlite-checkpoint 1s`)", []string{"--sqlite-checkpoint", "1s"}},
}

// readersBench measures a second process reading the SQLite file (this
// one: its own connections, query_only, busy_timeout 10 s, the bare read
// of a random licence and its events) alone, beside an idle `permis serve`
// and beside one under load on the points API, for each checkpoint mode
// (issue 15, item 4).
func (b *bench) readersBench(ctx context.Context) (Section, error) {
	if b.bare.postgres {
		return Section{Title: "Lecteurs à côté du serveur", Notes: []string{"Sans objet sur PostgreSQL : les lecteurs passent par le serveur de base de données."}}, nil
	}
	token, err := b.app.CreateToken(ctx, "permis bench readers", access.Agent)
	if err != nil {
		return Section{}, err
	}
	db, stmt, err := openReader(b.bare.dsn)
	if err != nil {
		return Section{}, err
	}
	defer db.Close()
	var phases []readerPhase
	for r := range b.cfg.Runs {
		b.progressf("lecteurs, passe %d/%d : lecteur seul", r+1, b.cfg.Runs)
		p, err := b.readPhase(ctx, stmt, "", nil)
		if err != nil {
			return Section{}, err
		}
		p.pass = r + 1
		phases = append(phases, p)
		for _, m := range readerModes {
			srv, err := b.startServe(ctx, "lecteurs", m.args)
			if err != nil {
				return Section{}, err
			}
			b.progressf("lecteurs, passe %d/%d : à côté de permis serve au repos, %s", r+1, b.cfg.Runs, m.name)
			idle, err := b.readPhase(ctx, stmt, m.name, nil)
			if err == nil {
				b.progressf("lecteurs, passe %d/%d : à côté de permis serve sous charge, %s", r+1, b.cfg.Runs, m.name)
				var loaded readerPhase
				loaded, err = b.readPhase(ctx, stmt, m.name, func(ctx context.Context) (loadgen.Result, error) {
					return b.load(ctx, srv.base, token)
				})
				idle.pass, loaded.pass = r+1, r+1
				phases = append(phases, idle, loaded)
			}
			stopGracefully(srv.cmd, srv.exited)
			if err != nil {
				return Section{}, err
			}
		}
	}
	b.progressDone()
	return readersSection(phases, b.cfg.Concurrency), nil
}

// openReader opens the second process's reader on the SQLite file and
// prepares its read: the bare handler's query.
func openReader(path string) (*sql.DB, *sql.Stmt, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+sqlitePragmas("query_only(1)").Encode())
	if err != nil {
		return nil, nil, err
	}
	db.SetMaxOpenConns(readerConns)
	db.SetMaxIdleConns(readerConns)
	stmt, err := db.Prepare(`SELECT l.id, l.obtained, e.event_id, e.established, e.points
		FROM licences l LEFT JOIN point_events e ON e.licence_id = l.id WHERE l.neph = ?`)
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return db, stmt, nil
}

// readPhase reads for cfg.Duration on readerConns goroutines while the WAL
// size is sampled; with load, the load runs its warm-up first and the
// reads are measured during its measured period.
func (b *bench) readPhase(ctx context.Context, stmt *sql.Stmt, server string, load func(context.Context) (loadgen.Result, error)) (readerPhase, error) {
	p := readerPhase{server: server}
	// The WAL file keeps its largest size: empty it first, so that its
	// size at the end of the phase is what this phase wrote.
	if _, err := b.bare.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		return p, err
	}
	var loadRes loadgen.Result
	var loadErr error
	loadDone := make(chan struct{})
	if load != nil {
		go func() {
			defer close(loadDone)
			loadRes, loadErr = load(ctx)
		}()
		select {
		case <-time.After(b.cfg.Warmup):
		case <-ctx.Done():
			return p, ctx.Err()
		}
	} else {
		close(loadDone)
	}
	stop := make(chan struct{})
	var walMax atomic.Int64
	var sampler sync.WaitGroup
	sampler.Go(func() {
		t := time.NewTicker(100 * time.Millisecond)
		defer t.Stop()
		for {
			if fi, err := os.Stat(b.bare.dsn + "-wal"); err == nil && fi.Size() > walMax.Load() {
				walMax.Store(fi.Size())
			}
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	})
	lats := make([][]time.Duration, readerConns)
	errs := make([]int, readerConns)
	deadline := time.Now().Add(b.cfg.Duration)
	start := time.Now()
	var wg sync.WaitGroup
	for w := range readerConns {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 15))
			for time.Now().Before(deadline) && ctx.Err() == nil {
				t0 := time.Now()
				if err := readOne(ctx, stmt, string(b.index.pick(rng.IntN(1<<30)))); err != nil {
					errs[w]++
				}
				lats[w] = append(lats[w], time.Since(t0))
			}
		})
	}
	wg.Wait()
	p.elapsed = time.Since(start)
	close(stop)
	sampler.Wait()
	<-loadDone
	if loadErr != nil {
		return p, loadErr
	}
	if load != nil {
		p.load = &loadRes
	}
	for w := range readerConns {
		p.lat = append(p.lat, lats[w]...)
		p.errors += errs[w]
	}
	slices.Sort(p.lat)
	p.reads = len(p.lat)
	for _, l := range p.lat {
		if l > slowRead {
			p.slowRead++
		}
	}
	p.walMax = walMax.Load()
	p.machine = loadAverage()
	return p, ctx.Err()
}

// readOne reads a licence and its events, as another program would.
func readOne(ctx context.Context, stmt *sql.Stmt, neph string) error {
	rows, err := stmt.QueryContext(ctx, neph)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var obtained date.Date
		var event sql.NullString
		var established date.Null
		var pts sql.NullInt64
		if err := rows.Scan(&id, &obtained, &event, &established, &pts); err != nil {
			return err
		}
	}
	return rows.Err()
}

// loadAverage is the 1-minute load average of the machine, "?" if unknown.
func loadAverage() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "?"
	}
	for i, c := range b {
		if c == ' ' {
			return string(b[:i])
		}
	}
	return "?"
}

// quantileOf is the q-quantile of sorted latencies.
func quantileOf(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(q*float64(len(sorted))))]
}

func readersSection(phases []readerPhase, concurrency int) Section {
	t := Table{Header: []string{"passe", "permis serve", "charge servie", "lectures/s", "p50", "p99", "p99,9", "max",
		"lectures > 100 ms", "erreurs", "WAL max", "charge machine"}}
	for _, p := range phases {
		server, served := "aucun", "—"
		if p.server != "" {
			server, served = "au repos, "+p.server, "aucune"
		}
		if p.load != nil {
			server = "sous charge, " + p.server
			served = fmt.Sprintf("%s req/s, p99 %s", frenchNumber(p.load.RPS), millis(p.load.P99))
		}
		t.Rows = append(t.Rows, []string{strconv.Itoa(p.pass), server, served, frenchNumber(rowsPerSecond(p.reads, p.elapsed)),
			millis(quantileOf(p.lat, 0.5)), millis(quantileOf(p.lat, 0.99)), millis(quantileOf(p.lat, 0.999)),
			millis(quantileOf(p.lat, 1)), strconv.Itoa(p.slowRead), strconv.Itoa(p.errors),
			strconv.FormatFloat(float64(p.walMax)/(1<<20), 'f', 1, 64) + " Mo", p.machine})
	}
	return Section{Title: "Lecteurs à côté du serveur (SQLite)", Table: t, Notes: []string{
		fmt.Sprintf("Lecteur : ce processus-ci, un second processus sur le fichier, %d connexions en boucle (query_only, busy_timeout 10 s), chacune lisant un permis tiré au hasard et ses événements (requête préparée). "+
			"Serveur : `permis serve` fils, au repos puis chargé par %d connexions sur GET …/points (chaque lecture écrit une entrée d'audit). "+
			"WAL max : plus grande taille du fichier -wal vue pendant la phase (vidé au début de chaque phase). Charge machine : moyenne d'une minute à la fin de la phase.", readerConns, concurrency),
	}}
}

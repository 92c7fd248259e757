// Package bench measures the service against bare-driver baselines run in the
// same process, on the same machine, in the same run (`permis bench`): the
// offences import, the nightly re-evaluation, the points API under load, and
// the peak memory of `permis serve`. Each figure sits beside its baseline so
// that BENCHMARKS.md compares like with like on a noisy machine.
package bench

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	"permis/internal/app"
	"permis/internal/points"
	"permis/internal/store"
)

// Names returns the benchmarks Run knows, in the order it runs them.
// "register" measures nothing: alone, it only builds (or completes) the
// register, which every other benchmark does first.
func Names() []string {
	return []string{"register", "import", "reevaluate", "http", "memory", "readers"}
}

// Config is what Run needs. DSN, Licences and Runs are required.
type Config struct {
	// DSN is a SQLite file path or a postgres:// URL, as store.Open takes it.
	DSN string
	// Describe names the database for people (no password).
	Describe string
	// WorkDir holds the offences files while they are used.
	WorkDir  string
	Licences int
	Offences int
	Runs     int
	// WriteCacheMiB is the page cache of the store's writer connection, the
	// one the import and the nightly pass write through (SQLite); 0 means
	// 512 MiB, as `permis import offences` opens it.
	WriteCacheMiB int
	// ReadAuditDurability is how far the audited read stores its audit
	// entry before answering (store.Options).
	ReadAuditDurability store.ReadAuditDurability
	// Only lists the benchmarks to run (see Names); empty means all.
	Only        []string
	Duration    time.Duration // measured period of each HTTP run
	Warmup      time.Duration // unmeasured period before it
	Concurrency int
	// Binary is the permis executable started for the memory benchmark, and
	// ServeArgs the flags that point it at the same database.
	Binary    string
	ServeArgs []string
	// Command is the command line, printed with the results.
	Command string
	Rules   *points.Rules // nil: the default rules
	Logger  *slog.Logger  // nil: discard
	// Out receives the report as it is written; Markdown too, when set.
	Out      io.Writer
	Markdown io.Writer
	// Progress receives progress lines (standard error); IsTerminal redraws
	// them in place.
	Progress   io.Writer
	IsTerminal bool
}

func (c *Config) check() error {
	if c.DSN == "" || c.Licences <= 0 || c.Runs <= 0 {
		return errors.New("bench : base, nombre de permis et nombre de passes requis")
	}
	for _, o := range c.Only {
		if !slices.Contains(Names(), o) {
			return fmt.Errorf("bench : mesure inconnue %q (au choix : %s)", o, strings.Join(Names(), ", "))
		}
	}
	if c.wants("import") && c.Offences <= 0 {
		return errors.New("bench : --offences doit être positif")
	}
	if (c.wants("http") || c.wants("memory") || c.wants("readers")) && (c.Duration <= 0 || c.Concurrency <= 0) {
		return errors.New("bench : --duration et --concurrency doivent être positifs")
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return nil
}

func (c *Config) wants(name string) bool { return len(c.Only) == 0 || slices.Contains(c.Only, name) }

// bench is one Run's state: the register through the real store and
// application, and the same database through the bare driver.
type bench struct {
	cfg   Config
	store *store.Store
	app   *app.App
	bare  *bareDB
	index *registerIndex
}

// Run prepares the register and runs the chosen benchmarks, writing each
// section to cfg.Out (and cfg.Markdown) as soon as it is measured.
func Run(ctx context.Context, cfg Config) error {
	if err := cfg.check(); err != nil {
		return err
	}
	// A batch tool's writer cache, as `permis import offences` opens it.
	writeCache := cfg.WriteCacheMiB
	if writeCache <= 0 {
		writeCache = store.BulkWriteCacheKiB >> 10
	}
	s, err := store.Open(ctx, cfg.DSN, store.Options{WriteCacheKiB: writeCache << 10, ReadAuditDurability: cfg.ReadAuditDurability})
	if err != nil {
		return fmt.Errorf("ouverture de la base %s : %w", cfg.Describe, err)
	}
	defer s.Close()
	a := app.New(app.Config{Store: s, Rules: cfg.Rules, Logger: cfg.Logger})
	defer a.Close()
	bare, err := openBare(ctx, cfg.DSN)
	if err != nil {
		return err
	}
	defer bare.Close()
	b := &bench{cfg: cfg, store: s, app: a, bare: bare}

	version, err := bare.version(ctx)
	if err != nil {
		return err
	}
	emit(Header(cfg.Command, ReadMachine(version), time.Now())+"\n", cfg.Out, cfg.Markdown)
	setup, err := b.ensureRegister(ctx)
	if err != nil {
		return err
	}
	emit(setup+"\n", cfg.Out, cfg.Markdown)
	if len(cfg.Only) > 0 && !slices.ContainsFunc(cfg.Only, func(o string) bool { return o != "register" }) {
		return nil
	}
	if b.index, err = loadIndex(ctx, bare); err != nil {
		return err
	}
	steps := []struct {
		name string
		fn   func(context.Context) (Section, error)
	}{
		{"import", b.importBench},
		{"reevaluate", b.reevaluateBench},
		{"http", b.httpBench},
		{"memory", b.memoryBench},
		{"readers", b.readersBench},
	}
	for _, st := range steps {
		if !cfg.wants(st.name) {
			continue
		}
		before := loadAverage()
		sec, err := st.fn(ctx)
		if err != nil {
			return fmt.Errorf("bench %s : %w", st.name, err)
		}
		sec.Notes = append(sec.Notes, "Charge de la machine (moyenne sur 1 min, /proc/loadavg) : "+before+" au début, "+loadAverage()+" à la fin.")
		emit(sec.Markdown()+"\n", cfg.Out, cfg.Markdown)
	}
	return nil
}

// progressf reports progress: redrawn in place on a terminal, one line
// otherwise.
func (b *bench) progressf(format string, args ...any) {
	if b.cfg.IsTerminal {
		fmt.Fprintf(b.cfg.Progress, "\r\033[K"+format, args...)
		return
	}
	fmt.Fprintf(b.cfg.Progress, format+"\n", args...)
}

// progressDone ends an in-place progress line.
func (b *bench) progressDone() {
	if b.cfg.IsTerminal {
		fmt.Fprint(b.cfg.Progress, "\r\033[K")
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/contest"
	"permis/internal/exam"
	"permis/internal/store"
)

// common are the options every command that opens the register shares; each
// flag can also be set by an environment variable.
type common struct {
	data      string
	database  string
	rules     string
	contest   string // the contests' figures file (contest.LoadConfig); "" is the law in force
	exams     string // the exams' figures file (exam.LoadConfig); "" is the law in force
	logFormat string
	logLevel  string
	readAudit string // store.ParseReadAuditDurability
}

func addCommon(fs *flag.FlagSet, e *env) *common {
	c := &common{}
	fs.StringVar(&c.data, "data", envOr(e, "PERMIS_DATA", "./data"), "répertoire des données (base SQLite, fichiers) [PERMIS_DATA]")
	fs.StringVar(&c.database, "database", e.getenv("PERMIS_DATABASE_URL"), "base PostgreSQL postgres://… ; vide : SQLite dans --data [PERMIS_DATABASE_URL]")
	fs.StringVar(&c.rules, "rules", e.getenv("PERMIS_POINTS_RULES"), "fichier JSON des règles du permis à points [PERMIS_POINTS_RULES]")
	fs.StringVar(&c.contest, "contest-rules", e.getenv("PERMIS_CONTEST_RULES"), "fichier JSON des délais et montants des amendes et contestations (docs/contest.md) [PERMIS_CONTEST_RULES]")
	fs.StringVar(&c.exams, "exam-rules", e.getenv("PERMIS_EXAM_RULES"), "fichier JSON des âges, délais et limites des examens (docs/exams.md) [PERMIS_EXAM_RULES]")
	fs.StringVar(&c.logFormat, "log-format", envOr(e, "PERMIS_LOG_FORMAT", "text"), "format des journaux : text ou json [PERMIS_LOG_FORMAT]")
	fs.StringVar(&c.logLevel, "log-level", envOr(e, "PERMIS_LOG_LEVEL", "info"), "niveau des journaux : debug, info, warn, error [PERMIS_LOG_LEVEL]")
	fs.StringVar(&c.readAudit, "read-audit-durability", envOr(e, "PERMIS_READ_AUDIT_DURABILITY", "process"),
		"avant de répondre à une lecture, son entrée d'audit est enregistrée : process (à l'abri d'un arrêt brutal de permis) ou disk (écrite sur disque, à l'abri d'une panne de la machine ; docs/operations.md) [PERMIS_READ_AUDIT_DURABILITY]")
	return c
}

func envOr(e *env, key, def string) string {
	if v := e.getenv(key); v != "" {
		return v
	}
	return def
}

// dsn is the database to open: PostgreSQL when --database is set, otherwise
// the embedded SQLite file under --data.
func (c *common) dsn() string {
	if c.database != "" {
		return c.database
	}
	return filepath.Join(c.data, "permis.db")
}

// describe names the database without its password, for logs.
func (c *common) describe() string {
	if c.database == "" {
		return "sqlite:" + c.dsn()
	}
	if i := strings.Index(c.database, "@"); i > 0 {
		if j := strings.Index(c.database, "://"); j > 0 && j < i {
			return c.database[:j+3] + "…" + c.database[i:]
		}
	}
	return c.database
}

func (c *common) logger(w io.Writer) (*slog.Logger, error) {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.logLevel)); err != nil {
		return nil, usageErr("niveau de journal inconnu : " + c.logLevel)
	}
	opts := &slog.HandlerOptions{Level: level}
	switch c.logFormat {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, usageErr("format de journal inconnu : " + c.logFormat + " (text ou json)")
}

// parseFlags parses a command's flags; --help prints them and succeeds.
func parseFlags(fs *flag.FlagSet, e *env, args []string) (help bool, err error) {
	fs.SetOutput(e.stderr)
	if err := fs.Parse(args); err != nil {
		if err == flag.ErrHelp {
			return true, nil
		}
		return false, usageErr(err.Error())
	}
	return false, nil
}

// openStore opens (and migrates) the register.
func (c *common) openStore(ctx context.Context, opts store.Options) (*store.Store, error) {
	if c.database == "" {
		if err := os.MkdirAll(c.data, 0o750); err != nil {
			return nil, err
		}
	}
	d, err := store.ParseReadAuditDurability(c.readAudit)
	if err != nil {
		return nil, usageErr("--read-audit-durability inconnu : " + c.readAudit + " (process ou disk)")
	}
	opts.ReadAuditDurability = d
	s, err := store.Open(ctx, c.dsn(), opts)
	if err != nil {
		return nil, fmt.Errorf("ouverture de la base %s : %w", c.describe(), err)
	}
	return s, nil
}

// session is an opened register with its application and logger.
type session struct {
	store  *store.Store
	app    *app.App
	logger *slog.Logger
	fines  *fines.Service // the fines capability, with --contest-rules' figures
}

// close flushes the audit log and closes the database.
func (ss *session) close() {
	ss.app.Close()
	ss.store.Close()
}

// open builds the logger (on stderr), opens the register and the
// application over it: what every command that works on the register needs.
// configure may complete the application's configuration (serve adds the
// public URL and the statement signing keys); the logger is set when it runs.
func (c *common) open(ctx context.Context, e *env, opts store.Options, configure ...func(*app.Config) error) (*session, error) {
	logger, err := c.logger(e.stderr)
	if err != nil {
		return nil, err
	}
	rules, err := loadRules(c.rules)
	if err != nil {
		return nil, err
	}
	fc, err := loadContestRules(c.contest)
	if err != nil {
		return nil, err
	}
	ec, err := loadExamRules(c.exams)
	if err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = logger
	}
	s, err := c.openStore(ctx, opts)
	if err != nil {
		return nil, err
	}
	cfg := app.Config{Store: s, Rules: rules, Logger: logger, Exams: ec}
	for _, f := range configure {
		if err := f(&cfg); err != nil {
			s.Close()
			return nil, err
		}
	}
	a := app.New(cfg)
	return &session{store: s, app: a, logger: logger, fines: fines.New(a.Kernel(), fines.Config{Rules: fc})}, nil
}

// loadContestRules reads the contests' figures file, or returns the law in
// force for "".
func loadContestRules(name string) (contest.Config, error) {
	if name == "" {
		return contest.DefaultConfig(), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return contest.Config{}, err
	}
	defer f.Close()
	cfg, err := contest.LoadConfig(f)
	if err != nil {
		return cfg, usageErr(err.Error())
	}
	return cfg, nil
}

// loadExamRules reads the exams' figures file, or returns the law in force
// for "".
func loadExamRules(name string) (exam.Config, error) {
	if name == "" {
		return exam.DefaultConfig(), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return exam.Config{}, err
	}
	defer f.Close()
	cfg, err := exam.LoadConfig(f)
	if err != nil {
		return cfg, usageErr(err.Error())
	}
	return cfg, nil
}

// envInt is envOr for a whole number; a variable that is not one is ignored
// (def applies).
func envInt(e *env, key string, def int) int {
	if v, err := strconv.Atoi(e.getenv(key)); err == nil {
		return v
	}
	return def
}

// envDuration is envInt for durations ("1s", "500ms").
func envDuration(e *env, key string, def time.Duration) time.Duration {
	if v, err := time.ParseDuration(e.getenv(key)); err == nil {
		return v
	}
	return def
}

// Package app is the thin application layer: each use case loads, checks the
// actor's permission, applies the domain rule, saves, and writes its audit
// entry, in that order. The JSON API, the CLI and (later) the portal, the
// back office and background jobs all call it, so each rule exists once. The
// acting user is always an explicit parameter.
package app

import (
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"time"

	"permis/internal/audit"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/jobs"
	"permis/internal/payment"
	"permis/internal/points"
	"permis/internal/secret"
	"permis/internal/store"
)

// App holds what the use cases need. Build it with New.
type App struct {
	store *store.Store
	rules *points.Rules
	exams exam.Config
	clock clock.Clock
	audit *audit.Writer
	// auditInRead: the points read stores its audit entry in its own
	// statement (store.AuditsInRead, PostgreSQL) rather than through audit.
	auditInRead bool
	log         *slog.Logger
	tokens      *tokenCache

	passwords      secret.PasswordParams
	publicURL      string
	mailFrom       string
	identityIssuer string // the national identity provider's issuer (Config.IdentityIssuer)
	issuer         Issuer
	files          files.Storage
	incidents      incidentCache

	reqs    RequestOptions // licence requests (requests.go)
	jobs    *jobs.Queue
	maker   CardMaker
	carrier Carrier

	payments payment.Provider // the fiscal stamp's purchase (stamp_purchase.go); nil: unavailable

	studentNEPH atomic.Pointer[StudentNEPH] // set by the exams capability (kernel.go)
}

// Config is what New needs.
type Config struct {
	Store  *store.Store
	Rules  *points.Rules // nil: points.DefaultRules()
	Clock  clock.Clock   // nil: the system clock
	Logger *slog.Logger  // nil: discard
	// AuditSink replaces the store as the destination of the audit log.
	// Production leaves it nil; the benchmarks use it to measure what the
	// durable audit write costs, never a server.
	AuditSink audit.Sink
	// PublicURL is the service's address as users reach it, without a
	// trailing slash (links in mails, the verification URL on statements).
	PublicURL string
	// MailFrom is the sender of the service's mails (PERMIS_SMTP_FROM, "Name
	// <address>" or a bare address). It is also the ORGANIZER of calendar
	// invitations, so that a calendar sees the invitation come from its
	// organizer; empty: ne-pas-repondre@ the public host.
	MailFrom string
	// Passwords are the argon2id parameters (zero: secret.DefaultPasswordParams).
	Passwords secret.PasswordParams
	// Issuer signs statements (2D-Doc keys and the issuer's name).
	Issuer Issuer
	// Files keeps uploaded documents (nil: uploads are refused as
	// unavailable).
	Files files.Storage
	// Requests are the delays of licence requests (zero: defaults).
	Requests RequestOptions
	// Jobs inserts background jobs (production of accepted requests);
	// nil: acceptance is refused as unavailable.
	Jobs *jobs.Queue
	// CardMaker produces cards (nil: SimulatedMaker); Carrier posts them
	// (nil: a SimulatedCarrier).
	CardMaker CardMaker
	Carrier   Carrier
	// Payments takes the fiscal stamp's payment (nil: buying the stamp
	// inside the request is unavailable; typing a number still works).
	Payments payment.Provider
	// IdentityIssuer is the issuer of the national identity provider
	// (FranceConnect; in demo mode the demo provider on /fc-demo): an
	// account signed in through it has a verified civil status and may
	// link the matching licence at once. "": none, every account proves
	// itself with an activation code posted to the register's address.
	IdentityIssuer string
	// Exams are the exams' figures (zero: exam.DefaultConfig(), the law in
	// force; `permis serve --exam-rules FILE`).
	Exams exam.Config
}

// New returns the application over a store. Close it to flush the audit log.
func New(cfg Config) *App {
	a := &App{store: cfg.Store, rules: cfg.Rules, clock: cfg.Clock, log: cfg.Logger, exams: cfg.Exams}
	if a.exams == (exam.Config{}) {
		a.exams = exam.DefaultConfig()
	}
	if a.rules == nil {
		a.rules = points.DefaultRules()
	}
	if a.clock == nil {
		a.clock = clock.System{}
	}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	sink := cfg.AuditSink
	if sink == nil {
		sink = auditSink(cfg.Store)
	}
	writers := 1
	if cfg.Store != nil {
		writers = cfg.Store.ReadAuditWriters()
	}
	a.audit = audit.NewWriter(sink, audit.Options{Clock: a.clock, Writers: writers})
	a.auditInRead = cfg.AuditSink == nil && cfg.Store != nil && cfg.Store.AuditsInRead()
	a.tokens = newTokenCache(a.clock)
	a.passwords = cfg.Passwords
	if a.passwords == (secret.PasswordParams{}) {
		a.passwords = secret.DefaultPasswordParams()
	}
	a.publicURL = strings.TrimRight(cfg.PublicURL, "/")
	a.mailFrom = cfg.MailFrom
	a.identityIssuer = cfg.IdentityIssuer
	if a.publicURL == "" {
		a.publicURL = "http://localhost:8080"
	}
	a.issuer = cfg.Issuer
	a.files = cfg.Files
	a.reqs, a.jobs, a.maker, a.carrier = cfg.Requests.withDefaults(), cfg.Jobs, cfg.CardMaker, cfg.Carrier
	a.payments = cfg.Payments
	if a.maker == nil {
		a.maker = SimulatedMaker{}
	}
	if a.carrier == nil {
		a.carrier = &SimulatedCarrier{HoldFor: time.Duration(a.reqs.Rules.PostOfficeHoldDays) * 24 * time.Hour}
	}
	return a
}

// auditSink stores the audit writer's batches in the append-only log of
// reads (store.AppendReadAudit: on SQLite the register's audit file, whose
// commits leave the register's readers' caches alone).
func auditSink(s *store.Store) audit.Sink {
	return func(ctx context.Context, entries []audit.Entry) error {
		rows := make([]store.AuditEntry, len(entries))
		for i, e := range entries {
			rows[i] = store.AuditEntry{
				At: e.At, Actor: e.Actor, ActorRole: string(e.ActorRole), Action: e.Action,
				SubjectType: e.SubjectType, SubjectID: e.SubjectID, Reason: e.Reason, RequestID: e.RequestID,
			}
		}
		return s.AppendReadAudit(ctx, rows)
	}
}

// Close flushes pending audit entries.
func (a *App) Close() error { return a.audit.Close() }

// AuditStats returns the audit writer's batches and entries so far.
func (a *App) AuditStats() (batches, entries int64) { return a.audit.Stats() }

// Rules returns the points rules in force.
func (a *App) Rules() *points.Rules { return a.rules }

// Now is the time by the application's clock: the pages that show or
// compare with "now" (today's agenda, a future appointment) ask it, so
// they agree with the use cases, in tests too.
func (a *App) Now() time.Time { return a.clock.Now() }

// today is the legal date now, captured once per use case.
func (a *App) today() date.Date { return date.Today(a.clock.Now()) }

// PublicURL is the service's address as users reach it.
func (a *App) PublicURL() string { return a.publicURL }

// IssuerName is the service's name as printed on the documents it issues.
func (a *App) IssuerName() string { return a.issuer.Name }

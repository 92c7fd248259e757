package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/exams"
	medicalapp "permis/internal/app/medical"
	"permis/internal/booking"
	"permis/internal/files"
	"permis/internal/jobs"
	"permis/internal/payment"
	"permis/internal/portal"
	"permis/internal/router"
	"permis/internal/server"
	"permis/internal/sms"
	"permis/internal/store"
)

const serveHelp = `Usage : permis serve [options]

Sert le portail et l'API sur --addr, avec la base SQLite de --data (ou la base
PostgreSQL de --database). Sans option, c'est le mode production : ni données
ni pages de démonstration. --demo charge les données de démonstration dans une
base vide et sert les fournisseurs d'identité de démonstration (/fc-demo pour
les usagers, /pc-demo pour les agents), le prestataire de paiement de test et la boîte d'envoi (/dev/courriels) ; il
refuse une adresse d'écoute autre que locale et une adresse publique https.
Chaque réglage impropre à la production est signalé au démarrage (WARN) ; la
liste de contrôle de la mise en production est dans docs/operations.md.
S'arrête proprement sur SIGTERM ou Ctrl-C : les requêtes en cours se terminent.

Points d'entrée : / (accueil), /healthz, /readyz,
/api/v1/licences/{neph} et /api/v1/licences/{neph}/points (jeton d'API :
permis token create --role agent --name NOM) ; /metrics (Prometheus) sur
--metrics-addr seulement, jamais sur --addr.

Options :
`

// cmdServe runs the server until ctx is cancelled (SIGTERM, Ctrl-C).
func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	c := addCommon(fs, e)
	addr := fs.String("addr", envOr(e, "PERMIS_ADDR", "localhost:8080"), "adresse d'écoute HOST:PORT [PERMIS_ADDR]")
	metricsAddr := fs.String("metrics-addr", envOr(e, "PERMIS_METRICS_ADDR", "localhost:9090"),
		"adresse d'écoute des métriques Prometheus (/metrics), jamais sur --addr ; vide : pas de métriques [PERMIS_METRICS_ADDR]")
	demoOn := fs.Bool("demo", envOr(e, "PERMIS_DEMO", "false") == "true", "mode démonstration, sur une adresse locale seulement : données de démonstration dans une base vide, fournisseur d'identité et paiement de test, boîte d'envoi [PERMIS_DEMO]")
	demoN := fs.Int("demo-licences", 2000, "nombre de permis synthétiques de la démonstration")
	cacheMiB := fs.Int("sqlite-cache", envInt(e, "PERMIS_SQLITE_CACHE_MIB", 2*store.DefaultReadCacheKiB>>10),
		"cache de pages SQLite en Mio, moitié pour les lectures (partagée entre les connexions), moitié pour l'écriture [PERMIS_SQLITE_CACHE_MIB]")
	checkpoint := fs.Duration("sqlite-checkpoint", envDuration(e, "PERMIS_SQLITE_CHECKPOINT", 0),
		"SQLite : points de contrôle du WAL sur une connexion à part, à cet intervalle (ex. 1s), plutôt qu'à la validation qui remplit le WAL ; 0 : ceux de SQLite (docs/operations.md) [PERMIS_SQLITE_CHECKPOINT]")
	pf := addPortalFlags(fs, e)
	fs.Usage = func() { fmt.Fprint(e.stderr, serveHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	public := pf.public(*addr)
	if err := checkDemoScope(*demoOn, pf.devPagesOn(*demoOn), *addr, public); err != nil {
		return err
	}
	// The job queue's workers need the App, which needs the queue: the
	// workers are registered first and bound to the App once it exists.
	workers := river.NewWorkers()
	requestWorkers := app.AddRequestWorkers(workers)
	var queue *jobs.Queue
	var payTest *payment.TestProvider
	if *cacheMiB < 4 {
		return usageErr("--sqlite-cache : au moins 4 Mio")
	}
	half := *cacheMiB << 10 / 2
	ss, err := c.open(ctx, e, store.Options{CacheKiB: half, WriteCacheKiB: half, CheckpointEvery: *checkpoint}, func(cfg *app.Config) error {
		iss, err := pf.issuer(c.data, cfg.Logger)
		if err != nil {
			return err
		}
		cfg.Issuer, cfg.PublicURL, cfg.MailFrom = iss, public, pf.smtpFrom
		cfg.IdentityIssuer = pf.identityIssuer(public, *demoOn)
		if cfg.Files, err = files.NewDir(filepath.Join(c.data, "fichiers")); err != nil {
			return err
		}
		if queue, err = jobs.Open(ctx, cfg.Store, jobs.Options{Workers: workers, Logger: cfg.Logger}); err != nil {
			return err
		}
		cfg.Jobs = queue
		if *demoOn { // the built-in test payment provider: no real one is configured yet
			if payTest, err = newTestPayments(public, cfg.Logger); err != nil {
				return err
			}
			cfg.Payments = payTest
		}
		return nil
	})
	if err != nil {
		return err
	}
	defer ss.close()
	s, a, logger := ss.store, ss.app, ss.logger
	requestWorkers.Bind(a)
	warnUnfit(logger, c, pf, *demoOn)
	if err := queue.Start(ctx); err != nil {
		return err
	}
	defer func() {
		stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
		defer cancel()
		_ = queue.Stop(stop)
	}()
	if *demoOn {
		if err := loadDemoIfEmpty(ctx, s, a, *demoN, logger); err != nil {
			return err
		}
	}
	ps, err := pf.setup(ctx, s, public, *demoOn, logger)
	if err != nil {
		return err
	}
	if payTest != nil {
		maps.Copy(ps.mounts, portal.PaymentTestMounts(payTest))
	}
	var metricsHandler http.Handler
	ps.options.Fines = ss.fines
	h, err := router.New(s, a, logger, router.Options{Portal: ps.options, Mounts: ps.mounts,
		Metrics: func(m http.Handler) { metricsHandler = m }})
	if err != nil {
		return err
	}
	// Background work of this instance: the mail relay (to SMTP, or kept
	// in the outbox without a server) and the consent notices. Both are
	// safe with several instances (claims and transactions in the store).
	bg, stopBG := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() { stopBG(); wg.Wait() }()
	wg.Go(func() {
		if err := ps.relay.Run(bg); err != nil && !errors.Is(err, context.Canceled) {
			logger.Error("relais des courriels arrêté", "error", err)
		}
	})
	wg.Go(func() { every(bg, consentInterval, logger, "avis aux organismes autorisés", a.NotifyConsents) })
	// Mail bodies past their retention, old rate-limit counters.
	wg.Go(func() { every(bg, time.Hour, logger, "ménage (courriels envoyés, compteurs)", a.Housekeeping) })
	// Appointments: reminders 48 h before (each sent once, claimed in the
	// database), and unconfirmed bookings or offers released when their
	// hold ends (the seat goes to the waiting list).
	// SMS notices: no gateway is configured in this version, so the
	// provider logs them (masked number, no text) and marks them sent.
	smsProvider := sms.Log{Logger: logger}
	wg.Go(func() {
		every(bg, 30*time.Second, logger, "SMS envoyés", func(ctx context.Context) (int, error) {
			return sms.Flush(ctx, s, smsProvider)
		})
	})
	// Fines: the L121-6 non-designation fines once the 45 days are over,
	// contests whose deposit never came closed so the notice can be paid,
	// unpaid notices increased (AFM), deposits refunded. All are guarded
	// updates (a refund is idempotent at the provider too), so an hourly run on every instance
	// issues each fine once (TestContestNightlyCommand runs it twice).
	wg.Go(func() {
		every(bg, time.Hour, logger, "amendes : non-désignation, consignations non versées, majorations, remboursements", func(ctx context.Context) (int, error) {
			sum, err := ss.fines.IssueNonDesignationFines(ctx)
			if err != nil {
				return 0, err
			}
			closed, err := ss.fines.CloseUnpaidDeposits(ctx)
			if err != nil {
				return sum.Issued, err
			}
			increased, err := ss.fines.IncreaseOverdueNotices(ctx)
			if err != nil {
				return sum.Issued + closed, err
			}
			refunded, err := ss.fines.RefundDue(ctx)
			return sum.Issued + closed + increased + refunded, err
		})
	})
	// Heavy categories: the mail 3 months before the medical validity
	// ends, each sent once per licence and end date (a row claimed in the
	// same transaction), so every instance may run it.
	medical := medicalapp.New(a)
	wg.Go(func() {
		every(bg, time.Hour, logger, "rappels de visite médicale", func(ctx context.Context) (int, error) {
			sum, err := medical.Remind(ctx, app.Request{Actor: access.SystemActor("medical-remind")})
			return sum.Sent, err
		})
	})
	// Exam places: each release's queue drawn when its 2-minute window
	// closes (not at the next page view). Every instance runs it: a draw
	// is claimed by one conditional UPDATE, so it happens once.
	examDraws := exams.New(a.Kernel(), a.Kernel().Exams)
	wg.Go(func() {
		every(bg, exams.DrawInterval, logger, "tirages au sort des ouvertures de places d'examen", examDraws.DrawClosed)
	})
	appts := a.Appointments(booking.Config{})
	wg.Go(func() {
		every(bg, time.Minute, logger, "rappels de rendez-vous", func(ctx context.Context) (int, error) {
			return appts.DueReminders(ctx, time.Now())
		})
	})
	wg.Go(func() {
		every(bg, time.Minute, logger, "réservations non confirmées libérées", func(ctx context.Context) (int, error) {
			return appts.ReleaseExpired(ctx, time.Now())
		})
	})
	if *metricsAddr != "" {
		wg.Go(func() { serveMetrics(bg, *metricsAddr, metricsHandler, logger) })
	}
	srv := &http.Server{Addr: *addr, Handler: h, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second}
	logger.Info("permis serve", "database", c.describe(), "addr", *addr)
	err = server.Serve(ctx, srv, logger, server.ServeOptions{Listening: func(a net.Addr) {
		logger.Info("à l'écoute", "url", "http://"+a.String()+"/")
		if e.listening != nil {
			e.listening(a)
		}
	}})
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

// serveMetrics serves /metrics alone on addr until ctx ends. The service
// goes on without it when addr cannot be bound (the error is logged):
// metrics are for the operators, not a reason to refuse citizens.
func serveMetrics(ctx context.Context, addr string, h http.Handler, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", h)
	srv := &http.Server{Addr: addr, Handler: mux, ReadTimeout: 10 * time.Second, WriteTimeout: 30 * time.Second}
	err := server.Serve(ctx, srv, logger, server.ServeOptions{Listening: func(a net.Addr) {
		logger.Info("métriques Prometheus à l'écoute", "metrics", "http://"+a.String()+"/metrics")
	}})
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Error("métriques Prometheus indisponibles", "addr", addr, "error", err)
	}
}

// consentInterval is how often the organisations a holder authorised are
// told of a change of rights.
const consentInterval = 10 * time.Minute

// every runs f now and then every d until ctx ends, logging failures.
func every(ctx context.Context, d time.Duration, logger *slog.Logger, what string, f func(context.Context) (int, error)) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		if n, err := f(ctx); err != nil && ctx.Err() == nil {
			logger.Error(what, "error", err)
		} else if n > 0 {
			logger.Info(what, "n", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// cmdMigrate applies the migrations and says which.
func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	c := addCommon(fs, e)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	s, err := c.openStore(ctx, store.Options{NoMigrate: true})
	if err != nil {
		return err
	}
	defer s.Close()
	applied, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintf(e.stdout, "Base %s à jour : aucune migration à appliquer.\n", c.describe())
		return nil
	}
	for _, name := range applied {
		fmt.Fprintf(e.stdout, "migration appliquée : %s\n", name)
	}
	return nil
}

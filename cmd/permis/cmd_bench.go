package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"permis/internal/bench"
	"permis/internal/store"
)

const benchHelp = `Usage : permis bench [options]

Mesure les performances du service, chaque chiffre à côté d'un témoin
mesuré dans la même exécution, sur la même machine (BENCHMARKS.md) :

  register    construire (ou compléter, s'il a été interrompu) le registre, rien d'autre
  import      import d'infractions (ingest.Import) contre un INSERT nu des mêmes lignes
  reevaluate  réévaluation nocturne de tout le registre contre une lecture nue
  http        GET /api/v1/licences/{neph}/points contre un gestionnaire net/http nu
  memory      pic de mémoire de permis serve (processus fils) sous charge
  readers     un second processus lisant le fichier SQLite à côté de permis serve,
              au repos et sous charge, avec et sans --sqlite-checkpoint

Le registre de --data (ou --database) est réutilisé s'il contient exactement
--licences permis ; s'il en contient moins (construction interrompue), il est
complété ; une base vide est construite (graine 1).
Les résultats sont écrits en tableaux markdown sur la sortie standard (et dans
--markdown FICHIER). Année nationale réelle :
  permis bench --only import --offences 15000000 --runs 1

Options :
`

// cmdBench runs the benchmarks of package bench.
func cmdBench(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	c := addCommon(fs, e)
	// The benchmark writes: it never follows PERMIS_DATA or
	// PERMIS_DATABASE_URL to a real register, only explicit flags.
	c.data, c.database = "./data/bench", ""
	fs.Lookup("data").DefValue, fs.Lookup("database").DefValue = c.data, ""
	fs.Lookup("data").Usage = "répertoire du registre de mesure (base SQLite, fichiers temporaires)"
	fs.Lookup("database").Usage = "base PostgreSQL de mesure postgres://… ; vide : SQLite dans --data"
	licences := fs.Int("licences", 1_000_000, "nombre de permis du registre")
	offences := fs.Int("offences", 1_000_000, "lignes du fichier d'infractions importé à chaque passe")
	runs := fs.Int("runs", 3, "passes de chaque mesure (la médiane est retenue)")
	only := fs.String("only", strings.Join(bench.Names(), ","), "mesures à faire, séparées par des virgules")
	duration := fs.Duration("duration", 10*time.Second, "durée mesurée de chaque passe HTTP")
	warmup := fs.Duration("warmup", 2*time.Second, "échauffement non mesuré avant chaque passe HTTP")
	concurrency := fs.Int("concurrency", 16, "connexions simultanées du générateur de charge")
	writeCache := fs.Int("write-cache", store.BulkWriteCacheKiB>>10, "cache de pages SQLite (Mio) de la connexion d'écriture du registre mesuré (import, passe nocturne), celui de `permis import offences`")
	markdown := fs.String("markdown", "", "écrire aussi les résultats dans ce fichier markdown")
	binary := fs.String("binary", "", "exécutable permis lancé pour la mesure de mémoire (par défaut : celui-ci)")
	cpuProfile := fs.String("cpuprofile", "", "écrire le profil CPU de la mesure dans ce fichier (go tool pprof)")
	fs.Usage = func() { fmt.Fprint(e.stderr, benchHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() != 0 {
		return usageErr("usage : permis bench [options] (aucun argument)")
	}
	logger, err := c.logger(e.stderr)
	if err != nil {
		return err
	}
	rules, err := loadRules(c.rules)
	if err != nil {
		return err
	}
	if *binary == "" {
		if *binary, err = os.Executable(); err != nil {
			return err
		}
	}
	serveArgs := []string{"--data", c.data}
	if c.database != "" {
		serveArgs = []string{"--database", c.database}
	} else if err := os.MkdirAll(c.data, 0o750); err != nil {
		return err
	}
	durability, err := store.ParseReadAuditDurability(c.readAudit)
	if err != nil {
		return usageErr("--read-audit-durability inconnu : " + c.readAudit + " (process ou disk)")
	}
	serveArgs = append(serveArgs, "--read-audit-durability", c.readAudit)
	cfg := bench.Config{
		DSN: c.dsn(), Describe: c.describe(), WorkDir: filepath.Join(c.data, "tmp"),
		Licences: *licences, Offences: *offences, Runs: *runs, WriteCacheMiB: *writeCache,
		Duration: *duration, Warmup: *warmup, Concurrency: *concurrency,
		Binary: *binary, ServeArgs: serveArgs,
		Command: benchCommand(args), Rules: rules, Logger: logger,
		Out: e.stdout, Progress: e.stderr, IsTerminal: isTerminal(e.stderr),
		ReadAuditDurability: durability,
	}
	for _, o := range strings.Split(*only, ",") {
		if o = strings.TrimSpace(o); o != "" {
			if !slices.Contains(bench.Names(), o) {
				return usageErr("--only : mesure inconnue " + o + " (au choix : " + strings.Join(bench.Names(), ", ") + ")")
			}
			cfg.Only = append(cfg.Only, o)
		}
	}
	if *markdown != "" {
		f, err := os.Create(*markdown)
		if err != nil {
			return err
		}
		defer f.Close()
		cfg.Markdown = f
	}
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	return bench.Run(ctx, cfg)
}

// benchCommand is the command line as printed with the results, with any
// database password hidden.
func benchCommand(args []string) string {
	out := []string{"permis", "bench"}
	for _, a := range args {
		if u, err := url.Parse(strings.TrimPrefix(a, "--database=")); err == nil && u.User != nil {
			if _, ok := u.User.Password(); ok {
				u.User = url.UserPassword(u.User.Username(), "xxxxx")
				a = strings.Replace(a, strings.TrimPrefix(a, "--database="), u.String(), 1)
			}
		}
		out = append(out, a)
	}
	return strings.Join(out, " ")
}

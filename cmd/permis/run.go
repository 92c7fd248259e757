package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sort"
	"strings"

	"permis/internal/apperr"
)

// usageText lists the commands; each command's own --help says more.
const usageText = `permis — service en ligne du permis de conduire

Usage : permis COMMANDE [options]

Commandes :
  serve                       servir le portail et l'API (--demo : mode démonstration, sur cette machine)
  migrate                     appliquer les migrations de la base
  backup FICHIER              copier la base SQLite pendant que le service tourne (PostgreSQL : pg_dump)
  points replay [FICHIER|-]   rejouer un relevé de points (contrat JSON, docs/points-replay.md)
  points reevaluate           passe nocturne : rejouer les permis dont le solde a pu changer (--full : tous)
  contest evaluate [FICHIER]  juger la recevabilité d'une contestation d'amende (contrat JSON, docs/contest-evaluate.md)
  contest nightly             passe nocturne des amendes : non-désignation par les sociétés (L121-6), consignations non versées
  medical route [FICHIER]     quelle visite médicale : commission ou médecin agréé (contrat JSON, docs/medical-route.md)
  medical remind              rappeler la visite médicale 3 mois avant la fin de l'aptitude poids lourd (chaque jour)
  neph check VALEUR           analyser un NEPH
  title check NUMÉRO|MRZ      analyser un numéro de titre ou une bande MRZ
  import offences FICHIER     importer des infractions constatées (NDJSON ou CSV, docs/import-format.md)
  import directory FICHIER    importer un annuaire (CSV ou schéma des lieux de médiation, docs/directory.md)
  demo --licences N           construire un registre synthétique
  token create|list|revoke    gérer les jetons d'API
  user create                 créer un compte (agent, partenaire, administrateur)
  2ddoc verify|keygen         vérifier un code 2D-Doc ; créer une clé de test (docs/2ddoc.md)
  bench                       mesurer les performances (BENCHMARKS.md)

Options communes : --data DIR (PERMIS_DATA), --database URL (PERMIS_DATABASE_URL).
`

// env is how commands read the environment, injected for tests.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// listening, when set (tests), is told the address the server bound.
	listening func(net.Addr)
}

// run is the whole program: main calls it with the process's arguments and
// streams, and the end-to-end tests call it the same way.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) < 2 {
		fmt.Fprint(stderr, usageText)
		return usageErr("commande manquante")
	}
	cmd, rest := args[1], args[2:]
	sub := func() (string, []string) {
		if len(rest) == 0 {
			return "", nil
		}
		return rest[0], rest[1:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, e, rest)
	case "migrate":
		return cmdMigrate(ctx, e, rest)
	case "backup":
		return cmdBackup(ctx, e, rest)
	case "points":
		switch s, r := sub(); s {
		case "replay":
			return cmdPointsReplay(ctx, e, r)
		case "reevaluate":
			return cmdPointsReevaluate(ctx, e, r)
		}
	case "contest":
		switch s, r := sub(); s {
		case "evaluate":
			return cmdContestEvaluate(ctx, e, r)
		case "nightly":
			return cmdContestNightly(ctx, e, r)
		}
	case "medical":
		if s, r := sub(); s == "route" {
			return cmdMedicalRoute(ctx, e, r)
		} else if s == "remind" {
			return cmdMedicalRemind(ctx, e, r)
		}
	case "neph":
		if s, r := sub(); s == "check" {
			return cmdNEPHCheck(e, r)
		}
	case "title":
		if s, r := sub(); s == "check" {
			return cmdTitleCheck(e, r)
		}
	case "import":
		if s, r := sub(); s == "offences" {
			return cmdImportOffences(ctx, e, r)
		} else if s == "directory" {
			return cmdImportDirectory(ctx, e, r)
		}
	case "demo":
		return cmdDemo(ctx, e, rest)
	case "token":
		return cmdToken(ctx, e, rest)
	case "bench":
		return cmdBench(ctx, e, rest)
	case "2ddoc":
		return run2DDoc(ctx, rest, getenv, stdin, stdout, stderr)
	case "user":
		return cmdUser(ctx, e, rest)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	fmt.Fprint(stderr, usageText)
	return usageErr("commande inconnue : " + strings.Join(args[1:min(len(args), 3)], " "))
}

// exitError carries an exit status: 2 for bad usage or bad input, 1 otherwise.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

func usageErr(msg string) error { return &exitError{code: 2, msg: msg} }

// inputErr is bad input: exit status 2 and one line on standard error.
func inputErr(msg string) error { return &exitError{code: 2, msg: msg} }

// exitCode prints err on one line and returns the process's exit status.
// An application error shows its French message and field problems, never
// its cause (STYLE §6); bad input (invalid, not found, conflict) exits 2.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return 0
	}
	if errors.Is(err, context.Canceled) {
		return 130
	}
	var ee *exitError
	var ae *apperr.Error
	code, msg := 1, err.Error()
	switch {
	case errors.As(err, &ee):
		code = ee.code
	case errors.As(err, &ae):
		msg = userMessage(ae)
		switch ae.Code {
		case apperr.Invalid, apperr.NotFound, apperr.Conflict, apperr.Forbidden:
			code = 2
		}
	}
	fmt.Fprintln(stderr, "permis: "+strings.ReplaceAll(msg, "\n", " "))
	return code
}

// userMessage is an application error as a person should read it: the
// message, then each field's problem.
func userMessage(e *apperr.Error) string {
	if len(e.Fields) == 0 {
		return e.Message
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + " : " + e.Fields[k]
	}
	return strings.Join(parts, " ; ")
}

package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"permis/internal/points"
	"permis/internal/store"
)

// cmdPointsReplay is the public replay contract (docs/points-replay.md): one
// JSON document in, one out; bad input exits 2 with one line on stderr and
// nothing on stdout.
func cmdPointsReplay(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("points replay", flag.ContinueOnError)
	rulesFile := fs.String("rules", e.getenv("PERMIS_POINTS_RULES"), "fichier JSON de règles du permis à points (docs/points.md)")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage : permis points replay [--rules FICHIER] [FICHIER|-]\n\nLit un document JSON (un permis, ses événements, une date) et écrit le relevé de points\nen JSON : contrat public décrit dans docs/points-replay.md. Entrée invalide : code 2.\n\nOptions :\n")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErr("usage : permis points replay [FICHIER|-]")
	}
	rules, err := loadRules(*rulesFile)
	if err != nil {
		return err
	}
	in := e.stdin
	if name := fs.Arg(0); name != "" && name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	l, at, err := rules.DecodeReplay(in)
	if err != nil {
		return asInputErr(err)
	}
	res, err := rules.Replay(l, at)
	if err != nil {
		return asInputErr(err)
	}
	var out bytes.Buffer // nothing reaches stdout unless the whole answer is ready
	if err := points.EncodeReplay(&out, res); err != nil {
		return err
	}
	_, err = io.Copy(e.stdout, &out)
	return err
}

func asInputErr(err error) error {
	var ie *points.InputError
	if errors.As(err, &ie) {
		return inputErr(ie.Error())
	}
	return err
}

// loadRules reads a rules file, or returns the default rules for "".
func loadRules(name string) (*points.Rules, error) {
	if name == "" {
		return points.DefaultRules(), nil
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r, err := points.LoadRules(f)
	if err != nil {
		return nil, usageErr(err.Error())
	}
	return r, nil
}

// cmdPointsReevaluate runs the nightly recovery pass: the licences due today
// (next change come, or ledger changed), or the whole register with --full.
func cmdPointsReevaluate(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("points reevaluate", flag.ContinueOnError)
	c := addCommon(fs, e)
	full := fs.Bool("full", false, "rejouer tout le registre, pas seulement les permis dont le solde peut avoir changé (après un changement des règles de points)")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	ss, err := c.open(ctx, e, store.Options{})
	if err != nil {
		return err
	}
	defer ss.close()
	a := ss.app
	tty := isTerminal(e.stderr)
	sum, err := a.Reevaluate(ctx, *full, func(done, total int64) {
		if tty && total > 0 {
			fmt.Fprintf(e.stderr, "\rRéévaluation : %d / %d permis (%d %%)", done, total, int64(done)*100/total)
		}
	})
	if tty {
		fmt.Fprintln(e.stderr)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, sum.String())
	return nil
}

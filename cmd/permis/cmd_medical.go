package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"permis/internal/medical"
)

// cmdMedicalRoute is the public medical contract (docs/medical-route.md):
// one JSON document in, one out; bad input exits 2 with one line on stderr
// and nothing on stdout.
func cmdMedicalRoute(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("medical route", flag.ContinueOnError)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage : permis medical route [FICHIER|-]\n\nLit un document JSON (une mesure, l'avis médical précédent, une date) et écrit en JSON\nsi un contrôle médical est requis, qui examine (commission médicale ou médecin agréé), si un\ntest psychotechnique le précède et son prix : contrat public décrit dans docs/medical-route.md.\nEntrée invalide : code 2.\n")
	}
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErr("usage : permis medical route [FICHIER|-]")
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
	q, err := medical.Decode(in)
	if err != nil {
		var ie *medical.InputError
		if errors.As(err, &ie) {
			return inputErr(ie.Error())
		}
		return err
	}
	var out bytes.Buffer // nothing reaches stdout unless the whole answer is ready
	if err := medical.Encode(&out, medical.Decide(medical.DefaultConfig(), q.Measure, q.Previous, q.At)); err != nil {
		return err
	}
	_, err = io.Copy(e.stdout, &out)
	return err
}

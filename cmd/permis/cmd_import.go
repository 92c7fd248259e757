package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"permis/internal/ingest"
	"permis/internal/store"
)

const importHelp = `Usage : permis import offences [options] FICHIER

Importe des infractions constatées (NDJSON ou CSV, éventuellement .gz ;
format : docs/import-format.md), par lots atomiques, clé = event_id. Le même
fichier importé deux fois ne change rien ; un import interrompu (même par
kill -9) se termine en relançant la même commande. Les lignes refusées sont
listées avec leur numéro et leur motif ; les bonnes lignes sont enregistrées.

Options :
`

// cmdImportOffences imports established offences from the fines system.
func cmdImportOffences(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import offences", flag.ContinueOnError)
	c := addCommon(fs, e)
	batch := fs.Int("batch", ingest.DefaultBatchSize, "lignes par transaction")
	window := fs.Int("window", ingest.DefaultWindowRows, "lignes lues puis envoyées par lots dans l'ordre des permis du registre (au moins --batch)")
	rejects := fs.String("rejects", "", "écrire les lignes refusées dans ce fichier (par défaut : sortie d'erreur)")
	progress := fs.String("progress", "auto", "barre de progression : auto (si terminal), always, never")
	fs.Usage = func() { fmt.Fprint(e.stderr, importHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("usage : permis import offences [options] FICHIER")
	}
	name := fs.Arg(0)
	var in io.Reader = e.stdin
	var size int64
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil {
			size = st.Size()
		}
		in = f
	}
	opts := ingest.Options{BatchSize: *batch, WindowRows: *window, Rejects: e.stderr, Size: size}
	if *rejects != "" {
		f, err := os.Create(*rejects)
		if err != nil {
			return err
		}
		defer f.Close()
		opts.Rejects = f
	}
	switch *progress {
	case "always":
		opts.Progress, opts.IsTerminal = e.stderr, true
	case "auto":
		opts.Progress, opts.IsTerminal = e.stderr, isTerminal(e.stderr)
	case "never":
	default:
		return usageErr("--progress : auto, always ou never")
	}
	s, err := c.openStore(ctx, store.Options{WriteCacheKiB: store.BulkWriteCacheKiB})
	if err != nil {
		return err
	}
	defer s.Close()
	sum, err := ingest.Import(ctx, in, s, opts)
	fmt.Fprintln(e.stdout, sum.String())
	if err != nil {
		return err
	}
	if n := sum.RejectedTotal(); n > 0 {
		return &exitError{code: 3, msg: fmt.Sprintf("%d ligne(s) refusée(s) : les autres sont enregistrées", n)}
	}
	return nil
}

// isTerminal reports whether w is a character device (a terminal).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"permis/internal/directory"
	"permis/internal/store"
)

const directoryHelp = `Usage : permis import directory [--format csv|mediation] [--source NOM] FICHIER

Importe dans les annuaires (lieux d'aide, photographes et cabines agréés,
médecins agréés, commission médicale) un fichier CSV (colonnes décrites dans
docs/directory.md) ou un fichier JSON au schéma national des lieux de
médiation numérique. Les lignes valides sont enregistrées ; les autres sont
listées avec leur ligne, leur champ et le motif. Importer le même fichier une
seconde fois ne change rien (clé : source + identifiant).

Options :
`

// cmdImportDirectory imports a directory file.
func cmdImportDirectory(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("import directory", flag.ContinueOnError)
	c := addCommon(fs, e)
	format := fs.String("format", "", "csv ou mediation (défaut : selon l'extension, .json = mediation)")
	source := fs.String("source", "", "éditeur des données, quand le fichier ne le dit pas")
	fs.Usage = func() { fmt.Fprint(e.stderr, directoryHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("usage : permis import directory [options] FICHIER")
	}
	name := fs.Arg(0)
	if *format == "" {
		*format = "csv"
		if strings.HasSuffix(strings.ToLower(name), ".json") {
			*format = "mediation"
		}
	}
	var in io.Reader = e.stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	opts := directory.Options{Source: *source}
	var imp directory.Import
	var err error
	switch *format {
	case "csv":
		imp, err = directory.ImportCSV(in, opts)
	case "mediation":
		imp, err = directory.ImportMediation(in, opts)
	default:
		return usageErr("--format : csv ou mediation")
	}
	if err != nil {
		return err
	}
	ss, err := c.open(ctx, e, store.Options{})
	if err != nil {
		return err
	}
	defer ss.close()
	res, err := ss.store.UpsertDirectoryEntries(ctx, imp.Entries)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, strings.TrimRight(imp.Report.String(), "\n"))
	fmt.Fprintf(e.stdout, "Enregistrés : %d nouveaux, %d mis à jour, %d inchangés.\n", res.Inserted, res.Updated, res.Unchanged)
	return nil
}

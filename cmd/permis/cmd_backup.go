package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"permis/internal/store"
)

// cmdBackup writes a consistent copy of the SQLite register to a new file
// while the service may be serving (store.Backup); PostgreSQL is refused
// with a pointer to pg_dump (docs/operations.md).
func cmdBackup(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	c := addCommon(fs, e)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage : permis backup [--data DIR] FICHIER\n\nÉcrit une copie cohérente de la base SQLite dans FICHIER (qui ne doit pas exister),\npendant que le service tourne ; FICHIER s'ouvre comme un registre (--data d'un répertoire\noù il est nommé permis.db). PostgreSQL : pg_dump (docs/operations.md).\n\nOptions :\n")
		fs.PrintDefaults()
	}
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageErr("usage : permis backup [--data DIR] FICHIER")
	}
	if c.database != "" {
		return usageErr("permis backup copie une base SQLite ; une base PostgreSQL se sauvegarde avec pg_dump (docs/operations.md)")
	}
	if _, err := os.Stat(c.dsn()); err != nil {
		return usageErr(fmt.Sprintf("pas de base SQLite %s : %v", c.dsn(), err))
	}
	s, err := c.openStore(ctx, store.Options{NoMigrate: true})
	if err != nil {
		return err
	}
	defer s.Close()
	start := time.Now()
	if err := s.Backup(ctx, fs.Arg(0)); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Sauvegarde de %s écrite dans %s en %s.\n", c.dsn(), fs.Arg(0), time.Since(start).Round(time.Millisecond))
	return nil
}

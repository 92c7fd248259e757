package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"permis/internal/apperr"
	"permis/internal/twoddoc"
)

// twoDDocUsage is the help of "permis 2ddoc".
const twoDDocUsage = `Usage :
  permis 2ddoc verify [--keys FICHIER|RÉPERTOIRE]... [--json] [TEXTE|-]
  permis 2ddoc keygen --ca FR00 --cert 0001 --out RÉPERTOIRE

verify décode un code 2D-Doc (format C40) et vérifie sa signature avec les
clés publiques configurées (fichiers PEM nommés AUTORITÉ-CERTIFICAT, comme
FR00-0001.pub.pem ; --keys se répète ; par défaut PERMIS_2DDOC_KEYS, chemins
séparés par « : »). Le texte vient de l'argument, ou de l'entrée standard
sans argument ou avec « - ». Les séparateurs peuvent être les vrais
caractères de contrôle ou les notations <GS>, <RS>, <US> de la documentation.
Seules nos clés configurées sont connues : pas de liste de confiance (TSL)
téléchargée, pas de liste de révocation (docs/2ddoc.md).

Codes de sortie de verify :
  0  signature valide
  1  signature invalide : le code a été modifié ou signé par une autre clé
  3  certificat inconnu : aucune clé configurée pour l'autorité et le
     certificat du code, la signature n'a pas été vérifiée
  2  texte mal formé (la position de l'erreur est donnée) ou usage incorrect

keygen crée une paire de clés P-256 de test (autorité FR00 par défaut) :
RÉPERTOIRE/FR00-0001.key.pem (privée, mode 0600) et FR00-0001.pub.pem
(publique, à donner aux vérificateurs). Il ne remplace jamais un fichier.
`

// maxCodeText bounds what verify reads from standard input: the largest
// DataMatrix holds about 1,500 bytes.
const maxCodeText = 64 << 10

// run2DDoc is "permis 2ddoc …"; args are the arguments after "2ddoc".
func run2DDoc(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, twoDDocUsage)
		return usageErr("sous-commande manquante : verify ou keygen")
	}
	switch args[0] {
	case "verify":
		return cmd2DDocVerify(ctx, e, args[1:])
	case "keygen":
		return cmd2DDocKeygen(e, args[1:])
	case "help", "-h", "--help":
		fmt.Fprint(stdout, twoDDocUsage)
		return nil
	}
	fmt.Fprint(stderr, twoDDocUsage)
	return usageErr("sous-commande inconnue : 2ddoc " + args[0])
}

// pathList is a repeatable flag.
type pathList []string

func (p *pathList) String() string     { return strings.Join(*p, string(filepath.ListSeparator)) }
func (p *pathList) Set(v string) error { *p = append(*p, v); return nil }

// cmd2DDocVerify decodes and verifies one code; see twoDDocUsage for the
// exit statuses.
func cmd2DDocVerify(_ context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("2ddoc verify", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, twoDDocUsage) }
	var keys pathList
	fs.Var(&keys, "keys", "fichier ou répertoire de clés publiques PEM, répétable [PERMIS_2DDOC_KEYS]")
	asJSON := fs.Bool("json", false, "sortie JSON")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if fs.NArg() > 1 {
		return usageErr("un seul code à la fois : permis 2ddoc verify [--keys …] [--json] [TEXTE|-]")
	}
	if len(keys) == 0 {
		keys = filepath.SplitList(e.getenv("PERMIS_2DDOC_KEYS"))
	}
	ring := twoddoc.NewKeyring()
	if len(keys) > 0 {
		var err error
		if ring, err = twoddoc.LoadKeyring(keys...); err != nil {
			return apperr.New(apperr.Invalid, err.Error())
		}
	}
	text, err := codeText(e, fs.Arg(0))
	if err != nil {
		return err
	}
	v := ring.VerifyPrinted(text) // as printed on a document: <GS> notation, wrapped over lines
	if *asJSON {
		if err := printJSON(e, v.Report()); err != nil {
			return err
		}
	} else if v.Doc != nil {
		printDocument(e.stdout, v)
	}
	switch v.Status {
	case twoddoc.Malformed:
		return apperr.Wrap(apperr.Invalid, v.Reason, v.Err)
	case twoddoc.BadSignature:
		return &exitError{code: 1, msg: v.Reason}
	case twoddoc.UnknownCertificate:
		return &exitError{code: 3, msg: v.Reason}
	}
	return nil
}

// codeText is the argument, or standard input for "" and "-" (without its
// final line break).
func codeText(e *env, arg string) (string, error) {
	if arg != "" && arg != "-" {
		return arg, nil
	}
	b, err := io.ReadAll(io.LimitReader(e.stdin, maxCodeText+1))
	if err != nil {
		return "", fmt.Errorf("lecture de l'entrée standard : %w", err)
	}
	if len(b) > maxCodeText {
		return "", inputErr(fmt.Sprintf("entrée de plus de %d octets : ce n'est pas un code 2D-Doc", maxCodeText))
	}
	return strings.TrimRight(string(b), "\r\n"), nil
}

// printDocument writes the French listing: header, signed fields, annex,
// verdict.
func printDocument(w io.Writer, v twoddoc.Verdict) {
	d, h := v.Doc, v.Doc.Header
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "2D-Doc version %02d\n", h.Version)
	fmt.Fprintf(tw, "  Type de document\t%s\n", docTypeText(h.DocType))
	fmt.Fprintf(tw, "  Autorité de certification\t%s\n", h.CA)
	fmt.Fprintf(tw, "  Certificat\t%s\n", h.Cert)
	fmt.Fprintf(tw, "  Date d'émission\t%s\n", frenchDate(h.IssueDate.Valid, h.IssueDate.Date.French()))
	fmt.Fprintf(tw, "  Date de signature\t%s\n", frenchDate(h.SignatureDate.Valid, h.SignatureDate.Date.French()))
	if h.Perimeter != "" {
		fmt.Fprintf(tw, "  Périmètre\t%s\n", h.Perimeter)
	}
	if h.Country != "" {
		fmt.Fprintf(tw, "  Pays\t%s\n", h.Country)
	}
	fmt.Fprintf(tw, "  Signature\t%s (%d octets)\n", d.Algorithm(), len(d.Signature))
	fmt.Fprintf(tw, "\nDonnées signées :\n")
	printFields(tw, d.Fields)
	if len(d.Annex) > 0 {
		fmt.Fprintf(tw, "\nAnnexe (non signée, non garantie) :\n")
		printFields(tw, d.Annex)
	}
	tw.Flush()
	fmt.Fprintf(w, "\nVerdict : %s\n", v.Reason)
}

func printFields(w io.Writer, fields []twoddoc.Field) {
	for _, f := range fields {
		shown := twoddoc.Display(f.Identifier(), f.Value)
		if f.Truncated() {
			shown += " [tronqué]"
		}
		fmt.Fprintf(w, "  %s\t%s\t%s\n", f.ID, f.Identifier().Label, shown)
	}
}

func docTypeText(code string) string {
	if l := twoddoc.DocTypeLabel(code); l != "" {
		return code + " — " + l
	}
	return code + " (type inconnu)"
}

func frenchDate(valid bool, s string) string {
	if !valid {
		return "aucune"
	}
	return s
}

// cmd2DDocKeygen writes a new test key pair.
func cmd2DDocKeygen(e *env, args []string) error {
	fs := flag.NewFlagSet("2ddoc keygen", flag.ContinueOnError)
	fs.Usage = func() { fmt.Fprint(e.stderr, twoDDocUsage) }
	ca := fs.String("ca", "FR00", "autorité de certification (FR00 : test)")
	cert := fs.String("cert", "0001", "identifiant du certificat, 4 caractères A à Z ou 0 à 9")
	out := fs.String("out", "", "répertoire où écrire les fichiers PEM")
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	if *out == "" || fs.NArg() > 0 {
		return usageErr("usage : permis 2ddoc keygen --ca FR00 --cert 0001 --out RÉPERTOIRE")
	}
	s, err := twoddoc.GenerateSigner(*ca, *cert, rand.Reader)
	if err != nil {
		return apperr.New(apperr.Invalid, err.Error())
	}
	kf, err := twoddoc.WriteKeyFiles(*out, s)
	if err != nil {
		if errors.Is(err, twoddoc.ErrKeyExists) {
			return apperr.New(apperr.Conflict, err.Error())
		}
		return err
	}
	fmt.Fprintf(e.stdout, "Clé privée   : %s\nClé publique : %s\nVérifier : permis 2ddoc verify --keys %s TEXTE\n", kf.Private, kf.Public, kf.Public)
	return nil
}

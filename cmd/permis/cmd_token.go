package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/store"
)

const tokenHelp = `Usage :
  permis token create --role RÔLE --name NOM   crée un jeton d'API (affiché une seule fois) ;
      pour --role photographer, --account ADRESSE : le compte du photographe
      ou de la cabine agréés, dont le numéro d'agrément signera les codes ;
      pour --role exam_operator, --account ADRESSE : le compte de l'opérateur
      agréé du code (un seul jeton actif par compte)
  permis token list                            liste les jetons (id, préfixe, rôle, nom, état)
  permis token revoke ID                       révoque un jeton

Rôles : citizen, driving_school, photographer, doctor, agent, helpdesk, prosecutor, exam_operator, admin.
L'API des dossiers (/api/v1/licences/…) est ouverte aux rôles agent, helpdesk et prosecutor.
`

// cmdToken manages API tokens.
func cmdToken(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, tokenHelp)
		return usageErr("sous-commande manquante : create, list ou revoke")
	}
	fs := flag.NewFlagSet("token "+args[0], flag.ContinueOnError)
	c := addCommon(fs, e)
	role := fs.String("role", "", "rôle du jeton")
	name := fs.String("name", "", "nom du jeton : qui l'utilise et pour quoi")
	account := fs.String("account", "", "adresse du compte pour lequel le jeton agit (obligatoire pour --role photographer et exam_operator)")
	fs.Usage = func() { fmt.Fprint(e.stderr, tokenHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args[1:]); help || err != nil {
		return err
	}
	ss, err := c.open(ctx, e, store.Options{})
	if err != nil {
		return err
	}
	defer ss.close()
	s, a := ss.store, ss.app
	switch args[0] {
	case "create":
		r, err := access.ParseRole(*role)
		if err != nil {
			return err // an invalid error naming the role field
		}
		var plaintext string
		switch {
		case r == access.Photographer && *account == "":
			return usageErr("un jeton de photographe agit pour un compte : ajoutez --account ADRESSE")
		case r == access.Photographer:
			plaintext, err = a.CreatePhotographerToken(ctx, *name, *account)
		case r == access.ExamOperator && *account == "":
			return usageErr("un jeton d'opérateur du code agit pour un compte : ajoutez --account ADRESSE")
		case r == access.ExamOperator:
			plaintext, err = exams.New(a.Kernel(), a.Kernel().Exams).CreateOperatorToken(ctx, *name, *account)
		case *account != "":
			return usageErr("--account ne sert qu'avec --role photographer ou exam_operator")
		default:
			plaintext, err = a.CreateToken(ctx, *name, r)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, plaintext)
		fmt.Fprintf(e.stderr, "Jeton %q créé pour le rôle %s. Conservez-le : il ne sera plus affiché.\n", *name, r)
		return nil
	case "list":
		tokens, err := s.ListAPITokens(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPRÉFIXE\tRÔLE\tNOM\tCRÉÉ LE\tÉTAT")
		for _, t := range tokens {
			state := "actif"
			if t.RevokedAt != nil {
				state = "révoqué le " + t.RevokedAt.Format("2006-01-02")
			}
			fmt.Fprintf(tw, "%d\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.Prefix, t.Role, t.Name, t.CreatedAt.Format("2006-01-02"), state)
		}
		return tw.Flush()
	case "revoke":
		if fs.NArg() != 1 {
			return usageErr("usage : permis token revoke ID")
		}
		id, err := strconv.ParseInt(fs.Arg(0), 10, 64)
		if err != nil {
			return usageErr("usage : permis token revoke ID (l'identifiant numérique que donne permis token list)")
		}
		if err := a.RevokeToken(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "Jeton %s révoqué.\n", fs.Arg(0))
		return nil
	}
	return usageErr("sous-commande inconnue : " + args[0])
}

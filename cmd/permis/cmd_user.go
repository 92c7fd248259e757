package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/store"
)

const userHelp = `Usage :
  permis user create --role RÔLE --email ADRESSE [--given-name P] [--family-name N] [--organisation O] [--approval N]

Crée le compte d'un agent, d'un partenaire ou d'un administrateur (les usagers
créent le leur sur le portail). Le mot de passe est lu dans PERMIS_USER_PASSWORD
ou, à défaut, sur l'entrée standard (une ligne). Les agents (agent, helpdesk,
prosecutor, admin) configurent leur application d'authentification (TOTP) à
leur première connexion.
`

// cmdUser manages portal accounts.
func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(e.stderr, userHelp)
		return usageErr("sous-commande attendue : create")
	}
	fs := flag.NewFlagSet("user create", flag.ContinueOnError)
	c := addCommon(fs, e)
	role := fs.String("role", "", "rôle du compte")
	email := fs.String("email", "", "adresse électronique (identifiant de connexion)")
	given := fs.String("given-name", "", "prénom")
	family := fs.String("family-name", "", "nom")
	org := fs.String("organisation", "", "organisme (préfecture, auto-école…)")
	approval := fs.String("approval", "", "numéro d'agrément (partenaires)")
	fs.Usage = func() { fmt.Fprint(e.stderr, userHelp); fs.PrintDefaults() }
	if help, err := parseFlags(fs, e, args[1:]); help || err != nil {
		return err
	}
	r, err := access.ParseRole(*role)
	if err != nil {
		return err
	}
	password := e.getenv("PERMIS_USER_PASSWORD")
	if password == "" {
		line, _ := bufio.NewReader(e.stdin).ReadString('\n')
		password = strings.TrimRight(line, "\r\n")
	}
	ss, err := c.open(ctx, e, store.Options{})
	if err != nil {
		return err
	}
	defer ss.close()
	id, err := ss.app.CreateStaffAccount(ctx, app.Request{Actor: access.SystemActor("cli")}, app.StaffAccount{
		Role: r, Email: *email, Password: password, GivenName: *given, FamilyName: *family, Organisation: *org, ApprovalNumber: *approval,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "compte %d créé : %s (%s)\n", id, strings.ToLower(*email), r.Label())
	return nil
}

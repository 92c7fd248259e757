package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"permis/internal/contest"
	"permis/internal/store"
)

// cmdContestEvaluate is the public contest contract (docs/contest-evaluate.md):
// one JSON document in, one out; bad input exits 2 with one line on stderr
// and nothing on stdout.
func cmdContestEvaluate(_ context.Context, e *env, args []string) error {
	return runContract(e, "contest evaluate", "Usage : permis contest evaluate [FICHIER|-]\n\nLit un document JSON (un avis de contravention ou d'amende majorée et sa contestation) et\nécrit en JSON la recevabilité, le délai, la consignation et les points en jeu : contrat public\ndécrit dans docs/contest-evaluate.md. Entrée invalide : code 2.\n", args,
		func(in io.Reader, out io.Writer) error {
			n, c, err := contest.Decode(in)
			if err != nil {
				return err
			}
			return contest.Encode(out, contest.Evaluate(contest.DefaultConfig(), n, c))
		})
}

// cmdContestNightly is the nightly step of fines: the non-designation
// fine of every company that did not designate its driver within the delay
// (L121-6), and the closing of contests whose consignation never came
// (CPP 529-10 3°). Running it twice does nothing more.
func cmdContestNightly(ctx context.Context, e *env, args []string) error {
	fs := flag.NewFlagSet("contest nightly", flag.ContinueOnError)
	c := addCommon(fs, e)
	if help, err := parseFlags(fs, e, args); help || err != nil {
		return err
	}
	ss, err := c.open(ctx, e, store.Options{})
	if err != nil {
		return err
	}
	defer ss.close()
	svc := ss.fines
	sum, err := svc.IssueNonDesignationFines(ctx)
	if err != nil {
		return err
	}
	closed, err := svc.CloseUnpaidDeposits(ctx)
	if err != nil {
		return err
	}
	increased, err := svc.IncreaseOverdueNotices(ctx)
	if err != nil {
		return err
	}
	refunded, err := svc.RefundDue(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Amendes pour non-désignation du conducteur émises : %d.\n", sum.Issued)
	for _, n := range sum.Numbers {
		fmt.Fprintln(e.stdout, n)
	}
	fmt.Fprintf(e.stdout, "Contestations closes faute de consignation : %d.\n", closed)
	fmt.Fprintf(e.stdout, "Avis devenus amendes forfaitaires majorées : %d.\n", increased)
	fmt.Fprintf(e.stdout, "Paiements remboursés : %d.\n", refunded)
	return nil
}

package exams

import (
	"context"
	"strings"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/secret"
	"permis/internal/store"
)

// TheoryReport is one theory-test result as an operator sends it: every
// field as typed, checked here.
type TheoryReport struct {
	NEPH   string // the candidate's NEPH
	Date   string // the sitting's day, YYYY-MM-DD
	Result string // "pass" or "fail"
}

// The results an operator reports.
const (
	ResultPass = "pass"
	ResultFail = "fail"
)

// Stable reasons of a refused report, for API clients.
var (
	ReasonDuplicate = &apperr.Reason{Code: "theory_result_exists", Message: "Un résultat est déjà enregistré pour ce candidat à cette date."}
	ReasonUnknown   = &apperr.Reason{Code: "neph_unknown", Message: "Aucun candidat n'est inscrit sous ce NEPH."}
)

// TheoryRecorded is a recorded result and what it gives the candidate.
type TheoryRecorded struct {
	Reference string
	NEPH      licence.NEPH
	Date      date.Date
	Result    string
	// ValidUntil is the pass's last valid day (5 years); zero for a fail.
	ValidUntil date.Date
	// Attempts is the number of practical exams the pass allows (5).
	Attempts int
}

// RecordTheoryResult records an approved operator's result in ONE
// transaction with its audit entry. Bad input records nothing and names
// each wrong field; a NEPH nobody is registered under is not_found; a
// second result for the same candidate and day is a conflict.
func (s *Service) RecordTheoryResult(ctx context.Context, req app.Request, in TheoryReport) (TheoryRecorded, error) {
	op, err := s.operatorOf(ctx, req.Actor)
	if err != nil {
		return TheoryRecorded{}, err
	}
	today := date.Today(s.k.Clock.Now())
	r, err := parseReport(in, today)
	if err != nil {
		return TheoryRecorded{}, err
	}
	r.OperatorID = op.ID
	if _, err := s.k.Store.FindLicenceByNEPH(ctx, r.NEPH); apperr.Is(err, apperr.NotFound) {
		// not a licence holder: a candidate registered for the exams
		if _, err := s.k.Store.ExamRegistrationOfNEPH(ctx, string(r.NEPH)); apperr.Is(err, apperr.NotFound) {
			return TheoryRecorded{}, apperr.Fail(apperr.NotFound, "neph", ReasonUnknown, "")
		} else if err != nil {
			return TheoryRecorded{}, err
		}
	} else if err != nil {
		return TheoryRecorded{}, err
	}
	for range 3 {
		r.Reference = "ETG-" + secret.NewCode(8)
		err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.CreateTheoryResult(ctx, &r); err != nil {
				return err
			}
			return s.k.AuditTx(ctx, tx, req, "exam.theory_result", "neph", string(r.NEPH))
		})
		if !apperr.Is(err, apperr.Conflict) {
			break
		}
		if s.sameDay(ctx, r) { // else the reference was drawn twice: draw again
			return TheoryRecorded{}, apperr.Fail(apperr.Conflict, "date", ReasonDuplicate, "")
		}
	}
	if err != nil {
		return TheoryRecorded{}, err
	}
	out := TheoryRecorded{Reference: r.Reference, NEPH: r.NEPH, Date: r.TakenOn, Result: ResultFail}
	if r.Passed {
		p := exam.TheoryPass{Passed: r.TakenOn}
		out.Result, out.ValidUntil, out.Attempts = ResultPass, p.Expires(s.cfg), p.AttemptsLeft(s.cfg)
	}
	return out, nil
}

// sameDay reports whether a result for r's candidate and day exists.
func (s *Service) sameDay(ctx context.Context, r store.TheoryResult) bool {
	rs, err := s.k.Store.ListTheoryResults(ctx, r.NEPH)
	if err != nil {
		return false
	}
	for _, x := range rs {
		if x.TakenOn == r.TakenOn {
			return true
		}
	}
	return false
}

// parseReport checks every field and names each wrong one.
func parseReport(in TheoryReport, today date.Date) (store.TheoryResult, error) {
	var r store.TheoryResult
	p := map[string]string{}
	n, err := licence.ParseNEPH(in.NEPH)
	if err != nil {
		p["neph"] = "NEPH invalide : " + err.Error() + "."
	}
	r.NEPH = n
	switch d, err := date.Parse(strings.TrimSpace(in.Date)); {
	case strings.TrimSpace(in.Date) == "":
		p["date"] = "Indiquez la date de l'épreuve (AAAA-MM-JJ)."
	case err != nil:
		p["date"] = "Date de l'épreuve invalide : écrivez-la AAAA-MM-JJ, par exemple 2026-12-04."
	case d.After(today):
		p["date"] = "La date de l'épreuve ne peut pas être dans le futur."
	default:
		r.TakenOn = d
	}
	switch in.Result {
	case ResultPass, ResultFail:
		r.Passed = in.Result == ResultPass
	default:
		p["result"] = "Le résultat est « pass » (réussite) ou « fail » (échec)."
	}
	if len(p) > 0 {
		return r, &apperr.Error{Code: apperr.Invalid, Message: "Le résultat n'est pas enregistré : corrigez les champs signalés.", Fields: p}
	}
	return r, nil
}

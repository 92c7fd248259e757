package main

import (
	"context"
	"log/slog"

	"permis/internal/apperr"
	"permis/internal/store"
)

// demoExamCentres returns the demo's exam centres (Hérault, where RdvPermis
// was piloted): the bureau publishes places in them from /agents/examens.
func demoExamCentres() []store.ExamCentre {
	return []store.ExamCentre{
		{Code: "34-LATTES", Name: "Centre d'examen du permis de conduire de Lattes", Departement: "34"},
		{Code: "34-BEZIERS", Name: "Centre d'examen du permis de conduire de Béziers", Departement: "34"},
	}
}

// ensureDemoExamCentres records the demo's exam centres on a database that
// has none. Another instance recording them at the same time is not an
// error.
func ensureDemoExamCentres(ctx context.Context, s *store.Store, logger *slog.Logger) error {
	cs, err := s.ListExamCentres(ctx)
	if err != nil || len(cs) > 0 {
		return err
	}
	centres := demoExamCentres()
	for _, c := range centres {
		if err := s.CreateExamCentre(ctx, &c); err != nil && !apperr.Is(err, apperr.Conflict) {
			return err
		}
	}
	logger.Info("centres d'examen de démonstration créés", "n", len(centres))
	return nil
}

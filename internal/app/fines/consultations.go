package fines

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/store"
)

// consultedFineActions are the audit actions that are reads of a person's
// notices and contests by someone else, with their French description.
var consultedFineActions = map[string]string{
	"fine.notice.read":           "Consultation de votre avis de contravention n° %s",
	"fine.contest.read":          "Consultation de votre contestation %s par l'officier du ministère public",
	"fine.contest.document_read": "Téléchargement d'une pièce de votre contestation %s",
	"fine.decision.dropped":      "Décision sur votre contestation %s",
	"fine.decision.inadmissible": "Décision sur votre contestation %s",
	"fine.decision.designated":   "Décision sur votre contestation %s",
	"fine.decision.court":        "Décision sur votre contestation %s",
	"fine.decision.acquitted":    "Décision sur votre contestation %s",
	"fine.decision.convicted":    "Décision sur votre contestation %s",
}

// MyConsultations lists who read the signed-in citizen's notices and
// contests (the notices of their linked licence), newest last, for "Qui a
// consulté mon dossier": the OMP's reads of a file and its documents, and
// the reads of a notice by its number and plate by anyone else than the
// citizen. The citizen's own reads are not listed.
func (s *Service) MyConsultations(ctx context.Context, req app.Request) ([]app.Consultation, error) {
	u, err := s.citizen(ctx, req)
	if err != nil || u.LicenceID == 0 {
		return nil, err
	}
	ns, err := s.k.Store.ListNoticesOfLicence(ctx, u.LicenceID)
	if err != nil {
		return nil, err
	}
	var out []app.Consultation
	add := func(subjectType, subjectID string) error {
		es, err := s.k.Store.ListAudit(ctx, subjectType, subjectID)
		if err != nil {
			return err
		}
		for _, e := range es {
			what, ok := consultedFineActions[e.Action]
			if !ok || e.Actor == req.Actor.ID {
				continue
			}
			ref, _, _ := strings.Cut(subjectID, "/")
			out = append(out, app.Consultation{At: e.At, Who: who(e), What: fmt.Sprintf(what, ref), Reason: e.Reason})
		}
		return nil
	}
	for _, n := range ns {
		if err := add("fine_notice", n.Number); err != nil {
			return nil, err
		}
		cs, err := s.k.Store.ListContestsOfNotice(ctx, n.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range cs {
			if err := add("fine_contest", c.Reference); err != nil {
				return nil, err
			}
			full, err := s.k.Store.FindContest(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			for _, d := range full.Documents {
				if err := add("fine_contest", fmt.Sprintf("%s/%d", c.Reference, d.ID)); err != nil {
					return nil, err
				}
			}
		}
	}
	return out, nil
}

func who(e store.AuditEntry) string {
	if e.ActorRole == "" || e.Actor == "anonymous" {
		return "Personne non connectée, munie du numéro de l'avis et de l'immatriculation"
	}
	return access.Role(e.ActorRole).Label()
}

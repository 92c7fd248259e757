package medical

import (
	"context"
	"fmt"
	"strings"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	rules "permis/internal/medical"
	"permis/internal/store"
)

// The préfet decides on the opinion (R226-4; arrêté du 31 juillet 2012):
// an instructing agent records the decision. When it follows the opinion,
// the register gains what the opinion says: each examined category's end
// of medical validity (for heavy categories by the holder's age,
// rules.HeavyValidityEnd; for a temporary fitness its end date) and the
// restriction codes. An appeal goes to the commission médicale d'appel;
// the decision applies meanwhile.

// Decisions the agent records.
const (
	DecisionFollow = "follow" // the préfet's decision follows the opinion
	DecisionDepart = "depart" // it departs from it (a note says how)
)

func (s *Service) agentOf(req app.Request) (int64, error) {
	if req.Actor.Role != access.Agent && req.Actor.Role != access.Admin {
		return 0, apperr.New(apperr.Forbidden, "Seuls les agents instructeurs enregistrent les décisions du préfet.")
	}
	var id int64
	if _, err := fmt.Sscanf(req.Actor.ID, "user:%d", &id); err != nil || id <= 0 {
		return 0, apperr.New(apperr.Unauthenticated, "Connectez-vous pour accéder à l'espace agents.")
	}
	return id, nil
}

// AwaitingDecisions lists the opinions awaiting the préfet's decision,
// the oldest first; the read is audited.
func (s *Service) AwaitingDecisions(ctx context.Context, req app.Request) ([]OpinionView, error) {
	if _, err := s.agentOf(req); err != nil {
		return nil, err
	}
	os, err := s.k.Store.ListMedicalOpinionsAwaitingDecision(ctx, 100)
	if err != nil {
		return nil, err
	}
	out := make([]OpinionView, 0, len(os))
	for _, o := range os {
		v, err := s.view(ctx, o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	if err := s.k.Audit(ctx, req, "medical.opinions.list", "medical_opinion", fmt.Sprintf("%d", len(out))); err != nil {
		return nil, err
	}
	return out, nil
}

// Decide records the préfet's decision on the opinion ref and, when it
// follows the opinion, writes the opinion into the register, in one
// transaction with the request's timeline and the audit entry.
func (s *Service) Decide(ctx context.Context, req app.Request, ref, decision, note string) error {
	agent, err := s.agentOf(req)
	if err != nil {
		return err
	}
	note = strings.TrimSpace(note)
	switch {
	case decision != DecisionFollow && decision != DecisionDepart:
		return apperr.Field("decision", "Choisissez la décision du préfet.")
	case decision == DecisionDepart && note == "":
		return apperr.Field("note", "Indiquez en quoi la décision s'écarte de l'avis.")
	case len(note) > 1000:
		return apperr.Field("note", "La note ne doit pas dépasser 1 000 caractères.")
	}
	o, err := s.k.Store.FindMedicalOpinion(ctx, ref)
	if err != nil {
		return err
	}
	today := s.Today()
	return s.k.Store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.DecideMedicalOpinion(ctx, o.ID, decision, today, agent, note); err != nil {
			return err
		}
		if decision == DecisionFollow {
			if err := s.apply(ctx, tx, o); err != nil {
				return err
			}
		}
		if o.RequestID != 0 {
			label := "Décision du préfet : conforme à l'avis médical"
			if decision == DecisionDepart {
				label = "Décision du préfet : différente de l'avis médical"
			}
			e := store.RequestEvent{RequestID: o.RequestID, Kind: "documents", ActorRole: "agent", ActorID: agent,
				Label: label, Detail: "Avis " + o.Reference + " (" + rules.Outcome(o.Outcome).Label() + ")."}
			if err := tx.AppendRequestEvent(ctx, &e); err != nil {
				return err
			}
		}
		return s.k.AuditTx(ctx, tx, req, "medical.decision."+decision, "medical_opinion", o.Reference)
	})
}

// apply writes a followed opinion into the register.
func (s *Service) apply(ctx context.Context, tx *store.Store, o store.MedicalOpinion) error {
	l, err := tx.FindLicence(ctx, o.LicenceID)
	if err != nil {
		return err
	}
	p, err := tx.FindPerson(ctx, l.PersonID)
	if err != nil {
		return err
	}
	op := rules.Opinion{By: rules.Examiner(o.Examiner), Outcome: rules.Outcome(o.Outcome), Examined: o.Examined,
		Until: o.Until, Restrictions: o.Restrictions}
	if op.Outcome == rules.Unfit {
		return nil // unfit: no validity to write; the préfet's refusal or suspension is its own measure
	}
	examined := map[string]bool{}
	for _, c := range o.Categories {
		examined[c] = true
	}
	for _, c := range l.Categories {
		cat := string(c.Category)
		if !examined[cat] {
			continue
		}
		switch {
		case rules.Heavy(cat):
			err = tx.SetCategoryMedicalUntil(ctx, l.ID, cat, rules.HeavyValidityEnd(p.BirthDate, o.Examined, op))
		case op.Outcome == rules.FitLimited:
			err = tx.SetCategoryMedicalUntil(ctx, l.ID, cat, op.Until.Date)
		}
		if err != nil {
			return err
		}
	}
	for _, code := range op.Restrictions {
		if err := tx.AddRestriction(ctx, l.ID, code, ""); err != nil {
			return err
		}
	}
	return nil
}

package app

import (
	"context"
	"fmt"
	"time"

	"permis/internal/access"
	"permis/internal/date"
	"permis/internal/mail"
	"permis/internal/requests"
	"permis/internal/store"
)

// Abandoned drafts (issue 10, finding 5): a draft untouched for
// RequestOptions.DraftPurgeDays is deleted with its files; its owner is
// mailed DraftWarnDays before, and any change to the draft starts the
// count again. Housekeeping runs both steps.

const day = 24 * time.Hour

// purgeDrafts warns the owners of drafts about to be deleted, and deletes
// those whose warning is old enough. It returns how many it warned or
// deleted.
func (a *App) purgeDrafts(ctx context.Context) (int, error) {
	now := a.clock.Now()
	purgeBefore := now.Add(-time.Duration(a.reqs.DraftPurgeDays) * day)
	warnBefore := now.Add(-time.Duration(a.reqs.DraftPurgeDays-a.reqs.DraftWarnDays) * day)
	sys := Request{Actor: access.SystemActor("brouillons")}
	done := 0
	ids, err := a.store.DraftsToWarn(ctx, warnBefore)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		err := a.store.Transact(ctx, func(tx *store.Store) error {
			r, err := tx.FindRequest(ctx, id)
			if err != nil {
				return err
			}
			until := date.Today(now.Add(time.Duration(a.reqs.DraftWarnDays) * day))
			e := store.RequestEvent{RequestID: id, Kind: "system", Event: requests.Event(store.DraftPurgeWarning), ActorRole: "system",
				Label: "Brouillon bientôt supprimé", Detail: "Sans modification d'ici au " + until.French() + ", ce brouillon sera supprimé avec ses pièces."}
			if err := tx.AppendRequestEvent(ctx, &e); err != nil {
				return err
			}
			to := r.Email
			if owner, err := tx.FindUser(ctx, r.OwnerID); err == nil && owner.Email != "" {
				to = owner.Email
			}
			if to == "" {
				return nil
			}
			_, err = mail.Enqueue(ctx, tx, mail.Message{To: to, Subject: "Votre brouillon de demande va être supprimé (" + r.Reference + ")",
				Text: "Bonjour,\n\nVotre demande " + r.Reference + " (" + kindLabel(r.Kind) + ") est un brouillon que personne n'a modifié depuis " +
					fmt.Sprint(a.reqs.DraftPurgeDays-a.reqs.DraftWarnDays) + " jours. Sans modification d'ici au " + until.French() +
					", elle sera supprimée avec les pièces déposées.\n\nPour la garder, ouvrez-la et enregistrez une étape : " +
					a.publicURL + "/demandes/" + fmt.Sprint(r.ID) + mailSignature})
			return err
		})
		if err != nil {
			return done, err
		}
		done++
	}
	ids, err = a.store.DraftsToPurge(ctx, purgeBefore, now.Add(-time.Duration(a.reqs.DraftWarnDays)*day))
	if err != nil {
		return done, err
	}
	for _, id := range ids {
		r, err := a.store.FindRequest(ctx, id)
		if err != nil {
			return done, err
		}
		keys, err := a.store.DeleteDraft(ctx, id, purgeBefore)
		if err != nil {
			return done, err
		}
		a.deleteFiles(ctx, keys)
		_ = a.audit.Record(ctx, a.entry(sys, "request.draft_purged", "request", r.Reference))
		done++
	}
	return done, nil
}

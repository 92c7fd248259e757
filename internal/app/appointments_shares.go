package app

import (
	"context"
	"strconv"

	"permis/internal/apperr"
	"permis/internal/requests"
	"permis/internal/store"
)

// A signed-in person may let the help point's agents see one of their open
// licence requests, to prepare the appointment (issue 5: "see the person's
// open request, with their consent"). The consent is per appointment; the
// agents' read of it is audited like any read of a person's file.

// OpenRequests lists the signed-in person's requests that are neither
// drafts nor finished: those worth showing to a help point.
func (s *Appointments) OpenRequests(ctx context.Context, req Request) ([]store.Request, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return nil, err
	}
	rs, err := s.a.store.ListRequestsOfOwner(ctx, owner)
	if err != nil {
		return nil, err
	}
	var out []store.Request
	for _, r := range rs {
		if r.Status != requests.StatusDraft && !r.Status.Final() {
			out = append(out, r)
		}
	}
	return out, nil
}

// ShareRequest lets the agents of the appointment's help point see the
// person's request. Both must be the signed-in person's own.
func (s *Appointments) ShareRequest(ctx context.Context, req Request, appointmentID, requestID int64) error {
	owner, err := requestOwner(req)
	if err != nil {
		return err
	}
	ap, err := s.a.store.FindAppointment(ctx, appointmentID)
	if err != nil {
		return err
	}
	if ap.UserID != owner {
		return apperr.New(apperr.NotFound, "Rendez-vous inconnu.")
	}
	if _, err := s.a.store.FindRequestOfOwner(ctx, requestID, owner); err != nil {
		return err
	}
	return s.a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.ShareRequest(ctx, appointmentID, requestID, s.a.clock.Now()); err != nil {
			return err
		}
		return s.a.auditTx(ctx, tx, req, "appointment.share_request", "appointment", strconv.FormatInt(appointmentID, 10))
	})
}

// SharedRequest is, for the agents, the request the person shared with an
// appointment (ok false when none). The read is audited on the request's
// licence file.
func (s *Appointments) SharedRequest(ctx context.Context, req Request, appointmentID int64) (TrackView, bool, error) {
	if err := staff(req); err != nil {
		return TrackView{}, false, err
	}
	id, err := s.a.store.SharedRequestID(ctx, appointmentID)
	if err != nil || id == 0 {
		return TrackView{}, false, err
	}
	r, err := s.a.store.FindRequest(ctx, id)
	if err != nil {
		return TrackView{}, false, err
	}
	tv, err := s.a.trackView(ctx, r)
	if err != nil {
		return TrackView{}, false, err
	}
	subject := r.NEPH
	if subject == "" {
		subject = r.Reference
	}
	if err := s.a.audit.Record(ctx, s.a.entry(req, "request.read_shared", "licence", subject)); err != nil {
		return TrackView{}, false, err
	}
	return tv, true, nil
}

package app

import (
	"context"
	"slices"
	"strings"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
)

// Tracking: "where is my request", for its owner and publicly by
// reference and birth date. A request is never a black box: the timeline
// of every step, the expected next step and its date, and — when it
// waits — exactly what and whom it waits on.

// TimelineEntry is one dated line of a request's history.
type TimelineEntry struct {
	At     time.Time
	Label  string
	Detail string
}

// TrackView is what the applicant (or anyone with the reference and the
// birth date) reads about a request.
type TrackView struct {
	Reference      string
	Kind           requests.Kind
	KindLabel      string
	Status         requests.Status
	StatusLabel    string
	SubmittedAt    *time.Time
	NextStep       string         // what happens next, in French
	NextDate       date.Null      // when it is expected
	WaitingOn      requests.Party // who it waits on
	WaitingOnLabel string         // in French
	Waiting        []string       // precisely what it waits for (the documents asked and why)
	Overdue        bool           // past the service's target date
	TrackingNumber string         // La Poste's, once sent
	Rejection      string         // the reason, when refused
	Loss           *requests.LossAttestation
	Timeline       []TimelineEntry // oldest first
}

// errTrackNoMatch is the one answer to a wrong reference, a wrong birth
// date, or both: the form must not tell which.
var errTrackNoMatch = apperr.New(apperr.NotFound,
	"Aucune demande ne correspond à cette référence et à cette date de naissance. Vérifiez la référence (DEM-…) indiquée dans le courriel de confirmation.")

// Track returns the public view of the request with that reference and
// applicant's birth date, rate limited per client; every wrong pair gets
// the same answer.
func (a *App) Track(ctx context.Context, req Request, reference, birthDate string) (TrackView, error) {
	if err := a.limit(ctx, "track:client:"+req.Client, time.Hour, a.reqs.TrackPerHour); err != nil {
		return TrackView{}, err
	}
	ref := strings.ToUpper(strings.Join(strings.Fields(reference), ""))
	birth, err := date.ParseTyped(birthDate) // JJ/MM/AAAA as typed, or AAAA-MM-JJ
	if err != nil || ref == "" {
		return TrackView{}, errTrackNoMatch
	}
	r, err := a.store.FindRequestForTracking(ctx, ref, birth)
	if apperr.Is(err, apperr.NotFound) {
		return TrackView{}, errTrackNoMatch
	}
	if err != nil {
		return TrackView{}, err
	}
	v, err := a.trackView(ctx, r)
	if err != nil {
		return TrackView{}, err
	}
	return maskForPublic(v), nil
}

// maskForPublic hides the bearer values of a request's history from
// whoever knows its reference and birth date: a fiscal stamp number keeps
// its last four digits (anyone typing it into a request would use the
// stamp). Only the owner, in their space, sees it whole.
func maskForPublic(v TrackView) TrackView {
	v.Rejection = stamp.MaskNumbers(v.Rejection)
	v.Waiting = slices.Clone(v.Waiting)
	for i := range v.Waiting {
		v.Waiting[i] = stamp.MaskNumbers(v.Waiting[i])
	}
	v.Timeline = slices.Clone(v.Timeline)
	for i := range v.Timeline {
		v.Timeline[i].Detail = stamp.MaskNumbers(v.Timeline[i].Detail)
	}
	return v
}

// RequestView is the owner's view of a request: the tracking view, its
// documents and its thread (without the agents' notes).
type RequestView struct {
	Request   store.Request
	Track     TrackView
	Documents []store.RequestDocument
	Messages  []store.RequestMessage
}

// MyRequest returns the owner's request; any other is not_found.
func (a *App) MyRequest(ctx context.Context, req Request, id int64) (RequestView, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return RequestView{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return RequestView{}, err
	}
	tv, err := a.trackView(ctx, r)
	if err != nil {
		return RequestView{}, err
	}
	docs, err := a.store.ListRequestDocuments(ctx, id, false)
	if err != nil {
		return RequestView{}, err
	}
	ms, err := a.store.ListRequestMessages(ctx, id, false)
	return RequestView{Request: r, Track: tv, Documents: docs, Messages: ms}, err
}

// MyRequests lists the owner's requests, newest first.
func (a *App) MyRequests(ctx context.Context, req Request) ([]store.Request, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return nil, err
	}
	return a.store.ListRequestsOfOwner(ctx, owner)
}

func (a *App) trackView(ctx context.Context, r store.Request) (TrackView, error) {
	v := TrackView{Reference: r.Reference, Kind: r.Kind, KindLabel: kindLabel(r.Kind), Status: r.Status,
		StatusLabel: r.Status.Label(), SubmittedAt: r.SubmittedAt, NextStep: r.Status.NextStep(a.reqs.Rules),
		WaitingOn: r.Status.WaitingOn(), TrackingNumber: r.TrackingNumber, Rejection: r.RejectionReason}
	v.WaitingOnLabel = v.WaitingOn.Label()
	today := a.today()
	switch r.Status {
	case requests.StatusSubmitted, requests.StatusInReview:
		v.NextDate = r.ExpectedDecision
		v.Overdue = r.ExpectedDecision.Valid && today.After(r.ExpectedDecision.Date)
	case requests.StatusAccepted, requests.StatusInProduction:
		if r.DecidedAt != nil {
			v.NextDate = date.Some(date.Today(*r.DecidedAt).AddDays(a.reqs.ProductionDays))
		}
	case requests.StatusHeld:
		if r.HeldAt != nil {
			until := a.reqs.Rules.HeldUntil(date.Today(*r.HeldAt))
			v.NextDate = date.Some(until)
			v.Waiting = append(v.Waiting, "Retirez votre permis au bureau de poste avant le "+until.French()+
				" inclus, avec l'avis de passage et une pièce d'identité.")
		}
	case requests.StatusAwaitingDocuments:
		docs, err := a.store.ListRequestDocuments(ctx, r.ID, false)
		if err != nil {
			return v, err
		}
		for _, d := range docs {
			if d.State == store.DocRequested {
				v.Waiting = append(v.Waiting, d.Document.Label()+" : "+d.Reason)
			}
		}
	}
	if r.LossAttestationUntil.Valid {
		v.Loss = &requests.LossAttestation{Issued: r.LossAttestationFrom.Date, ValidUntil: r.LossAttestationUntil.Date}
	}
	evs, err := a.store.ListRequestEvents(ctx, r.ID, false)
	if err != nil {
		return v, err
	}
	for _, e := range evs {
		v.Timeline = append(v.Timeline, TimelineEntry{At: e.CreatedAt, Label: e.Label, Detail: e.Detail})
	}
	return v, nil
}

// LossAttestationView is the data of an attestation de perte (the PDF
// comes later): who, which request, and the days it lets its holder drive.
type LossAttestationView struct {
	Reference  string
	FamilyName string
	GivenNames string
	BirthDate  date.Date
	NEPH       string
	Issued     date.Date
	ValidUntil date.Date
	Valid      bool // today is within it
}

// LossAttestation returns the owner's attestation de perte, given by a
// loss declared in a submitted request; valid LossAttestationMonths.
func (a *App) LossAttestation(ctx context.Context, req Request, id int64) (LossAttestationView, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return LossAttestationView{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return LossAttestationView{}, err
	}
	if !r.LossAttestationUntil.Valid {
		return LossAttestationView{}, apperr.New(apperr.NotFound, "Cette demande ne donne pas d'attestation de perte : elle est donnée par une déclaration de perte envoyée.")
	}
	// The attestation says its holder may drive: not once the right is no
	// longer valid, whatever it was when the loss was declared.
	if err := duplicateAllowed(ctx, a.store, r.Kind, r.LicenceID); err != nil {
		return LossAttestationView{}, err
	}
	la := requests.LossAttestation{Issued: r.LossAttestationFrom.Date, ValidUntil: r.LossAttestationUntil.Date}
	return LossAttestationView{Reference: r.Reference, FamilyName: r.FamilyName, GivenNames: r.GivenNames,
		BirthDate: r.BirthDate.Date, NEPH: r.NEPH, Issued: la.Issued, ValidUntil: la.ValidUntil, Valid: la.ValidOn(a.today())}, nil
}

package requests

import (
	"slices"
	"strings"
	"testing"

	"permis/internal/apperr"
)

var allEvents = []Event{
	EventSubmit, EventStartReview, EventRequestDocuments, EventDocumentsProvided, EventAccept, EventReject,
	EventStartProduction, EventShip, EventDeliver, EventHold, EventReturn, EventResend,
}

func TestLifecycle(t *testing.T) {
	// §6.2, read from top to bottom; anything not listed is refused.
	allowed := []struct {
		from  Status
		event Event
		to    Status
		by    Actor
	}{
		{StatusDraft, EventSubmit, StatusSubmitted, ActorApplicant},
		{StatusSubmitted, EventStartReview, StatusInReview, ActorAgent},
		{StatusInReview, EventRequestDocuments, StatusAwaitingDocuments, ActorAgent},
		{StatusAwaitingDocuments, EventDocumentsProvided, StatusInReview, ActorApplicant}, // the file goes back to the agents
		{StatusInReview, EventAccept, StatusAccepted, ActorAgent},
		{StatusInReview, EventReject, StatusRejected, ActorAgent},
		{StatusAwaitingDocuments, EventReject, StatusRejected, ActorAgent},
		{StatusAccepted, EventStartProduction, StatusInProduction, ActorSystem},
		{StatusInProduction, EventShip, StatusSent, ActorSystem},
		{StatusSent, EventDeliver, StatusDelivered, ActorSystem},
		{StatusSent, EventHold, StatusHeld, ActorSystem}, // nobody home: 15 days at the post office
		{StatusHeld, EventDeliver, StatusDelivered, ActorSystem},
		{StatusHeld, EventReturn, StatusReturned, ActorSystem},
		{StatusReturned, EventResend, StatusSent, ActorSystem}, // and it is sent again
	}
	for _, s := range Statuses() {
		for _, e := range allEvents {
			i := slices.IndexFunc(allowed, func(a struct {
				from  Status
				event Event
				to    Status
				by    Actor
			}) bool {
				return a.from == s && a.event == e
			})
			tr, err := Apply(s, e)
			if i < 0 {
				ae := apperr.As(err)
				if err == nil || ae.Code != apperr.Conflict ||
					ae.Message != "Cette action n'est pas possible : la demande est au statut « "+s.Label()+" »." {
					t.Errorf("%s --%s--> %s: should be refused (%v)", s, e, tr.To, err)
				}
				continue
			}
			want := allowed[i]
			if err != nil || tr.To != want.to || tr.By != want.by || tr.Label == "" {
				t.Errorf("%s --%s--> %s by %s (%v), want %s by %s", s, e, tr.To, tr.By, err, want.to, want.by)
			}
		}
	}
	if len(Transitions()) != len(allowed) {
		t.Errorf("%d transitions, the law lists %d", len(Transitions()), len(allowed))
	}
	if _, err := Apply("lost", EventSubmit); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("unknown status: %v", err)
	}
}

func TestLifecycleShape(t *testing.T) {
	// Every status is reachable from the draft, and from every status a
	// final one (rejected or delivered) can be reached: nothing is stuck.
	reach := func(from Status) map[Status]bool {
		seen := map[Status]bool{from: true}
		queue := []Status{from}
		for len(queue) > 0 {
			s := queue[0]
			queue = queue[1:]
			for _, e := range s.Events() {
				tr, _ := Apply(s, e)
				if !seen[tr.To] {
					seen[tr.To] = true
					queue = append(queue, tr.To)
				}
			}
		}
		return seen
	}
	fromDraft := reach(StatusDraft)
	var finals []Status
	for _, s := range Statuses() {
		if !fromDraft[s] {
			t.Errorf("%s cannot be reached from a draft", s)
		}
		if s.Final() {
			finals = append(finals, s)
			continue
		}
		r := reach(s)
		if !r[StatusDelivered] && !r[StatusRejected] {
			t.Errorf("%s never ends", s)
		}
	}
	if !slices.Equal(finals, []Status{StatusRejected, StatusDelivered}) {
		t.Errorf("final statuses %v, want rejected and delivered", finals)
	}
}

func TestStatusTexts(t *testing.T) {
	cfg := DefaultConfig()
	waits := map[Status]Party{
		StatusDraft: PartyApplicant, StatusSubmitted: PartyService, StatusInReview: PartyService,
		StatusAwaitingDocuments: PartyApplicant, StatusAccepted: PartyMaker, StatusRejected: PartyNone,
		StatusInProduction: PartyMaker, StatusSent: PartyPost, StatusDelivered: PartyNone,
		StatusHeld: PartyApplicant, StatusReturned: PartyService,
	}
	labels := map[string]bool{}
	for _, s := range Statuses() {
		if !s.Valid() || s.Label() == "" || labels[s.Label()] || s.NextStep(cfg) == "" || strings.Contains(s.NextStep(cfg), "{") {
			t.Errorf("%s: label %q, next step %q", s, s.Label(), s.NextStep(cfg))
		}
		labels[s.Label()] = true
		if s.WaitingOn() != waits[s] {
			t.Errorf("%s waits on %q, want %q", s, s.WaitingOn(), waits[s])
		}
		if (s.WaitingOn() == PartyNone) != s.Final() {
			t.Errorf("%s: only a finished request waits on nobody", s)
		}
		if s.WaitingOn().Label() == "" {
			t.Errorf("%s: no label for who it waits on", s)
		}
	}
	if len(waits) != len(Statuses()) {
		t.Errorf("%d statuses, %d expected", len(Statuses()), len(waits))
	}
	if !strings.Contains(StatusHeld.NextStep(cfg), "pendant 15 jours") {
		t.Errorf("held: %q", StatusHeld.NextStep(cfg))
	}
	cfg.PostOfficeHoldDays = 10
	if !strings.Contains(StatusHeld.NextStep(cfg), "pendant 10 jours") {
		t.Errorf("held with 10 days configured: %q", StatusHeld.NextStep(cfg))
	}
	if Status("lost").Valid() || Status("lost").Final() || !strings.Contains(Status("lost").Label(), "lost") {
		t.Error("an unknown status")
	}
}

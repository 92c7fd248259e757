package licence

import (
	"errors"

	"permis/internal/apperr"
	"permis/internal/date"
)

// RightRules holds the delays of the measures on the driving right (§3.6,
// §3.7). Delays the law changes belong in configuration: DefaultRightRules
// is the law as REFERENCE states it.
type RightRules struct {
	RetentionHours      int `json:"retention_hours"`       // rétention: 72 h (§3.7)
	RetentionBloodHours int `json:"retention_blood_hours"` // 120 h when blood tests are needed (§3.7)

	InvalidationWaitMonths       int `json:"invalidation_wait_months"`        // 6 months from the hand-in date (§3.6)
	RepeatInvalidationWaitMonths int `json:"repeat_invalidation_wait_months"` // 1 year after a repeat invalidation (§3.6)
	RepeatInvalidationYears      int `json:"repeat_invalidation_years"`       // "repeat": another one within 5 years (§3.6)

	MedicalAfterSuspensionMonths int `json:"medical_after_suspension_months"` // a suspension longer than 1 month needs a medical check (§3.7)
}

// DefaultRightRules returns the delays of REFERENCE §3.6–§3.7.
func DefaultRightRules() RightRules {
	return RightRules{
		RetentionHours:               72,
		RetentionBloodHours:          120,
		InvalidationWaitMonths:       6,
		RepeatInvalidationWaitMonths: 12,
		RepeatInvalidationYears:      5,
		MedicalAfterSuspensionMonths: 1,
	}
}

// Validate refuses delays that would make no sense, so a bad configuration
// fails at start-up.
func (r RightRules) Validate() error {
	if r.RetentionHours <= 0 || r.RetentionBloodHours < r.RetentionHours {
		return errors.New("règles du droit à conduire : la rétention doit durer au moins une heure, et plus longtemps avec analyse de sang")
	}
	if r.InvalidationWaitMonths <= 0 || r.RepeatInvalidationWaitMonths < r.InvalidationWaitMonths || r.RepeatInvalidationYears <= 0 {
		return errors.New("règles du droit à conduire : délais d'invalidation incohérents")
	}
	if r.MedicalAfterSuspensionMonths < 0 {
		return errors.New("règles du droit à conduire : durée de suspension négative")
	}
	return nil
}

// RightStatus is the state of the driving right with the dates and facts the
// next transitions need (§3.8). The register stores State, Since and Until
// on the Licence; the other fields travel with them.
type RightStatus struct {
	State           RightState `json:"state"`
	Since           date.Date  `json:"since"`
	Until           date.Null  `json:"until"`            // end of the retention, of the suspension, of the wait or ban
	MedicalRequired bool       `json:"medical_required"` // a favourable medical opinion is needed before the right comes back
	Definitive      bool       `json:"definitive"`       // annulment with a definitive ban: no reinstatement
	HandedIn        date.Null  `json:"handed_in"`        // day the card was handed in after an invalidation or annulment

	LastInvalidation     date.Null `json:"last_invalidation"`     // day the latest 48SI was notified; kept after reinstatement
	PreviousInvalidation date.Null `json:"previous_invalidation"` // the one before, for the repeat rule (§3.6)
	Probation            date.Null `json:"probation"`             // start of the probationary licence given on reinstatement (code 105)
}

// RightEventKind names a transition of the driving right (§3.8).
type RightEventKind string

// The events of the driving-right state machine (§3.7, §3.8).
const (
	EventRetain          RightEventKind = "retain"           // police retain the card: 72 h, 120 h with blood tests
	EventEndRetention    RightEventKind = "end_retention"    // card returned, or a suspension follows (Until set)
	EventSuspendAdmin    RightEventKind = "suspend_admin"    // préfet's order, until Until
	EventSuspendJudicial RightEventKind = "suspend_judicial" // court's suspension; replaces an administrative one
	EventEndSuspension   RightEventKind = "end_suspension"   // restitution once the suspension is over
	EventInvalidate      RightEventKind = "invalidate"       // zero balance, 48SI notified on On
	EventHandIn          RightEventKind = "hand_in"          // card handed in on On, after invalidation or annulment
	EventAnnul           RightEventKind = "annul"            // court's annulment, ban on re-applying until Until
	EventReinstate       RightEventKind = "reinstate"        // new probationary licence (code 105)
)

// RightEvent is one event applied to the right, with its day and facts.
type RightEvent struct {
	Kind              RightEventKind
	On                date.Date // the day it happens (48SI notification for EventInvalidate)
	Until             date.Null // end of a suspension, of a ban; for EventEndRetention, end of the suspension that follows
	BloodTests        bool      // EventRetain: blood tests needed, 120 h
	AlcoholOrDrugs    bool      // suspensions: alcohol or drugs, a medical check is needed before restitution
	MedicalFavourable bool      // EventEndSuspension, EventReinstate: favourable medical opinion given
	ExamPassed        bool      // EventReinstate: the tests were passed again
	HandedIn          date.Null // EventInvalidate: the card was already handed in on that day
	Definitive        bool      // EventAnnul: definitive ban
}

// Apply returns the state of the right after e (§3.7, §3.8). It is a pure
// function: nothing is saved. A transition the law does not allow from s's
// state is an apperr.Conflict, missing or incoherent facts in e an
// apperr.Invalid, both with a French message.
func (r RightRules) Apply(s RightStatus, e RightEvent) (RightStatus, error) {
	switch e.Kind {
	case EventRetain:
		return r.retain(s, e)
	case EventEndRetention:
		return r.endRetention(s, e)
	case EventSuspendAdmin:
		return r.suspendAdmin(s, e)
	case EventSuspendJudicial:
		return r.suspendJudicial(s, e)
	case EventEndSuspension:
		return r.endSuspension(s, e)
	case EventInvalidate:
		return r.invalidate(s, e)
	case EventHandIn:
		return r.handIn(s, e)
	case EventAnnul:
		return r.annul(s, e)
	case EventReinstate:
		return r.reinstate(s, e)
	}
	return s, apperr.New(apperr.Invalid, "Événement inconnu sur le droit à conduire : « "+string(e.Kind)+" ».")
}

// next starts the status reached by a transition: the history that outlives
// any state (invalidations, probation) is carried, the rest is reset.
func next(s RightStatus, state RightState, since date.Date) RightStatus {
	return RightStatus{
		State:                state,
		Since:                since,
		LastInvalidation:     s.LastInvalidation,
		PreviousInvalidation: s.PreviousInvalidation,
		Probation:            s.Probation,
	}
}

// refuse is the error for an event the state does not allow.
func refuse(s RightStatus, e RightEvent, why string) error {
	msg := "Impossible d'enregistrer « " + e.Kind.Label() + " » : le droit à conduire est " + s.State.Label() + "."
	if why != "" {
		msg = "Impossible d'enregistrer « " + e.Kind.Label() + " » : " + why + "."
	}
	return apperr.New(apperr.Conflict, msg)
}

func invalid(msg string) error { return apperr.New(apperr.Invalid, msg) }

// Label returns the French name of the state, as it completes "le droit à
// conduire est …".
func (s RightState) Label() string {
	switch s {
	case StateValid:
		return "valide"
	case StateRetained:
		return "retenu (rétention du permis)"
	case StateSuspendedAdmin:
		return "suspendu par le préfet"
	case StateSuspendedCourt:
		return "suspendu par décision de justice"
	case StateInvalidated:
		return "invalidé (solde de points nul)"
	case StateAnnulled:
		return "annulé par décision de justice"
	}
	return "dans un état inconnu (« " + string(s) + " »)"
}

// Label returns the French name of the event.
func (k RightEventKind) Label() string {
	switch k {
	case EventRetain:
		return "rétention du permis"
	case EventEndRetention:
		return "fin de la rétention"
	case EventSuspendAdmin:
		return "suspension administrative"
	case EventSuspendJudicial:
		return "suspension judiciaire"
	case EventEndSuspension:
		return "fin de la suspension"
	case EventInvalidate:
		return "invalidation du permis"
	case EventHandIn:
		return "remise du permis"
	case EventAnnul:
		return "annulation judiciaire"
	case EventReinstate:
		return "délivrance d'un nouveau permis probatoire"
	}
	return string(k)
}

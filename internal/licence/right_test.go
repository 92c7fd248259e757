package licence

import (
	"testing"

	"permis/internal/apperr"
)

func valid(since string) RightStatus { return RightStatus{State: StateValid, Since: d(since)} }

// REFERENCE §3.7 and §3.8: every allowed transition of the driving right.
func TestRightTransitions(t *testing.T) {
	r := DefaultRightRules()
	retained := RightStatus{State: StateRetained, Since: d("2024-03-01"), Until: some("2024-03-04")}
	admin := RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-09-01"), MedicalRequired: true}
	shortAdmin := RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-03-20")}
	invalidated := RightStatus{State: StateInvalidated, Since: d("2024-03-01"), LastInvalidation: some("2024-03-01"), MedicalRequired: true}
	handedIn := invalidated
	handedIn.HandedIn, handedIn.Until = some("2024-03-08"), some("2024-09-08")
	annulled := RightStatus{State: StateAnnulled, Since: d("2024-03-01"), Until: some("2026-03-01"), MedicalRequired: true}

	tests := []struct {
		name string
		from RightStatus
		ev   RightEvent
		want RightStatus
	}{
		{"§3.7 retention 72 h", valid("2020-01-01"),
			RightEvent{Kind: EventRetain, On: d("2024-03-01")},
			RightStatus{State: StateRetained, Since: d("2024-03-01"), Until: some("2024-03-04")}},
		{"§3.7 retention 120 h with blood tests", valid("2020-01-01"),
			RightEvent{Kind: EventRetain, On: d("2024-03-01"), BloodTests: true},
			RightStatus{State: StateRetained, Since: d("2024-03-01"), Until: some("2024-03-06")}},
		{"§3.8 retention ends, card returned", retained,
			RightEvent{Kind: EventEndRetention, On: d("2024-03-03")},
			valid("2024-03-03")},
		{"§3.8 retention followed by a suspension counted from the retention", retained,
			RightEvent{Kind: EventEndRetention, On: d("2024-03-03"), Until: some("2024-06-01"), AlcoholOrDrugs: true},
			RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-06-01"), MedicalRequired: true}},
		{"§3.7 préfet suspends during the retention", retained,
			RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-04"), Until: some("2024-03-15")},
			RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-03-15")}},
		{"§3.7 admin suspension of one month exactly, no medical", valid("2020-01-01"),
			RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-01"), Until: some("2024-04-01")},
			RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-04-01")}},
		{"§3.7 admin suspension over one month needs medical", valid("2020-01-01"),
			RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-01"), Until: some("2024-04-02")},
			RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-04-02"), MedicalRequired: true}},
		{"§3.7 judicial suspension replaces the admin one", shortAdmin,
			RightEvent{Kind: EventSuspendJudicial, On: d("2024-03-10"), Until: some("2024-03-25")},
			RightStatus{State: StateSuspendedCourt, Since: d("2024-03-10"), Until: some("2024-03-25")}},
		{"§3.7 judicial replacement keeps the admin medical requirement", admin,
			RightEvent{Kind: EventSuspendJudicial, On: d("2024-04-01"), Until: some("2024-04-15")},
			RightStatus{State: StateSuspendedCourt, Since: d("2024-04-01"), Until: some("2024-04-15"), MedicalRequired: true}},
		{"§3.7 judicial suspension from valid", valid("2020-01-01"),
			RightEvent{Kind: EventSuspendJudicial, On: d("2024-03-01"), Until: some("2025-03-01")},
			RightStatus{State: StateSuspendedCourt, Since: d("2024-03-01"), Until: some("2025-03-01"), MedicalRequired: true}},
		{"§3.8 end of a short suspension, no medical", shortAdmin,
			RightEvent{Kind: EventEndSuspension, On: d("2024-03-20")},
			valid("2024-03-20")},
		{"§3.8 end of suspension with favourable medical opinion", admin,
			RightEvent{Kind: EventEndSuspension, On: d("2024-09-02"), MedicalFavourable: true},
			valid("2024-09-02")},
		{"§3.6 invalidation, card already handed in: 6 months", valid("2020-01-01"),
			RightEvent{Kind: EventInvalidate, On: d("2024-03-01"), HandedIn: some("2024-03-08")},
			handedIn},
		{"§3.6 invalidation while suspended", admin,
			RightEvent{Kind: EventInvalidate, On: d("2024-03-01")},
			invalidated},
		{"§3.6 wait runs from the hand-in date", invalidated,
			RightEvent{Kind: EventHandIn, On: d("2024-03-08")},
			handedIn},
		{"§3.6 repeat invalidation within 5 years: 1 year", RightStatus{State: StateValid, Since: d("2021-01-01"), LastInvalidation: some("2019-03-02")},
			RightEvent{Kind: EventInvalidate, On: d("2024-03-01"), HandedIn: some("2024-03-10")},
			RightStatus{State: StateInvalidated, Since: d("2024-03-01"), Until: some("2025-03-10"), HandedIn: some("2024-03-10"),
				MedicalRequired: true, LastInvalidation: some("2024-03-01"), PreviousInvalidation: some("2019-03-02")}},
		{"§3.6 previous invalidation over 5 years ago: 6 months", RightStatus{State: StateValid, Since: d("2021-01-01"), LastInvalidation: some("2019-02-28")},
			RightEvent{Kind: EventInvalidate, On: d("2024-03-01"), HandedIn: some("2024-03-10")},
			RightStatus{State: StateInvalidated, Since: d("2024-03-01"), Until: some("2024-09-10"), HandedIn: some("2024-03-10"),
				MedicalRequired: true, LastInvalidation: some("2024-03-01"), PreviousInvalidation: some("2019-02-28")}},
		{"§3.7 annulment with a ban", valid("2020-01-01"),
			RightEvent{Kind: EventAnnul, On: d("2024-03-01"), Until: some("2026-03-01")},
			annulled},
		{"§3.7 definitive annulment", admin,
			RightEvent{Kind: EventAnnul, On: d("2024-03-01"), Definitive: true},
			RightStatus{State: StateAnnulled, Since: d("2024-03-01"), Definitive: true, MedicalRequired: true}},
		{"§3.8 reinstatement after invalidation: probation, code 105", handedIn,
			RightEvent{Kind: EventReinstate, On: d("2024-09-08"), MedicalFavourable: true, ExamPassed: true},
			RightStatus{State: StateValid, Since: d("2024-09-08"), Probation: some("2024-09-08"), LastInvalidation: some("2024-03-01")}},
		{"§3.8 reinstatement after annulment", annulled,
			RightEvent{Kind: EventReinstate, On: d("2026-04-01"), MedicalFavourable: true, ExamPassed: true},
			RightStatus{State: StateValid, Since: d("2026-04-01"), Probation: some("2026-04-01")}},
	}
	for _, tt := range tests {
		got, err := r.Apply(tt.from, tt.ev)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if got != tt.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, got, tt.want)
		}
	}
}

// REFERENCE §3.7 and §3.8: refused transitions, with a French message.
func TestRightRefused(t *testing.T) {
	r := DefaultRightRules()
	retained := RightStatus{State: StateRetained, Since: d("2024-03-01"), Until: some("2024-03-04")}
	admin := RightStatus{State: StateSuspendedAdmin, Since: d("2024-03-01"), Until: some("2024-09-01"), MedicalRequired: true}
	court := RightStatus{State: StateSuspendedCourt, Since: d("2024-03-01"), Until: some("2024-09-01")}
	invalidated := RightStatus{State: StateInvalidated, Since: d("2024-03-01"), MedicalRequired: true}
	handedIn := RightStatus{State: StateInvalidated, Since: d("2024-03-01"), HandedIn: some("2024-03-08"), Until: some("2024-09-08"), MedicalRequired: true}
	annulled := RightStatus{State: StateAnnulled, Since: d("2024-03-01"), Until: some("2026-03-01"), MedicalRequired: true}
	definitive := RightStatus{State: StateAnnulled, Since: d("2024-03-01"), Definitive: true, MedicalRequired: true}

	tests := []struct {
		name     string
		from     RightStatus
		ev       RightEvent
		code     apperr.Code
		fragment string
	}{
		{"§3.8 retention only from valid", admin, RightEvent{Kind: EventRetain, On: d("2024-04-01")}, apperr.Conflict, "suspendu par le préfet"},
		{"§3.8 no end of retention when not retained", valid("2020-01-01"), RightEvent{Kind: EventEndRetention, On: d("2024-04-01")}, apperr.Conflict, "fin de la rétention"},
		{"§3.7 suspension after the retention ran out", retained, RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-05"), Until: some("2024-06-01")}, apperr.Conflict, "délai de rétention a expiré le 04/03/2024"},
		{"§3.7 suspension needs an end", valid("2020-01-01"), RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-01")}, apperr.Invalid, "date de fin"},
		{"§3.7 suspension ending before it starts", valid("2020-01-01"), RightEvent{Kind: EventSuspendAdmin, On: d("2024-03-01"), Until: some("2024-03-01")}, apperr.Invalid, "doit suivre"},
		{"§3.7 no second admin suspension", admin, RightEvent{Kind: EventSuspendAdmin, On: d("2024-04-01"), Until: some("2024-05-01")}, apperr.Conflict, "suspension administrative"},
		{"§3.7 admin suspension cannot replace a judicial one", court, RightEvent{Kind: EventSuspendAdmin, On: d("2024-04-01"), Until: some("2024-05-01")}, apperr.Conflict, "suspendu par décision de justice"},
		{"§3.7 no cumulation of judicial suspensions", court, RightEvent{Kind: EventSuspendJudicial, On: d("2024-04-01"), Until: some("2024-12-01")}, apperr.Conflict, "suspension judiciaire"},
		{"§3.8 suspension not over", admin, RightEvent{Kind: EventEndSuspension, On: d("2024-08-31"), MedicalFavourable: true}, apperr.Conflict, "jusqu'au 01/09/2024"},
		{"§3.7 medical opinion missing", admin, RightEvent{Kind: EventEndSuspension, On: d("2024-09-01")}, apperr.Conflict, "avis médical favorable"},
		{"§3.8 end of suspension when valid", valid("2020-01-01"), RightEvent{Kind: EventEndSuspension, On: d("2024-09-01")}, apperr.Conflict, "valide"},
		{"§3.6 no second invalidation", invalidated, RightEvent{Kind: EventInvalidate, On: d("2024-04-01")}, apperr.Conflict, "invalidé"},
		{"§3.6 invalidation of an annulled licence", annulled, RightEvent{Kind: EventInvalidate, On: d("2024-04-01")}, apperr.Conflict, "annulé"},
		{"§3.6 hand-in twice", handedIn, RightEvent{Kind: EventHandIn, On: d("2024-04-01")}, apperr.Conflict, "déjà été remis le 08/03/2024"},
		{"§3.6 hand-in of a valid licence", valid("2020-01-01"), RightEvent{Kind: EventHandIn, On: d("2024-04-01")}, apperr.Conflict, "remise du permis"},
		{"§3.7 annulment needs a ban end", valid("2020-01-01"), RightEvent{Kind: EventAnnul, On: d("2024-03-01")}, apperr.Invalid, "interdiction"},
		{"§3.7 ban ending before the decision", valid("2020-01-01"), RightEvent{Kind: EventAnnul, On: d("2024-03-01"), Until: some("2024-02-01")}, apperr.Invalid, "ne peut précéder"},
		{"§3.7 no second annulment", annulled, RightEvent{Kind: EventAnnul, On: d("2024-04-01"), Until: some("2027-01-01")}, apperr.Conflict, "annulé"},
		{"§3.6 reinstatement before hand-in", invalidated, RightEvent{Kind: EventReinstate, On: d("2025-01-01"), MedicalFavourable: true, ExamPassed: true}, apperr.Conflict, "n'a pas été remis"},
		{"§3.6 reinstatement during the wait", handedIn, RightEvent{Kind: EventReinstate, On: d("2024-09-07"), MedicalFavourable: true, ExamPassed: true}, apperr.Conflict, "avant le 08/09/2024"},
		{"§3.6 reinstatement without medical", handedIn, RightEvent{Kind: EventReinstate, On: d("2024-09-08"), ExamPassed: true}, apperr.Conflict, "psychotechnique"},
		{"§3.6 reinstatement without exam", handedIn, RightEvent{Kind: EventReinstate, On: d("2024-09-08"), MedicalFavourable: true}, apperr.Conflict, "épreuves"},
		{"§3.7 reinstatement during the ban", annulled, RightEvent{Kind: EventReinstate, On: d("2026-02-28"), MedicalFavourable: true, ExamPassed: true}, apperr.Conflict, "avant le 01/03/2026"},
		{"§3.7 definitive ban", definitive, RightEvent{Kind: EventReinstate, On: d("2040-01-01"), MedicalFavourable: true, ExamPassed: true}, apperr.Conflict, "définitive"},
		{"§3.8 reinstating a valid licence", valid("2020-01-01"), RightEvent{Kind: EventReinstate, On: d("2024-01-01"), MedicalFavourable: true, ExamPassed: true}, apperr.Conflict, "valide"},
		{"unknown event", valid("2020-01-01"), RightEvent{Kind: "pardon", On: d("2024-01-01")}, apperr.Invalid, "pardon"},
		{"unknown state", RightStatus{}, RightEvent{Kind: EventAnnul, On: d("2024-01-01"), Definitive: true}, apperr.Conflict, "état inconnu"},
	}
	for _, tt := range tests {
		got, err := r.Apply(tt.from, tt.ev)
		if err == nil {
			t.Errorf("%s: accepted, gave %+v", tt.name, got)
			continue
		}
		t.Run(tt.name, func(t *testing.T) { mustAppErr(t, err, tt.code, tt.fragment) })
		if got != tt.from {
			t.Errorf("%s: status changed on refusal: %+v", tt.name, got)
		}
	}
}

// The delays come from the rules value, so configuration can change them.
func TestRightRulesOverride(t *testing.T) {
	r := DefaultRightRules()
	r.RetentionHours, r.InvalidationWaitMonths = 48, 3
	s, err := r.Apply(valid("2020-01-01"), RightEvent{Kind: EventRetain, On: d("2024-03-01")})
	if err != nil || s.Until != some("2024-03-03") {
		t.Errorf("48 h retention: %+v, %v", s, err)
	}
	s, err = r.Apply(valid("2020-01-01"), RightEvent{Kind: EventInvalidate, On: d("2024-03-01"), HandedIn: some("2024-03-01")})
	if err != nil || s.Until != some("2024-06-01") {
		t.Errorf("3-month wait: %+v, %v", s, err)
	}
	if err := DefaultRightRules().Validate(); err != nil {
		t.Errorf("default rules: %v", err)
	}
	bad := DefaultRightRules()
	bad.RepeatInvalidationWaitMonths = 1
	if bad.Validate() == nil {
		t.Error("a repeat wait shorter than the first one was accepted")
	}
}

// §3.6, §2.3: the reinstated licence carries code 105 with its dates.
func TestProbationRestriction(t *testing.T) {
	got := ProbationRestriction(d("2024-09-08"), d("2027-09-08"))
	if got.Code != "105" || got.Detail != "08/09/2024 - 08/09/2027" {
		t.Errorf("ProbationRestriction = %+v", got)
	}
	back, err := ParseRestriction(got.String())
	if err != nil || back != got {
		t.Errorf("ParseRestriction(%q) = %+v, %v", got.String(), back, err)
	}
}

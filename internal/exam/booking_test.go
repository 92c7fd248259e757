package exam

import (
	"slices"
	"testing"

	"permis/internal/date"
	"permis/internal/licence"
)

func TestTheoryPassValidity(t *testing.T) {
	d := date.MustParse
	p := func(attempts int) TheoryPass { return TheoryPass{Passed: d("2022-03-15"), Attempts: attempts} }
	for _, tc := range []struct {
		law  string
		name string
		pass TheoryPass
		on   string
		want bool
	}{
		{"arrêté du 20 avril 2012 (5 ans)", "the last day of the 5 years", p(0), "2027-03-14", true},
		{"arrêté du 20 avril 2012 (5 ans)", "the 5th anniversary: expired", p(0), "2027-03-15", false},
		{"arrêté du 20 avril 2012 (5 présentations)", "4 practical attempts: a 5th allowed", p(4), "2026-12-06", true},
		{"arrêté du 20 avril 2012 (5 présentations)", "5 practical attempts: used up", p(5), "2026-12-06", false},
		{"", "a pass dated after the exam day does not count", p(0), "2022-03-14", false},
	} {
		if got := tc.pass.ValidOn(d(tc.on), DefaultConfig()); got != tc.want {
			t.Errorf("%s: %s: ValidOn = %v, want %v", tc.law, tc.name, got, tc.want)
		}
	}
	if n := p(3).AttemptsLeft(DefaultConfig()); n != 2 {
		t.Errorf("attempts left %d", n)
	}
}

func TestCertificateValidity(t *testing.T) {
	d := date.MustParse
	for _, tc := range []struct {
		law, name, passed string
		ban               date.Null
		want              string
	}{
		{"REFERENCE §6.3 (4 mois)", "passed on 6 December", "2026-12-06", date.Null{}, "2027-04-05"},
		{"REFERENCE §6.3 (month end)", "passed on 31 October", "2026-10-31", date.Null{}, "2027-02-27"},
		{"REFERENCE §6.3 (après invalidation: 4 mois après la fin de l'interdiction)", "passed during the ban",
			"2026-05-01", date.Some(d("2026-07-15")), "2026-11-14"},
		{"REFERENCE §6.3", "ban already over", "2026-09-01", date.Some(d("2026-07-15")), "2026-12-31"},
	} {
		if got := CertificateValidUntil(d(tc.passed), tc.ban, DefaultConfig()); got != d(tc.want) {
			t.Errorf("%s: %s: valid until %s, want %s", tc.law, tc.name, got, tc.want)
		}
	}
}

func TestCheckBooking(t *testing.T) {
	d := date.MustParse
	exam := d("2027-01-12")
	pass := &TheoryPass{Passed: d("2026-10-01")}
	libre := func(f func(*Booking)) Booking {
		b := Booking{Category: licence.CategoryB, Theory: pass, DualControl: true,
			Companion: &Companion{LicenceBSince: d("2010-05-01"), LinkSworn: true}}
		if f != nil {
			f(&b)
		}
		return b
	}
	school := func(f func(*Booking)) Booking {
		b := Booking{Category: licence.CategoryB, Theory: pass, School: true, TrainingHours: 20}
		if f != nil {
			f(&b)
		}
		return b
	}
	for _, tc := range []struct {
		law, name string
		b         Booking
		want      []string
	}{
		{"SP F2825; RdvPermis", "candidat libre with a companion and a dual-control car", libre(nil), nil},
		{"C. route D221-3", "no theory pass", libre(func(b *Booking) { b.Theory = nil }), []string{RefuseNoTheory}},
		{"arrêté du 20 avril 2012", "theory pass used up", libre(func(b *Booking) { b.Theory = &TheoryPass{Passed: d("2026-10-01"), Attempts: 5} }),
			[]string{RefuseTheoryExpired}},
		{"arrêté du 20 avril 2012", "theory pass expired on the exam day", libre(func(b *Booking) { b.Theory = &TheoryPass{Passed: d("2022-01-12")} }),
			[]string{RefuseTheoryExpired}},
		{"SP F2825", "no companion, no dual control", libre(func(b *Booking) { b.Companion, b.DualControl = nil, false }),
			[]string{RefuseCompanion, RefuseDualControl}},
		{"SP F2825 (5 ans de permis B)", "companion's licence one day short of 5 years on the exam day",
			libre(func(b *Booking) { b.Companion.LicenceBSince = d("2022-01-13") }), []string{RefuseCompanionNew}},
		{"SP F2825 (5 ans de permis B)", "companion's licence exactly 5 years on the exam day",
			libre(func(b *Booking) { b.Companion.LicenceBSince = d("2022-01-12") }), nil},
		{"RdvPermis (proche, non professionnel)", "companion is an instructor, link not sworn",
			libre(func(b *Booking) { b.Companion.Instructor, b.Companion.LinkSworn = true, false }), []string{RefuseInstructor, RefuseLinkNotSworn}},
		{"arrêté du 22 décembre 2009 (20 h)", "school, 19 h manual", school(func(b *Booking) { b.TrainingHours = 19 }), []string{RefuseTraining}},
		{"arrêté du 14 octobre 2016 (13 h)", "school, 13 h automatic", school(func(b *Booking) { b.TrainingHours, b.Automatic = 13, true }), nil},
		{"arrêté du 14 octobre 2016 (13 h)", "school, 12 h automatic", school(func(b *Booking) { b.TrainingHours, b.Automatic = 12, true }), []string{RefuseTraining}},
		{"arrêté du 22 décembre 2009", "school, 20 h: no companion needed", school(nil), nil},
		{"RdvPermis", "a place already pending", school(func(b *Booking) { b.Pending = true }), []string{RefusePending}},
		{"RdvPermis (40 jours)", "absent 39 days ago", school(func(b *Booking) { b.Strikes = []Strike{{ExamDay: d("2026-10-28")}} }), []string{RefuseBlocked}},
		{"RdvPermis (40 jours)", "absent 40 days ago: free again", school(func(b *Booking) { b.Strikes = []Strike{{ExamDay: d("2026-10-27")}} }), nil},
		{"RdvPermis (hors force majeure)", "absent yesterday, force majeure accepted",
			school(func(b *Booking) { b.Strikes = []Strike{{ExamDay: d("2026-12-05"), ForceMajeure: true}} }), nil},
		{"RdvPermis", "the latest strike counts", school(func(b *Booking) {
			b.Strikes = []Strike{{ExamDay: d("2026-12-01")}, {ExamDay: d("2026-06-01")}}
		}), []string{RefuseBlocked}},
		{"", "A2: no companion rule, no training minimum here", Booking{Category: licence.CategoryA2, Theory: pass}, nil},
	} {
		got := codes(CheckBooking(tc.b, exam, today, DefaultConfig()))
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %s: refusals %v, want %v", tc.law, tc.name, got, tc.want)
		}
	}
	if got := codes(CheckBooking(school(nil), today, today, DefaultConfig())); !slices.Equal(got, []string{RefusePast}) {
		t.Errorf("today's place: %v", got)
	}
}

// The block message names the first day a new booking is possible.
func TestBlockedSaysWhen(t *testing.T) {
	b := Booking{Category: licence.CategoryB, Theory: &TheoryPass{Passed: date.MustParse("2026-10-01")}, School: true, TrainingHours: 20,
		Strikes: []Strike{{ExamDay: date.MustParse("2026-12-01")}}}
	r := CheckBooking(b, date.MustParse("2027-02-01"), today, DefaultConfig())
	want := "Une place réservée n'a pas été utilisée ou a été annulée tardivement : vous pourrez réserver à nouveau à partir du 10/01/2027."
	if len(r) != 1 || r[0].Message != want {
		t.Fatalf("%+v", r)
	}
}

func TestLateCancellation(t *testing.T) {
	d := date.MustParse
	exam := d("2027-01-12")
	for _, tc := range []struct {
		on   string
		late bool
	}{{"2027-01-04", false}, {"2027-01-05", false}, {"2027-01-06", true}, {"2027-01-12", true}} {
		if got := LateCancellation(d(tc.on), exam, DefaultConfig()); got != tc.late {
			t.Errorf("RdvPermis (7 jours): cancelled %s: late %v, want %v", tc.on, got, tc.late)
		}
	}
}

func TestResult(t *testing.T) {
	for _, r := range []Result{Favourable, Unfavourable, Absent} {
		if !r.Valid() || r.Label() == string(r) {
			t.Errorf("%s", r)
		}
	}
	if Result("passed").Valid() {
		t.Error("unknown result accepted")
	}
}

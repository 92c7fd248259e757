package booking

import (
	"strings"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

func inParis(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func TestBookable(t *testing.T) {
	c := DefaultConfig()
	now := inParis(t, "2026-06-01 10:00")
	tests := []struct {
		start string
		want  string // "" for allowed, else a piece of the message
	}{
		{"2026-06-01 11:59", "trop tôt"},
		{"2026-06-01 12:00", ""},
		{"2026-07-30 23:55", ""},          // day 60, today being day 1
		{"2026-07-31 00:00", "trop loin"}, // day 61
		{"2026-05-31 09:00", "trop tôt"},
	}
	for _, tc := range tests {
		err := c.Bookable(now, inParis(t, tc.start))
		if tc.want == "" {
			if err != nil {
				t.Errorf("%s: %v, want allowed", tc.start, err)
			}
			continue
		}
		if !apperr.Is(err, apperr.Invalid) || !strings.Contains(apperr.As(err).Fields["start"], tc.want) {
			t.Errorf("%s: %v, want a start problem with %q", tc.start, err, tc.want)
		}
	}
	if msg := apperr.As(c.Bookable(now, now)).Fields["start"]; !strings.Contains(msg, "2 heures") {
		t.Errorf("message %q does not say the notice", msg)
	}
}

func TestOfferUntil(t *testing.T) {
	c := DefaultConfig()
	now := inParis(t, "2026-06-01 10:00")
	tests := []struct {
		start, until string
		ok           bool
	}{
		{"2026-06-03 09:00", "2026-06-01 12:00", true}, // the full hold
		{"2026-06-01 13:00", "2026-06-01 11:00", true}, // cut to the start minus the notice
		{"2026-06-01 12:29", "2026-06-01 10:29", false},
		{"2026-06-01 12:30", "2026-06-01 10:30", true}, // exactly the shortest hold
		{"2026-06-01 11:00", "2026-06-01 09:00", false},
	}
	for _, tc := range tests {
		until, ok := c.OfferUntil(now, inParis(t, tc.start))
		if ok != tc.ok || !until.Equal(inParis(t, tc.until)) {
			t.Errorf("OfferUntil(%s) = %v %v, want %s %v", tc.start, until.In(paris), ok, tc.until, tc.ok)
		}
	}
}

func TestReminderDue(t *testing.T) {
	c := DefaultConfig()
	now := inParis(t, "2026-06-01 10:00")
	if due, ok := c.ReminderDue(now, inParis(t, "2026-06-05 09:00")); !ok || !due.Equal(inParis(t, "2026-06-03 09:00")) {
		t.Errorf("4 days ahead: %v %v", due, ok)
	}
	if _, ok := c.ReminderDue(now, inParis(t, "2026-06-03 09:00")); ok {
		t.Errorf("47 h ahead: a reminder is due, want none (the confirmation is the reminder)")
	}
	if err := c.Cancellable(now, now); !apperr.Is(err, apperr.Conflict) {
		t.Errorf("Cancellable at the start: %v", err)
	}
	if err := c.Cancellable(now, now.Add(time.Minute)); err != nil {
		t.Errorf("Cancellable a minute before: %v", err)
	}
}

func TestWithDefaults(t *testing.T) {
	c := Config{OfferHold: time.Hour}.WithDefaults()
	d := DefaultConfig()
	if c.OfferHold != time.Hour || c.ConfirmWithin != d.ConfirmWithin || c.HorizonDays != d.HorizonDays ||
		c.ReminderBefore != 48*time.Hour || c.BookingsPerClient != d.BookingsPerClient || c.MinNotice != d.MinNotice {
		t.Fatalf("WithDefaults = %+v", c)
	}
}

func TestCheckContact(t *testing.T) {
	tests := []struct {
		in     Contact
		want   Contact
		fields string // fields in error, sorted, space separated
	}{
		{Contact{"  Camille   Garnier ", " Camille.Garnier@Example.FR ", "06.12.34.56.78"},
			Contact{"Camille Garnier", "camille.garnier@example.fr", "06 12 34 56 78"}, ""},
		{Contact{"Léa Dupont", "lea@example.fr", ""}, Contact{"Léa Dupont", "lea@example.fr", ""}, ""},
		{Contact{"Léa Dupont", "lea@example.fr", "+33 6 12 34 56 78"}, Contact{"Léa Dupont", "lea@example.fr", "06 12 34 56 78"}, ""},
		{Contact{"Léa Dupont", "lea@example.fr", "0032 470 12 34 56"}, Contact{"Léa Dupont", "lea@example.fr", "+32470123456"}, ""},
		{Contact{"", "", ""}, Contact{}, "email name"},
		{Contact{"Léa", "lea@", "12"}, Contact{}, "email phone"},
		{Contact{"<script>", "lea@example.fr", "06 12 34 56 7x"}, Contact{}, "name phone"},
		{Contact{strings.Repeat("a", 101), "lea@example.fr", ""}, Contact{}, "name"},
	}
	for _, tc := range tests {
		got, err := CheckContact(tc.in)
		if tc.fields == "" {
			if err != nil || got != tc.want {
				t.Errorf("CheckContact(%+v) = %+v, %v; want %+v", tc.in, got, err, tc.want)
			}
			continue
		}
		e := apperr.As(err)
		if e.Code != apperr.Invalid {
			t.Errorf("CheckContact(%+v): %v, want invalid", tc.in, err)
			continue
		}
		var fs []string
		for _, f := range []string{"email", "name", "phone"} {
			if e.Fields[f] != "" {
				fs = append(fs, f)
			}
		}
		if strings.Join(fs, " ") != tc.fields {
			t.Errorf("CheckContact(%+v): fields %v, want %s", tc.in, e.Fields, tc.fields)
		}
	}
}

func TestNormalizePhone(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"0612345678", "06 12 34 56 78", true},
		{"04 67 61 61 61", "04 67 61 61 61", true},
		{"+33 (0)4 67 61 61 61", "04 67 61 61 61", true},
		{"+33 4 67 61 61", "", false},
		{"+262 262 12 34 56", "+262262123456", true},
		{"0012345", "", false},
		{"00 33 6 12 34 56 78", "06 12 34 56 78", true},
		{"34 00", "", false}, // a short number is not a person's phone
		{"06 12 34 56 78 ext", "", false},
	}
	for _, tc := range tests {
		got, ok := NormalizePhone(tc.in)
		if ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("NormalizePhone(%q) = %q %v, want %q %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestHelpPointCheck(t *testing.T) {
	p := HelpPoint{Type: Prefecture, Name: "Préfecture de l'Hérault", Address: "Place des Martyrs de la Résistance",
		PostalCode: "34062", Commune: "Montpellier", INSEE: "34172", Lat: 43.61, Lon: 3.87,
		OpeningHours: "Mo-Fr 08:30-12:00,13:30-16:30; PH off", Agents: 2}
	if err := p.Check(); err != nil {
		t.Fatalf("valid help point: %v", err)
	}
	if p.Departement() != "34" || p.FullAddress() != "Place des Martyrs de la Résistance, 34062 Montpellier" {
		t.Fatalf("Departement %q, FullAddress %q", p.Departement(), p.FullAddress())
	}
	bad := p
	bad.Type, bad.PostalCode, bad.INSEE, bad.OpeningHours, bad.Agents, bad.Lat = "mairie", "3406", "3417", "Mo-Fr 8h30-12:00", 0, 91
	e := apperr.As(bad.Check())
	for _, f := range []string{"type", "postal_code", "insee", "opening_hours", "agents", "position"} {
		if e.Fields[f] == "" {
			t.Errorf("no problem on %s: %v", f, e.Fields)
		}
	}
	if !strings.Contains(e.Fields["opening_hours"], "position 7") {
		t.Errorf("opening hours problem %q does not give the column", e.Fields["opening_hours"])
	}
	for insee, dep := range map[string]string{"34172": "34", "2B033": "2B", "97411": "974", "976": ""} {
		if got := DepartementOf(insee); got != dep {
			t.Errorf("DepartementOf(%q) = %q, want %q", insee, got, dep)
		}
	}
}

func TestKindAndClosureCheck(t *testing.T) {
	good := Kind{Code: "aide-permis", Label: "Aide à une demande de permis", Minutes: 30}
	if err := good.Check(); err != nil {
		t.Fatalf("valid kind: %v", err)
	}
	for _, k := range []Kind{
		{Code: "Aide", Label: "x", Minutes: 30},
		{Code: "aide", Label: " ", Minutes: 30},
		{Code: "aide", Label: "x", Minutes: 32},
		{Code: "aide", Label: "x", Minutes: 0},
		{Code: "aide", Label: "x", Minutes: 300},
	} {
		if err := k.Check(); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%+v: %v, want invalid", k, err)
		}
	}
	c := Closure{From: date.MustParse("2026-06-02"), To: date.MustParse("2026-06-01"), Reason: ""}
	e := apperr.As(c.Check())
	if e.Fields["to"] == "" || e.Fields["reason"] == "" {
		t.Fatalf("closure problems %v", e.Fields)
	}
}

func TestCheckWaitingDays(t *testing.T) {
	c := DefaultConfig()
	now := inParis(t, "2026-06-01 23:30") // 21:30 UTC: still 1 June in Paris
	if err := c.CheckWaitingDays(now, date.MustParse("2026-06-01"), date.MustParse("2026-07-30")); err != nil {
		t.Fatalf("today to day 60: %v", err)
	}
	e := apperr.As(c.CheckWaitingDays(now, date.MustParse("2026-05-31"), date.MustParse("2026-07-31")))
	if e.Fields["from"] == "" || e.Fields["to"] == "" {
		t.Fatalf("yesterday to day 61: %v", e.Fields)
	}
}

func TestFrench(t *testing.T) {
	start := inParis(t, "2026-12-01 09:30")
	if got := FrenchWhen(start, start.Add(30*time.Minute)); got != "mardi 01/12/2026 de 9 h 30 à 10 h 00" {
		t.Errorf("FrenchWhen = %q", got)
	}
	if got := FrenchDay(inParis(t, "2026-08-15 23:30")); got != "samedi 15/08/2026" {
		t.Errorf("FrenchDay = %q", got)
	}
	if got := FrenchClock(time.Date(2026, 7, 1, 12, 5, 0, 0, time.UTC)); got != "14 h 05" {
		t.Errorf("FrenchClock = %q", got)
	}
}

func TestDemoData(t *testing.T) {
	from, to := date.MustParse("2026-06-01"), date.MustParse("2026-06-14")
	for _, p := range DemoHelpPoints() {
		if err := p.Check(); err != nil {
			t.Errorf("%s: %v", p.Name, err)
			continue
		}
		if p.Departement() != "34" {
			t.Errorf("%s: département %q", p.Name, p.Departement())
		}
		s, _ := NewSite(p, nil)
		for _, k := range DemoKinds() {
			if err := k.Check(); err != nil {
				t.Errorf("%s: %v", k.Code, err)
			}
			if len(Slots(s, k, from, to)) == 0 {
				t.Errorf("%s: no %s slot in two weeks", p.Name, k.Code)
			}
		}
	}
}

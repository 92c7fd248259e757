package ical

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"permis/internal/date"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func paris(t *testing.T, s string) time.Time {
	t.Helper()
	tm, err := time.ParseInLocation("2006-01-02 15:04", s, date.Paris())
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// sample is an appointment whose texts need every kind of escaping and
// whose description folds inside multi-byte characters.
func sample(t *testing.T) Event {
	return Event{
		UID:      "rdv-7f3c9a1e2b@permis.example.fr",
		Sequence: 0,
		Stamp:    paris(t, "2026-11-26 10:15"),
		Start:    paris(t, "2026-12-01 09:30"),
		End:      paris(t, "2026-12-01 10:00"),
		Summary:  "Rendez-vous : aide à une demande de permis, point numérique",
		Location: "Préfecture de l'Hérault, Place des Martyrs de la Résistance, 34062 Montpellier",
		Description: "Apportez : votre pièce d'identité; un justificatif de domicile\\récent.\n" +
			"Pour annuler ou déplacer : https://permis.example.fr/rendez-vous/gerer/abc_DEF-123\r\n" +
			"Accès : rez-de-chaussée, ascenseur — accueil « point numérique » à gauche.",
		Organizer: Person{Name: `Préfecture de l'Hérault "point numérique"`, Email: "point-numerique@herault.example.fr"},
		Attendee:  Person{Name: "Camille Garnier", Email: "camille.garnier@example.fr"},
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the golden file:\n%s", name, got)
	}
}

func TestGolden(t *testing.T) {
	e := sample(t)
	golden(t, "request.ics", Marshal(Request, e))
	e.Sequence = 2
	e.Stamp = paris(t, "2026-11-28 18:05")
	golden(t, "cancel.ics", Marshal(Cancel, e))
	// A moved appointment in summer time: DTSTART keeps the wall clock.
	e.Sequence = 1
	e.Start, e.End = paris(t, "2027-04-06 14:00"), paris(t, "2027-04-06 14:45")
	golden(t, "moved.ics", Marshal(Request, e))
}

// TestRoundTrip parses the output back, line by line (unfolded, unescaped),
// and finds every value as it was given.
func TestRoundTrip(t *testing.T) {
	e := sample(t)
	data := Marshal(Cancel, e)
	for i, line := range strings.Split(strings.TrimSuffix(string(data), "\r\n"), "\r\n") {
		if len(line) > maxLine {
			t.Errorf("line %d has %d octets", i+1, len(line))
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, line)
		}
	}
	if bytes.Contains(bytes.ReplaceAll(data, []byte("\r\n"), nil), []byte("\n")) {
		t.Fatal("a bare LF in the output")
	}
	props, err := Parse(data)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	want := map[string]string{
		"METHOD":      "CANCEL",
		"UID":         e.UID,
		"SEQUENCE":    "0",
		"DTSTAMP":     "20261126T091500Z",
		"DTSTART":     "20261201T093000",
		"DTEND":       "20261201T100000",
		"SUMMARY":     e.Summary,
		"LOCATION":    e.Location,
		"DESCRIPTION": strings.ReplaceAll(e.Description, "\r\n", "\n"),
		"ORGANIZER":   "mailto:point-numerique@herault.example.fr",
		"ATTENDEE":    "mailto:camille.garnier@example.fr",
		"STATUS":      "CANCELLED",
	}
	for name, v := range want {
		comp := "VEVENT"
		if name == "METHOD" {
			comp = "VCALENDAR"
		}
		p, ok := Find(props, comp, name)
		if !ok {
			t.Errorf("no %s", name)
			continue
		}
		if p.Value != v {
			t.Errorf("%s = %q, want %q", name, p.Value, v)
		}
	}
	start, _ := Find(props, "VEVENT", "DTSTART")
	if start.Params["TZID"] != "Europe/Paris" {
		t.Errorf("DTSTART params %v", start.Params)
	}
	org, _ := Find(props, "VEVENT", "ORGANIZER")
	if org.Params["CN"] != `Préfecture de l'Hérault 'point numérique'` {
		t.Errorf("ORGANIZER CN = %q", org.Params["CN"])
	}
	// Components are balanced.
	depth := 0
	for _, p := range props {
		switch p.Name {
		case "BEGIN":
			depth++
		case "END":
			depth--
		}
		if depth < 0 {
			t.Fatal("END before BEGIN")
		}
	}
	if depth != 0 || props[0].Value != "VCALENDAR" || props[len(props)-1].Value != "VCALENDAR" {
		t.Fatalf("unbalanced components (depth %d)", depth)
	}
}

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"l1\nl2\r\nl3\rl4", `l1\nl2\nl3\nl4`},
		{"tab\there", "tab\there"},
		{"bell\x07", "bell"},
		{"é—«»", "é—«»"},
	}
	for _, tc := range tests {
		got := Escape(tc.in)
		if got != tc.want {
			t.Errorf("Escape(%q) = %q, want %q", tc.in, got, tc.want)
		}
		back, err := Unescape(got)
		if want := strings.NewReplacer("\r\n", "\n", "\r", "\n", "\x07", "").Replace(tc.in); err != nil || back != want {
			t.Errorf("Unescape(%q) = %q, %v; want %q", got, back, err, want)
		}
	}
	if _, err := Unescape(`a,b`); err == nil {
		t.Error("Unescape accepts a bare comma")
	}
}

// TestFoldUTF8 folds lines of 2-, 3- and 4-octet characters at every offset:
// no physical line is longer than 75 octets or splits a character, and
// unfolding gives the line back.
func TestFoldUTF8(t *testing.T) {
	for _, ch := range []string{"é", "€", "𝄞"} {
		for prefix := 0; prefix < 5; prefix++ {
			line := "DESCRIPTION:" + strings.Repeat("x", prefix) + strings.Repeat(ch, 60)
			var b bytes.Buffer
			fold(&b, line)
			phys := strings.Split(strings.TrimSuffix(b.String(), "\r\n"), "\r\n")
			var un strings.Builder
			for i, p := range phys {
				if len(p) > maxLine || !utf8.ValidString(p) {
					t.Fatalf("%s+%d: line %d %q (%d octets)", ch, prefix, i, p, len(p))
				}
				if i > 0 {
					if p[0] != ' ' {
						t.Fatalf("continuation without a space: %q", p)
					}
					p = p[1:]
				}
				if i < len(phys)-1 && len(phys[i])+len(string([]rune(phys[i+1][1:])[0:1])) <= maxLine {
					t.Fatalf("%s+%d: line %d folded early (%d octets)", ch, prefix, i, len(phys[i]))
				}
				un.WriteString(p)
			}
			if un.String() != line {
				t.Fatalf("unfolded %q, want %q", un.String(), line)
			}
		}
	}
}

// TestVTimezoneMatchesTZData checks the VTIMEZONE rules against the
// system's time zone data: summer time starts on the last Sunday of March
// at 02:00 and ends on the last Sunday of October at 03:00, local time.
func TestVTimezoneMatchesTZData(t *testing.T) {
	loc := date.Paris()
	lastSunday := func(y int, m time.Month) time.Time {
		d := time.Date(y, m+1, 0, 12, 0, 0, 0, time.UTC)
		for d.Weekday() != time.Sunday {
			d = d.AddDate(0, 0, -1)
		}
		return d
	}
	for y := 2025; y <= 2040; y++ {
		mar, oct := lastSunday(y, time.March), lastSunday(y, time.October)
		// 01:00 UTC is both changes' instant in the EU.
		before := time.Date(y, mar.Month(), mar.Day(), 0, 59, 0, 0, time.UTC).In(loc)
		after := time.Date(y, mar.Month(), mar.Day(), 1, 0, 0, 0, time.UTC).In(loc)
		if _, o := before.Zone(); o != 3600 {
			t.Errorf("%d: offset before %v is %d", y, before, o)
		}
		if after.Hour() != 3 {
			t.Errorf("%d: summer time starts at %v, want 03:00 local (02:00 skipped)", y, after)
		}
		before = time.Date(y, oct.Month(), oct.Day(), 0, 59, 0, 0, time.UTC).In(loc)
		after = time.Date(y, oct.Month(), oct.Day(), 1, 0, 0, 0, time.UTC).In(loc)
		if _, o := before.Zone(); o != 7200 || after.Hour() != 2 {
			t.Errorf("%d: winter time: %v then %v, want +02:00 then 02:00 +01:00", y, before, after)
		}
	}
}

func TestContentType(t *testing.T) {
	if got := ContentType(Cancel); got != "text/calendar; charset=utf-8; method=CANCEL" {
		t.Fatal(got)
	}
}

// A line break in a display name (a help point's name typed on two lines, a
// person's name pasted from a form) becomes a space in CN, not nothing:
// "Camille\nGarnier" is "Camille Garnier", never "CamilleGarnier".
func TestLineBreakInNameIsASpace(t *testing.T) {
	e := Event{UID: "u1", Stamp: time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
		Start: time.Date(2026, 6, 3, 9, 30, 0, 0, time.UTC), End: time.Date(2026, 6, 3, 10, 0, 0, 0, time.UTC),
		Summary:   "Rendez-vous",
		Organizer: Person{Name: "France Services\r\nBéziers", Email: "ne-pas-repondre@permis.example.fr"},
		Attendee:  Person{Name: "Camille\nGarnier\t ", Email: "camille@example.fr"}}
	props, err := Parse(Marshal(Request, e))
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"ORGANIZER": "France Services Béziers", "ATTENDEE": "Camille Garnier"} {
		if p, _ := Find(props, "VEVENT", name); p.Params["CN"] != want {
			t.Errorf("%s CN = %q, want %q", name, p.Params["CN"], want)
		}
	}
}

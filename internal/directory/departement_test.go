package directory

import (
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/openinghours"
)

func TestDepartementOfPostalCode(t *testing.T) {
	tests := []struct{ pc, want string }{
		{"34000", "34"}, {"34062", "34"}, {"01000", "01"}, {"75015", "75"},
		{"20000", "2A"}, {"20167", "2A"}, {"20200", "2B"}, {"20600", "2B"},
		{"97100", "971"}, {"97200", "972"}, {"97300", "973"}, {"97400", "974"}, {"97600", "976"},
		{"97133", "977"}, {"97150", "978"}, {"98800", "988"},
		{"00100", ""}, {"96000", ""}, {"3400", ""}, {"340000", ""}, {"34a00", ""}, {"", ""},
	}
	for _, tt := range tests {
		if got := DepartementOfPostalCode(tt.pc); got != tt.want {
			t.Errorf("DepartementOfPostalCode(%q) = %q, want %q", tt.pc, got, tt.want)
		}
	}
}

func TestEntryDepartement(t *testing.T) {
	tests := []struct{ pc, insee, want string }{
		{"34000", "", "34"},
		{"34000", "34172", "34"},
		{"20000", "2A004", "2A"},
		{"97133", "97701", "977"},
		{"05110", "04033", "04"}, // a commune served by a neighbouring département's office: INSEE wins
		{"34000", "bad", "34"},
	}
	for _, tt := range tests {
		if got := (Entry{PostalCode: tt.pc, INSEE: tt.insee}).Departement(); got != tt.want {
			t.Errorf("Departement(%s, %s) = %q, want %q", tt.pc, tt.insee, got, tt.want)
		}
	}
}

// TestOpenAt checks "open now" with the public holidays of the
// département found from the postal code.
func TestOpenAt(t *testing.T) {
	at := func(d string, h, m int) time.Time {
		y, mo, day := date.MustParse(d).Civil()
		return time.Date(y, mo, day, h, m, 0, 0, date.Paris())
	}
	weekdays := "Mo-Fr 09:00-12:00,14:00-17:00; PH off"
	tests := []struct {
		name, pc, hours string
		t               time.Time
		want            openinghours.State
	}{
		{"Tuesday morning", "34000", weekdays, at("2026-05-26", 10, 0), openinghours.Open},
		{"Tuesday lunch", "34000", weekdays, at("2026-05-26", 12, 30), openinghours.Closed},
		{"Whit Monday", "34000", weekdays, at("2026-05-25", 10, 0), openinghours.Closed},
		{"Guyane's abolition day in Montpellier", "34000", weekdays, at("2026-06-10", 10, 0), openinghours.Open},
		{"Guyane's abolition day in Cayenne", "97300", weekdays, at("2026-06-10", 10, 0), openinghours.Closed},
		{"Saint-Barthélemy's abolition day", "97133", weekdays, at("2026-10-09", 10, 0), openinghours.Closed},
		{"the same day in Guadeloupe", "97100", weekdays, at("2026-10-09", 10, 0), openinghours.Open},
		{"26 December in Strasbourg", "67000", weekdays, at("2025-12-26", 10, 0), openinghours.Closed},
		{"26 December in Ajaccio", "20000", weekdays, at("2025-12-26", 10, 0), openinghours.Open},
		{"no hours", "34000", "", at("2026-05-26", 10, 0), openinghours.Unknown},
		{"by appointment", "34000", `Mo-Fr 09:00-12:00 || "sur rendez-vous"`, at("2026-05-26", 15, 0), openinghours.Unknown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := Entry{PostalCode: tt.pc, OpeningHours: tt.hours}
			got, _ := e.StateAt(tt.t)
			if got != tt.want {
				t.Fatalf("StateAt = %v, want %v", got, tt.want)
			}
			if e.OpenAt(tt.t) != (tt.want == openinghours.Open) {
				t.Fatalf("OpenAt disagrees with StateAt")
			}
		})
	}
}

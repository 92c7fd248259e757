package booking

import (
	"strings"
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/openinghours"
)

// site returns a site of département dep with hours, agents and closures.
func site(hours, dep string, agents int, closures ...Closure) Site {
	return Site{Hours: openinghours.MustParse(hours), Departement: dep, Agents: agents, Closures: closures}
}

// starts writes the slots' starts in Paris time as "15:04", or
// "01-02 15:04" when they span several days, space separated.
func starts(slots []Slot, days bool) string {
	out := make([]string, len(slots))
	for i, s := range slots {
		layout := "15:04"
		if days {
			layout = "01-02 15:04"
		}
		out[i] = s.Start.In(paris).Format(layout)
	}
	return strings.Join(out, " ")
}

func TestSlots(t *testing.T) {
	const weekdays = "Mo-Fr 09:00-12:00,14:00-16:00; PH off"
	tests := []struct {
		name     string
		site     Site
		minutes  int
		from, to string
		want     string // starts, Paris time
	}{
		{"lunch break leaves no slot between 12:00 and 14:00", site(weekdays, "34", 2), 30, "2026-06-02", "2026-06-02",
			"09:00 09:30 10:00 10:30 11:00 11:30 14:00 14:30 15:00 15:30"},
		{"a piece that would end after closing is not offered", site(weekdays, "34", 1), 50, "2026-06-02", "2026-06-02",
			"09:00 09:50 10:40 14:00 14:50"},
		{"45 minutes fill the morning exactly", site("Tu 09:00-12:00", "34", 1), 45, "2026-06-02", "2026-06-02",
			"09:00 09:45 10:30 11:15"},
		{"an opening off the grain starts at the next 5 minutes", site("Tu 08:32-09:30", "34", 1), 20, "2026-06-02", "2026-06-02",
			"08:35 08:55"},
		{"weekend closed", site(weekdays, "34", 2), 60, "2026-06-06", "2026-06-07", ""},
		{"Easter Monday is a public holiday", site(weekdays, "34", 2), 60, "2026-04-06", "2026-04-06", ""},
		{"Ascension Thursday (Easter + 39)", site(weekdays, "34", 2), 60, "2026-05-14", "2026-05-14", ""},
		{"Whit Monday (Easter + 50)", site(weekdays, "34", 2), 60, "2026-05-25", "2026-05-25", ""},
		{"Good Friday is open in Hérault", site("Fr 09:00-11:00; PH off", "34", 1), 60, "2026-04-03", "2026-04-03", "09:00 10:00"},
		{"Good Friday is closed in Moselle", site("Fr 09:00-11:00; PH off", "57", 1), 60, "2026-04-03", "2026-04-03", ""},
		{"hours that do not close on holidays stay open (the hours decide)", site("Mo 09:00-10:00", "34", 1), 60, "2026-04-06", "2026-04-06", "09:00"},
		{"a closure removes its days, both ends included", site("Mo-Fr 09:00-10:00", "34", 1,
			Closure{From: date.MustParse("2026-06-02"), To: date.MustParse("2026-06-04"), Reason: "Travaux"}), 60,
			"2026-06-01", "2026-06-05", "06-01 09:00 06-05 09:00"},
		{"first Saturday of the month only", site("Sa[1] 09:00-10:00", "34", 1), 60, "2026-06-01", "2026-06-30", "06-06 09:00"},
		{"no agent on duty, no slot", site(weekdays, "34", 0), 30, "2026-06-02", "2026-06-02", ""},
		{"reversed days, no slot", site(weekdays, "34", 1), 30, "2026-06-03", "2026-06-02", ""},
		{"spring forward: 01:00-04:00 lasts two hours", site("Su 01:00-04:00", "34", 1), 30, "2026-03-29", "2026-03-29",
			"01:00 01:30 03:00 03:30"},
		{"fall back: 01:00-04:00 lasts four hours, 02:00 and 02:30 twice", site("Su 01:00-04:00", "34", 1), 30, "2026-10-25", "2026-10-25",
			"01:00 01:30 02:00 02:30 02:00 02:30 03:00 03:30"},
		{"a day-time schedule is unchanged by the clock change", site("Sa,Mo 09:00-10:00", "34", 1), 60, "2026-03-28", "2026-03-30",
			"03-28 09:00 03-30 09:00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k := Kind{Minutes: tc.minutes}
			from, to := date.MustParse(tc.from), date.MustParse(tc.to)
			slots := Slots(tc.site, k, from, to)
			if got := starts(slots, from != to); got != tc.want {
				t.Fatalf("slots = %q\nwant     %q", got, tc.want)
			}
			for i, s := range slots {
				if s.End.Sub(s.Start) != k.Duration() {
					t.Errorf("slot %d lasts %v, want %v", i, s.End.Sub(s.Start), k.Duration())
				}
				if s.Capacity != tc.site.Agents || s.Free != tc.site.Agents {
					t.Errorf("slot %d capacity %d free %d, want %d", i, s.Capacity, s.Free, tc.site.Agents)
				}
				if !OnGrain(s.Start) {
					t.Errorf("slot %d starts off the grain: %v", i, s.Start)
				}
				if i > 0 && !slots[i-1].Start.Before(s.Start) {
					t.Errorf("slot %d not after slot %d", i, i-1)
				}
				if s.Start.Location() != paris {
					t.Errorf("slot %d not in Europe/Paris", i)
				}
			}
		})
	}
}

// TestSlotsClockChangeInstants checks the real instants around the clock
// changes: 09:00 in Paris is 08:00 UTC in winter and 07:00 UTC in summer.
func TestSlotsClockChangeInstants(t *testing.T) {
	s := site("Mo-Sa 09:00-10:00", "34", 1)
	tests := []struct {
		day, utc string
	}{
		{"2026-03-28", "2026-03-28T08:00:00Z"},
		{"2026-03-30", "2026-03-30T07:00:00Z"},
		{"2026-10-24", "2026-10-24T07:00:00Z"},
		{"2026-10-26", "2026-10-26T08:00:00Z"},
	}
	for _, tc := range tests {
		d := date.MustParse(tc.day)
		slots := Slots(s, Kind{Minutes: 60}, d, d)
		if len(slots) != 1 || slots[0].Start.UTC().Format(time.RFC3339) != tc.utc {
			t.Errorf("%s: slots %v, want one at %s", tc.day, slots, tc.utc)
		}
	}
	// The October night: the second 02:00 is an hour after the first.
	d := date.MustParse("2026-10-25")
	slots := Slots(site("Su 01:00-04:00", "34", 1), Kind{Minutes: 30}, d, d)
	if len(slots) != 8 || slots[4].Start.Sub(slots[2].Start) != time.Hour {
		t.Fatalf("October night: %v", slots)
	}
	if total := slots[len(slots)-1].End.Sub(slots[0].Start); total != 4*time.Hour {
		t.Fatalf("October night spans %v, want 4h", total)
	}
}

func TestAvailable(t *testing.T) {
	s := site("Tu 09:00-11:00", "34", 2)
	d := date.MustParse("2026-06-02")
	slots := Slots(s, Kind{Minutes: 30}, d, d)
	at := func(hm string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", "2026-06-02 "+hm, paris)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	var taken []Cell
	// A one-hour appointment on seat 1 at 09:00 (another kind), and a
	// 5-minute cell on seat 2 at 10:25 (the end of a 10:00-10:30 slot).
	for _, c := range Cells(at("09:00"), at("10:00")) {
		taken = append(taken, Cell{Seat: 1, At: c})
	}
	taken = append(taken, Cell{Seat: 2, At: at("10:25")}, Cell{Seat: 3, At: at("10:30")}) // seat 3 is not on duty
	Available(slots, taken)
	var got []string
	for _, sl := range slots {
		got = append(got, sl.Start.Format("15:04")+"="+string(rune('0'+sl.Free)))
	}
	if want := "09:00=1 09:30=1 10:00=1 10:30=2"; strings.Join(got, " ") != want {
		t.Fatalf("free = %v, want %s", got, want)
	}
	if seats := FreeSeats(2, at("09:30"), at("10:30"), taken); len(seats) != 0 {
		t.Fatalf("FreeSeats(09:30-10:30) = %v, want none", seats)
	}
	if seats := FreeSeats(2, at("10:30"), at("11:00"), taken); len(seats) != 2 || seats[0] != 1 {
		t.Fatalf("FreeSeats(10:30-11:00) = %v, want [1 2]", seats)
	}
	if n := len(Cells(at("09:00"), at("09:45"))); n != 9 {
		t.Fatalf("Cells(45 min) = %d, want 9", n)
	}
}

func TestNewSite(t *testing.T) {
	p := HelpPoint{ID: 3, INSEE: "2A004", OpeningHours: "Mo 25:00-26:00", Agents: 2}
	if _, err := NewSite(p, nil); err == nil || !strings.Contains(err.Error(), "position 4") {
		t.Fatalf("NewSite with bad hours: %v", err)
	}
	p.OpeningHours = "Mo-Fr 09:00-12:00"
	s, err := NewSite(p, nil)
	if err != nil || s.Departement != "2A" || s.Agents != 2 {
		t.Fatalf("NewSite = %+v, %v", s, err)
	}
}

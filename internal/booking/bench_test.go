package booking

import (
	"testing"
	"time"

	"permis/internal/date"
	"permis/internal/holidays"
	"permis/internal/openinghours"
)

// benchHours are a help point's hours as the national data writes them:
// two periods on weekdays, the first Saturday morning, holidays closed.
const benchHours = `Mo-Fr 08:30-12:00,13:30-16:30; Sa[1] 09:00-12:00; PH off`

var (
	benchFrom = date.MustParse("2026-01-01")
	benchTo   = date.MustParse("2026-12-31")
)

func benchSite() Site {
	return Site{Hours: openinghours.MustParse(benchHours), Departement: "34", Agents: 2,
		Closures: []Closure{{From: date.MustParse("2026-08-10"), To: date.MustParse("2026-08-21"), Reason: "Congés"}}}
}

// BenchmarkSlotsYear generates a year of 30-minute slots from the opening
// hours (holidays and a closure applied).
func BenchmarkSlotsYear(b *testing.B) {
	s, k := benchSite(), Kind{Minutes: 30}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		n = len(Slots(s, k, benchFrom, benchTo))
	}
	b.ReportMetric(float64(n), "slots/op")
}

// weeklyTable is the baseline's schedule: the same hours as a fixed table
// per weekday (Monday = 0), minutes from midnight, no holidays.
var weeklyTable = [7][][2]int{
	{{510, 720}, {810, 990}}, {{510, 720}, {810, 990}}, {{510, 720}, {810, 990}}, {{510, 720}, {810, 990}},
	{{510, 720}, {810, 990}}, {{540, 720}}, nil,
}

// BenchmarkSlotsYearFixedTable is the baseline of BenchmarkSlotsYear: the
// same year of slots cut from a fixed weekly table, with the holidays, the
// first-Saturday rule and the closure tested in Go, without evaluating
// opening_hours.
func BenchmarkSlotsYearFixedTable(b *testing.B) {
	dur := 30 * time.Minute
	site := benchSite()
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		var out []Slot
		for d := benchFrom; d <= benchTo; d++ {
			y, m, dd := d.Civil()
			wd := (int(d) + 3) % 7
			if _, h := holidays.Is(d, "34"); h || (wd == 5 && dd > 7) {
				continue
			}
			if _, closed := site.ClosedOn(d); closed {
				continue
			}
			for _, p := range weeklyTable[wd] {
				start := time.Date(y, m, dd, p[0]/60, p[0]%60, 0, 0, paris)
				end := time.Date(y, m, dd, p[1]/60, p[1]%60, 0, 0, paris)
				for t := start; !t.Add(dur).After(end); t = t.Add(dur) {
					out = append(out, Slot{Start: t, End: t.Add(dur), Capacity: 2, Free: 2})
				}
			}
		}
		n = len(out)
	}
	b.ReportMetric(float64(n), "slots/op")
}

// BenchmarkAvailableYear counts the free seats of a year of slots, one
// seat in two taken.
func BenchmarkAvailableYear(b *testing.B) {
	slots := Slots(benchSite(), Kind{Minutes: 30}, benchFrom, benchTo)
	var taken []Cell
	for _, sl := range slots {
		for _, c := range Cells(sl.Start, sl.End) {
			taken = append(taken, Cell{Seat: 1, At: c})
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		Available(slots, taken)
	}
	b.ReportMetric(float64(len(slots)), "slots/op")
}

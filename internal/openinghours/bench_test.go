package openinghours

import (
	"testing"

	"permis/internal/date"
)

// benchValue is a help point's hours as the national data writes them, with
// the features that cost the most: a list, an nth weekday, holidays and a
// fallback comment.
const benchValue = `Mo,Tu,Th 08:30-12:00,13:30-16:30; We 08:30-12:00; Sa[1] 09:00-12:00; PH off || "sur rendez-vous"`

func BenchmarkParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchValue); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIntervals evaluates one day (a Monday that is a holiday, so the
// holiday rule is looked up), the unit of work of a week's slot listing.
func BenchmarkIntervals(b *testing.B) {
	sch := MustParse(benchValue)
	day := date.MustParse("2026-05-25")
	b.ReportAllocs()
	for b.Loop() {
		sch.Intervals(day, "34")
	}
}

// BenchmarkIntervalsWeek lists the open intervals of seven days.
func BenchmarkIntervalsWeek(b *testing.B) {
	sch := MustParse(benchValue)
	day := date.MustParse("2026-01-05")
	b.ReportAllocs()
	for b.Loop() {
		for i := range 7 {
			sch.Intervals(day.AddDays(i), "34")
		}
	}
}

package openinghours

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"permis/internal/date"
)

// at reads "2026-01-05 10:00" as Paris wall-clock time.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation("2006-01-02 15:04", s, paris)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// Reference days of 2026: 5 Jan is a Monday; 3 Jan and 7 Mar are first
// Saturdays; 1 May (Friday) and 25 May (Whit Monday) are holidays; 3 April is
// Good Friday (a holiday in 67 only); 27 May is a holiday in 971 only.
func TestStateAt(t *testing.T) {
	const rdv = `Mo-Fr 09:00-17:00 || "sur rendez-vous"`
	tests := []struct {
		expr    string
		dep     string
		at      string
		want    State
		comment string
	}{
		// Office hours with a lunch break, closed on holidays.
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 08:29", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 08:30", Open, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 11:59", Open, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 12:00", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 13:30", Open, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05 16:30", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-10 10:00", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-05-01 10:00", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-05-25 10:00", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-04-03 10:00", Open, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "67", "2026-04-03 10:00", Closed, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-05-27 10:00", Open, ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "971", "2026-05-27 10:00", Closed, ""},
		// Days of their own, and the first Saturday of the month.
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-01-05 10:00", Open, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-01-07 10:00", Closed, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-01-07 15:00", Open, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-01-09 10:00", Closed, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-01-03 10:00", Open, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-03-07 10:00", Open, ""},
		{"Mo,Tu,Th 09:00-12:00; We 14:00-17:00; Sa[1] 09:00-12:00", "34", "2026-03-14 10:00", Closed, ""},
		{"Mo[-1] 10:00-12:00", "34", "2026-03-30 11:00", Open, ""},
		{"Mo[-1] 10:00-12:00", "34", "2026-03-23 11:00", Closed, ""},
		{"Mo[1,3] 10:00-12:00", "34", "2026-01-19 11:00", Open, ""},
		{"Mo[1,3] 10:00-12:00", "34", "2026-01-12 11:00", Closed, ""},
		// Always open, holidays included.
		{"24/7", "34", "2026-05-01 03:00", Open, ""},
		{"24/7", "34", "2026-12-31 23:59", Open, ""},
		// Closed in August.
		{"Mo-Sa 10:00-20:00; Aug off", "34", "2026-08-10 12:00", Closed, ""},
		{"Mo-Sa 10:00-20:00; Aug off", "34", "2026-07-31 12:00", Open, ""},
		{"Mo-Sa 10:00-20:00; Aug off", "34", "2026-09-01 12:00", Open, ""},
		{"Mo-Sa 10:00-20:00; Aug off", "34", "2026-07-26 12:00", Closed, ""},
		// One day a year.
		{"Dec 24 09:00-12:00", "34", "2026-12-24 10:00", Open, ""},
		{"Dec 24 09:00-12:00", "34", "2026-12-24 13:00", Closed, ""},
		{"Dec 24 09:00-12:00", "34", "2026-12-23 10:00", Closed, ""},
		{"Dec 24 09:00-12:00", "34", "2027-12-24 10:00", Open, ""},
		{"24/7; Dec 24,26 off", "34", "2026-12-25 10:00", Open, ""},
		{"24/7; Dec 24,26 off", "34", "2026-12-26 10:00", Closed, ""},
		// Past midnight: Friday night runs into Saturday.
		{"Fr 22:00-02:00", "34", "2026-03-07 01:00", Open, ""},
		{"Fr 22:00-02:00", "34", "2026-03-07 02:00", Closed, ""},
		{"Fr 22:00-02:00", "34", "2026-03-06 23:00", Open, ""},
		{"Fr 22:00-02:00", "34", "2026-03-06 21:59", Closed, ""},
		{"Fr 22:00-02:00", "34", "2026-03-06 01:00", Closed, ""},
		{"Sa-Mo 01:00-26:00", "34", "2026-01-04 00:30", Open, ""},
		{"Sa-Mo 01:00-26:00", "34", "2026-01-06 01:30", Open, ""},
		{"Sa-Mo 01:00-26:00", "34", "2026-01-06 02:00", Closed, ""},
		{"Sa-Mo 01:00-26:00", "34", "2026-01-07 01:30", Closed, ""},
		// A later normal rule replaces the night; an additional one keeps it.
		{"Fr 22:00-02:00; Sa 10:00-12:00", "34", "2026-03-07 01:00", Closed, ""},
		{"Fr 22:00-02:00, Sa 10:00-12:00", "34", "2026-03-07 01:00", Open, ""},
		// Fallback: by appointment outside opening hours.
		{rdv, "34", "2026-01-05 10:00", Open, ""},
		{rdv, "34", "2026-01-05 18:00", Unknown, "sur rendez-vous"},
		{rdv, "34", "2026-01-10 10:00", Unknown, "sur rendez-vous"},
		{`Mo-Fr 09:00-17:00; PH off || "sur rendez-vous"`, "34", "2026-05-01 10:00", Closed, ""},
		{`Mo-Fr 09:00-17:00; PH off || "sur rendez-vous"`, "34", "2026-05-02 10:00", Unknown, "sur rendez-vous"},
		// Normal rules replace, additional rules add, "off" closes its times.
		{"Mo-Fr 10:00-20:00; We 10:00-16:00", "34", "2026-01-07 17:00", Closed, ""},
		{"Mo-Fr 10:00-20:00; We 10:00-16:00", "34", "2026-01-06 17:00", Open, ""},
		{"Mo-Fr 10:00-12:00, We 14:00-16:00", "34", "2026-01-07 11:00", Open, ""},
		{"Mo-Fr 10:00-12:00, We 14:00-16:00", "34", "2026-01-07 15:00", Open, ""},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "34", "2026-01-07 13:00", Closed, ""},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "34", "2026-01-07 10:00", Open, ""},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "34", "2026-01-07 15:00", Open, ""},
		// A rule with times only selects every day and so replaces (spec).
		{"Mo-Fr 08:00-12:00; 14:00-18:00", "34", "2026-01-05 10:00", Closed, ""},
		{"Mo-Fr 08:00-12:00; 14:00-18:00", "34", "2026-01-10 15:00", Open, ""},
		// Order matters: "PH off" placed first is replaced by the weekday rule.
		{"Su,PH off; Mo-Sa 09:00-12:00", "34", "2026-05-25 10:00", Open, ""},
		{"Mo-Sa 09:00-12:00; Su,PH off", "34", "2026-05-25 10:00", Closed, ""},
		// Seasons, date ranges, weeks, years.
		{"Nov-Feb Mo-Fr 10:00-16:00; Mar-Oct Mo-Fr 09:00-18:00", "34", "2026-01-05 09:30", Closed, ""},
		{"Nov-Feb Mo-Fr 10:00-16:00; Mar-Oct Mo-Fr 09:00-18:00", "34", "2026-06-01 09:30", Open, ""},
		{"Nov-Feb Mo-Fr 10:00-16:00; Mar-Oct Mo-Fr 09:00-18:00", "34", "2026-12-01 16:30", Closed, ""},
		{"Mo-Fr 09:00-17:00; 2026 Dec 24-2027 Jan 02 off", "34", "2026-12-28 10:00", Closed, ""},
		{"Mo-Fr 09:00-17:00; 2026 Dec 24-2027 Jan 02 off", "34", "2027-01-04 10:00", Open, ""},
		{"Mo-Fr 09:00-17:00; 2026 Dec 24-2027 Jan 02 off", "34", "2025-12-29 10:00", Open, ""},
		{"Mo-Fr 09:00-17:00; Dec 24-Jan 02 off", "34", "2025-12-29 10:00", Closed, ""},
		{"week 01-53/2 Mo 10:00-12:00", "34", "2026-01-05 11:00", Closed, ""}, // ISO week 2
		{"week 01-53/2 Mo 10:00-12:00", "34", "2026-01-12 11:00", Open, ""},   // ISO week 3
		{"2027 Mo 10:00-12:00", "34", "2026-01-05 11:00", Closed, ""},
		{"24/7; 2027-2027 Aug-Jul off", "34", "2027-03-01 11:00", Closed, ""}, // year 2027, and Aug-Jul over the new year
		{"24/7; 2027-2027 Aug-Jul off", "34", "2028-03-01 11:00", Open, ""},
		{"24/7; 2027 Aug-Jul off", "34", "2027-03-01 11:00", Open, ""}, // August 2027 to July 2028
		{"24/7; 2027 Aug-Jul off", "34", "2028-03-01 11:00", Closed, ""},
		{"2026-2027 Mo 10:00-12:00", "34", "2026-01-05 11:00", Open, ""},
		// Holidays that fall on a weekday.
		{"PH Mo-Fr 10:00-12:00", "34", "2026-05-01 11:00", Open, ""},
		{"PH Mo-Fr 10:00-12:00", "34", "2026-11-01 11:00", Closed, ""},
		{"PH Mo-Fr 10:00-12:00", "34", "2026-01-06 11:00", Closed, ""},
		// Comments and modifiers.
		{`Mo 10:00-12:00 open "accueil"`, "34", "2026-01-05 11:00", Open, "accueil"},
		{`unknown "fermé pour travaux"`, "34", "2026-01-05 11:00", Unknown, "fermé pour travaux"},
		{"off", "34", "2026-01-05 11:00", Closed, ""},
	}
	for _, tt := range tests {
		sch, err := Parse(tt.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.expr, err)
			continue
		}
		st, comment := sch.StateAt(at(t, tt.at), tt.dep)
		if st != tt.want || comment != tt.comment {
			t.Errorf("%q in %s at %s = %s %q, want %s %q", tt.expr, tt.dep, tt.at, st, comment, tt.want, tt.comment)
		}
		if got := sch.OpenAt(at(t, tt.at), tt.dep); got != (tt.want == Open) {
			t.Errorf("%q in %s: OpenAt(%s) = %v", tt.expr, tt.dep, tt.at, got)
		}
	}
}

// The instant is read in Paris whatever its zone: 09:30 UTC in January is
// 10:30 in Paris.
func TestOpenAtOtherZone(t *testing.T) {
	sch := MustParse("Mo 10:00-11:00")
	if !sch.OpenAt(time.Date(2026, 1, 5, 9, 30, 0, 0, time.UTC), "34") {
		t.Error("09:30 UTC on Monday 5 January 2026 should be open (10:30 in Paris)")
	}
	if sch.OpenAt(time.Date(2026, 1, 5, 10, 30, 0, 0, time.UTC), "34") {
		t.Error("10:30 UTC (11:30 in Paris) should be closed")
	}
}

func formatIntervals(ivs []Interval) string {
	out := make([]string, len(ivs))
	for i, iv := range ivs {
		out[i] = fmt.Sprintf("%02d:%02d-%02d:%02d", iv.From/60, iv.From%60, iv.To/60, iv.To%60)
	}
	return strings.Join(out, " ")
}

func TestIntervals(t *testing.T) {
	tests := []struct {
		expr string
		dep  string
		day  string
		want string
	}{
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-05", "08:30-12:00 13:30-16:30"},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-05-01", ""},
		{"Mo-Fr 08:30-12:00,13:30-16:30; PH off", "34", "2026-01-10", ""},
		{"Mo-Fr 10:00-12:00,12:00-14:00", "34", "2026-01-05", "10:00-14:00"},
		{"Mo 10:00-12:00, Mo 11:00-13:00", "34", "2026-01-05", "10:00-13:00"},
		{"Fr 22:00-02:00", "34", "2026-03-06", "22:00-24:00"},
		{"Fr 22:00-02:00", "34", "2026-03-07", "00:00-02:00"},
		{"Mo-Su 08:00-02:00", "34", "2026-03-07", "00:00-02:00 08:00-24:00"},
		{"24/7", "34", "2026-03-07", "00:00-24:00"},
		{"Mo-Fr 09:00-18:00; We 12:00-14:00 off", "34", "2026-01-07", "09:00-12:00 14:00-18:00"},
		{`Mo-Fr 09:00-17:00 || "sur rendez-vous"`, "34", "2026-01-10", ""},
	}
	for _, tt := range tests {
		got := formatIntervals(MustParse(tt.expr).Intervals(date.MustParse(tt.day), tt.dep))
		if got != tt.want {
			t.Errorf("%q on %s: %q, want %q", tt.expr, tt.day, got, tt.want)
		}
	}
}

func TestIntervalInstants(t *testing.T) {
	// 29 March 2026: clocks go from 02:00 to 03:00.
	ivs := MustParse("Su 01:00-04:00").Intervals(date.MustParse("2026-03-29"), "34")
	if len(ivs) != 1 {
		t.Fatalf("intervals: %v", ivs)
	}
	if got := ivs[0].Start.Format(time.RFC3339); got != "2026-03-29T01:00:00+01:00" {
		t.Errorf("Start = %s", got)
	}
	if got := ivs[0].End.Format(time.RFC3339); got != "2026-03-29T04:00:00+02:00" {
		t.Errorf("End = %s", got)
	}
	// 24:00 is the next midnight.
	ivs = MustParse("24/7").Intervals(date.MustParse("2026-12-31"), "34")
	if got := ivs[0].End.Format(time.RFC3339); len(ivs) != 1 || got != "2027-01-01T00:00:00+01:00" {
		t.Errorf("24/7 on 31 Dec ends %s", got)
	}
}

func TestNextChange(t *testing.T) {
	const office = "Mo-Fr 08:30-12:00,13:30-16:30; PH off"
	tests := []struct {
		expr string
		at   string
		want string // "" for no change
	}{
		{office, "2026-01-05 10:00", "2026-01-05 12:00"},
		{office, "2026-01-05 12:00", "2026-01-05 13:30"},
		{office, "2026-01-09 17:00", "2026-01-12 08:30"},
		{office, "2026-04-30 17:00", "2026-05-04 08:30"}, // Friday 1 May is a holiday
		{"Fr 22:00-02:00", "2026-03-06 23:00", "2026-03-07 02:00"},
		{"Dec 24 09:00-12:00", "2026-12-24 12:00", "2027-12-24 09:00"},
		{"24/7", "2026-01-05 10:00", ""},
		{"off", "2026-01-05 10:00", ""},
	}
	for _, tt := range tests {
		got, ok := MustParse(tt.expr).NextChange(at(t, tt.at), "34")
		if tt.want == "" {
			if ok {
				t.Errorf("%q after %s: change at %s, want none", tt.expr, tt.at, got)
			}
			continue
		}
		if !ok || !got.Equal(at(t, tt.want)) {
			t.Errorf("%q after %s: %s %v, want %s", tt.expr, tt.at, got.In(paris).Format("2006-01-02 15:04"), ok, tt.want)
		}
	}
	// Mid-minute: the change is at the next minute boundary where the state differs.
	got, _ := MustParse("Mo 10:00-12:00").NextChange(at(t, "2026-01-05 11:59").Add(30*time.Second), "34")
	if !got.Equal(at(t, "2026-01-05 12:00")) {
		t.Errorf("from 11:59:30: %s", got)
	}
}

func TestString(t *testing.T) {
	tests := []struct{ in, want string }{
		{"mo-fr 9:00-12:00", "Mo-Fr 09:00-12:00"},
		{"Mo–Fr 09:00 – 12:00 ;  Sa 10:00-12:00;", "Mo-Fr 09:00-12:00; Sa 10:00-12:00"},
		{"Mo 10:00-12:00 closed", "Mo 10:00-12:00 off"},
		{"Mo[1-2,-1] 10:00-12:00", "Mo[1,2,-1] 10:00-12:00"},
		{"Dec 24,26 off", "Dec 24,Dec 26 off"},
		{"Dec 24-Dec 26 off", "Dec 24-26 off"},
		{"Jan-Jun: Mo 10:00-12:00", "Jan-Jun Mo 10:00-12:00"},
		{"jan 1 off", "Jan 01 off"},
		{"2026 Dec 24-Jan 02 off", "2026 Dec 24-2027 Jan 02 off"},
		{"week 1-53/2 Mo 10:00-12:00", "week 01-53/2 Mo 10:00-12:00"},
		{"Fr 22:00-26:00", "Fr 22:00-02:00"},
		{"Fr 01:00-26:00", "Fr 01:00-26:00"},
		{"Fr 22:00-00:00", "Fr 22:00-24:00"},
		{`Mo-Fr 09:00-17:00||"sur rendez-vous"`, `Mo-Fr 09:00-17:00 || "sur rendez-vous"`},
		{"Mo 10:00-12:00,Tu 14:00-16:00", "Mo 10:00-12:00, Tu 14:00-16:00"},
		{"2026,2028 Jan", "2026,2028 Jan"},
		{"ph mo-fr off", "PH Mo-Fr off"},
		{"2027-2027 Aug-Jul off", "2027-2027 Aug-Jul off"}, // not "2027 Aug-Jul", which means Aug 2027-Jul 2028
		{"2027 Aug-Jul off", "2027 Aug-2028 Jul off"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.in).String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
	for _, s := range validCases {
		norm := MustParse(s).String()
		if again := MustParse(norm).String(); again != norm {
			t.Errorf("%q → %q → %q", s, norm, again)
		}
	}
}

func TestNilSchedule(t *testing.T) {
	var s *Schedule
	if s.OpenAt(at(t, "2026-01-05 10:00"), "34") || s.String() != "" || len(s.Intervals(date.MustParse("2026-01-05"), "34")) != 0 {
		t.Error("a nil schedule must be closed and empty")
	}
}

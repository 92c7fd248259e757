// Package date is the calendar-date type the whole register uses: a day, with
// no time and no zone. Legal delays (6 months, 2 years, 10 years…) are counted
// on dates, so the type is small (an int32 day count), totally ordered, and
// free of time-zone surprises.
package date

import (
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Date is a civil date, stored as the number of days since 1970-01-01.
// The zero value is 1970-01-01; use IsZero-aware code paths (see Valid) only
// where "no date" matters, or *Date / NullDate.
type Date int32

// Of returns the date for year, month and day. It panics on an impossible
// date: use Parse for input that comes from outside.
func Of(year int, month time.Month, day int) Date {
	if !valid(year, month, day) {
		panic(fmt.Sprintf("date.Of: impossible date %04d-%02d-%02d", year, month, day))
	}
	return fromCivil(year, month, day)
}

// FromTime returns the date of t in t's location.
func FromTime(t time.Time) Date {
	y, m, d := t.Date()
	return fromCivil(y, m, d)
}

// Today returns the current date in Europe/Paris, the legal time of the register.
func Today(now time.Time) Date {
	return FromTime(now.In(paris))
}

var paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// The embedded tzdata (time/tzdata, imported below) makes this unreachable.
		return time.UTC
	}
	return loc
}

// ErrSyntax is returned for a string that is not YYYY-MM-DD.
var ErrSyntax = errors.New("not a date in the form YYYY-MM-DD")

// ErrImpossible is returned for a well-formed but impossible date (2021-02-30).
var ErrImpossible = errors.New("impossible date")

// Parse reads a YYYY-MM-DD date. It refuses other layouts and impossible
// dates, with ErrSyntax or ErrImpossible.
func Parse(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, ErrSyntax
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 {
		return 0, ErrSyntax
	}
	if !valid(y, time.Month(m), d) {
		return 0, ErrImpossible
	}
	return fromCivil(y, time.Month(m), d), nil
}

// ParseTyped reads a date as people type it, JJ/MM/AAAA (05/03/2026, or
// 5/3/2026), or as a browser's date field sends it, AAAA-MM-JJ. Spaces
// around it are ignored; a year must have four digits. It refuses other
// layouts and impossible dates, with ErrSyntax or ErrImpossible.
func ParseTyped(s string) (Date, error) {
	s = strings.TrimSpace(s)
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return Parse(s)
	}
	if len(parts[0]) < 1 || len(parts[0]) > 2 || len(parts[1]) < 1 || len(parts[1]) > 2 || len(parts[2]) != 4 {
		return 0, ErrSyntax
	}
	d, ok1 := digits(parts[0])
	m, ok2 := digits(parts[1])
	y, ok3 := digits(parts[2])
	if !ok1 || !ok2 || !ok3 {
		return 0, ErrSyntax
	}
	if !valid(y, time.Month(m), d) {
		return 0, ErrImpossible
	}
	return fromCivil(y, time.Month(m), d), nil
}

// MustParse is Parse for literals in tests and tables; it panics on error.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic("date.MustParse(" + strconv.Quote(s) + "): " + err.Error())
	}
	return d
}

func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func valid(y int, m time.Month, d int) bool {
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// fromCivil and Civil use Howard Hinnant's days-from-civil algorithm.
func fromCivil(y int, m time.Month, d int) Date {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (int(m) + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return Date(era*146097 + doe - 719468)
}

// Civil returns the year, month and day of d.
func (d Date) Civil() (year int, month time.Month, day int) {
	z := int(d) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	dd := doy - (153*mp+2)/5 + 1
	mm := mp + 3
	if mm > 12 {
		mm -= 12
	}
	if mm <= 2 {
		y++
	}
	return y, time.Month(mm), dd
}

// AddDays returns d + n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddMonths returns the same day n months later. When that month is shorter
// (31 August + 6 months), the delay ends on the last day of the month, as
// French procedure counts delays in months and years (Code de procédure
// civile, art. 641): it never spills into the next month.
func (d Date) AddMonths(n int) Date {
	y, m, day := d.Civil()
	total := y*12 + int(m) - 1 + n
	ny, nm := total/12, time.Month(total%12+1)
	if last := daysIn(ny, nm); day > last {
		day = last
	}
	return fromCivil(ny, nm, day)
}

// AddYears returns the same day n years later (29 February → 28 February).
func (d Date) AddYears(n int) Date { return d.AddMonths(12 * n) }

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d < e }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d > e }

// Year returns the year of d.
func (d Date) Year() int { y, _, _ := d.Civil(); return y }

// Time returns midnight UTC of d.
func (d Date) Time() time.Time {
	y, m, day := d.Civil()
	return time.Date(y, m, day, 0, 0, 0, 0, time.UTC)
}

// YearsBetween returns the number of whole years from d to e (an age).
func YearsBetween(d, e Date) int {
	y1, m1, d1 := d.Civil()
	y2, m2, d2 := e.Civil()
	n := y2 - y1
	if m2 < m1 || (m2 == m1 && d2 < d1) {
		n--
	}
	return n
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	var b [10]byte
	return string(d.appendTo(b[:0]))
}

func (d Date) appendTo(b []byte) []byte {
	y, m, day := d.Civil()
	b = append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-')
	b = append(b, byte('0'+int(m)/10), byte('0'+int(m)%10), '-')
	return append(b, byte('0'+day/10), byte('0'+day%10))
}

// French formats d as DD/MM/YYYY, the form French readers expect.
func (d Date) French() string {
	y, m, day := d.Civil()
	return fmt.Sprintf("%02d/%02d/%04d", day, int(m), y)
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return ErrSyntax
	}
	v, err := Parse(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Value stores a date as YYYY-MM-DD text; PostgreSQL casts it to DATE and
// SQLite keeps it as TEXT, which sorts in date order.
func (d Date) Value() (driver.Value, error) { return d.String(), nil }

// Scan reads a date from TEXT (SQLite) or DATE (PostgreSQL, as time.Time).
func (d *Date) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		*d = FromTime(v)
		return nil
	case string:
		return d.scanText(v)
	case []byte:
		return d.scanText(string(v))
	}
	return fmt.Errorf("date: cannot scan %T", src)
}

func (d *Date) scanText(s string) error {
	if len(s) > 10 { // tolerate "YYYY-MM-DD 00:00:00" or RFC 3339 forms
		s = s[:10]
	}
	v, err := Parse(s)
	if err != nil {
		return fmt.Errorf("date: scan %q: %w", s, err)
	}
	*d = v
	return nil
}

// Null is a date that may be absent, for nullable columns and JSON null.
type Null struct {
	Date  Date
	Valid bool
}

// Some returns a present Null date.
func Some(d Date) Null { return Null{Date: d, Valid: true} }

// Value stores NULL or the date.
func (n Null) Value() (driver.Value, error) {
	if !n.Valid {
		return nil, nil
	}
	return n.Date.Value()
}

// Scan reads NULL or a date.
func (n *Null) Scan(src any) error {
	if src == nil {
		*n = Null{}
		return nil
	}
	n.Valid = true
	return n.Date.Scan(src)
}

// MarshalJSON writes null or "YYYY-MM-DD".
func (n Null) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte("null"), nil
	}
	return n.Date.MarshalJSON()
}

// UnmarshalJSON reads null or "YYYY-MM-DD".
func (n *Null) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*n = Null{}
		return nil
	}
	n.Valid = true
	return n.Date.UnmarshalJSON(b)
}

// Paris returns the time zone of legal dates, to show instants as people
// in metropolitan France read them.
func Paris() *time.Location { return paris }

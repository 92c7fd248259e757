package date

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string
		err  error
	}{
		{"2020-02-29", "2020-02-29", nil},
		{"1900-02-29", "", ErrImpossible},
		{"2021-02-30", "", ErrImpossible},
		{"2021-13-01", "", ErrImpossible},
		{"2021-00-10", "", ErrImpossible},
		{"2021-1-01", "", ErrSyntax},
		{"21-01-2021", "", ErrSyntax},
		{"2021/01/01", "", ErrSyntax},
		{"2021-01-0x", "", ErrSyntax},
		{"", "", ErrSyntax},
		{"0001-01-01", "0001-01-01", nil},
		{"9999-12-31", "9999-12-31", nil},
	}
	for _, tt := range tests {
		d, err := Parse(tt.in)
		if !errors.Is(err, tt.err) {
			t.Errorf("Parse(%q) error = %v, want %v", tt.in, err, tt.err)
			continue
		}
		if err == nil && d.String() != tt.want {
			t.Errorf("Parse(%q) = %s, want %s", tt.in, d, tt.want)
		}
	}
}

func TestAddMonthsEndOfMonth(t *testing.T) {
	tests := []struct {
		from   string
		months int
		want   string
	}{
		{"2020-08-31", 6, "2021-02-28"},
		{"2019-08-31", 6, "2020-02-29"},
		{"2020-02-29", 12, "2021-02-28"},
		{"2020-02-29", 48, "2024-02-29"},
		{"2020-01-15", 6, "2020-07-15"},
		{"2020-12-31", 2, "2021-02-28"},
		{"2021-03-31", -1, "2021-02-28"},
		{"2021-01-01", -1, "2020-12-01"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.from).AddMonths(tt.months).String(); got != tt.want {
			t.Errorf("%s + %d months = %s, want %s", tt.from, tt.months, got, tt.want)
		}
	}
}

func TestYearsBetween(t *testing.T) {
	if n := YearsBetween(MustParse("2000-06-15"), MustParse("2020-06-14")); n != 19 {
		t.Errorf("age = %d, want 19", n)
	}
	if n := YearsBetween(MustParse("2000-06-15"), MustParse("2020-06-15")); n != 20 {
		t.Errorf("age = %d, want 20", n)
	}
}

func TestJSONAndScan(t *testing.T) {
	var v struct {
		D Date `json:"d"`
		N Null `json:"n"`
		M Null `json:"m"`
	}
	if err := json.Unmarshal([]byte(`{"d":"2022-01-01","n":null,"m":"2019-12-01"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.D.String() != "2022-01-01" || v.N.Valid || !v.M.Valid || v.M.Date.String() != "2019-12-01" {
		t.Fatalf("decoded %+v", v)
	}
	out, _ := json.Marshal(v)
	if string(out) != `{"d":"2022-01-01","n":null,"m":"2019-12-01"}` {
		t.Fatalf("encoded %s", out)
	}
	var d Date
	if err := d.Scan(time.Date(2001, 3, 4, 0, 0, 0, 0, time.UTC)); err != nil || d.String() != "2001-03-04" {
		t.Fatalf("scan time: %v %s", err, d)
	}
	if err := d.Scan([]byte("2001-03-05")); err != nil || d.String() != "2001-03-05" {
		t.Fatalf("scan bytes: %v %s", err, d)
	}
	if err := d.Scan("2001-02-30"); err == nil {
		t.Fatal("scan accepted an impossible date")
	}
}

// FuzzCivil checks the day-count arithmetic against the standard library.
func FuzzCivil(f *testing.F) {
	f.Add(int32(0))
	f.Add(int32(-719162))
	f.Add(int32(2932896))
	f.Fuzz(func(t *testing.T, n int32) {
		if n < -719162 || n > 2932896 { // 0001-01-01 … 9999-12-31
			return
		}
		d := Date(n)
		want := time.Unix(int64(n)*86400, 0).UTC()
		y, m, day := d.Civil()
		if y != want.Year() || m != want.Month() || day != want.Day() {
			t.Fatalf("Civil(%d) = %d-%d-%d, want %s", n, y, m, day, want.Format(time.DateOnly))
		}
		if back := Of(y, m, day); back != d {
			t.Fatalf("Of(Civil(%d)) = %d", n, back)
		}
		if p, err := Parse(d.String()); err != nil || p != d {
			t.Fatalf("Parse(String(%d)) = %d, %v", n, p, err)
		}
	})
}

// People type dates as JJ/MM/AAAA (service-public.fr's forms ask "jj/mm/aaaa");
// a browser's date field sends AAAA-MM-JJ. Both are read; nothing else is.
func TestParseTyped(t *testing.T) {
	for _, c := range []struct {
		in   string
		want string
		err  error
	}{
		{"05/03/2026", "2026-03-05", nil},
		{" 5/3/2026 ", "2026-03-05", nil},
		{"2026-03-05", "2026-03-05", nil},
		{"29/02/2024", "2024-02-29", nil},
		{"29/02/2026", "", ErrImpossible},
		{"31/04/2026", "", ErrImpossible},
		{"05/03/26", "", ErrSyntax},
		{"05-03-2026", "", ErrSyntax},
		{"5 mars 2026", "", ErrSyntax},
		{"aa/bb/cccc", "", ErrSyntax},
		{"", "", ErrSyntax},
	} {
		d, err := ParseTyped(c.in)
		if err != c.err || (err == nil && d.String() != c.want) {
			t.Errorf("ParseTyped(%q) = %s, %v; want %s, %v", c.in, d, err, c.want, c.err)
		}
	}
}

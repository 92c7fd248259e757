package stamp

import (
	"errors"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
)

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in, want string
		msg      string // expected French message when invalid
	}{
		{"1234567890123456", "1234567890123456", ""},
		{" 1234 5678 9012 3456 ", "1234567890123456", ""},
		{"1234-5678-9012-3456", "1234567890123456", ""},
		{"1234.5678.9012.3456", "1234567890123456", ""},
		{"1234\u00a05678\u202f9012\t3456", "1234567890123456", ""},
		{"123456789012345", "", "Le numéro de timbre fiscal compte 15 chiffres ; il en faut 16."},
		{"12345678901234567", "", "Le numéro de timbre fiscal compte 17 chiffres ; il en faut 16."},
		{"1234 5678 9O12 3456", "", "Le numéro de timbre fiscal ne doit contenir que des chiffres : caractère « O » en position 12."},
		{"", "", "Saisissez le numéro de timbre fiscal (16 chiffres)."},
		{" - ", "", "Saisissez le numéro de timbre fiscal (16 chiffres)."},
	}
	for _, tt := range tests {
		got, err := ParseNumber(tt.in)
		if tt.msg == "" {
			if err != nil || string(got) != tt.want {
				t.Errorf("ParseNumber(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
			continue
		}
		ae := apperr.As(err)
		if err == nil || ae.Code != apperr.Invalid || ae.Message != tt.msg || ae.Fields[Field] != tt.msg ||
			!errors.Is(err, ErrNumber) || Reason(err) != "stamp_number_invalid" {
			t.Errorf("ParseNumber(%q) = %q, %v; want invalid %q", tt.in, got, err, tt.msg)
		}
	}
}

func TestGroupedAndAmount(t *testing.T) {
	if g := Number("1234567890123456").Grouped(); g != "1234\u00a05678\u00a09012\u00a03456" {
		t.Errorf("Grouped = %q", g)
	}
	for a, want := range map[Amount]string{2500: "25\u00a0€", 1250: "12,50\u00a0€", 5: "0,05\u00a0€", 0: "0\u00a0€", -1250: "-12,50\u00a0€"} {
		if got := a.String(); got != want {
			t.Errorf("Amount(%d) = %q, want %q", int64(a), got, want)
		}
	}
}

func TestConfig(t *testing.T) {
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatalf("default config: %v", err)
	}
	for _, c := range []Config{{0, 18}, {12, 6}, {-1, 18}} {
		if c.Validate() == nil {
			t.Errorf("%+v accepted", c)
		}
	}
}

func TestNewDates(t *testing.T) {
	cfg := DefaultConfig()
	tests := []struct {
		name                string
		bought              time.Time
		valid, refundableTo string
	}{
		{"12 and 18 months later, same day", time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC), "2027-03-14", "2027-09-14"},
		{"31 August: the delay ends on the last day of a shorter month", time.Date(2025, 8, 31, 10, 0, 0, 0, time.UTC), "2026-08-31", "2027-02-28"},
		{"the purchase day is Paris's: 23:30 UTC on 14 March is 15 March", time.Date(2026, 3, 14, 23, 30, 0, 0, time.UTC), "2027-03-15", "2027-09-15"},
	}
	for _, tt := range tests {
		s, err := cfg.New("1234567890123456", 2500, tt.bought, "TX1")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if s.State != Available || s.ValidUntil.String() != tt.valid || s.RefundableUntil.String() != tt.refundableTo {
			t.Errorf("%s: state %s, valid until %s, refundable until %s; want available, %s, %s",
				tt.name, s.State, s.ValidUntil, s.RefundableUntil, tt.valid, tt.refundableTo)
		}
	}
	if _, err := cfg.New("1234567890123456", 0, time.Now(), ""); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("zero amount: %v", err)
	}
	if _, err := cfg.New("123", 2500, time.Now(), ""); !errors.Is(err, ErrNumber) {
		t.Errorf("short number: %v", err)
	}
	long := Config{ValidityMonths: 6, RefundMonths: 24}
	s, _ := long.New("1234567890123456", 2500, time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC), "")
	if s.ValidUntil.String() != "2026-09-14" || s.RefundableUntil.String() != "2028-03-14" {
		t.Errorf("configured delays ignored: %s, %s", s.ValidUntil, s.RefundableUntil)
	}
}

// bought is the purchase time of the stamps of the transition tests.
var bought = time.Date(2026, 3, 14, 10, 0, 0, 0, time.UTC)

// at returns noon in Paris on day s.
func at(s string) time.Time {
	d := date.MustParse(s)
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 12, 0, 0, 0, date.Paris())
}

// in returns a €25 stamp bought on 14 March 2026 in the given state.
func in(state State, ref string) Stamp {
	s, err := DefaultConfig().New("1234567890123456", 2500, bought, "TX1")
	if err != nil {
		panic(err)
	}
	s.State, s.RequestRef = state, ref
	return s
}

func TestTransitions(t *testing.T) {
	const (
		mine   = "D-2026-MINE"
		theirs = "D-2026-THEIRS"
	)
	type op func(s Stamp) (Stamp, error)
	reserve := func(ref, day string, due Amount) op {
		return func(s Stamp) (Stamp, error) { return s.Reserve(ref, at(day), due) }
	}
	consume := func(ref string) op { return func(s Stamp) (Stamp, error) { return s.Consume(ref, at("2026-05-01")) } }
	release := func(ref string) op { return func(s Stamp) (Stamp, error) { return s.Release(ref, at("2026-05-01")) } }
	refund := func(day string) op { return func(s Stamp) (Stamp, error) { return s.Refund(at(day)) } }

	tests := []struct {
		law     string
		from    Stamp
		do      op
		state   State  // expected state when it succeeds
		ref     string // expected request reference after it
		reason  string // expected stable code when refused
		code    apperr.Code
		message string // expected French message when refused ("" : the class's own)
	}{
		// Filing a request reserves an available, valid stamp of the right amount.
		{law: "filing reserves an available stamp", from: in(Available, ""), do: reserve(mine, "2026-04-01", 2500), state: Reserved, ref: mine},
		{law: "the last day of validity is still valid", from: in(Available, ""), do: reserve(mine, "2027-03-14", 2500), state: Reserved, ref: mine},
		{law: "a €25 stamp pays a €12.50 fee (French Guiana)", from: in(Available, ""), do: reserve(mine, "2026-04-01", 1250), state: Reserved, ref: mine},
		{law: "valid 12 months: the day after is too late", from: in(Available, ""), do: reserve(mine, "2027-03-15", 2500),
			reason: "stamp_expired", code: apperr.Conflict,
			message: "Ce timbre fiscal n'est plus valable : acheté le 14/03/2026, il pouvait être utilisé jusqu'au 14/03/2027. Vous pouvez en demander le remboursement jusqu'au 14/09/2027."},
		{law: "past 18 months, no refund is offered", from: in(Available, ""), do: reserve(mine, "2027-09-15", 2500),
			reason: "stamp_expired", code: apperr.Conflict,
			message: "Ce timbre fiscal n'est plus valable : acheté le 14/03/2026, il pouvait être utilisé jusqu'au 14/03/2027."},
		{law: "a stamp below the fee is refused", from: in(Available, ""), do: reserve(mine, "2026-04-01", 3000),
			reason: "stamp_amount", code: apperr.Invalid, message: "Ce timbre fiscal est de 25\u00a0€ ; cette demande demande un timbre de 30\u00a0€."},
		{law: "single use: a stamp reserved by another request", from: in(Reserved, theirs), do: reserve(mine, "2026-04-01", 2500),
			reason: "stamp_reserved", code: apperr.Conflict},
		{law: "the same request does not reserve it twice", from: in(Reserved, mine), do: reserve(mine, "2026-04-01", 2500),
			reason: "stamp_reserved", code: apperr.Conflict, message: "Ce timbre fiscal est déjà rattaché à cette demande."},
		{law: "a consumed stamp is never used again", from: in(Consumed, theirs), do: reserve(mine, "2026-04-01", 2500),
			reason: "stamp_consumed", code: apperr.Conflict},
		{law: "a refunded stamp cannot be used", from: in(Refunded, ""), do: reserve(mine, "2026-04-01", 2500),
			reason: "stamp_refunded", code: apperr.Conflict},

		// Acceptance consumes it; rejection releases it.
		{law: "acceptance consumes the reserved stamp", from: in(Reserved, mine), do: consume(mine), state: Consumed, ref: mine},
		{law: "acceptance consumes even a stamp expired since filing", from: in(Reserved, mine),
			do: func(s Stamp) (Stamp, error) { return s.Consume(mine, at("2027-06-01")) }, state: Consumed, ref: mine},
		{law: "another request cannot consume it", from: in(Reserved, theirs), do: consume(mine), reason: "stamp_not_reserved", code: apperr.Conflict},
		{law: "an available stamp is not consumed without filing", from: in(Available, ""), do: consume(mine), reason: "stamp_not_reserved", code: apperr.Conflict},
		{law: "consumed twice by the same request", from: in(Consumed, mine), do: consume(mine),
			reason: "stamp_consumed", code: apperr.Conflict, message: "Ce timbre fiscal a déjà été utilisé pour cette demande."},
		{law: "rejection releases the stamp", from: in(Reserved, mine), do: release(mine), state: Available, ref: ""},
		{law: "another request cannot release it", from: in(Reserved, theirs), do: release(mine), reason: "stamp_not_reserved", code: apperr.Conflict},
		{law: "a consumed stamp is not released", from: in(Consumed, mine), do: release(mine), reason: "stamp_consumed", code: apperr.Conflict},
		{law: "an empty reference holds nothing", from: in(Reserved, mine), do: release(""), reason: "stamp_not_reserved", code: apperr.Conflict},

		// Refund within 18 months if unused.
		{law: "an unused stamp is refundable", from: in(Available, ""), do: refund("2026-04-01"), state: Refunded},
		{law: "an expired stamp is still refundable until 18 months", from: in(Available, ""), do: refund("2027-09-14"), state: Refunded},
		{law: "not after 18 months", from: in(Available, ""), do: refund("2027-09-15"), reason: "stamp_not_refundable", code: apperr.Conflict,
			message: "Ce timbre fiscal ne peut plus être remboursé : acheté le 14/03/2026, il pouvait l'être jusqu'au 14/09/2027."},
		{law: "not while a request holds it", from: in(Reserved, mine), do: refund("2026-04-01"), reason: "stamp_reserved", code: apperr.Conflict,
			message: "Ce timbre fiscal est rattaché à une demande en cours : il ne peut être remboursé que si cette demande est refusée."},
		{law: "not once consumed", from: in(Consumed, mine), do: refund("2026-04-01"), reason: "stamp_consumed", code: apperr.Conflict},
		{law: "not twice", from: in(Refunded, ""), do: refund("2026-04-01"), reason: "stamp_refunded", code: apperr.Conflict},
	}
	for _, tt := range tests {
		got, err := tt.do(tt.from)
		if tt.reason == "" {
			if err != nil || got.State != tt.state || got.RequestRef != tt.ref {
				t.Errorf("%s: %s/%q, %v; want %s/%q", tt.law, got.State, got.RequestRef, err, tt.state, tt.ref)
			}
			continue
		}
		ae := apperr.As(err)
		if err == nil || Reason(err) != tt.reason || ae.Code != tt.code {
			t.Errorf("%s: %v (reason %q); want %s %q", tt.law, err, Reason(err), tt.code, tt.reason)
			continue
		}
		if tt.message != "" && ae.Message != tt.message {
			t.Errorf("%s: message\n %q\nwant\n %q", tt.law, ae.Message, tt.message)
		}
		if ae.Fields[Field] != ae.Message {
			t.Errorf("%s: not reported on %s: %v", tt.law, Field, ae.Fields)
		}
		if got.State != tt.from.State || got.RequestRef != tt.from.RequestRef {
			t.Errorf("%s: a refusal changed the stamp to %s/%q", tt.law, got.State, got.RequestRef)
		}
	}
}

func TestTransitionTimestamps(t *testing.T) {
	now := at("2026-04-01")
	s, err := in(Available, "").Reserve("R1", now, 2500)
	if err != nil || s.ReservedAt == nil || !s.ReservedAt.Equal(now) || !s.UpdatedAt.Equal(now) {
		t.Fatalf("Reserve: %+v, %v", s, err)
	}
	r, err := s.Release("R1", now.Add(time.Hour))
	if err != nil || r.ReleasedAt == nil || !r.ReleasedAt.Equal(now.Add(time.Hour)) {
		t.Fatalf("Release: %+v, %v", r, err)
	}
	if _, err := r.Reserve("", now, 2500); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("Reserve without a reference: %v", err)
	}
}

func TestStatusLabel(t *testing.T) {
	tests := []struct {
		s    Stamp
		on   string
		want string
	}{
		{in(Available, ""), "2026-04-01", "disponible"},
		{in(Available, ""), "2027-04-01", "expiré (remboursable jusqu'au 14/09/2027)"},
		{in(Available, ""), "2027-10-01", "expiré"},
		{in(Reserved, "R"), "2027-10-01", "rattaché à une demande en cours"},
		{in(Consumed, "R"), "2026-04-01", "utilisé"},
		{in(Refunded, ""), "2026-04-01", "remboursé"},
	}
	for _, tt := range tests {
		if got := tt.s.StatusLabel(date.MustParse(tt.on)); got != tt.want {
			t.Errorf("%s on %s: %q, want %q", tt.s.State, tt.on, got, tt.want)
		}
	}
	for _, st := range []State{Available, Reserved, Consumed, Refunded} {
		if !st.Valid() {
			t.Errorf("%s not valid", st)
		}
	}
	if State("expired").Valid() {
		t.Error("expired is not a stored state")
	}
}

func TestErrorConstructors(t *testing.T) {
	tests := []struct {
		err    error
		code   apperr.Code
		reason string
	}{
		{Unknown(), apperr.NotFound, "stamp_unknown"},
		{Exists(), apperr.Conflict, "stamp_exists"},
	}
	for _, tt := range tests {
		ae := apperr.As(tt.err)
		if ae.Code != tt.code || Reason(tt.err) != tt.reason || ae.Fields[Field] != ae.Message || ae.Message == "" {
			t.Errorf("%v: code %s, reason %q", tt.err, ae.Code, Reason(tt.err))
		}
	}
	if Reason(errors.New("other")) != "" || errors.Is(Unknown(), ErrExists) {
		t.Error("reasons mixed up")
	}
}

func TestNewNumber(t *testing.T) {
	seen := map[Number]bool{}
	for range 100 {
		n := NewNumber()
		if p, err := ParseNumber(n.Grouped()); err != nil || p != n {
			t.Fatalf("NewNumber() = %q: ParseNumber gives %q, %v", n, p, err)
		}
		if seen[n] {
			t.Fatalf("NewNumber repeated %s", n)
		}
		seen[n] = true
	}
}

func TestMaskNumbers(t *testing.T) {
	for in, want := range map[string]string{
		"Timbre n° 1234\u00a05678\u00a09012\u00a03456 de 25 €": "Timbre n° ••••\u00a0••••\u00a0••••\u00a03456 de 25 €",
		"timbre 1234567890123456, refusé":                      "timbre ••••\u00a0••••\u00a0••••\u00a03456, refusé",
		"1234 5678 9012 3456":                                  "••••\u00a0••••\u00a0••••\u00a03456",
		"NEPH 123456789012, DEM-2026-7KQ4XM":                   "NEPH 123456789012, DEM-2026-7KQ4XM",
	} {
		if got := MaskNumbers(in); got != want {
			t.Errorf("MaskNumbers(%q) = %q, want %q", in, got, want)
		}
	}
	if got := Number("1234567890123456").Masked(); got != "••••\u00a0••••\u00a0••••\u00a03456" {
		t.Errorf("Masked = %q", got)
	}
}

package web

import (
	"testing"
	"time"

	"permis/internal/date"
)

func TestDateFormats(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	d := date.Of(2026, time.March, 12)
	tests := []struct {
		in   any
		want string
	}{
		{d, "12/03/2026"},
		{date.Of(2025, time.August, 1), "01/08/2025"},
		{date.Of(2024, time.December, 31), "31/12/2024"},
		{&d, "12/03/2026"},
		{(*date.Date)(nil), ""},
		{date.Some(d), "12/03/2026"},
		{date.Null{}, ""},
		// 23:30 UTC on 31 January is already 1 February in Paris.
		{time.Date(2026, time.January, 31, 23, 30, 0, 0, time.UTC), "01/02/2026"},
		{time.Time{}, ""},
	}
	for _, tt := range tests {
		got, err := formatDate(tt.in, paris)
		if err != nil || got != tt.want {
			t.Errorf("date(%#v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := formatDate("2026-03-12", paris); err == nil {
		t.Error("date accepts a string")
	}
}

func TestDateTimeInParis(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, time.March, 12, 13, 5, 0, 0, time.UTC), "12/03/2026 à 14 h 05"}, // winter: UTC+1
		{time.Date(2026, time.July, 1, 7, 0, 0, 0, time.UTC), "01/07/2026 à 9 h 00"},     // summer: UTC+2
	}
	for _, tt := range tests {
		got, err := formatDateTime(tt.in, paris)
		if err != nil || got != tt.want {
			t.Errorf("datetime(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if got, _ := formatDateTime(time.Time{}, paris); got != "" {
		t.Errorf("zero time: %q", got)
	}
}

func TestPoints(t *testing.T) {
	type balance int
	tests := []struct {
		in   any
		want string
	}{
		{0, "0 point"}, {1, "1 point"}, {2, "2 points"}, {12, "12 points"},
		{-1, "-1 point"}, {-3, "-3 points"}, {int64(6), "6 points"}, {balance(1), "1 point"}, {uint8(4), "4 points"},
	}
	for _, tt := range tests {
		got, err := formatPoints(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("points(%v) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	if _, err := formatPoints("3"); err == nil {
		t.Error("points accepts a string")
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPointsReplayAnswersTheLaw runs `permis points replay` on the ledgers of
// issue 11 (testdata/replay/law_*.json) and checks the answer the Code de la
// route gives, then the whole document against its .out.json.
func TestPointsReplayAnswersTheLaw(t *testing.T) {
	for _, tc := range []struct {
		file    string
		law     string // the article that decides
		balance int
		ceiling int
		valid   bool
		letters []string
	}{
		// AAC + training: +3 at 12 months (9), 12 only at 18 months.
		{"law_aac_training_9_then_12", "R223-1 II", 9, 9, true, []string{}},
		// 2-point offence in month 3, course in month 17: 6, not 8.
		{"law_ceiling_frozen_by_offence", "R223-1 III", 6, 6, true, []string{"48"}},
		// Training, 1 point in month 14, 3 points in month 29: still a probationer.
		{"law_shortened_probation_lost", "L223-1", 5, 8, true, []string{"48", "48N"}},
		// A course at zero before the 48SI is notified gives its points back.
		{"law_course_before_48si_notified", "L223-5", 4, 12, true, []string{"48M", "48SI"}},
		// The point of a 1-point offence committed with another comes back.
		{"law_six_months_any_one_point", "L223-6 al. 3", 9, 12, true, []string{"48", "48"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			in := filepath.Join("testdata", "replay", tc.file+".json")
			r := runPermis(t, "", "points", "replay", in)
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
			}
			var got struct {
				Balance int  `json:"balance"`
				Ceiling int  `json:"ceiling"`
				Valid   bool `json:"valid"`
				Letters []struct {
					Type string `json:"type"`
				} `json:"letters"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatal(err)
			}
			types := []string{}
			for _, l := range got.Letters {
				types = append(types, l.Type)
			}
			if got.Balance != tc.balance || got.Ceiling != tc.ceiling || got.Valid != tc.valid || !slices.Equal(types, tc.letters) {
				t.Errorf("%s: balance %d, ceiling %d, valid %v, letters %v; want %d, %d, %v, %v",
					tc.law, got.Balance, got.Ceiling, got.Valid, types, tc.balance, tc.ceiling, tc.valid, tc.letters)
			}
			want, err := os.ReadFile(strings.TrimSuffix(in, ".json") + ".out.json")
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, r.stdout, string(want))
		})
	}
}

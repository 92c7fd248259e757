package licence

import (
	"testing"

	"permis/internal/apperr"
)

// REFERENCE §3.8 "Title states": only the active card changes state.
func TestTitleTransition(t *testing.T) {
	active := Title{Number: "13AA00002", Issued: d("2013-09-16"), Expires: d("2028-09-16"), State: TitleActive, StateSince: d("2013-09-16")}
	for _, to := range []TitleState{TitleLost, TitleStolen, TitleDamaged, TitleReplaced, TitleSurrendered} {
		got, err := active.Transition(to, d("2020-01-01"))
		if err != nil || got.State != to || got.StateSince != d("2020-01-01") {
			t.Errorf("active → %s: %+v, %v", to, got, err)
		}
		_, err = got.Transition(TitleDamaged, d("2020-02-01"))
		mustAppErr(t, err, apperr.Conflict, "13AA00002", to.Label())
	}
	tests := []struct {
		to       TitleState
		on       string
		code     apperr.Code
		fragment string
	}{
		{TitleActive, "2020-01-01", apperr.Invalid, "active"},
		{"burnt", "2020-01-01", apperr.Invalid, "burnt"},
		{TitleLost, "2013-09-15", apperr.Invalid, "16/09/2013"},
	}
	for _, tt := range tests {
		_, err := active.Transition(tt.to, d(tt.on))
		mustAppErr(t, err, tt.code, tt.fragment)
	}
}

// §1.2: a new card replaces the previous active one; lost cards stay lost.
func TestIssueTitle(t *testing.T) {
	var titles []Title
	first := Title{Number: "13AA00002", Issued: d("2013-09-16"), Expires: d("2028-09-16")}
	titles, err := IssueTitle(titles, first)
	if err != nil || len(titles) != 1 || titles[0].State != TitleActive || titles[0].StateSince != first.Issued {
		t.Fatalf("first card: %+v, %v", titles, err)
	}
	titles[0], _ = titles[0].Transition(TitleLost, d("2019-05-01"))
	titles, err = IssueTitle(titles, Title{Number: "19CK00871", Issued: d("2019-06-01"), Expires: d("2034-06-01")})
	if err != nil || titles[0].State != TitleLost || titles[1].State != TitleActive {
		t.Fatalf("duplicate after loss: %+v, %v", titles, err)
	}
	titles, err = IssueTitle(titles, Title{Number: "24AB12345", Issued: d("2024-03-01"), Expires: d("2039-03-01")})
	if err != nil || titles[1].State != TitleReplaced || titles[1].StateSince != d("2024-03-01") || titles[2].State != TitleActive {
		t.Fatalf("new category card: %+v, %v", titles, err)
	}
	if a, ok := ActiveTitle(titles); !ok || a.Number != "24AB12345" {
		t.Errorf("ActiveTitle = %+v, %v", a, ok)
	}

	_, err = IssueTitle(titles, Title{Number: "19CK00871", Issued: d("2025-01-01"), Expires: d("2040-01-01")})
	mustAppErr(t, err, apperr.Conflict, "déjà été attribué")
	_, err = IssueTitle(titles, Title{Number: "25AA00001", Issued: d("2025-01-01"), Expires: d("2025-01-01")})
	mustAppErr(t, err, apperr.Invalid, "expiration")
	if _, ok := ActiveTitle(nil); ok {
		t.Error("ActiveTitle(nil) found one")
	}
}

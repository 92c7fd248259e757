package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"permis/internal/access"
	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/exam"
	"permis/internal/licence"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// mustOperator creates an approved operator's account and its token.
func mustOperator(t *testing.T, f *fixture, email string) (store.User, string, string) {
	t.Helper()
	ctx := context.Background()
	u := store.User{Role: string(access.ExamOperator), Email: email, Organisation: "Code Express"}
	if err := f.store.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	tok, err := exams.New(f.app.Kernel(), exam.DefaultConfig()).CreateOperatorToken(ctx, "centre "+email, email)
	if err != nil {
		t.Fatalf("CreateOperatorToken: %v", err)
	}
	tr, err := f.store.FindAPITokenByHash(ctx, access.HashToken(tok))
	if err != nil {
		t.Fatal(err)
	}
	return u, tok, strconv.FormatInt(tr.ID, 10)
}

func theoryBody(neph, day, result string) string {
	b, _ := json.Marshal(map[string]string{"neph": neph, "date": day, "result": result})
	return string(b)
}

// An approved operator reports a result by NEPH; the pass is valid 5 years
// and 5 practical attempts; every other role is refused; bad input names
// each wrong field and stores nothing; a second result the same day is a
// conflict.
func TestTheoryResultsAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		op, tok, tokID := mustOperator(t, f, "centre@code-express.fr")
		const path = "/api/v1/exams/theory-results"
		good := theoryBody("8503 3410 0123", "2025-03-12", "pass")

		wantError(t, serve(t, f.h, http.MethodPost, path, good, "", ""), http.StatusUnauthorized, "unauthenticated")
		for _, role := range access.Roles() {
			other, _ := mustToken(t, f, role) // a token of the role bound to no operator account
			want := http.StatusForbidden
			wantError(t, serve(t, f.h, http.MethodPost, path, good, other, ""), want, "forbidden")
		}

		for _, tc := range []struct {
			name, body string
			status     int
			code       string
			fields     []string
		}{
			{"NEPH with letters", theoryBody("85033410012A", "2025-03-12", "pass"), 422, "invalid", []string{"neph"}},
			{"date in JJ/MM/AAAA", theoryBody(testNEPH, "12/03/2025", "pass"), 422, "invalid", []string{"date"}},
			{"date tomorrow", theoryBody(testNEPH, "2025-03-15", "pass"), 422, "invalid", []string{"date"}},
			{"impossible date", theoryBody(testNEPH, "2025-02-30", "pass"), 422, "invalid", []string{"date"}},
			{"result in French", theoryBody(testNEPH, "2025-03-12", "favorable"), 422, "invalid", []string{"result"}},
			{"everything wrong at once", theoryBody("12", "", "ok"), 422, "invalid", []string{"neph", "date", "result"}},
			{"unknown field", `{"neph":"850334100123","date":"2025-03-12","result":"pass","score":38}`, 422, "invalid", []string{"score"}},
			{"NEPH nobody holds", theoryBody("230334100999", "2025-03-12", "pass"), 404, "not_found", []string{"neph"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := serve(t, f.h, http.MethodPost, path, tc.body, tok, "")
				wantError(t, rec, tc.status, tc.code)
				var e struct{ Fields map[string]string }
				_ = json.Unmarshal(rec.Body.Bytes(), &e)
				for _, field := range tc.fields {
					if e.Fields[field] == "" {
						t.Errorf("fields %v, want a French message on %q", e.Fields, field)
					}
				}
				if len(e.Fields) != len(tc.fields) {
					t.Errorf("fields %v, want exactly %v", e.Fields, tc.fields)
				}
			})
		}
		if rs, _ := f.store.ListTheoryResults(ctx, testNEPH); len(rs) != 0 {
			t.Fatalf("bad input stored %d results", len(rs))
		}

		rec := serve(t, f.h, http.MethodPost, path, good, tok, "req-theory")
		var got struct {
			Reference  string  `json:"reference"`
			NEPH       string  `json:"neph"`
			Date       string  `json:"date"`
			Result     string  `json:"result"`
			ValidUntil *string `json:"valid_until"`
			Attempts   int     `json:"practical_attempts"`
		}
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
			t.Fatalf("operator: %d %s, want 201", rec.Code, rec.Body)
		}
		if got.NEPH != testNEPH || got.Result != "pass" || got.ValidUntil == nil || *got.ValidUntil != "2030-03-11" || got.Attempts != 5 || len(got.Reference) != 12 {
			t.Fatalf("answer %+v", got)
		}
		rs, err := f.store.ListTheoryResults(ctx, licence.NEPH(testNEPH))
		if err != nil || len(rs) != 1 || !rs[0].Passed || rs[0].OperatorID != op.ID || rs[0].Reference != got.Reference {
			t.Fatalf("stored %+v, %v", rs, err)
		}
		es, err := f.store.ListAudit(ctx, "neph", testNEPH)
		if err != nil || len(es) != 1 || es[0].Action != "exam.theory_result" || es[0].Actor != tokID || es[0].RequestID != "req-theory" {
			t.Fatalf("audit %+v, %v", es, err)
		}

		rec = serve(t, f.h, http.MethodPost, path, theoryBody(testNEPH, "2025-03-12", "fail"), tok, "")
		wantError(t, rec, http.StatusConflict, "conflict")
		if rs, _ := f.store.ListTheoryResults(ctx, testNEPH); len(rs) != 1 {
			t.Fatalf("the conflicting result was stored: %d", len(rs))
		}
		rec = serve(t, f.h, http.MethodPost, path, theoryBody(testNEPH, "2025-03-13", "fail"), tok, "")
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &got) != nil || got.ValidUntil != nil || got.Attempts != 0 {
			t.Fatalf("a fail: %d %s", rec.Code, rec.Body)
		}
		if p, err := f.store.LatestTheoryPass(ctx, testNEPH); err != nil || p.TakenOn.String() != "2025-03-12" {
			t.Fatalf("latest pass %+v, %v", p, err)
		}
	})
}

// One active token per operator account: the database refuses a second;
// after revoking the first, a new one is issued. An account of another
// role gets none.
func TestOperatorTokenOnePerAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newFixture(t, dsn)
		svc := exams.New(f.app.Kernel(), exam.DefaultConfig())
		_, _, id := mustOperator(t, f, "op@code.fr")
		if _, err := svc.CreateOperatorToken(ctx, "second", "op@code.fr"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("second token: %v, want conflict", err)
		}
		n, _ := strconv.ParseInt(id, 10, 64)
		if err := f.app.RevokeToken(ctx, n); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateOperatorToken(ctx, "after revoke", "op@code.fr"); err != nil {
			t.Fatalf("after revoking: %v", err)
		}
		doc := store.User{Role: string(access.Doctor), Email: "doc@example.fr"}
		if err := f.store.CreateUser(ctx, &doc); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.CreateOperatorToken(ctx, "doc", "doc@example.fr"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("doctor's account: %v, want invalid", err)
		}
	})
}

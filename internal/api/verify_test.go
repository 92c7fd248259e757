package api_test

import (
	"bufio"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"strings"
	"testing"

	"permis/internal/app"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/store"
	"permis/internal/store/storetest"
	"permis/internal/twoddoc"
)

const verifyPath = "/api/v1/2ddoc/verify"

// verifyAnswer is the part of a verification answer the tests read.
type verifyAnswer struct {
	Status  twoddoc.Status `json:"status"`
	Verdict string         `json:"verdict"`
	Header  *struct {
		Version      int       `json:"version"`
		CA           string    `json:"ca"`
		Cert         string    `json:"cert"`
		IssueDate    date.Null `json:"issue_date"`
		DocType      string    `json:"doc_type"`
		DocTypeLabel string    `json:"doc_type_label"`
		Country      string    `json:"country"`
	} `json:"header"`
	Fields []struct {
		ID       string `json:"id"`
		Label    string `json:"label"`
		Value    string `json:"value"`
		Display  string `json:"display"`
		Position int    `json:"position"`
	} `json:"fields"`
	Error *struct {
		Zone     string `json:"zone"`
		Code     string `json:"code"`
		Field    string `json:"field"`
		Position int    `json:"position"`
	} `json:"error"`
	Issued *bool `json:"issued"`
}

// field returns the display of the field id, and its position.
func (a verifyAnswer) field(id string) (string, int) {
	for _, f := range a.Fields {
		if f.ID == id {
			return f.Display, f.Position
		}
	}
	return "", 0
}

// verifyFixture is the API of an application that signs with trusted (the
// service's key, FR00/PRM1, in its keyring) and a key nobody trusts.
type verifyFixture struct {
	h                  http.Handler
	trusted, untrusted *twoddoc.Signer
}

func newVerifyFixture(t *testing.T, dsn string) *verifyFixture {
	t.Helper()
	c := clock.NewFixed(testNow)
	s, err := store.Open(t.Context(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	// Not FR00/0001: the official specimens are signed under those ids by
	// ANTS's test key, which nobody has.
	trusted := mustSigner(t, "FR00", "PRM1")
	kr := twoddoc.NewKeyring()
	if err := kr.Add(trusted.CA, trusted.Cert, trusted.Public()); err != nil {
		t.Fatal(err)
	}
	_, h, _ := newAPIWith(t, app.Config{Store: s, Clock: c,
		Issuer: app.Issuer{Name: "Test", Signer: trusted, Keyring: kr}})
	return &verifyFixture{h: h, trusted: trusted, untrusted: mustSigner(t, "FR00", "PRM2")}
}

func mustSigner(t *testing.T, ca, cert string) *twoddoc.Signer {
	t.Helper()
	s, err := twoddoc.GenerateSigner(ca, cert, rand.Reader)
	if err != nil {
		t.Fatalf("GenerateSigner(%s, %s): %v", ca, cert, err)
	}
	return s
}

// mustStatementCode signs an AB code (licence information statement) like
// the ones the service prints.
func mustStatementCode(t *testing.T, s *twoddoc.Signer) string {
	t.Helper()
	day := date.MustParse("2025-03-14")
	code, err := s.Issue(twoddoc.Header{Version: 4, IssueDate: date.Some(day), SignatureDate: date.Some(day),
		DocType: "AB", Perimeter: "01", Country: "FR"}, []twoddoc.Field{
		{ID: "6G", Value: "MARTIN"},
		{ID: "60", Value: "JEANNE"},
		{ID: "69", Value: "17051985"},
		{ID: "AC", Value: testNEPH},
		{ID: "E4", Value: "RII"},
		{ID: "E5", Value: "50"},
		{ID: "AG", Value: "9"},
		{ID: "E6", Value: "B"},
	})
	if err != nil {
		t.Fatalf("Issue: %v", err)
	}
	return code
}

// specimenCode returns an official ANTS specimen of twoddoc's test data
// (control characters as <GS> notations), by the start of its name.
func specimenCode(t *testing.T, name string) string {
	t.Helper()
	f, err := os.Open("../twoddoc/testdata/specimens.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	found := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "\t")
		switch {
		case k == "name":
			found = strings.HasPrefix(v, name)
		case k == "code" && found:
			return v
		}
	}
	t.Fatalf("no specimen %q", name)
	return ""
}

func jsonBody(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// POST /api/v1/2ddoc/verify answers every barcode text 200 with a verdict,
// in the documented shape, and an unreadable request 422 invalid.
func TestVerify2DDoc(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f := newVerifyFixture(t, dsn)
		ours := mustStatementCode(t, f.trusted)
		forged := strings.Replace(ours, "MARTIN", "MARTIM", 1)
		if forged == ours {
			t.Fatal("the forgery changed nothing")
		}
		doc := mustGetOpenAPI(t, f.h)
		schema := map[string]any{"$ref": "#/components/schemas/Verification"}

		for _, tc := range []struct {
			name   string
			text   string
			status twoddoc.Status
			check  func(t *testing.T, a verifyAnswer)
		}{
			{"ours", ours, twoddoc.Valid, func(t *testing.T, a verifyAnswer) {
				wantHeader(t, a, "PRM1", "AB")
				if d, pos := a.field("6G"); d != "MARTIN" || pos != 27 {
					t.Errorf("6G = %q at %d, want MARTIN at 27 (after the 26 characters of the header)", d, pos)
				}
				if d, _ := a.field("E5"); d != "50 (valide)" {
					t.Errorf("E5 shown as %q", d)
				}
				if d, _ := a.field("69"); d != "17/05/1985" {
					t.Errorf("69 shown as %q", d)
				}
				if len(a.Fields) != 8 || a.Fields[0].Label != "Nom" {
					t.Errorf("fields = %+v", a.Fields)
				}
			}},
			{"ours, <GS> notations", twoddoc.Escape(ours), twoddoc.Valid, func(t *testing.T, a verifyAnswer) {
				wantHeader(t, a, "PRM1", "AB")
			}},
			{"one character changed", forged, twoddoc.BadSignature, func(t *testing.T, a verifyAnswer) {
				wantHeader(t, a, "PRM1", "AB")
				if d, _ := a.field("6G"); d != "MARTIM" {
					t.Errorf("6G shown as %q, want the forged MARTIM", d)
				}
			}},
			{"untrusted key", mustStatementCode(t, f.untrusted), twoddoc.UnknownCertificate, func(t *testing.T, a verifyAnswer) {
				wantHeader(t, a, "PRM2", "AB")
				if !strings.Contains(a.Verdict, "FR00/PRM2") {
					t.Errorf("verdict %q does not name the certificate", a.Verdict)
				}
			}},
			{"ANTS specimen", specimenCode(t, "AB "), twoddoc.UnknownCertificate, func(t *testing.T, a verifyAnswer) {
				wantHeader(t, a, "0001", "AB")
				if a.Header.IssueDate != date.Some(date.MustParse("2021-03-22")) || a.Header.Country != "FR" {
					t.Errorf("header = %+v", *a.Header)
				}
				if d, _ := a.field("6G"); d != "DUMONT DURVILLE" || len(a.Fields) != 13 {
					t.Errorf("6G = %q, %d fields; want DUMONT DURVILLE and 13 fields", d, len(a.Fields))
				}
			}},
			{"garbage", "bonjour", twoddoc.Malformed, wantDecodeError("header", "marker", "", 1)},
			{"truncated header", "DC04FR0000011E47", twoddoc.Malformed, wantDecodeError("header", "truncated", "", 17)},
			{"empty field", "DC04FR0000011E471E47AB01FR6HM<GS>6G<GS>60JULES<US>AAAA", twoddoc.Malformed, wantDecodeError("field", "length", "6G", 31)},
			{"no signature", ours[:strings.IndexByte(ours, twoddoc.US)], twoddoc.Malformed, wantDecodeError("signature", "missing", "", len(ours)-103)},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := serve(t, f.h, http.MethodPost, verifyPath, jsonBody(t, map[string]string{"text": tc.text}), "", "")
				if rec.Code != http.StatusOK {
					t.Fatalf("status %d %s, want 200", rec.Code, rec.Body)
				}
				var a verifyAnswer
				if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
					t.Fatalf("body %s: %v", rec.Body, err)
				}
				if a.Status != tc.status || a.Verdict == "" || a.Issued == nil {
					t.Fatalf("status %q verdict %q issued %v, want %q, a verdict and issued", a.Status, a.Verdict, a.Issued, tc.status)
				}
				if (tc.status == twoddoc.Malformed) != (a.Header == nil) {
					t.Errorf("header %v with status %s: a header is given unless malformed", a.Header, a.Status)
				}
				tc.check(t, a)
				var raw any
				_ = json.Unmarshal(rec.Body.Bytes(), &raw)
				for _, p := range doc.validate(schema, raw, "$") {
					t.Errorf("answer does not follow openapi.json: %s", p)
				}
			})
		}
	})
}

func wantHeader(t *testing.T, a verifyAnswer, cert, docType string) {
	t.Helper()
	if a.Header == nil {
		t.Fatal("no header")
	}
	if h := a.Header; h.Version != 4 || h.CA != "FR00" || h.Cert != cert || h.DocType != docType ||
		h.DocTypeLabel != "Relevé d'information permis de conduire" {
		t.Errorf("header = %+v, want v4 FR00/%s %s with its label", *h, cert, docType)
	}
}

func wantDecodeError(zone, code, field string, position int) func(*testing.T, verifyAnswer) {
	return func(t *testing.T, a verifyAnswer) {
		t.Helper()
		if e := a.Error; e == nil || e.Zone != zone || e.Code != code || e.Field != field || e.Position != position {
			t.Errorf("error = %+v, want %s/%s field %q at %d", a.Error, zone, code, field, position)
		}
		if !strings.Contains(a.Verdict, "position") {
			t.Errorf("verdict %q does not give the position", a.Verdict)
		}
	}
}

// An unreadable request is refused with the stable code "invalid" (422,
// the status of every invalid input of the service), naming the field
// where there is one; the route answers POST only.
func TestVerify2DDocRefusals(t *testing.T) {
	f := newVerifyFixture(t, storetest.SQLiteDSN(t))
	for _, tc := range []struct {
		name, contentType, body, field string
	}{
		{"not JSON", "application/json", "DC04FR0000011E47", ""},
		{"a form", "application/x-www-form-urlencoded", "text=DC04FR0000011E47", ""},
		{"not an object", "application/json", `["DC04"]`, ""},
		{"two values", "application/json", `{"text": "DC04"} {}`, ""},
		{"empty body", "application/json", "", ""},
		{"missing text", "application/json", `{}`, "text"},
		{"null text", "application/json", `{"text": null}`, "text"},
		{"blank text", "application/json", `{"text": "  "}`, "text"},
		{"text not a string", "application/json", `{"text": 12}`, "text"},
		{"unknown field", "application/json", `{"text": "DC04", "code": "DC04"}`, "code"},
		{"text too long", "application/json", jsonBody(t, map[string]string{"text": "DC" + strings.Repeat("A", 5000)}), "text"},
		{"body over 8 KiB", "application/json", jsonBody(t, map[string]string{"text": "DC" + strings.Repeat("A", 9<<10)}), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, verifyPath, strings.NewReader(tc.body))
			req.Header.Set("Content-Type", tc.contentType)
			rec := httptest.NewRecorder()
			f.h.ServeHTTP(rec, req)
			wantError(t, rec, http.StatusUnprocessableEntity, "invalid")
			var body struct {
				Message string            `json:"message"`
				Fields  map[string]string `json:"fields"`
			}
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			if tc.field != "" && body.Fields[tc.field] == "" {
				t.Errorf("fields = %v, want a problem with %q", body.Fields, tc.field)
			}
			if tc.field == "" && len(body.Fields) != 0 {
				t.Errorf("fields = %v, want none", body.Fields)
			}
		})
	}
	t.Run("body over 8 KiB says so", func(t *testing.T) {
		rec := serve(t, f.h, http.MethodPost, verifyPath, jsonBody(t, map[string]string{"text": strings.Repeat("A", 9<<10)}), "", "")
		if !strings.Contains(rec.Body.String(), "taille maximale de 8192 octets") {
			t.Errorf("body %s does not name the limit", rec.Body)
		}
	})
	t.Run("from another site's page", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, verifyPath, strings.NewReader(`{"text": "DC04"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		wantError(t, rec, http.StatusForbidden, "forbidden")
	})
	t.Run("GET", func(t *testing.T) {
		if rec := get(t, f.h, verifyPath, "", ""); rec.Code != http.StatusMethodNotAllowed || !strings.Contains(rec.Header().Get("Allow"), "POST") {
			t.Fatalf("GET: %d, Allow %q; want 405 allowing POST", rec.Code, rec.Header().Get("Allow"))
		}
	})
}

// The examples of the operation in openapi.json are what the service
// answers: each request example, sent, gets the 200 example of the same
// name.
func TestVerify2DDocExamples(t *testing.T) {
	f := newVerifyFixture(t, storetest.SQLiteDSN(t))
	doc := mustGetOpenAPI(t, f.h)
	op, err := doc.resolve("#/paths/~1api~1v1~12ddoc~1verify/post")
	if err != nil {
		t.Fatal(err)
	}
	media := func(v any, path ...string) map[string]any {
		for _, p := range path {
			v = v.(map[string]any)[p]
		}
		return v.(map[string]any)
	}
	requests := media(op, "requestBody", "content", "application/json", "examples")
	answers := media(op, "responses", "200", "content", "application/json", "examples")
	if len(requests) < 3 || len(requests) != len(answers) {
		t.Fatalf("%d request examples, %d answers: want one answer for each request, and at least 3", len(requests), len(answers))
	}
	for name, ex := range requests {
		t.Run(name, func(t *testing.T) {
			want, ok := answers[name].(map[string]any)
			if !ok {
				t.Fatalf("no answer example %q", name)
			}
			rec := serve(t, f.h, http.MethodPost, verifyPath, jsonBody(t, ex.(map[string]any)["value"]), "", "")
			var got any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); rec.Code != http.StatusOK || err != nil {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			if !reflect.DeepEqual(got, want["value"]) {
				t.Errorf("answer\n%s\nwant the example\n%s", rec.Body, jsonBody(t, want["value"]))
			}
		})
	}
}

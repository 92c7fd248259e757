package api_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/ephoto"
	"permis/internal/files"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// testedElsewhere are the API routes whose role and answer tests live in
// their own file rather than in routeSpec (a POST behind a token, which
// the generic test does not know how to build).
var testedElsewhere = map[string]string{
	"POST /api/v1/ephoto":               "TestEPhotoAPI",
	"POST /api/v1/exams/theory-results": "TestTheoryResultsAPI",
}

var (
	testJPEG = append([]byte{0xFF, 0xD8, 0xFF, 0xE0}, bytes.Repeat([]byte("photo"), 50)...)
	testPNG  = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte("sig"), 50)...)
)

func ePhotoBody(t *testing.T, photo, sig []byte, approval string) string {
	t.Helper()
	b, err := json.Marshal(map[string]string{"photo": base64.StdEncoding.EncodeToString(photo),
		"signature": base64.StdEncoding.EncodeToString(sig), "approval_number": approval})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A photographer's capture through the API gives a code that a request
// can claim once; every other role is refused, and a body that is not two
// images of reasonable size is refused with the field in cause.
func TestEPhotoAPI(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(testNow)
		s, err := store.Open(ctx, dsn, store.Options{Clock: c})
		if err != nil {
			t.Fatalf("open store: %v", err)
		}
		t.Cleanup(func() { s.Close() })
		dir, err := files.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		a, h, _ := newAPIWith(t, app.Config{Store: s, Clock: c, Files: dir})
		f := &fixture{store: s, clock: c, app: a, h: h}
		ph := store.User{Role: "photographer", Email: "studio@example.fr", Organisation: "Studio Lumière", ApprovalNumber: "AGR-34-0012"}
		if err := s.CreateUser(ctx, &ph); err != nil {
			t.Fatal(err)
		}
		tok, err := a.CreatePhotographerToken(ctx, "studio", "studio@example.fr")
		if err != nil {
			t.Fatal(err)
		}
		tr, _ := s.FindAPITokenByHash(ctx, access.HashToken(tok))
		tokID := strconv.FormatInt(tr.ID, 10)
		good := ePhotoBody(t, testJPEG, testPNG, "AGR-34-0012")

		wantError(t, serve(t, h, http.MethodPost, "/api/v1/ephoto", good, "", ""), http.StatusUnauthorized, "unauthenticated")
		for _, role := range access.Roles() {
			if role == access.Photographer {
				continue
			}
			other, _ := mustToken(t, f, role)
			wantError(t, serve(t, h, http.MethodPost, "/api/v1/ephoto", good, other, ""), http.StatusForbidden, "forbidden")
		}

		rec := serve(t, h, http.MethodPost, "/api/v1/ephoto", good, tok, "req-ephoto")
		var got struct {
			Code         string `json:"code"`
			ExpiresAt    string `json:"expires_at"`
			LastValidDay string `json:"last_valid_day"`
		}
		if rec.Code != http.StatusCreated || json.Unmarshal(rec.Body.Bytes(), &got) != nil {
			t.Fatalf("photographer: %d %s, want 201 and a code", rec.Code, rec.Body)
		}
		if len(got.Code) != ephoto.Length || got.LastValidDay != "2025-09-14" {
			t.Fatalf("answer %+v, want a %d-character code valid until 2025-09-14", got, ephoto.Length)
		}
		code, err := ephoto.Parse(got.Code)
		if err != nil {
			t.Fatalf("code %q: %v", got.Code, err)
		}
		cp, err := s.CheckEPhotoCode(ctx, code, c.Now())
		if err != nil || cp.PhotographerID != ph.ID || cp.ApprovalNumber != "AGR-34-0012" {
			t.Fatalf("CheckEPhotoCode = %+v, %v", cp, err)
		}
		for key, want := range map[string][]byte{cp.PhotoKey: testJPEG, cp.SignatureKey: testPNG} {
			rc, err := dir.Open(ctx, key)
			if err != nil {
				t.Fatalf("stored image %s: %v", key, err)
			}
			var b bytes.Buffer
			_, _ = b.ReadFrom(rc)
			rc.Close()
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("stored image %s differs from the one sent", key)
			}
		}
		es, err := s.ListAudit(ctx, "ephoto", strconv.FormatInt(cp.ID, 10))
		if err != nil || len(es) != 1 || es[0].Action != "ephoto.create" || es[0].Actor != tokID || es[0].RequestID != "req-ephoto" {
			t.Fatalf("audit = %+v, %v; want one ephoto.create by token %s", es, err, tokID)
		}
		if _, err := s.ClaimEPhotoCode(ctx, code, "DEM-2025-AAAAAA", c.Now()); err != nil {
			t.Fatalf("claim: %v", err)
		}
		if _, err := s.ClaimEPhotoCode(ctx, code, "DEM-2025-BBBBBB", c.Now()); ephoto.Reason(err) != "ephoto_used" {
			t.Fatalf("second claim: %v, want ephoto_used", err)
		}

		big := append(append([]byte{}, testJPEG...), make([]byte, app.EPhotoPhotoMaxSize)...)
		for _, tc := range []struct {
			name, body, field string
		}{
			{"photo not an image", ePhotoBody(t, []byte("%PDF-1.4 not a photo"), testPNG, "AGR-34-0012"), "photo"},
			{"signature not an image", ePhotoBody(t, testJPEG, []byte("hello"), "AGR-34-0012"), "signature"},
			{"photo missing", ePhotoBody(t, nil, testPNG, "AGR-34-0012"), "photo"},
			{"photo too big", ePhotoBody(t, big, testPNG, "AGR-34-0012"), "photo"},
			{"not base64", `{"photo": "***", "signature": "iVBORw0KGgo=", "approval_number": "AGR-34-0012"}`, "photo"},
			{"unknown approval", ePhotoBody(t, testJPEG, testPNG, "AGR-99-9999"), "approval_number"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := serve(t, h, http.MethodPost, "/api/v1/ephoto", tc.body, tok, "")
				wantError(t, rec, http.StatusUnprocessableEntity, "invalid")
				var e struct{ Fields map[string]string }
				if json.Unmarshal(rec.Body.Bytes(), &e); e.Fields[tc.field] == "" {
					t.Fatalf("fields %v, want a message on %q", e.Fields, tc.field)
				}
			})
		}
		huge := ePhotoBody(t, append(append([]byte{}, testJPEG...), make([]byte, 4<<20)...), testPNG, "AGR-34-0012")
		wantError(t, serve(t, h, http.MethodPost, "/api/v1/ephoto", huge, tok, ""), http.StatusUnprocessableEntity, "invalid")

		if cs, _ := s.ListEPhotoCodes(ctx, ph.ID, 10); len(cs) != 1 {
			t.Fatalf("%d captures recorded, want only the accepted one", len(cs))
		}
	})
}

// Issue 10, finding 6: a photographer's token acts for its own account.
// The approval number comes from that account: another photographer's
// number in the request is refused, none at all is the account's own; a
// token bound to no account issues nothing.
func TestEPhotoTokenIsBoundToItsAccount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		c := clock.NewFixed(testNow)
		s, err := store.Open(ctx, dsn, store.Options{Clock: c})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		dir, err := files.NewDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		a, h, _ := newAPIWith(t, app.Config{Store: s, Clock: c, Files: dir})
		f := &fixture{store: s, clock: c, app: a, h: h}
		mine := store.User{Role: "photographer", Email: "studio@example.fr", Organisation: "Studio Lumière", ApprovalNumber: "AGR-34-0012"}
		theirs := store.User{Role: "photographer", Email: "cabine@example.fr", Organisation: "Cabine Gare", ApprovalNumber: "AGR-75-0099"}
		for _, u := range []*store.User{&mine, &theirs} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatal(err)
			}
		}
		tok, err := a.CreatePhotographerToken(ctx, "studio", "studio@example.fr")
		if err != nil {
			t.Fatal(err)
		}
		rec := serve(t, h, http.MethodPost, "/api/v1/ephoto", ePhotoBody(t, testJPEG, testPNG, "AGR-75-0099"), tok, "")
		wantError(t, rec, http.StatusUnprocessableEntity, "invalid")
		if rec := serve(t, h, http.MethodPost, "/api/v1/ephoto", ePhotoBody(t, testJPEG, testPNG, ""), tok, ""); rec.Code != http.StatusCreated {
			t.Fatalf("no approval number: %d %s, want 201 under the account's own", rec.Code, rec.Body)
		}
		unbound, _ := mustToken(t, f, access.Photographer)
		rec = serve(t, h, http.MethodPost, "/api/v1/ephoto", ePhotoBody(t, testJPEG, testPNG, "AGR-75-0099"), unbound, "")
		wantError(t, rec, http.StatusForbidden, "forbidden")
		if cs, _ := s.ListEPhotoCodes(ctx, theirs.ID, 10); len(cs) != 0 {
			t.Fatalf("%d codes issued under the other photographer's number", len(cs))
		}
		if cs, _ := s.ListEPhotoCodes(ctx, mine.ID, 10); len(cs) != 1 || cs[0].ApprovalNumber != "AGR-34-0012" {
			t.Fatalf("codes of the token's account: %+v", cs)
		}
		if _, err := a.CreatePhotographerToken(ctx, "x", "personne@example.fr"); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("token for an unknown account: %v", err)
		}
	})
}

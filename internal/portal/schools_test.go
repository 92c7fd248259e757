package portal_test

import (
	"context"
	"net/http"
	"strconv"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/date"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// No school reaches another school's file, mandate or transfer, and a
// citizen reaches none of the schools' pages.
func TestSchoolFilesAreTheSchools(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3})
		a, b := e.Staff(t, access.DrivingSchool), e.Staff(t, access.DrivingSchool)
		citizen := e.Citizen(t, "twelve", true)
		m, err := e.App.RecordMandate(ctx, a.Request, app.MandateInput{FamilyName: "Lefèvre", GivenNames: "Inès",
			BirthDate: date.MustParse("2008-05-14"), Email: "ines@example.fr", Reference: "M-1", SignedOn: date.MustParse("2026-01-05")})
		if err != nil {
			t.Fatal(err)
		}
		r, err := e.App.StartRequestForStudent(ctx, a.Request, m.ID, "first_licence")
		if err != nil {
			t.Fatal(err)
		}
		id, mid := strconv.FormatInt(r.ID, 10), strconv.FormatInt(m.ID, 10)
		for _, tc := range []struct {
			who          routertest.Session
			method, path string
			form         map[string]string
			want         int
		}{
			{a, http.MethodGet, "/mes-demarches/" + id + "/etape/informations", nil, http.StatusOK},
			{a, http.MethodGet, "/auto-ecole/demandes/" + id + "/transfert", nil, http.StatusOK},
			{b, http.MethodGet, "/mes-demarches/" + id, nil, http.StatusNotFound},
			{b, http.MethodGet, "/mes-demarches/" + id + "/etape/informations", nil, http.StatusNotFound},
			{b, http.MethodGet, "/auto-ecole/demandes/" + id + "/transfert", nil, http.StatusNotFound},
			{b, http.MethodPost, "/auto-ecole/demandes/" + id + "/transfert", map[string]string{"to_school": "x@example.fr"}, http.StatusNotFound},
			{b, http.MethodPost, "/auto-ecole/eleves/" + mid + "/demande", map[string]string{"kind": "first_licence"}, http.StatusUnprocessableEntity},
			{b, http.MethodPost, "/auto-ecole/mandats/" + mid + "/revocation", map[string]string{}, http.StatusNotFound},
			{citizen, http.MethodGet, "/mes-demarches/" + id, nil, http.StatusNotFound},
			{citizen, http.MethodGet, "/auto-ecole", nil, http.StatusForbidden},
		} {
			res := e.Do(t, tc.who, tc.method, tc.path, tc.form)
			if res.StatusCode != tc.want {
				t.Errorf("%s %s as %s: %d, want %d", tc.method, tc.path, tc.who.Account.Role, res.StatusCode, tc.want)
			}
		}
		if v, err := e.App.MyRequest(ctx, a.Request, r.ID); err != nil || v.Request.OwnerID != r.OwnerID {
			t.Fatalf("A's file after B's attempts: %+v %v", v.Request, err)
		}
		if sts, _ := e.App.MyStudents(ctx, a.Request); len(sts) != 1 || sts[0].Mandate.RevokedAt != nil {
			t.Fatalf("A's mandate after B's attempts: %+v", sts)
		}
	})
}

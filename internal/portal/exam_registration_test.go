package portal_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	examsapp "permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// newcomer signs in, through the identity provider, a person of 18 whom the
// register does not know (no licence, no NEPH).
func newcomer(t *testing.T, e *routertest.Env) routertest.Session {
	t.Helper()
	return signIn(t, e, "fc-newcomer", "Inès", "Nouvel", date.Today(e.Clock.Now()).AddYears(-18).AddDays(-10))
}

// signIn signs in, through the identity provider, the person subject.
func signIn(t *testing.T, e *routertest.Env, subject, given, family string, born date.Date) routertest.Session {
	t.Helper()
	ctx := context.Background()
	ns, err := e.App.SignInWithIdentity(ctx, app.Request{}, app.Identity{Issuer: e.URL + "/fc-demo", Subject: subject,
		GivenName: given, FamilyName: family, Birthdate: born.String(), Birthplace: "Montpellier", Gender: "female",
		Email: subject + "@example.fr"}, "routertest")
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.App.Authenticate(ctx, ns.Token)
	if err != nil {
		t.Fatal(err)
	}
	return routertest.Session{Token: ns.Token, Account: st.Account, Request: app.Request{Actor: st.Actor, Client: "127.0.0.1"}}
}

// allRegistrationDocuments is every document a registration form offers.
func allRegistrationDocuments() []requests.Document {
	var out []requests.Document
	for _, d := range append(examsapp.FormDocuments(true, false), examsapp.FormDocuments(false, true)...) {
		out = append(out, d.Doc)
	}
	return out
}

// postRegistration sends a registration form (multipart) with the fields
// and a small PDF for each of docs.
func postRegistration(t *testing.T, e *routertest.Env, s routertest.Session, path string, fields map[string]string, docs []requests.Document) *http.Response {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range docs {
		fw, err := mw.CreateFormFile(examsapp.DocumentField(d), string(d)+".pdf")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := fw.Write([]byte("%PDF-1.4\n% " + string(d) + "\n%%EOF\n")); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodPost, e.URL+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(s.Cookie())
	rec := httptest.NewRecorder()
	e.Handler.ServeHTTP(rec, req)
	return rec.Result()
}

// A person with no licence registers for the exam from "Mon examen du
// permis"; the agent finds it from the exam places' page, a refusal needs
// a reason, the acceptance gives the NEPH that the candidate's page shows.
func TestExamRegistrationPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		ines := newcomer(t, e)

		body := read(t, e.Do(t, ines, http.MethodGet, "/mon-espace/examen", nil))
		if !strings.Contains(body, `href="/mon-espace/examen/inscription"`) {
			t.Fatalf("Mon examen du permis has no link to the registration:\n%s", body)
		}
		if res := e.Do(t, ines, http.MethodGet, "/mon-espace/examen/inscription", nil); res.StatusCode != http.StatusOK {
			t.Fatalf("registration form: %d", res.StatusCode)
		}
		// Without the documents: refused, each missing one linked from the summary, nothing written.
		res := postRegistration(t, e, ines, "/mon-espace/examen/inscription", map[string]string{"french": "oui"}, []requests.Document{requests.DocIdentity})
		if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#document-jdc_certificate"`) ||
			!strings.Contains(body, `href="#document-address_proof"`) || !strings.Contains(body, `href="#ephoto_code"`) || strings.Contains(body, `href="#document-identity"`) ||
			!strings.Contains(body, "choisissez-les de nouveau") {
			t.Fatalf("filing without documents: %d\n%s", res.StatusCode, body)
		}
		if rs, _ := e.Store.ListExamRegistrationsOfUser(context.Background(), ines.Account.ID); len(rs) != 0 {
			t.Fatalf("a refused filing wrote %+v", rs)
		}
		res = postRegistration(t, e, ines, "/mon-espace/examen/inscription", map[string]string{"french": "oui", "paper_photo": "oui"}, allRegistrationDocuments())
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/mon-espace/examen?fait=inscription" {
			t.Fatalf("filing: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), read(t, res))
		}
		res = postRegistration(t, e, ines, "/mon-espace/examen/inscription", map[string]string{"french": "oui", "paper_photo": "oui"}, allRegistrationDocuments())
		if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "déjà une inscription en cours") {
			t.Fatalf("filing twice: %d\n%s", res.StatusCode, body)
		}
		rs, err := e.Store.ListExamRegistrationsOfUser(context.Background(), ines.Account.ID)
		if err != nil || len(rs) != 1 {
			t.Fatalf("registrations = %+v, %v", rs, err)
		}
		ref := rs[0].Reference
		body = read(t, e.Do(t, ines, http.MethodGet, "/mon-espace/examen?fait=inscription", nil))
		if !strings.Contains(body, "Inscription envoyée") || !strings.Contains(body, ref) || !strings.Contains(body, "En cours d'examen") {
			t.Fatalf("the candidate's page after filing:\n%s", body)
		}

		pdf := "/mon-espace/examen/inscriptions/" + ref + "/attestation.pdf"
		if res := e.Do(t, ines, http.MethodGet, pdf, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("attestation before acceptance: %d", res.StatusCode)
		}
		agent := e.Staff(t, access.Agent)
		if body := read(t, e.Do(t, agent, http.MethodGet, "/agents/examens", nil)); !strings.Contains(body, `href="/agents/examens/inscriptions"`) {
			t.Fatal("the exam places' page has no link to the registrations")
		}
		body = read(t, e.Do(t, agent, http.MethodGet, "/agents/examens/inscriptions", nil))
		if !strings.Contains(body, ref) || !strings.Contains(body, "journée défense et citoyenneté") || !strings.Contains(body, "Nouvel") ||
			!strings.Contains(body, "formulaire papier à recevoir") {
			t.Fatalf("the agent's queue:\n%s", body)
		}
		docs, err := e.Store.ListExamRegistrationDocuments(context.Background(), rs[0].ID)
		if err != nil || len(docs) != 4 {
			t.Fatalf("documents kept %+v, %v (want identity, address, JDC, ASSR2)", docs, err)
		}
		piece := fmt.Sprintf("/agents/examens/inscriptions/%s/pieces/%d", ref, docs[2].ID)
		if !strings.Contains(body, `href="`+piece+`"`) {
			t.Fatalf("no link to the JDC certificate on the card:\n%s", body)
		}
		res = e.Do(t, agent, http.MethodGet, piece, nil)
		if b := read(t, res); res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.Contains(b, "jdc_certificate") ||
			!strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment") || res.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("the agent's download: %d %v", res.StatusCode, res.Header)
		}
		if res := e.Do(t, ines, http.MethodGet, piece, nil); res.StatusCode != http.StatusForbidden {
			t.Fatalf("the candidate on the bureau's download: %d", res.StatusCode)
		}
		if res := e.Do(t, agent, http.MethodGet, fmt.Sprintf("/agents/examens/inscriptions/%s/pieces/%d", ref, docs[2].ID+100), nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("an unknown document: %d", res.StatusCode)
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/inscriptions/"+ref, map[string]string{"decision": "refuser"})
		if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Écrivez le motif du refus") {
			t.Fatalf("a refusal without reason: %d\n%s", res.StatusCode, body)
		}
		if res := e.Do(t, agent, http.MethodPost, "/agents/examens/inscriptions/INS-NOPE1234", map[string]string{"decision": "accepter"}); res.StatusCode != http.StatusNotFound {
			t.Fatalf("an unknown registration: %d", res.StatusCode)
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/inscriptions/"+ref, map[string]string{"decision": "accepter"})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("acceptance: %d\n%s", res.StatusCode, read(t, res))
		}
		res = e.Do(t, agent, http.MethodPost, "/agents/examens/inscriptions/"+ref, map[string]string{"decision": "accepter"})
		if res.StatusCode != http.StatusConflict {
			t.Fatalf("accepting twice: %d", res.StatusCode)
		}
		acc, err := e.Store.FindExamRegistration(context.Background(), ref)
		if err != nil || acc.State != store.RegistrationAccepted || acc.NEPH == "" {
			t.Fatalf("accepted = %+v, %v", acc, err)
		}
		res = e.Do(t, ines, http.MethodGet, pdf, nil)
		att := read(t, res)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(att, "%PDF-") ||
			!strings.Contains(res.Header.Get("Content-Disposition"), "attestation-inscription-b-"+acc.NEPH+".pdf") {
			t.Fatalf("attestation: %d %s %s", res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
		}
		// Its signed 2D-Doc (our type ZB), recorded, read back from the
		// printed symbol and recognised by /verifier.
		st, err := e.Store.FindStatementByReference(context.Background(), ref)
		if err != nil || st.Kind != examsapp.KindRegistrationAttestation || st.NEPH != acc.NEPH || !strings.HasPrefix(st.Barcode, "DC04") ||
			st.Barcode[20:22] != examsapp.DocTypeRegistration {
			t.Fatalf("attestation's statement %+v, %v", st, err)
		}
		if again := e.Do(t, ines, http.MethodGet, pdf, nil); again.StatusCode != http.StatusOK {
			t.Fatalf("second download: %d", again.StatusCode)
		} else if st2, _ := e.Store.FindStatementRequestedBy(context.Background(), examsapp.KindRegistrationAttestation, "exam:"+ref); st2.ID != st.ID {
			t.Fatal("a second download issued another attestation")
		}
		code := readSymbol(t, []byte(att))
		if code != st.Barcode {
			t.Fatalf("the printed symbol reads %q, want the recorded code %q", code, st.Barcode)
		}
		v := read(t, e.Do(t, routertest.Session{}, http.MethodPost, "/verifier", map[string]string{"code": code}))
		if !strings.Contains(v, "attestation d&#39;inscription au permis de conduire, référence <strong>"+ref) || !strings.Contains(v, acc.NEPH) {
			t.Fatalf("/verifier:\n%s", v)
		}
		other := e.Citizen(t, "twelve", true)
		if res := e.Do(t, other, http.MethodGet, pdf, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another citizen's attestation: %d", res.StatusCode)
		}
		body = read(t, e.Do(t, ines, http.MethodGet, "/mon-espace/examen", nil))
		if !strings.Contains(body, `href="`+pdf+`"`) {
			t.Fatalf("no link to the attestation:\n%s", body)
		}
		if !strings.Contains(body, "Acceptée : numéro de dossier (NEPH) <strong>"+acc.NEPH+"</strong>") || !strings.Contains(body, `id="exam-neph">`+acc.NEPH) {
			t.Fatalf("the candidate's page after acceptance:\n%s", body)
		}
	})
}

// Back after an invalidation: the registration page refuses, before the end
// of the 6 months from handing the card in (C. route L223-5 II), with the
// day it becomes possible; on that day it is filed.
func TestExamRegistrationComeback(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 3, Theme: "neutral"})
		ctx := context.Background()
		today := date.Today(e.Clock.Now())
		born := today.AddYears(-35)
		p := licence.Person{FamilyName: "Retour", GivenNames: []string{"Lou"}, BirthDate: born, BirthPlace: "Montpellier",
			BirthCountry: "FR", Sex: licence.SexFemale}
		if err := e.Store.CreatePerson(ctx, &p); err != nil {
			t.Fatal(err)
		}
		l := licence.Licence{NEPH: "110334100555", PersonID: p.ID, Obtained: today.AddYears(-15), Probation: points.ProbationNone,
			Departement: "34", State: licence.StateInvalidated, StateSince: today.AddDays(-30),
			Categories: []licence.CategoryEntry{{Category: "B", Obtained: today.AddYears(-15)}}}
		if err := e.Store.CreateLicence(ctx, &l); err != nil {
			t.Fatal(err)
		}
		lou := signIn(t, e, "fc-retour", "Lou", "Retour", born)
		if err := e.Store.UpdateUser(ctx, lou.Account.ID, store.UserPatch{LicenceID: &l.ID}); err != nil {
			t.Fatal(err)
		}
		handed := today.AddDays(-20)
		allowed := handed.AddMonths(6)
		form := map[string]string{"french": "oui", "handed_in": handed.French(), "paper_photo": "oui"}
		res := postRegistration(t, e, lou, "/mon-espace/examen/inscription", form, allRegistrationDocuments())
		body := read(t, res)
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "vous pourrez vous inscrire à partir du "+allowed.French()) {
			t.Fatalf("before the end of the wait: %d\n%s", res.StatusCode, body)
		}
		if rs, _ := e.Store.ListExamRegistrationsOfUser(ctx, lou.Account.ID); len(rs) != 0 {
			t.Fatalf("a refusal wrote %+v", rs)
		}
		e.Clock.Add(time.Duration(allowed-today) * 24 * time.Hour)
		lou = signIn(t, e, "fc-retour", "Lou", "Retour", born) // months later: a new session
		if body := read(t, e.Do(t, lou, http.MethodGet, "/mon-espace/examen/inscription", nil)); !strings.Contains(body, `id="document-psychotechnic_test"`) ||
			!strings.Contains(body, `id="handed_in"`) || strings.Contains(body, `id="document-jdc_certificate"`) {
			t.Fatalf("the comeback's form does not offer its documents:\n%s", body)
		}
		res = postRegistration(t, e, lou, "/mon-espace/examen/inscription", form, allRegistrationDocuments())
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("on the first allowed day (%s): %d\n%s", date.Today(e.Clock.Now()).French(), res.StatusCode, read(t, res))
		}
	})
}

// A driving school registers its student from Mes élèves: the link while
// the mandate has no NEPH, the form with the signed mandate among the
// documents, refused without them (nothing written), filed with them; the
// student is mailed; another school gets 404.
func TestSchoolRegistrationPages(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		e := routertest.Start(t, dsn, routertest.Options{Licences: 1, Theme: "neutral"})
		ctx := context.Background()
		school, other := e.Staff(t, access.DrivingSchool), e.Staff(t, access.DrivingSchool)
		m, err := e.App.RecordMandate(ctx, school.Request, app.MandateInput{FamilyName: "Martin", GivenNames: "Léa",
			BirthDate: date.Today(e.Clock.Now()).AddYears(-17), Email: "lea@example.fr", Reference: "M-INS-1", SignedOn: date.Today(e.Clock.Now())})
		if err != nil {
			t.Fatal(err)
		}
		form := fmt.Sprintf("/auto-ecole/eleves/%d/inscription", m.ID)
		if body := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole", nil)); !strings.Contains(body, `href="`+form+`"`) {
			t.Fatalf("Mes élèves has no link to the registration:\n%s", body)
		}
		if body := read(t, e.Do(t, school, http.MethodGet, form, nil)); !strings.Contains(body, `id="document-mandate"`) || !strings.Contains(body, "Léa Martin") {
			t.Fatalf("the school's form:\n%s", body)
		}
		if res := e.Do(t, other, http.MethodGet, form, nil); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another school's form: %d", res.StatusCode)
		}
		// 17: a minor, so the representative's consent is asked too.
		res := postRegistration(t, e, school, form, map[string]string{"french": "oui", "paper_photo": "oui"}, []requests.Document{requests.DocIdentity})
		if body := read(t, res); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `href="#document-mandate"`) ||
			!strings.Contains(body, `href="#document-legal_representative_consent"`) || strings.Contains(body, `href="#ephoto_code"`) {
			t.Fatalf("without the documents: %d\n%s", res.StatusCode, body)
		}
		if rs, _ := e.Store.ListExamRegistrationsOfMandate(ctx, m.ID); len(rs) != 0 {
			t.Fatalf("a refusal wrote %+v", rs)
		}
		if res := postRegistration(t, e, other, form, map[string]string{"french": "oui", "paper_photo": "oui"}, allRegistrationDocuments()); res.StatusCode != http.StatusNotFound {
			t.Fatalf("another school filing: %d", res.StatusCode)
		}
		res = postRegistration(t, e, school, form, map[string]string{"french": "oui", "paper_photo": "oui"}, allRegistrationDocuments())
		if want := fmt.Sprintf("/auto-ecole?examen=inscription#eleve-%d", m.ID); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Fatalf("filing: %d %s\n%s", res.StatusCode, res.Header.Get("Location"), read(t, res))
		}
		body := read(t, e.Do(t, school, http.MethodGet, "/auto-ecole?examen=inscription", nil))
		if !strings.Contains(body, "Inscription à l&#39;examen envoyée") || !strings.Contains(body, fmt.Sprintf(`id="inscriptions-%d"`, m.ID)) || strings.Contains(body, `href="`+form+`"`) {
			t.Fatalf("Mes élèves after filing:\n%s", body)
		}
		if res := e.Do(t, school, http.MethodGet, form, nil); res.StatusCode != http.StatusConflict {
			t.Fatalf("the form while the registration is examined: %d", res.StatusCode)
		}
		if mails, _ := e.Store.ListMail(ctx, store.MailFilter{To: "lea@example.fr"}); len(mails) != 1 || !strings.Contains(mails[0].Subject, "déposée") {
			t.Fatalf("mails to the student: %+v", mails)
		}
	})
}

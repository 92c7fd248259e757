package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	medicalapp "permis/internal/app/medical"
	"permis/internal/apperr"
	"permis/internal/booking"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/router/routertest"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// After a 4-month drink-driving suspension, "Quelle visite médicale ?"
// sends the person to the commission and to its booking page; the person
// books a seat and gets the convocation with its .ics; the commission's
// doctors see the day's list and record "apte temporaire (1 an)" as the
// commission, naming the second doctor. A doctor who does not sit there is
// refused the list; a doctor alone cannot record as the commission.
func TestCommissionSessionBookedAndItsOpinion(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 5})
	ctx := context.Background()
	med := medicalapp.New(e.App)
	if err := med.SeedCommission(ctx); err != nil {
		t.Fatal(err)
	}
	if err := med.SeedCommission(ctx); err != nil { // idempotent
		t.Fatal(err)
	}
	hp, k, err := med.Commission(ctx)
	if err != nil {
		t.Fatal(err)
	}
	res := e.Do(t, routertest.Session{}, http.MethodGet, "/visite-medicale?motif=suspension&cause=alcohol&duree=4&avis=aucun", nil)
	if body := read(t, res); !strings.Contains(body, `href="/rendez-vous/`) || !strings.Contains(body, "/"+medicalapp.CommissionKind+`"`) {
		t.Fatal("the answer does not link the commission's booking page")
	}

	// The person books the first free seat of the coming weeks.
	dp, person := e.Person(t, "48m")
	holder := e.Citizen(t, "48m", true)
	appts := e.App.Appointments(booking.Config{})
	slots, err := appts.Slots(ctx, hp.ID, k.ID, e.Today.AddDays(1), e.Today.AddDays(30))
	if err != nil || len(slots) == 0 {
		t.Fatalf("commission slots: %d, %v", len(slots), err)
	}
	var slot booking.Slot
	for _, s := range slots {
		if s.Free > 0 {
			slot = s
			break
		}
	}
	b, err := appts.Book(ctx, app.Request{Actor: holder.Request.Actor, Client: "10.1.2.3"}, app.BookingRequest{HelpPointID: hp.ID, KindID: k.ID,
		Start: slot.Start, Contact: booking.Contact{Name: "Camille Garnier", Email: holder.Account.Email}})
	if err != nil {
		t.Fatalf("book: %v", err)
	}
	if b.Pending {
		t.Fatal("a signed-in holder's booking waits for a confirmation")
	}
	ms, _ := e.Store.ListMail(ctx, store.MailFilter{To: holder.Account.Email})
	ics := false
	for _, m := range ms {
		for _, a := range m.Attachments {
			ics = ics || strings.HasSuffix(a.Filename, ".ics")
		}
	}
	if !ics {
		t.Error("no convocation with an .ics")
	}

	// Camille's restitution request, answered and with its uploads, lacks
	// only the medical opinion (a suspension linked to alcohol, §3.7).
	restit, err := e.App.StartRequest(ctx, holder.Request, app.StartInput{Kind: string(requests.Restitution)})
	if err != nil {
		t.Fatal(err)
	}
	dept, paper := "34", true
	if _, err := e.App.SaveAnswers(ctx, holder.Request, restit.ID, app.DraftInput{Departement: &dept, PaperPhoto: &paper,
		Answers: &app.Answers{Sanction: &requests.Sanction{Measure: licence.StateSuspendedAdmin, From: e.Today.AddMonths(-4),
			Until: e.Today.AddDays(-1), AlcoholOrDrugs: true}}}); err != nil {
		t.Fatal(err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocSuspensionDecision} {
		if _, err := e.App.AddDocument(ctx, holder.Request, restit.ID, string(d), app.Upload{Name: "p.pdf", Body: strings.NewReader("%PDF-1.4 p")}); err != nil {
			t.Fatal(err)
		}
	}
	_, err = e.App.Submit(ctx, holder.Request, restit.ID)
	if ae := apperr.As(err); ae.Code != apperr.Invalid || ae.Fields["document_"+string(requests.DocMedicalOpinion)] == "" || len(ae.Fields) != 1 {
		t.Fatalf("before the opinion: %v %v", err, ae.Fields)
	}

	first := e.Doctor(t, "MA-34-C-0001", e.Today.AddYears(2))
	second := e.Doctor(t, "MA-34-C-0002", e.Today.AddYears(2))
	day := date.FromTime(b.Start.In(date.Paris()))
	res = e.Do(t, first, http.MethodGet, "/medecin/commission?jour="+day.French(), nil)
	if body := read(t, res); res.StatusCode != 200 || !strings.Contains(body, "Camille Garnier") {
		t.Fatalf("the session's list: %d", res.StatusCode)
	}
	outsider := e.Staff(t, access.Doctor)
	if err := e.Store.PutDoctorApproval(ctx, store.DoctorApproval{UserID: outsider.Account.ID, ApprovalNumber: "MA-34-X-0009",
		ValidFrom: e.Today.AddYears(-1), ValidUntil: e.Today.AddYears(1)}); err != nil {
		t.Fatal(err)
	}
	if res := e.Do(t, outsider, http.MethodGet, "/medecin/commission", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("a doctor outside the commission reads its list: %d", res.StatusCode)
	}

	until := e.Today.AddYears(1).French()
	form := map[string]string{"neph": dp.NEPH.String(), "birth_date": person.BirthDate.French(), "outcome": "fit_limited",
		"until": until, "commission": "oui", "second_approval": "MA-34-C-0001"}
	if res := e.Do(t, first, http.MethodPost, "/medecin/avis", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("the same doctor twice: %d", res.StatusCode)
	}
	form["second_approval"] = "MA-34-X-0009"
	if res := e.Do(t, first, http.MethodPost, "/medecin/avis", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a second doctor outside the commission: %d", res.StatusCode)
	}
	form["second_approval"] = "MA-34-C-0002"
	res = e.Do(t, first, http.MethodPost, "/medecin/avis", form)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("commission opinion: %d %s", res.StatusCode, read(t, res))
	}
	ref := strings.TrimPrefix(res.Header.Get("Location"), "/medecin/avis/")
	o, err := e.Store.FindMedicalOpinion(ctx, ref)
	if err != nil || o.Examiner != "commission" || o.Outcome != "fit_limited" || o.Until != date.Some(e.Today.AddYears(1)) || !strings.Contains(o.ApprovalNumber, "MA-34-C-0002") {
		t.Fatalf("opinion: %+v, %v", o, err)
	}
	_ = second
	if o.RequestID != restit.ID {
		t.Fatalf("the commission's opinion joined request %d, want the restitution %d", o.RequestID, restit.ID)
	}

	// The agent records the préfet's decision; the restitution then goes
	// through with the opinion that joined it by itself.
	agent := e.Staff(t, access.Agent)
	if res := e.Do(t, agent, http.MethodPost, "/agents/avis-medicaux/"+ref+"/decision", map[string]string{"decision": "follow"}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("decision: %d", res.StatusCode)
	}
	if r, err := e.App.Submit(ctx, holder.Request, restit.ID); err != nil || r.Status != requests.StatusSubmitted {
		t.Fatalf("the restitution with the opinion: %v", err)
	}
}

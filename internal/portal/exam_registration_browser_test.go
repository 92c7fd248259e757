package portal_test

import (
	"context"
	"strings"
	"testing"

	"permis/internal/access"
)

// Issue 14 §1 in Chromium, axe on every page: a person with no licence goes
// from Mon espace to Mon examen du permis and registers; the agent goes from
// the back office's home to the exam places, then the registrations, and
// accepts; the candidate sees the NEPH and the attestation's link.
func TestExamRegistrationInABrowser(t *testing.T) {
	b, e, checked := startInBrowser(t, 3)
	ines := newcomer(t, e)

	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/mon-espace"), 200)
	checked(b.Follow("#tile-exam"), 200)
	checked(b.Follow("#exam-register"), 200)
	attachRegistrationDocuments(t, b)
	checked(b.Submit("#exam-register-submit"), 200)
	if !strings.HasSuffix(b.URL(), "/mon-espace/examen?fait=inscription") || !b.Exists("#exam-registrations") {
		t.Fatalf("after filing: %s", b.URL())
	}
	rs, err := e.Store.ListExamRegistrationsOfUser(context.Background(), ines.Account.ID)
	if err != nil || len(rs) != 1 {
		t.Fatalf("registrations %+v, %v", rs, err)
	}
	ref := rs[0].Reference

	agent := e.Staff(t, access.Agent)
	b.SetCookie(e.URL, agent.Cookie())
	checked(b.Visit(e.URL+"/agents"), 200)
	checked(b.Follow(`a[href="/agents/examens"]`), 200)
	checked(b.Follow("#exam-registrations-link"), 200)
	checked(b.Submit("#accept-"+ref), 200)
	if !strings.Contains(b.Text("main"), "Inscription acceptée") || b.Exists("#registration-"+ref) {
		t.Fatalf("after acceptance: %s", b.Text("main"))
	}

	b.SetCookie(e.URL, ines.Cookie())
	checked(b.Visit(e.URL+"/mon-espace/examen"), 200)
	acc, err := e.Store.FindExamRegistration(context.Background(), ref)
	if err != nil || acc.NEPH == "" || b.Text("#exam-neph") != acc.NEPH || !b.Exists("#attestation-"+ref) {
		t.Fatalf("the candidate's page after acceptance (NEPH %q): %s", acc.NEPH, b.Text("main"))
	}
}

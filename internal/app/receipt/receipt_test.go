package receipt_test

import (
	"context"
	"crypto/rand"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/receipt"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/pdftext/pdftest"
	"permis/internal/statement"
	"permis/internal/store"
	"permis/internal/store/storetest"
	"permis/internal/twoddoc"
)

func contest() receipt.Receipt {
	return receipt.Receipt{Step: statement.FineContest, Reference: "CON-7KQ4-XM2P", Notice: "1234567890", Plate: "AB-123-CD",
		Offence: "Excès de vitesse", Committed: date.MustParse("2025-02-01"),
		RecordedAt: time.Date(2025, time.March, 20, 9, 30, 0, 0, time.UTC), Deadline: date.MustParse("2025-04-17"), Amount: 135,
		Details: [][2]string{{"Motif", "Véhicule vendu"}}}
}

func open(t *testing.T, signed bool) (*store.Store, *app.App, *twoddoc.Keyring) {
	t.Helper()
	c := clock.NewFixed(time.Date(2025, time.March, 20, 9, 31, 0, 0, time.UTC))
	s, err := store.Open(context.Background(), storetest.SQLiteDSN(t), store.Options{Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	kr := twoddoc.NewKeyring()
	var iss app.Issuer
	if signed {
		signer, err := twoddoc.GenerateSigner("FR00", "0001", rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if err := kr.Add("FR00", "0001", signer.Public()); err != nil {
			t.Fatal(err)
		}
		iss = app.Issuer{Name: "Service Permis — test", Signer: signer, Keyring: kr}
	}
	a := app.New(app.Config{Store: s, Clock: c, PublicURL: "https://permis.test", Issuer: iss})
	return s, a, kr
}

var citizen = app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:7", Role: access.Citizen}, RequestID: "r", Client: "192.0.2.1"}

// The 2D-Doc of a receipt verifies with the service's key and carries the
// mapping of docs/contest.md: the reference, the step, the notice, the
// plate, the offence's date, when it was recorded, the deadline and the
// amount.
func TestIssueSignsTheMapping(t *testing.T) {
	s, a, kr := open(t, true)
	is, err := receipt.Issue(context.Background(), a.Kernel(), citizen, contest())
	if err != nil {
		t.Fatal(err)
	}
	v := kr.Verify(is.Barcode)
	if v.Status != twoddoc.Valid {
		t.Fatalf("verdict %+v", v)
	}
	if v.Doc.Header.DocType != receipt.DocType || twoddoc.DocTypeLabel(receipt.DocType) == "" {
		t.Errorf("doc type %q", v.Doc.Header.DocType)
	}
	want := map[string]string{"01": "CON-7KQ4-XM2P", "Z1": "CON", "Z0": "1234567890", "A1": "AB-123-CD",
		"Z2": "200320251030", "Z3": "17042025", "Z4": "135"}
	for id, val := range want {
		if f, ok := v.Doc.Field(id); !ok || f.Value != val {
			t.Errorf("field %s = %+v, want %q", id, f, val)
		}
	}
	if f, ok := v.Doc.Field("AD"); !ok || twoddoc.Display(f.Identifier(), f.Value) != "01/02/2025" {
		t.Errorf("offence date field %+v", f)
	}
	if is.Filename != "recepisse-contestation-CON-7KQ4-XM2P.pdf" || !strings.HasPrefix(string(is.PDF), "%PDF") {
		t.Errorf("issued %q", is.Filename)
	}
	if !strings.Contains(pdftest.PageText(t, is.PDF), "Récépissé de contestation") || is.Outline.Code == "" {
		t.Error("the PDF or its outline is not the contest's receipt")
	}
	a.Close()
	entries, err := s.ListAudit(context.Background(), "notice", "1234567890")
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Action != "fine.receipt_contest" {
		t.Errorf("audit %+v, want one fine.receipt_contest", entries)
	}
}

func TestIssueWithoutKeyIsUnavailable(t *testing.T) {
	_, a, _ := open(t, false)
	defer a.Close()
	if _, err := receipt.Issue(context.Background(), a.Kernel(), citizen, contest()); !apperr.Is(err, apperr.Unavailable) {
		t.Errorf("err %v, want unavailable", err)
	}
}

func TestFieldsOfEachStep(t *testing.T) {
	for step, code := range map[statement.FineStep]string{statement.FineContest: "CON", statement.FineDesignation: "DES", statement.FinePayment: "PAI"} {
		r := contest()
		r.Step, r.Amount, r.Plate, r.Committed = step, 0, "", 0
		fields, err := receipt.Fields(r)
		if err != nil {
			t.Fatal(err)
		}
		ids := ""
		for _, f := range fields {
			ids += f.ID + " "
			if f.ID == "Z1" && f.Value != code {
				t.Errorf("%s: Z1 = %q, want %q", step, f.Value, code)
			}
		}
		if ids != "01 Z1 Z0 Z2 Z3 " {
			t.Errorf("%s without plate, date or amount: fields %s", step, ids)
		}
		if _, err := twoddoc.Encode(twoddoc.Header{Version: 4, CA: "FR00", Cert: "0001", DocType: "ZA", Perimeter: "01", Country: "FR"}, fields); err != nil {
			t.Errorf("%s: %v", step, err)
		}
	}
	r := contest()
	r.Step = "refund"
	if _, err := receipt.Fields(r); err == nil {
		t.Error("an unknown step has fields")
	}
}

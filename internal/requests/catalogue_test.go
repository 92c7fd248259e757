package requests

import (
	"slices"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/apperr"
)

// TestCatalogueIsTheLaw reads REFERENCE §5 row by row: what each type of
// request costs, whether it takes an ePhoto, when it asks the ASSR2, a
// medical opinion, a psychotechnic test, and who may file it.
func TestCatalogueIsTheLaw(t *testing.T) {
	law := []struct {
		kind          Kind
		stamp         Condition
		ephoto        Condition
		assr          Condition
		medical       Condition
		psychotechnic Condition
		school        bool
		loss          bool
	}{
		{FirstLicence, Never, Always, IfFirstCategoryYoung, IfHeavyOrMedical, Never, true, false},
		{NewCategory, Never, Always, IfFirstCategoryYoung, IfHeavyOrMedical, Never, true, false},
		{Loss, Always, Always, Never, IfHeavyHeld, Never, false, true},
		{Theft, Always, Always, Never, IfHeavyHeld, Never, false, false},
		{Damage, Always, Always, Never, IfHeavyHeld, Never, false, false},
		{Renewal, Never, Always, Never, IfHeavyOrMedical, Never, false, false},
		{MedicalRenewal, Never, Always, Never, Always, Never, false, false},
		{CivilStatus, Never, Always, Never, Never, Never, false, false},
		{Restitution, Never, Always, Never, IfSuspensionMedical, IfLongSanction, false, false},
		{AfterInvalidation, Never, Always, IfFirstCategoryYoung, Always, Always, false, false},
		{ExchangeEU, Never, Always, Never, IfHeavyOrMedical, Never, false, false},
		{ExchangeNonEU, IfForeignLicenceLost, Always, Never, IfHeavyOrMedical, Never, false, false},
		{InternationalPermit, Never, Never, Never, Never, Never, false, false},
		{MilitaryConversion, Never, Always, Never, IfHeavyOrMedical, Never, false, false},
	}
	types := Types()
	if len(types) != len(law) {
		t.Fatalf("%d types in the catalogue, §5 has %d", len(types), len(law))
	}
	for i, l := range law {
		typ := types[i]
		if typ.Kind != l.kind {
			t.Errorf("type %d is %s, want %s (the portal's order)", i, typ.Kind, l.kind)
			continue
		}
		got := []Condition{typ.Stamp, typ.EPhoto, typ.RoadSafety(), typ.Medical(), typ.Psychotechnic()}
		want := []Condition{l.stamp, l.ephoto, l.assr, l.medical, l.psychotechnic}
		if !slices.Equal(got, want) {
			t.Errorf("%s: stamp, ePhoto, ASSR2, medical, psychotechnic = %v, want %v", l.kind, got, want)
		}
		if typ.Filable(access.DrivingSchool) != l.school || !typ.Filable(access.Citizen) {
			t.Errorf("%s: filers %v", l.kind, typ.Filers)
		}
		if typ.LossDeclaration != l.loss {
			t.Errorf("%s: loss declaration %v", l.kind, typ.LossDeclaration)
		}
		if (typ.Stamp != Never) != (typ.Fee == FeeDuplicate) {
			t.Errorf("%s: stamp %s with fee %q; the only fee of §8 is the duplicate's", l.kind, typ.Stamp, typ.Fee)
		}
	}
}

// TestCatalogueIsComplete checks what a reviewer would check by eye: every
// row filled in, every code known, every document labelled.
func TestCatalogueIsComplete(t *testing.T) {
	kinds, labels := map[Kind]bool{}, map[string]bool{}
	for _, typ := range Types() {
		if kinds[typ.Kind] || labels[typ.Label] {
			t.Errorf("%s: kind or label used twice", typ.Kind)
		}
		kinds[typ.Kind], labels[typ.Label] = true, true
		if typ.Label == "" || len(typ.Description) < 40 || typ.Source == "" {
			t.Errorf("%s: label, description or source missing", typ.Kind)
		}
		if !typ.Stamp.Valid() || !typ.EPhoto.Valid() {
			t.Errorf("%s: stamp %q or ePhoto %q not stated", typ.Kind, typ.Stamp, typ.EPhoto)
		}
		if _, ok := typ.Rule(DocIdentity); !ok {
			t.Errorf("%s: no identity document", typ.Kind)
		}
		if typ.EPhoto == Never {
			if _, ok := typ.Rule(DocPhotos); !ok {
				t.Errorf("%s: neither ePhoto nor photos", typ.Kind)
			}
		}
		seen := map[Document]bool{}
		for _, r := range typ.Documents {
			if seen[r.Doc] {
				t.Errorf("%s: %s asked twice", typ.Kind, r.Doc)
			}
			seen[r.Doc] = true
			if _, ok := documentLabels[r.Doc]; !ok {
				t.Errorf("%s: %s has no label", typ.Kind, r.Doc)
			}
			if r.Or != "" && documentLabels[r.Or] == "" {
				t.Errorf("%s: alternative %s has no label", typ.Kind, r.Or)
			}
			if !r.When.Valid() || r.When == Never {
				t.Errorf("%s: %s asked %q", typ.Kind, r.Doc, r.When)
			}
		}
		if r, ok := typ.Rule(DocRoadSafety); ok && r.Or != DocSwornStatement {
			t.Errorf("%s: the sworn statement is the ASSR2's fallback (§9)", typ.Kind)
		}
		if r, ok := typ.Rule(DocMandate); ok != typ.Filable(access.DrivingSchool) || (ok && r.When != IfFiledBySchool) {
			t.Errorf("%s: a school files under a mandate, and only then", typ.Kind)
		}
	}
	for d, l := range documentLabels {
		if l == "" || d.Label() != l {
			t.Errorf("%s: label %q", d, l)
		}
	}
	if Document("other").Label() != "other" {
		t.Error("an unknown document shows its code")
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Errorf("default configuration: %v", err)
	}
}

func TestLookup(t *testing.T) {
	for _, typ := range Types() {
		got, err := Lookup(string(typ.Kind))
		if err != nil || got.Kind != typ.Kind || got.Label != typ.Label {
			t.Errorf("Lookup(%s) = %s, %v", typ.Kind, got.Kind, err)
		}
	}
	for _, code := range []string{"", "perte", "LOSS", "loss "} {
		if _, err := Lookup(code); apperr.As(err).Message != "Ce type de demande n'existe pas." || !apperr.Is(err, apperr.NotFound) {
			t.Errorf("Lookup(%q): %v", code, err)
		}
	}
	// Types hands out copies: changing them changes nothing.
	ts := Types()
	ts[0].Documents[0].Doc = "changed"
	ts[0].Filers[0] = access.Admin
	if again := Types(); again[0].Documents[0].Doc != DocIdentity || again[0].Filers[0] != access.Citizen {
		t.Error("Types() shares the catalogue")
	}
}

// The international permit as the procedure stands (checked 6 December 2026,
// sources in docs/requests.md "Le permis international"): a free online
// request, then within 2 months the printed deposit certificate, one photo
// and a tracked return envelope by post, or the request is rejected.
func TestInternationalPermitProcedure(t *testing.T) {
	typ, err := Lookup(string(InternationalPermit))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gratuite", "dans les 2 mois", "l'attestation de dépôt", "une photo", "rejetée", "valable 3 ans"} {
		if !strings.Contains(typ.Description, want) {
			t.Errorf("description does not say %q: %s", want, typ.Description)
		}
	}
	if l := DocPhotos.Label(); !strings.HasPrefix(l, "Une photo") || !strings.Contains(l, "attestation de dépôt") {
		t.Errorf("photos: %q, want one photo posted with the deposit certificate", l)
	}
	if typ.EPhoto != Never || typ.Stamp != Never {
		t.Errorf("ePhoto %s, stamp %s: the PCI takes a paper photo and is free", typ.EPhoto, typ.Stamp)
	}
	if !strings.Contains(typ.Source, "docs/requests.md") {
		t.Errorf("source %q does not point to where the procedure was checked", typ.Source)
	}
}

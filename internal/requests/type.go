// Package requests is the domain of licence requests (demandes de titre,
// REFERENCE §5–§10): the catalogue of every request type with what each
// needs (catalogue.go, the one table a reviewer reads), the computation of
// what a given applicant must provide (requirements.go), the configuration
// of the amounts and delays the law sets (config.go), and the lifecycle of a
// request from draft to delivery (status.go). It does no I/O.
//
// Vocabulary: a request type is the glossary's DossierKind; Kind is its
// stable code, stored and sent to API clients.
package requests

import (
	"slices"

	"permis/internal/access"
	"permis/internal/apperr"
)

// Kind is the stable code of a request type ("loss", "first_licence"…).
type Kind string

// Document is the stable code of a kind of supporting document.
type Document string

// Label returns the French name of the document, as the citizen reads it.
func (d Document) Label() string {
	if l, ok := documentLabels[d]; ok {
		return l
	}
	return string(d)
}

// FeeKey names a fee paid with a fiscal stamp; its amount comes from the
// Config (the law changes amounts, not keys).
type FeeKey string

// Condition says when something is needed. Its value is stable; Label is
// the French reason shown to the applicant.
type Condition string

// DocumentRule is one supporting document of a request type: when it is
// needed, whether it is optional, and what may replace it.
type DocumentRule struct {
	Doc      Document
	When     Condition
	Or       Document // accepted instead of Doc ("" when none)
	Optional bool     // may be given, never required
}

// Type is one request type of §5: everything it needs, as data.
type Type struct {
	Kind        Kind
	Label       string // French, short: the choice on the portal's first page
	Description string // French, one or two sentences: who it is for

	Filers       []access.Role // who may file it: the citizen, or a driving school under mandate
	NeedsLicence bool          // concerns a licence already in the register (the NEPH is known)
	Categories   bool          // the applicant names the categories asked

	Documents []DocumentRule // every supporting document, in the order they are asked
	Stamp     Condition      // a fiscal stamp (timbre fiscal électronique, §8)
	Fee       FeeKey         // the stamp's fee, when Stamp is not Never
	EPhoto    Condition      // an ePhoto code, or the paper photo-signature form (FPS) as a fallback (§7)

	LossDeclaration bool   // the loss is declared in the request, which gives an attestation de perte (§5, §6.3)
	Source          string // where the rule comes from
}

// Types returns every request type, in the order the portal offers them.
// The slice is a copy: changing it changes nothing.
func Types() []Type {
	out := make([]Type, len(catalogue))
	for i, t := range catalogue {
		out[i] = t
		out[i].Filers = slices.Clone(t.Filers)
		out[i].Documents = slices.Clone(t.Documents)
	}
	return out
}

// Lookup returns the request type with that stable code, or a not_found
// error with a French message.
func Lookup(code string) (Type, error) {
	for _, t := range Types() {
		if string(t.Kind) == code {
			return t, nil
		}
	}
	return Type{}, apperr.New(apperr.NotFound, "Ce type de demande n'existe pas.")
}

// Filable reports whether the role may file this type.
func (t Type) Filable(r access.Role) bool { return slices.Contains(t.Filers, r) }

// Rule returns the type's rule for document d, if it asks for it.
func (t Type) Rule(d Document) (DocumentRule, bool) {
	for _, r := range t.Documents {
		if r.Doc == d {
			return r, true
		}
	}
	return DocumentRule{}, false
}

// when returns when the type asks for document d (Never when it does not).
func (t Type) when(d Document) Condition {
	if r, ok := t.Rule(d); ok {
		return r.When
	}
	return Never
}

// Medical returns when the type needs a medical opinion (cerfa 14880, §10).
func (t Type) Medical() Condition { return t.when(DocMedicalOpinion) }

// RoadSafety returns when the type needs the ASSR2 or ASR (§9); the sworn
// statement is accepted instead.
func (t Type) RoadSafety() Condition { return t.when(DocRoadSafety) }

// Psychotechnic returns when the type needs a psychotechnic test (§10.1).
func (t Type) Psychotechnic() Condition { return t.when(DocPsychotechnic) }

package portal

import (
	"net/http"

	"permis/internal/app"
	"permis/internal/twoddoc"
	"permis/internal/web"
)

// The public verification of a 2D-Doc (/verifier). The answer speaks to a
// person first — is this document genuine, what to do — with the technical
// reason under a disclosure. Only a valid signature shows the code's data
// as data; a modified code shows none of its values (they are the forger's),
// and a code signed by an unknown key shows them folded, as unverified.
// A text that is no code at all is a form error: the field is marked
// invalid and the error summary says why, in plain French.

type verifyDocPage struct {
	web.Page
	Text   string
	Result *app.Verification
	// Verdict is the verdict's wording, nil before a verification and for
	// a malformed code (a form error).
	Verdict *verdictView
	// Detail is the technical reason a code is malformed.
	Detail string
	Rows   []fieldRow
	// DocTypeLabel names the document type of the header.
	DocTypeLabel string
}

type fieldRow struct {
	ID, Label, Value string
	Position         int
}

// verdictView is what the page says of a verdict.
type verdictView struct {
	Status                    string
	Alert                     string // fr-alert--success, --error or --warning
	Role                      string // status for good news, alert otherwise
	Headline, Meaning, Advice string
	// AdviceLink adds the link to the check of a licence by its code.
	AdviceLink bool
}

func verdictOf(s twoddoc.Status) *verdictView {
	switch s {
	case twoddoc.Valid:
		return &verdictView{Status: string(s), Alert: "success", Role: "status",
			Headline: "Document authentique : la signature est valide",
			Meaning: "Les données ci-dessous sont celles que l'émetteur a signées. Si elles sont identiques à celles " +
				"imprimées sur le document, celui-ci n'a pas été modifié."}
	case twoddoc.BadSignature:
		return &verdictView{Status: string(s), Alert: "error", Role: "alert",
			Headline: "Document non authentique : la signature ne correspond pas",
			Meaning: "Le code a été modifié après sa signature, ou il a été fabriqué : ses informations ne sont pas " +
				"celles que l'émetteur a signées. Ne vous fiez ni au document ni aux informations de son code.",
			Advice: "Demandez l'original à la personne qui vous l'a remis. Pour connaître les droits à conduire " +
				"d'une personne, demandez-lui un code de vérification :", AdviceLink: true}
	case twoddoc.UnknownCertificate:
		return &verdictView{Status: string(s), Alert: "warning", Role: "alert",
			Headline: "Authenticité non vérifiable : l'émetteur est inconnu de ce service",
			Meaning: "Le code est signé par un organisme dont ce service ne connaît pas la clé. Cela ne veut pas " +
				"dire que le document est faux, mais ce service ne peut pas garantir ses informations.",
			Advice: "Vérifiez le document auprès de l'organisme qui l'a délivré."}
	}
	return nil
}

func (p *Portal) verifyDocForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "verify_doc.html", &verifyDocPage{Page: web.Page{Title: "Vérifier un document"}})
}

func (p *Portal) verifyDoc(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := &verifyDocPage{Page: web.Page{Title: "Vérifier un document"}, Text: r.PostForm.Get("code")}
	v, err := p.app.VerifyDocument(r.Context(), request(r), pg.Text)
	if err != nil {
		return p.refuse(w, r, "verify_doc.html", pg, err)
	}
	pg.Result = &v
	if v.Verdict.Status == twoddoc.Malformed {
		msg := "Ce texte n'est pas un code 2D-Doc lisible."
		if de := v.Verdict.Err; de != nil {
			msg = "Code illisible. " + de.Plain()
		}
		pg.Errors = []web.FieldError{{Field: "code", Message: msg}}
		pg.Detail = v.Verdict.Reason
		return p.r.Render(w, r, http.StatusUnprocessableEntity, "verify_doc.html", pg)
	}
	pg.Verdict = verdictOf(v.Verdict.Status)
	pg.Title = pg.Verdict.Headline + " — Vérifier un document"
	if v.Verdict.Status == twoddoc.BadSignature {
		pg.Title = "Erreur : " + pg.Verdict.Headline + " — Vérifier un document"
		return p.r.Render(w, r, http.StatusOK, "verify_doc.html", pg) // none of the forged values
	}
	if d := v.Verdict.Doc; d != nil {
		pg.DocTypeLabel = twoddoc.DocTypeLabel(d.Header.DocType)
		if pg.DocTypeLabel == "" {
			pg.DocTypeLabel = "type de document non répertorié"
		}
		for _, f := range d.Fields {
			id := f.Identifier()
			pg.Rows = append(pg.Rows, fieldRow{ID: f.ID, Label: id.Label, Value: twoddoc.Display(id, f.Value), Position: f.Position})
		}
	}
	return p.r.Render(w, r, http.StatusOK, "verify_doc.html", pg)
}

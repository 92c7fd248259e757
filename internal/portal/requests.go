package portal

import (
	"net/http"
	"slices"
	"strconv"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/files"
	"permis/internal/help"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/web"
)

// Licence requests, the citizen's pages: "my requests" with the list of
// request types, an introduction per type, the draft one thing per page
// (requests_draft.go), the request's page with its timeline, and the
// public tracking by reference and birth date (requests_track.go).

// maxDocument is the size limit of a document the pages state: the
// application's default (app.RequestOptions.MaxUpload defaults to
// files.DefaultMaxSize; the application refuses anything larger itself).
const maxDocument = files.DefaultMaxSize

// reqRules are the amounts the introduction pages state before any draft
// exists. The draft's own figures come from app.Requirements, which uses
// the configured rules.
var reqRules = requests.DefaultConfig()

type reqListPage struct {
	web.Page
	Mine  []reqLine
	Types []requests.Type
}

// reqLine is one of my requests in the list.
type reqLine struct {
	ID          int64
	Reference   string
	Kind        string
	Status      string
	Draft       bool
	CreatedAt   time.Time
	SubmittedAt *time.Time
	Expected    date.Null
}

// citizenTypes are the request types a citizen may file, in the
// catalogue's order.
func citizenTypes() []requests.Type {
	var out []requests.Type
	for _, t := range requests.Types() {
		if t.Filable(access.Citizen) {
			out = append(out, t)
		}
	}
	return out
}

func kindLabelOf(k requests.Kind) string {
	if t, err := requests.Lookup(string(k)); err == nil {
		return t.Label
	}
	return string(k)
}

// reqList shows my requests and the request types to start one.
func (p *Portal) reqList(w http.ResponseWriter, r *http.Request) error {
	mine, err := p.app.MyRequests(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg := &reqListPage{Page: web.Page{Title: "Mes démarches", Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Text: "Mes démarches"}}},
		Types: citizenTypes()}
	for _, m := range mine {
		l := reqLine{ID: m.ID, Reference: m.Reference, Kind: kindLabelOf(m.Kind), Status: m.Status.Label(),
			Draft: m.Status == requests.StatusDraft, CreatedAt: m.CreatedAt, SubmittedAt: m.SubmittedAt}
		if m.ExpectedDecision.Valid && (m.Status == requests.StatusSubmitted || m.Status == requests.StatusInReview) {
			l.Expected = m.ExpectedDecision
		}
		pg.Mine = append(pg.Mine, l)
	}
	return p.r.Render(w, r, http.StatusOK, "req_list.html", pg)
}

type reqIntroPage struct {
	web.Page
	Type          requests.Type
	Documents     []reqDocRule
	BySchool      bool   // a driving school may file it too
	Fee           string // the stamp's amount, "" when none
	FeeGuiana     string // in French Guiana, when it differs
	StampWhen     string // the condition, when not always
	EPhoto        bool
	Medical       bool
	RoadSafety    bool
	NeedsLink     bool // the type concerns a licence the account has not linked yet
	Help          map[string]string
	MaxSize       string
	AttestMonths  int
	DecisionDelay string
}

// reqDocRule is a document of the catalogue as the introduction lists it.
type reqDocRule struct {
	Label    string
	When     string // "" when always
	Optional bool
}

// reqHelp are the help articles the request pages link to.
func reqHelp() map[string]string {
	m := map[string]string{}
	for _, s := range []string{"neph", "assr2", "photo-signature", "timbre-fiscal", "visite-medicale", "suivre-ma-demande"} {
		m[s] = help.Link(s)
	}
	return m
}

// citizenType is the type a citizen may file, named by its French slug
// (/mes-demarches/nouvelle/perte).
func citizenType(slug string) (requests.Type, error) {
	t, ok := requests.LookupSlug(slug)
	if !ok {
		// The stable English code of old addresses still starts a request
		// (a form posted from a page served before the change).
		var err error
		if t, err = requests.Lookup(slug); err != nil {
			return t, err
		}
	}
	if !t.Filable(access.Citizen) {
		return t, apperr.New(apperr.NotFound, "Ce type de demande n'existe pas.")
	}
	return t, nil
}

// reqIntro presents a request type: what it is, who files it, what it
// needs; its button creates the draft.
func (p *Portal) reqIntro(w http.ResponseWriter, r *http.Request) error {
	// The English codes of old addresses (/mes-demarches/nouvelle/loss)
	// lead to the French ones.
	if t, err := requests.Lookup(r.PathValue("kind")); err == nil && t.Kind.Slug() != r.PathValue("kind") {
		http.Redirect(w, r, "/mes-demarches/nouvelle/"+t.Kind.Slug(), http.StatusMovedPermanently)
		return nil
	}
	t, err := citizenType(r.PathValue("kind"))
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "req_intro.html", p.introPage(r, t))
}

func (p *Portal) introPage(r *http.Request, t requests.Type) *reqIntroPage {
	pg := &reqIntroPage{Page: web.Page{Title: t.Label, Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"},
		{Href: "/mes-demarches", Text: "Mes démarches"}, {Text: t.Label}}},
		Type: t, BySchool: t.Filable(access.DrivingSchool), EPhoto: t.EPhoto != requests.Never,
		Medical: t.Medical() != requests.Never, RoadSafety: t.RoadSafety() != requests.Never, Help: reqHelp(),
		MaxSize: files.FormatSize(maxDocument)}
	for _, d := range t.Documents {
		if d.When == requests.IfFiledBySchool {
			continue // the mandate: a driving school's, never the citizen's
		}
		l := d.Doc.Label()
		if d.Or != "" {
			l += ", ou à défaut : " + d.Or.Label()
		}
		rule := reqDocRule{Label: l, Optional: d.Optional}
		if d.When != requests.Always {
			rule.When = d.When.Label()
		}
		pg.Documents = append(pg.Documents, rule)
	}
	if t.Stamp != requests.Never {
		if a, ok := reqRules.Fee(t.Fee, ""); ok {
			pg.Fee = a.String()
		}
		if a, ok := reqRules.Fee(t.Fee, "973"); ok && a.String() != pg.Fee {
			pg.FeeGuiana = a.String()
		}
		if t.Stamp != requests.Always {
			pg.StampWhen = t.Stamp.Label()
		}
	}
	if t.LossDeclaration {
		pg.AttestMonths = reqRules.LossAttestationMonths
	}
	if st, ok := stateOf(r); ok && t.NeedsLicence && !st.Account.LicenceLinked {
		pg.NeedsLink = true
	}
	return pg
}

// reqStart creates the draft and goes to its first step.
func (p *Portal) reqStart(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	t, err := citizenType(r.PathValue("kind"))
	if err != nil {
		return err
	}
	d, err := p.app.StartRequest(r.Context(), request(r), startInput(t))
	if err != nil {
		return p.refuse(w, r, "req_intro.html", p.introPage(r, t), err)
	}
	http.Redirect(w, r, draftURL(d.ID, stepInfo), http.StatusSeeOther)
	return nil
}

// reqID reads the {id} of the path; anything else is not found.
func reqID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, apperr.New(apperr.NotFound, "Cette demande n'existe pas.")
	}
	return id, nil
}

func reqURL(id int64) string { return "/mes-demarches/" + strconv.FormatInt(id, 10) }

// stampGrouped writes a stored stamp number in groups of four.
func stampGrouped(n string) string {
	if n == "" {
		return ""
	}
	return stamp.Number(n).Grouped()
}

// requestedDocs are the documents the agent asked again, with the reason.
func requestedDocs(docs []store.RequestDocument) []store.RequestDocument {
	return slices.DeleteFunc(slices.Clone(docs), func(d store.RequestDocument) bool { return d.State != store.DocRequested })
}

// reqPage serves the pages of a request under its id.
func (p *Portal) reqPage(w http.ResponseWriter, r *http.Request) error {
	switch r.PathValue("page") {
	case "confirmation":
		return p.reqDone(w, r)
	case "attestation-de-perte":
		return p.reqLoss(w, r)
	case "attestation-de-perte-en-ligne":
		return p.reqLossHTML(w, r)
	case "recepisse":
		return p.reqReceiptHTML(w, r)
	}
	return apperr.New(apperr.NotFound, "Cette page n'existe pas.")
}

// reqAction serves the actions on a request under its id.
func (p *Portal) reqAction(w http.ResponseWriter, r *http.Request) error {
	switch r.PathValue("action") {
	case "envoi":
		return p.reqSubmit(w, r)
	case "pieces":
		return p.reqUpload(w, r)
	case "message":
		return p.reqMessage(w, r)
	}
	return apperr.New(apperr.NotFound, "Cette page n'existe pas.")
}

// reqMailLink is the link the requests' mails carry (/demandes/{id}): the
// request's page in the citizen's space.
func (p *Portal) reqMailLink(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	http.Redirect(w, r, reqURL(id), http.StatusSeeOther)
	return nil
}

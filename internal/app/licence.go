package app

import (
	"context"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/audit"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/points"
	"permis/internal/store"
)

// RecordReaders are the roles that may read a person's licence record
// through the agents' API: instruction and help desk agents, and the
// prosecutor's officers who rule on contests (§11.3). Administrators manage
// people, sites and rules, not records.
func RecordReaders() []access.Role {
	return []access.Role{access.Agent, access.Helpdesk, access.Prosecutor}
}

func canReadRecords(a access.Actor) bool {
	for _, r := range RecordReaders() {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Request is who asks, and why: every personal-data read is audited with it.
type Request struct {
	Actor     access.Actor
	RequestID string
	Reason    string // the purpose the agent gives; "" when the channel implies it
	Client    string // the client's address, for rate limits (never stored)
}

// LicenceView is a licence record as agents read it.
type LicenceView struct {
	NEPH         licence.NEPH       `json:"neph"`
	Holder       HolderView         `json:"holder"`
	Obtained     date.Date          `json:"obtained"`
	Probation    points.Probation   `json:"probation"`
	Training     date.Null          `json:"complementary_training"`
	Departement  string             `json:"departement"`
	State        licence.RightState `json:"state"`
	StateSince   date.Date          `json:"state_since"`
	StateUntil   date.Null          `json:"state_until"`
	Categories   []CategoryView     `json:"categories"`
	Restrictions []RestrictionView  `json:"restrictions"`
	Titles       []TitleView        `json:"titles"`
}

// HolderView is the holder's civil status.
type HolderView struct {
	FamilyName   string    `json:"family_name"`
	UsageName    string    `json:"usage_name,omitempty"`
	GivenNames   []string  `json:"given_names"`
	BirthDate    date.Date `json:"birth_date"`
	BirthPlace   string    `json:"birth_place"`
	BirthCountry string    `json:"birth_country"`
}

// CategoryView is one category with its validity today.
type CategoryView struct {
	Category     licence.Category `json:"category"`
	Obtained     date.Date        `json:"obtained"`
	ValidUntil   date.Null        `json:"valid_until"`
	MedicalUntil date.Null        `json:"medical_until"`
	ValidToday   bool             `json:"valid_today"`
}

// RestrictionView is a field-12 code with its meaning.
type RestrictionView struct {
	Code     string           `json:"code"`
	Category licence.Category `json:"category,omitempty"`
	Label    string           `json:"label"`
	Detail   string           `json:"detail,omitempty"`
}

// TitleView is one card.
type TitleView struct {
	Number  licence.TitleNumber `json:"number"`
	Issued  date.Date           `json:"issued"`
	Expires date.Date           `json:"expires"`
	State   licence.TitleState  `json:"state"`
}

// parseNEPH turns a path or form value into a NEPH, or an invalid error.
func parseNEPH(s string) (licence.NEPH, error) {
	n, err := licence.ParseNEPH(s)
	if err != nil {
		return "", apperr.Field("neph", "Le NEPH doit comporter de 10 à 19 chiffres.")
	}
	return n, nil
}

func (a *App) authorizeRead(req Request) error {
	if req.Actor.IsZero() {
		return apperr.New(apperr.Unauthenticated, "Authentification requise.")
	}
	if !canReadRecords(req.Actor) {
		return apperr.New(apperr.Forbidden, "Votre rôle ne permet pas de consulter les dossiers de permis.")
	}
	return nil
}

// startRead queues the audit entry of a read about to be made, so that its
// commit runs while the data is read; the caller waits for it (Wait) before
// answering. A read that then fails (an unknown NEPH, the database down)
// leaves an entry of the attempt, which is what an audit should show
// (docs/decisions.md, "The audit entry of a read is started before the
// read").
func (a *App) startRead(ctx context.Context, req Request, action string, neph licence.NEPH) (audit.Queued, error) {
	return a.audit.Start(ctx, audit.Entry{
		At: a.clock.Now(), Actor: req.Actor.ID, ActorRole: req.Actor.Role, Action: action,
		SubjectType: "licence", SubjectID: string(neph), Reason: req.Reason, RequestID: req.RequestID,
	})
}

// Licence returns a licence record by NEPH for an agent, audited.
func (a *App) Licence(ctx context.Context, req Request, nephText string) (LicenceView, error) {
	if err := a.authorizeRead(req); err != nil {
		return LicenceView{}, err
	}
	neph, err := parseNEPH(nephText)
	if err != nil {
		return LicenceView{}, err
	}
	logged, err := a.startRead(ctx, req, "licence.read", neph)
	if err != nil {
		return LicenceView{}, err
	}
	l, err := a.store.FindLicenceByNEPH(ctx, neph)
	if err != nil {
		return LicenceView{}, err
	}
	p, err := a.store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return LicenceView{}, err
	}
	titles, err := a.store.ListTitles(ctx, l.ID)
	if err != nil {
		return LicenceView{}, err
	}
	if err := logged.Wait(ctx); err != nil {
		return LicenceView{}, err
	}
	return licenceView(l, p, titles, a.today()), nil
}

func licenceView(l licence.Licence, p licence.Person, titles []licence.Title, today date.Date) LicenceView {
	v := LicenceView{
		NEPH: l.NEPH, Obtained: l.Obtained, Probation: l.Probation, Training: l.ComplementaryTraining,
		Departement: l.Departement, State: l.State, StateSince: l.StateSince, StateUntil: l.StateUntil,
		Holder: HolderView{
			FamilyName: p.FamilyName, UsageName: p.UsageName, GivenNames: p.GivenNames,
			BirthDate: p.BirthDate, BirthPlace: p.BirthPlace, BirthCountry: p.BirthCountry,
		},
		Categories:   make([]CategoryView, 0, len(l.Categories)),
		Restrictions: make([]RestrictionView, 0, len(l.Restrictions)),
		Titles:       make([]TitleView, 0, len(titles)),
	}
	for _, c := range l.Categories {
		v.Categories = append(v.Categories, CategoryView{
			Category: c.Category, Obtained: c.Obtained, ValidUntil: c.ValidUntil, MedicalUntil: c.MedicalUntil,
			ValidToday: l.State == licence.StateValid && c.ValidOn(today),
		})
	}
	for _, r := range l.Restrictions {
		label, _ := licence.RestrictionLabel(r.Code)
		v.Restrictions = append(v.Restrictions, RestrictionView{Code: r.Code, Category: r.Category, Label: label, Detail: r.Detail})
	}
	for _, t := range titles {
		v.Titles = append(v.Titles, TitleView{Number: t.Number, Issued: t.Issued, Expires: t.Expires, State: t.State})
	}
	return v
}

// PointsView is a licence's points as agents read them.
type PointsView struct {
	NEPH         licence.NEPH `json:"neph"`
	At           date.Date    `json:"at"`
	Balance      int          `json:"balance"`
	Ceiling      int          `json:"ceiling"`
	Valid        bool         `json:"valid"`
	ProbationEnd date.Null    `json:"probation_end"`
	Movements    []MoveView   `json:"movements"`
	Upcoming     []MoveView   `json:"upcoming"`
	Letters      []LetterView `json:"letters"`
}

// MoveView is one movement of the balance.
type MoveView struct {
	Date    date.Date   `json:"date"`
	Delta   int         `json:"delta"`
	Balance int         `json:"balance"`
	Kind    points.Kind `json:"kind"`
	Ref     string      `json:"ref,omitempty"`
}

// LetterView is one ministry letter.
type LetterView struct {
	Date date.Date         `json:"date"`
	Type points.LetterType `json:"type"`
	Ref  string            `json:"ref"`
}

// Points recomputes a licence's points today from its ledger, for an agent,
// audited. One store query reads the licence and its whole ledger.
func (a *App) Points(ctx context.Context, req Request, nephText string) (PointsView, error) {
	if err := a.authorizeRead(req); err != nil {
		return PointsView{}, err
	}
	neph, err := parseNEPH(nephText)
	if err != nil {
		return PointsView{}, err
	}
	if a.auditInRead {
		// PostgreSQL: the read stores its own entry, in its statement.
		ll, err := a.store.LoadLicenceLedgerAudited(ctx, neph, store.AuditEntry{
			At: a.clock.Now(), Actor: req.Actor.ID, ActorRole: string(req.Actor.Role), Action: "points.read",
			SubjectType: "licence", SubjectID: string(neph), Reason: req.Reason, RequestID: req.RequestID,
		})
		if err != nil {
			return PointsView{}, err
		}
		return a.pointsOf(neph, ll)
	}
	logged, err := a.startRead(ctx, req, "points.read", neph)
	if err != nil {
		return PointsView{}, err
	}
	ll, err := a.store.LoadLicenceLedgerByNEPH(ctx, neph)
	if err != nil {
		return PointsView{}, err
	}
	v, err := a.pointsOf(neph, ll)
	if err != nil {
		return PointsView{}, err
	}
	if err := logged.Wait(ctx); err != nil {
		return PointsView{}, err
	}
	return v, nil
}

// pointsOf replays a licence's ledger today.
func (a *App) pointsOf(neph licence.NEPH, ll store.LicenceLedger) (PointsView, error) {
	res, err := a.rules.Replay(ll.Ledger, a.today())
	if err != nil {
		// The store only holds checked events: a refusal here is a defect.
		return PointsView{}, apperr.Wrap(apperr.Internal, "Le relevé de points ne peut pas être calculé.", err)
	}
	return pointsView(neph, res), nil
}

func pointsView(neph licence.NEPH, res points.Result) PointsView {
	v := PointsView{
		NEPH: neph, At: res.At, Balance: res.Balance, Ceiling: res.Ceiling, Valid: res.Valid, ProbationEnd: res.ProbationEnd,
		Movements: make([]MoveView, len(res.Movements)), Upcoming: make([]MoveView, len(res.Upcoming)),
		Letters: make([]LetterView, len(res.Letters)),
	}
	for i, m := range res.Movements {
		v.Movements[i] = MoveView(m)
	}
	for i, m := range res.Upcoming {
		v.Upcoming[i] = MoveView(m)
	}
	for i, l := range res.Letters {
		v.Letters[i] = LetterView(l)
	}
	return v
}

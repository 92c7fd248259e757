package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/licence"
	"permis/internal/secret"
	"permis/internal/store"
)

// Check-code rules. A code shows the rights, never the points (employers
// and insurers may not ask for the balance, REFERENCE.md §4); it lasts at
// most MaxCheckCodeDays; a checker must also type the last characters of
// the licence number, and a code is blocked after a few wrong ones.
const (
	MaxCheckCodeDays  = 21
	checkCodeLength   = 12 // characters of the readable alphabet: about 59 bits
	checkCodeFailures = 5  // wrong licence-number endings before the code is blocked
	checkPerClient    = 20 // checks per client address and hour
	codeHintLength    = 4
)

// What a check code shows.
const (
	ShowsCategories             = "categories"
	ShowsCategoriesRestrictions = "categories+restrictions"
)

// CheckCodeRequest is the holder's choice when creating a code.
type CheckCodeRequest struct {
	Label     string // for the holder: who it was given to
	Shows     string
	Days      int
	SingleUse bool
}

// CheckCodeView is a code in the holder's list.
type CheckCodeView struct {
	ID         int64
	Hint       string
	Label      string
	Shows      string
	SingleUse  bool
	CreatedAt  time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
	UsedAt     *time.Time
	State      string // "active", "used", "expired", "revoked", "blocked"
	Uses       []store.CheckCodeUse
	Statements int
}

// StateLabel is the code's state in French.
func (v CheckCodeView) StateLabel() string {
	switch v.State {
	case "active":
		return "Actif"
	case "used":
		return "Utilisé"
	case "expired":
		return "Expiré"
	case "revoked":
		return "Révoqué"
	case "blocked":
		return "Bloqué (trop d'erreurs)"
	}
	return v.State
}

// CreateCheckCode creates a check code for the citizen's licence and
// returns it in clear, once: only its hash is kept.
func (a *App) CreateCheckCode(ctx context.Context, req Request, in CheckCodeRequest) (string, CheckCodeView, error) {
	u, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return "", CheckCodeView{}, err
	}
	fields := map[string]string{}
	if in.Shows != ShowsCategories && in.Shows != ShowsCategoriesRestrictions {
		fields["shows"] = "Choisissez ce que le code permet de voir."
	}
	if in.Days < 1 || in.Days > MaxCheckCodeDays {
		fields["days"] = fmt.Sprintf("Choisissez une durée de 1 à %d jours.", MaxCheckCodeDays)
	}
	in.Label = strings.TrimSpace(in.Label)
	if len([]rune(in.Label)) > 80 {
		fields["label"] = "Le nom du destinataire ne doit pas dépasser 80 caractères."
	}
	if len(fields) > 0 {
		return "", CheckCodeView{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: fields}
	}
	code := secret.NewCode(checkCodeLength)
	now := a.clock.Now()
	c := store.CheckCode{
		Hash: secret.HashToken(code), Hint: code[len(code)-codeHintLength:], LicenceID: l.ID, UserID: u.ID,
		Label: in.Label, Shows: in.Shows, SingleUse: in.SingleUse, ExpiresAt: now.Add(time.Duration(in.Days) * 24 * time.Hour),
	}
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreateCheckCode(ctx, &c); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "check_code.create", "licence", string(l.NEPH))
	})
	if err != nil {
		return "", CheckCodeView{}, err
	}
	return secret.FormatCode(code, 4), a.checkCodeView(c, now, nil), nil
}

func (a *App) checkCodeView(c store.CheckCode, now time.Time, uses []store.CheckCodeUse) CheckCodeView {
	v := CheckCodeView{
		ID: c.ID, Hint: c.Hint, Label: c.Label, Shows: c.Shows, SingleUse: c.SingleUse, CreatedAt: c.CreatedAt,
		ExpiresAt: c.ExpiresAt, RevokedAt: c.RevokedAt, UsedAt: c.UsedAt, Uses: uses, Statements: c.Statements,
	}
	switch {
	case c.Failed >= checkCodeFailures:
		v.State = "blocked"
	case c.RevokedAt != nil:
		v.State = "revoked"
	case c.SingleUse && c.UsedAt != nil:
		v.State = "used"
	case !now.Before(c.ExpiresAt):
		v.State = "expired"
	default:
		v.State = "active"
	}
	return v
}

// MyCheckCodes lists the citizen's codes with every check made with each.
func (a *App) MyCheckCodes(ctx context.Context, req Request) ([]CheckCodeView, error) {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return nil, err
	}
	codes, err := a.store.ListCheckCodes(ctx, l.ID)
	if err != nil {
		return nil, err
	}
	now := a.clock.Now()
	out := make([]CheckCodeView, 0, len(codes))
	for _, c := range codes {
		uses, err := a.store.ListCheckCodeUses(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, a.checkCodeView(c, now, uses))
	}
	return out, nil
}

// RevokeCheckCode revokes one of the citizen's codes. The id comes from the
// holder's own list; another licence's code id is not found.
func (a *App) RevokeCheckCode(ctx context.Context, req Request, id int64) error {
	_, l, err := a.ownLicence(ctx, req)
	if err != nil {
		return err
	}
	return a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.RevokeCheckCode(ctx, id, l.ID, a.clock.Now()); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "check_code.revoke", "licence", string(l.NEPH))
	})
}

// Rights is what a third party sees with a check code: who, which
// categories, valid until when, whether the right is in force. Never the
// points.
type Rights struct {
	Holder       string
	Sex          licence.Sex // as the civil status records it: "né" or "née"
	BirthDate    date.Date
	State        licence.RightState
	StateLabel   string
	InForce      bool
	Categories   []CategoryView
	Restrictions []RestrictionView // only when the holder chose to show them
	CheckedAt    time.Time
	ExpiresAt    time.Time // of the code
}

// errBadCheck is the one answer to an unknown code, a wrong licence-number
// ending, and an expired, used or revoked code.
var errBadCheck = apperr.Field("code",
	"Ce code de vérification et ces caractères du numéro de permis ne correspondent pas, ou le code n'est plus valable. Demandez un nouveau code au titulaire.")

// CheckRights is an employer's or rental company's check with a code and
// the last characters of the licence number. Each check is recorded and
// shown to the holder. outcome is "shown" for the page, "pdf" for the
// attestation.
func (a *App) CheckRights(ctx context.Context, req Request, code, ending, organisation, outcome string) (Rights, licence.Licence, error) {
	if err := a.limit(ctx, "check:client:"+req.Client, time.Hour, checkPerClient); err != nil {
		return Rights{}, licence.Licence{}, err
	}
	code = secret.NormalizeCode(code)
	ending = strings.ToUpper(strings.Join(strings.Fields(ending), ""))
	organisation = strings.TrimSpace(organisation)
	if !secret.IsCode(code, checkCodeLength) || len(ending) != codeHintLength {
		return Rights{}, licence.Licence{}, &apperr.Error{Code: apperr.Invalid, Message: "Le formulaire contient des erreurs.", Fields: map[string]string{
			"code":   fmt.Sprintf("Saisissez le code de %d caractères donné par le titulaire.", checkCodeLength),
			"ending": "Saisissez les 4 derniers caractères du numéro de permis.",
		}}
	}
	if len([]rune(organisation)) > 120 {
		organisation = string([]rune(organisation)[:120])
	}
	c, err := a.store.FindCheckCodeByHash(ctx, secret.HashToken(code))
	if apperr.Is(err, apperr.NotFound) {
		return Rights{}, licence.Licence{}, errBadCheck
	}
	if err != nil {
		return Rights{}, licence.Licence{}, err
	}
	if c.Failed >= checkCodeFailures {
		return Rights{}, licence.Licence{}, errBadCheck
	}
	l, err := a.store.FindLicence(ctx, c.LicenceID)
	if err != nil {
		return Rights{}, licence.Licence{}, err
	}
	ok, err := a.endingMatches(ctx, l, ending)
	if err != nil {
		return Rights{}, licence.Licence{}, err
	}
	if !ok {
		if _, err := a.store.RecordCheckCodeFailure(ctx, c.ID); err != nil {
			return Rights{}, licence.Licence{}, err
		}
		return Rights{}, licence.Licence{}, errBadCheck
	}
	now := a.clock.Now()
	c, err = a.store.ConsumeCheckCode(ctx, c.ID, now, organisation, outcome)
	if apperr.Is(err, apperr.NotFound) {
		return Rights{}, licence.Licence{}, errBadCheck
	}
	if err != nil {
		return Rights{}, licence.Licence{}, err
	}
	checkReq := req
	checkReq.Actor = access.Actor{Kind: access.KindToken, ID: fmt.Sprintf("check:%d", c.ID), Name: organisation}
	checkReq.Reason = organisation
	if a.isHolder(ctx, req, l) {
		// The holders trying their own code: a read of their own, which
		// "Qui a consulté mon dossier" does not list.
		checkReq.Actor = req.Actor
	}
	action := "check.read"
	if outcome == "pdf" {
		action = "check.statement"
	}
	if err := a.audit.Record(ctx, a.entry(checkReq, action, "licence", string(l.NEPH))); err != nil {
		return Rights{}, licence.Licence{}, err
	}
	r, err := a.rightsOf(ctx, l, c.Shows == ShowsCategoriesRestrictions)
	r.ExpiresAt = c.ExpiresAt
	return r, l, err
}

// endingMatches compares the typed ending with the current card's number,
// or the NEPH for a licence without a card on record.
func (a *App) endingMatches(ctx context.Context, l licence.Licence, ending string) (bool, error) {
	titles, err := a.store.ListTitles(ctx, l.ID)
	if err != nil {
		return false, err
	}
	for _, t := range titles {
		if strings.HasSuffix(string(t.Number), ending) {
			return true, nil
		}
	}
	return strings.HasSuffix(string(l.NEPH), ending), nil
}

// isHolder reports whether the request comes from the signed-in holder of l.
func (a *App) isHolder(ctx context.Context, req Request, l licence.Licence) bool {
	if req.Actor.Role != access.Citizen {
		return false
	}
	id, err := userIDOf(req.Actor)
	if err != nil {
		return false
	}
	u, err := a.store.FindUser(ctx, id)
	return err == nil && u.LicenceID == l.ID
}

// rightsOf computes the rights of a licence today.
func (a *App) rightsOf(ctx context.Context, l licence.Licence, restrictions bool) (Rights, error) {
	p, err := a.store.FindPerson(ctx, l.PersonID)
	if err != nil {
		return Rights{}, err
	}
	v := licenceView(l, p, nil, a.today())
	r := Rights{
		Holder: p.FullName(), Sex: p.Sex, BirthDate: p.BirthDate, State: l.State, StateLabel: l.State.Label(),
		InForce: l.State == licence.StateValid, Categories: v.Categories, CheckedAt: a.clock.Now(),
	}
	if restrictions {
		r.Restrictions = v.Restrictions
	}
	return r, nil
}

// Summary is a one-line statement of the rights, used to notice changes
// for standing consents.
func (r Rights) Summary() string {
	var b strings.Builder
	b.WriteString(string(r.State))
	for _, c := range r.Categories {
		fmt.Fprintf(&b, " %s:%t", c.Category, c.ValidToday)
	}
	return b.String()
}

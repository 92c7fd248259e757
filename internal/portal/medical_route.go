package portal

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/medical"
	"permis/internal/web"
)

// "Quelle visite médicale ?" (issue 13): the préfecture's question —
// approved doctor or commission médicale? — answered for the person's own
// case, one question per screen. The answers travel in the query string
// (GET forms): nothing is stored, the browser's Back button steps back, and
// a signed-in holder's register proposes the first answers. The rules are
// internal/medical's, the same as `permis medical route`.

// medicalRoutePage is the data of every screen of the flow.
type medicalRoutePage struct {
	web.Page
	Question string // "motif", "cause", "duree", "avis", or "" for the answer
	Answers  medicalAnswers
	Selected string // the current question's answer, or the register's proposal
	Choices  []medicalChoice
	Hidden   []hiddenField // the previous answers, carried by the form
	Register *medical.Situation
	Route    medical.Route
	Fees     medical.Fees
	Back     string // the previous screen
	BookURL  string // the commission's booking page, when the service has one
}

type hiddenField struct{ Name, Value string }

// medicalAnswers are the answers given so far, as typed.
type medicalAnswers struct {
	Motif, Cause, Months, Previous string
}

// The questions, in order; a question is asked only when it applies.
var medicalQuestions = []string{"motif", "cause", "duree", "avis"}

func (a medicalAnswers) value(q string) string {
	switch q {
	case "motif":
		return a.Motif
	case "cause":
		return a.Cause
	case "duree":
		return a.Months
	}
	return a.Previous
}

// applies reports whether question q is asked given the answers so far.
func (a medicalAnswers) applies(q string) bool {
	k := medical.Kind(a.Motif)
	switch q {
	case "cause":
		return k == medical.Suspension || k == medical.Annulment || k == medical.Invalidation
	case "duree":
		return k == medical.Suspension
	}
	return true
}

// check returns the problem of the answer to q, "" when it is fine.
func (a medicalAnswers) check(q string) string {
	v := a.value(q)
	switch q {
	case "motif":
		if !slices.Contains(medical.Kinds(), medical.Kind(v)) {
			return "Indiquez pourquoi une visite médicale vous est demandée."
		}
	case "cause":
		if !slices.Contains(medical.Causes(), medical.Cause(v)) {
			return "Indiquez ce qui a motivé la mesure."
		}
	case "duree":
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n < 0 || n > medical.MaxSuspensionMonths {
			return "Indiquez la durée de la suspension en mois, un nombre entier de 0 à 120 (0 si elle a duré moins d'un mois)."
		}
	case "avis":
		if !slices.Contains([]string{"aucun", "commission", "medecin"}, v) {
			return "Indiquez si vous avez déjà reçu un avis médical temporaire, avec restrictions ou d'inaptitude."
		}
	}
	return ""
}

// medicalRoute serves every screen: the first question not yet answered,
// or the answer once all are.
func (p *Portal) medicalRoute(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	a := medicalAnswers{Motif: q.Get("motif"), Cause: q.Get("cause"), Months: strings.TrimSpace(q.Get("duree")), Previous: q.Get("avis")}
	pg := &medicalRoutePage{Page: web.Page{Title: "Quelle visite médicale ?"}, Answers: a}
	if err := p.medicalRegister(r, pg); err != nil {
		return err
	}
	asked, total, current := q.Get("question"), 0, 0
	for _, name := range medicalQuestions {
		if !a.applies(name) {
			continue
		}
		total++
		if pg.Question != "" {
			continue
		}
		current = total
		if problem := a.check(name); problem != "" {
			pg.Question = name
			if asked == name {
				pg.Errors = []web.FieldError{{Field: name, Message: problem}}
			}
		}
	}
	if pg.Question == "" {
		return p.medicalAnswer(w, r, pg, a)
	}
	pg.Steps = &web.Steps{Current: current, Total: total + 1, Title: medicalQuestionTitle(pg.Question), NextTitle: "La réponse pour votre situation"}
	pg.Hidden, pg.Back = medicalCarry(a, pg.Question)
	pg.Choices = medicalChoices(pg.Question)
	pg.Selected = a.value(pg.Question)
	if pg.Selected == "" && asked == "" && pg.Register != nil {
		pg.Selected = proposal(*pg.Register, pg.Question)
	}
	status := http.StatusOK
	if pg.Errors != nil {
		status = http.StatusUnprocessableEntity
	}
	return p.r.Render(w, r, status, "medical_route.html", pg)
}

// medicalRegister reads the signed-in holder's register entry, when there
// is one, to propose the first answers. Anyone else gets the questions
// with nothing preselected.
func (p *Portal) medicalRegister(r *http.Request, pg *medicalRoutePage) error {
	actor, _ := access.FromContext(r.Context())
	st, _ := stateOf(r)
	if actor.Role != access.Citizen || !st.Account.LicenceLinked {
		return nil
	}
	s, err := p.medical.MySituation(r.Context(), request(r))
	if apperr.Is(err, apperr.Forbidden) || apperr.Is(err, apperr.NotFound) {
		return nil // an unconfirmed account: no register data, the questions still work
	}
	if err != nil {
		return err
	}
	pg.Register = &s
	return nil
}

// medicalCarry returns the answers given before question q, as hidden
// fields, and the link to the screen before it.
func medicalCarry(a medicalAnswers, q string) ([]hiddenField, string) {
	var hidden []hiddenField
	back := url.Values{}
	prev := ""
	for _, name := range medicalQuestions {
		if name == q {
			break
		}
		if a.applies(name) {
			hidden = append(hidden, hiddenField{name, a.value(name)})
			prev = name
		}
	}
	if prev == "" {
		return hidden, ""
	}
	for _, h := range hidden {
		if h.Name != prev {
			back.Set(h.Name, h.Value)
		}
	}
	return hidden, "/visite-medicale?" + back.Encode()
}

func medicalQuestionTitle(q string) string {
	switch q {
	case "motif":
		return "Pourquoi une visite médicale ?"
	case "cause":
		return "Ce qui a motivé la mesure"
	case "duree":
		return "La durée de la suspension"
	}
	return "Votre dernier avis médical"
}

// medicalAnswer shows who examines, the fee, what to bring and what next.
func (p *Portal) medicalAnswer(w http.ResponseWriter, r *http.Request, pg *medicalRoutePage, a medicalAnswers) error {
	m := medical.Measure{Kind: medical.Kind(a.Motif), Cause: medical.Cause(a.Cause)}
	if m.Kind == medical.Suspension {
		m.Months, _ = strconv.Atoi(a.Months)
	}
	var prev *medical.Previous
	switch a.Previous {
	case "commission":
		prev = &medical.Previous{By: medical.Commission, Outcome: medical.FitLimited}
	case "medecin":
		prev = &medical.Previous{By: medical.ApprovedDoctor, Outcome: medical.FitLimited}
	}
	cfg, today := p.medical.Config(), p.medical.Today()
	pg.Route = medical.Decide(cfg, m, prev, today)
	pg.Fees = cfg.FeesOn(today)
	pg.Title = "Votre visite médicale"
	if pg.Route.Examiner == medical.Commission {
		hp, k, err := p.medical.Commission(r.Context())
		switch {
		case err == nil:
			pg.BookURL = "/rendez-vous/" + strconv.FormatInt(hp.ID, 10) + "/" + k.Code
		case !apperr.Is(err, apperr.NotFound):
			return err
		}
	}
	pg.Hidden, pg.Back = medicalCarry(a, "")
	return p.r.Render(w, r, http.StatusOK, "medical_route.html", pg)
}

// proposal is the register's answer to question q, "" when it has none:
// the measure in force (or a heavy category's renewal) and a suspension's
// length. The cause is not in the register.
func proposal(s medical.Situation, q string) string {
	switch {
	case q == "motif" && s.Kind != medical.None:
		return string(s.Kind)
	case q == "duree" && s.Kind == medical.Suspension && s.Until.Valid:
		return strconv.Itoa(s.Months)
	}
	return ""
}

// medicalChoice is one answer of a question.
type medicalChoice struct{ Value, Label, Hint string }

// medicalChoices lists the answers of question q (the duration is typed).
func medicalChoices(q string) []medicalChoice {
	switch q {
	case "motif":
		return []medicalChoice{
			{string(medical.Suspension), "Mon permis a été suspendu", "Par le préfet ou par un juge"},
			{string(medical.Annulment), "Mon permis a été annulé par un juge", ""},
			{string(medical.Invalidation), "Mon permis a été invalidé", "Solde de points nul (lettre 48SI)"},
			{string(medical.HeavyRenewal), "Je demande ou je renouvelle une catégorie poids lourd ou transport en commun", "C1, C, D1, D et leurs E ; ou un usage professionnel du permis B (taxi, VTC, ambulance, moniteur)"},
			{string(medical.DeclaredCondition), "J'ai un problème de santé qui peut gêner la conduite", "Une affection de la liste de l'arrêté du 28 mars 2022"},
			{string(medical.None), "Mon avis médical précédent arrive à échéance", "Aptitude temporaire ou avec restrictions"},
		}
	case "cause":
		return []medicalChoice{
			{string(medical.Alcohol), "L'alcool", "Conduite sous l'emprise de l'alcool, ou refus du dépistage"},
			{string(medical.Drugs), "Les stupéfiants", "Conduite après usage de stupéfiants, ou refus du dépistage"},
			{string(medical.Speed), "Un excès de vitesse", ""},
			{string(medical.HomicideInjury), "Un homicide ou des blessures involontaires", "Accident causé en conduisant"},
			{string(medical.Other), "Une autre infraction, ou la perte de tous les points", ""},
		}
	}
	return []medicalChoice{
		{"aucun", "Non", ""},
		{"commission", "Oui, de la commission médicale", ""},
		{"medecin", "Oui, d'un médecin agréé", ""},
	}
}

package portal

import (
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"

	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/files"
	"permis/internal/store"
	"permis/internal/web"
)

// The guided contest: one question a page, asking only what the chosen
// ground needs (the sold vehicle first, as most people who write to the
// préfecture sold theirs), then a check-your-answers page where the
// documents the ground needs are joined (or declared sent by post) and the
// contest is sent. The answers travel in a cookie of the notice's pages
// (like the notice's number and plate): nothing is written before "Envoyer
// ma contestation", which either files the contest whole or changes
// nothing (fines.Contest). The files are asked on the last page because
// they are sent with the contest: a file cannot wait in a cookie.

const (
	contestCookie = "permis_contestation"
	contestBase   = finesBase + "/contestation/"
	// maxReasons bounds the explanation kept in the cookie (4 KB).
	maxReasons = 1000
)

// The steps of the guided contest.
const (
	cStepGround  = "motif"
	cStepReasons = "explication"
	cStepDeposit = "consignation"
	cStepEmail   = "courriel"
	cStepCheck   = "verification"
)

var contestStepTitles = map[string]string{
	cStepGround:  "Le motif de votre contestation",
	cStepReasons: "Pourquoi vous contestez l'infraction",
	cStepDeposit: "La consignation",
	cStepEmail:   "Où recevoir la décision",
	cStepCheck:   "Vérifiez vos réponses et joignez les pièces",
}

// contestSteps are the steps of ground g: contesting the offence itself
// asks the reasons and the consignation (CPP 529-10 3°); the other grounds
// only the documents (1°), asked on the last page.
func contestSteps(g contest.Ground) []string {
	if g == contest.ContestOffence {
		return []string{cStepGround, cStepReasons, cStepDeposit, cStepEmail, cStepCheck}
	}
	return []string{cStepGround, cStepEmail, cStepCheck}
}

// contestAnswers are the answers given so far.
type contestAnswers struct {
	Ground  contest.Ground
	Reasons string
	Deposit string // "oui" or "non"
	Email   string
}

func readAnswers(r *http.Request) contestAnswers {
	c, err := r.Cookie(contestCookie)
	if err != nil {
		return contestAnswers{}
	}
	raw, err := base64.RawURLEncoding.DecodeString(c.Value)
	if err != nil {
		return contestAnswers{}
	}
	v, err := url.ParseQuery(string(raw))
	if err != nil {
		return contestAnswers{}
	}
	a := contestAnswers{Ground: contest.Ground(v.Get("g")), Reasons: v.Get("r"), Deposit: v.Get("d"), Email: v.Get("e")}
	if !slices.Contains(contest.Grounds(), a.Ground) {
		a.Ground = ""
	}
	return a
}

func (p *Portal) saveAnswers(w http.ResponseWriter, a contestAnswers) {
	v := url.Values{"g": {string(a.Ground)}, "r": {a.Reasons}, "d": {a.Deposit}, "e": {a.Email}}
	p.setFineCookie(w, contestCookie, base64.RawURLEncoding.EncodeToString([]byte(v.Encode())))
}

// groundOption is a ground as the first question offers it.
type groundOption struct {
	Ground      contest.Ground
	Label, Hint string
}

var groundHints = map[contest.Ground]string{
	contest.Sold:           "Joignez la déclaration de cession et l'accusé d'enregistrement de la cession dans le système d'immatriculation.",
	contest.OtherDriver:    "Vous désignez la personne qui conduisait : un nouvel avis lui est envoyé et vous ne perdez aucun point.",
	contest.Stolen:         "Joignez le récépissé de votre plainte pour vol.",
	contest.Destroyed:      "Joignez la déclaration de destruction du véhicule.",
	contest.UsurpedPlate:   "Joignez le récépissé de votre plainte pour usurpation de plaques.",
	contest.ContestOffence: "Vous expliquez pourquoi, et vous consignez le montant de l'amende ; la consignation vous est rendue si l'infraction n'est pas retenue.",
}

type fineContestPage struct {
	web.Page
	V       fines.NoticeView
	Step    string
	Answers contestAnswers
	Options []groundOption
	// Check-your-answers page.
	GroundLabel string
	Documents   []docOption
	Deposit     int
	Back        string
	Return      string // "verification" when the person came to change an answer
}

// docOption is a document the ground needs, joined or sent by post.
type docOption struct {
	Kind   contest.Document
	Label  string
	ByMail bool
}

func (p *Portal) contestPage(r *http.Request, v fines.NoticeView, step string, a contestAnswers) *fineContestPage {
	steps := contestSteps(a.Ground)
	i := slices.Index(steps, step)
	pg := &fineContestPage{Page: web.Page{Title: contestStepTitles[step] + " — contester l'avis n° " + v.Number,
		Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"}, {Href: noticeURL, Text: "Avis n° " + v.Number}, {Text: "Contester"}},
		Steps:      &web.Steps{Current: i + 1, Total: len(steps), Title: contestStepTitles[step]}},
		V: v, Step: step, Answers: a, Deposit: contest.DepositRequired(v.Rule(), contest.ContestOffence)}
	if i+1 < len(steps) {
		pg.Steps.NextTitle = contestStepTitles[steps[i+1]]
	}
	pg.Back = noticeURL
	if r.FormValue("retour") == cStepCheck {
		pg.Return = cStepCheck
		pg.Back = contestBase + cStepCheck
	} else if i > 0 {
		pg.Back = contestBase + steps[i-1]
	}
	for _, g := range contest.Grounds() {
		pg.Options = append(pg.Options, groundOption{Ground: g, Label: fines.GroundLabel(g), Hint: groundHints[g]})
	}
	if a.Ground != "" {
		pg.GroundLabel = fines.GroundLabel(a.Ground)
		for _, d := range contest.RequiredDocuments(a.Ground) {
			pg.Documents = append(pg.Documents, docOption{Kind: d, Label: capitalized(fines.DocumentLabel(d)), ByMail: r.FormValue("courrier-"+string(d)) != ""})
		}
	}
	return pg
}

// contestStep shows one question of the guided contest. A step the chosen
// ground does not ask, or one whose earlier answers are missing, goes
// back to the first question.
func (p *Portal) contestStep(w http.ResponseWriter, r *http.Request) error {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	if !v.CanContest {
		http.Redirect(w, r, noticeURL, http.StatusSeeOther)
		return nil
	}
	step, a := r.PathValue("step"), readAnswers(r)
	if _, ok := contestStepTitles[step]; !ok {
		return apperr.New(apperr.NotFound, "Cette étape n'existe pas.")
	}
	if step != cStepGround && (a.Ground == "" || !slices.Contains(contestSteps(a.Ground), step) || (step == cStepCheck && a.Email == "")) {
		http.Redirect(w, r, contestBase+cStepGround, http.StatusSeeOther)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "fine_contest.html", p.contestPage(r, v, step, a))
}

// contestSave records one answer and goes to the next question.
func (p *Portal) contestSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	step, a := r.PathValue("step"), readAnswers(r)
	if _, ok := contestStepTitles[step]; !ok || step == cStepCheck {
		return apperr.New(apperr.NotFound, "Cette étape n'existe pas.")
	}
	fail := func(field, msg string) error {
		return p.refuse(w, r, "fine_contest.html", p.contestPage(r, v, step, a), apperr.Field(field, msg))
	}
	switch step {
	case cStepGround:
		g := contest.Ground(r.PostForm.Get("ground"))
		if !slices.Contains(contest.Grounds(), g) {
			return fail("ground", "Choisissez le motif de votre contestation.")
		}
		if g == contest.OtherDriver {
			http.Redirect(w, r, finesBase+"/designation", http.StatusSeeOther)
			return nil
		}
		a.Ground = g
	case cStepReasons:
		a.Reasons = strings.TrimSpace(r.PostForm.Get("reasons"))
		switch n := utf8.RuneCountInString(a.Reasons); {
		case n < 10:
			return fail("reasons", "Expliquez en quelques phrases pourquoi vous contestez l'infraction.")
		case n > maxReasons:
			return fail("reasons", "Votre explication est trop longue : 1 000 caractères au plus. Vous pourrez joindre un courrier plus long à l'officier du ministère public.")
		}
	case cStepDeposit:
		a.Deposit = r.PostForm.Get("deposit")
		if a.Deposit != "oui" && a.Deposit != "non" {
			return fail("deposit", "Indiquez si vous consignez le montant de l'amende.")
		}
	case cStepEmail:
		a.Email = strings.TrimSpace(r.PostForm.Get("email"))
		if !strings.Contains(a.Email, "@") || !strings.Contains(a.Email, ".") {
			return fail("email", "Saisissez votre adresse électronique, par exemple camille.durand@example.fr : la décision vous y sera écrite.")
		}
	}
	p.saveAnswers(w, a)
	steps := contestSteps(a.Ground)
	next := steps[min(slices.Index(steps, step)+1, len(steps)-1)]
	if r.PostForm.Get("retour") == cStepCheck && a.Email != "" {
		next = cStepCheck
	}
	http.Redirect(w, r, contestBase+next, http.StatusSeeOther)
	return nil
}

// contestSend files the contest with its documents: either all of it is
// recorded, or nothing and the page says why (late, a document missing,
// no consignation: inadmissible).
func (p *Portal) contestSend(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 3*files.DefaultMaxSize+(1<<20))
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return apperr.New(apperr.Invalid, "Les fichiers dépassent "+files.FormatSize(files.DefaultMaxSize)+" chacun : réduisez leur taille, ou envoyez les pièces par courrier.")
		}
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	v, k, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	a := readAnswers(r)
	if a.Ground == "" || a.Email == "" {
		http.Redirect(w, r, contestBase+cStepGround, http.StatusSeeOther)
		return nil
	}
	in := fines.ContestInput{Number: k.Number, Plate: k.Plate, Ground: a.Ground, Reasons: a.Reasons, Email: a.Email}
	if a.Ground == contest.ContestOffence && a.Deposit == "oui" {
		in.Deposit = contest.DepositRequired(v.Rule(), a.Ground)
	}
	for _, d := range contest.RequiredDocuments(a.Ground) {
		if r.FormValue("courrier-"+string(d)) != "" {
			in.Documents = append(in.Documents, fines.DocumentInput{Kind: d})
			continue
		}
		f, h, err := r.FormFile("document-" + string(d))
		if err != nil || h.Size == 0 {
			if f != nil {
				f.Close()
			}
			continue
		}
		defer f.Close()
		in.Documents = append(in.Documents, fines.DocumentInput{Kind: d, Name: h.Filename, Body: f})
	}
	res, err := p.fines.Contest(r.Context(), request(r), in, noticeURL)
	if err != nil {
		pg := p.contestPage(r, v, cStepCheck, a)
		kinds := make([]contest.Document, len(in.Documents))
		for i, d := range in.Documents {
			kinds[i] = d.Kind
		}
		if fe, ok := sendErrors(err, kinds); ok {
			pg.Errors = fe
			return p.r.Render(w, r, statusOf(err), "fine_contest.html", pg)
		}
		return p.refuse(w, r, "fine_contest.html", pg, err)
	}
	p.clearFineCookie(w, contestCookie)
	if res.Deposit != nil {
		http.Redirect(w, r, res.Deposit.RedirectURL, http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, contestBase+"confirmation", http.StatusSeeOther)
	return nil
}

// sendErrors turns a refused contest into the check-your-answers page's
// error summary: a missing document links to its file input
// ("documents.<kind>" is the input "document-<kind>", and a refused file
// "documents[i]" the input of the i-th document sent); a refusal about an
// answer (late, no consignation, the reasons, the email) is said without
// a link, the page's "Modifier" links lead to the answer.
func sendErrors(err error, kinds []contest.Document) ([]web.FieldError, bool) {
	e := apperr.As(err)
	if e.Code != apperr.Invalid || len(e.Fields) == 0 {
		return nil, false
	}
	var docs, answers []web.FieldError
	seen := map[string]bool{}
	for _, d := range contest.Documents() {
		if m, ok := e.Fields["documents."+string(d)]; ok {
			docs = append(docs, web.FieldError{Field: "document-" + string(d), Message: m})
		}
	}
	for _, k := range []string{"ground", "reasons", "deposit", "email", "number", "plate"} {
		if m, ok := e.Fields[k]; ok && !seen[m] {
			seen[m] = true
			answers = append(answers, web.FieldError{Message: m})
		}
	}
	// A refused file, "documents[i]", is the i-th document sent.
	for i, d := range kinds {
		if m, ok := e.Fields[fmt.Sprintf("documents[%d]", i)]; ok {
			docs = append(docs, web.FieldError{Field: "document-" + string(d), Message: m})
		}
	}
	return append(answers, docs...), true
}

type fineContestDonePage struct {
	web.Page
	V fines.NoticeView
	C store.Contest
}

// contestDone is the confirmation: the reference, the deadline it was
// filed before, what happens next, and the receipt.
func (p *Portal) contestDone(w http.ResponseWriter, r *http.Request) error {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	c, ok := latestContest(v)
	if !ok {
		http.Redirect(w, r, noticeURL, http.StatusSeeOther)
		return nil
	}
	return p.r.Render(w, r, http.StatusOK, "fine_contest_done.html", &fineContestDonePage{
		Page: web.Page{Title: "Contestation enregistrée", Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"},
			{Href: noticeURL, Text: "Avis n° " + v.Number}, {Text: "Contestation enregistrée"}}}, V: v, C: c})
}

// latestContest is the notice's most recent contest.
func latestContest(v fines.NoticeView) (store.Contest, bool) {
	if len(v.Contests) == 0 {
		return store.Contest{}, false
	}
	c := v.Contests[0]
	for _, o := range v.Contests[1:] {
		if o.CreatedAt.After(c.CreatedAt) || (o.CreatedAt.Equal(c.CreatedAt) && o.ID > c.ID) {
			c = o
		}
	}
	return c, true
}

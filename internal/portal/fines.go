package portal

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/designation"
	"permis/internal/payment"
	"permis/internal/store"
	"permis/internal/web"
)

// "Mes avis de contravention" (issue 12): a notice is found by its printed
// number and the vehicle's plate — whoever holds the paper notice has both,
// so no account is needed — or listed in the citizen's space. What the
// person typed is kept in a cookie of the notice's pages only (HttpOnly,
// SameSite=Lax so that the payment provider's return keeps it, two hours),
// never in an address: each page reads the notice again with it, through
// fines.FindNotice (audited), so a notice that changed meanwhile shows its
// new state. The number and the plate are the credential; the cookie holds
// nothing more than what the person typed. docs/contest.md, "The pages".

const (
	finesBase    = "/avis-de-contravention"
	noticeURL    = finesBase + "/avis"
	noticeCookie = "permis_avis"
	finesCookies = 2 * time.Hour
)

// errNoNotice is the error of a notice page opened without a notice found
// first (no cookie, or an expired one): the page sends to the search.
var errNoNotice = errors.New("no notice found in this browser")

// noticeKey is what finds a notice: its number and its plate.
type noticeKey struct{ Number, Plate string }

func (p *Portal) setFineCookie(w http.ResponseWriter, name, value string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: finesBase, HttpOnly: true,
		Secure: p.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: int(finesCookies.Seconds())})
}

func (p *Portal) clearFineCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Path: finesBase, HttpOnly: true, Secure: p.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func readNoticeKey(r *http.Request) (noticeKey, bool) {
	c, err := r.Cookie(noticeCookie)
	if err != nil {
		return noticeKey{}, false
	}
	v, err := url.ParseQuery(c.Value)
	if err != nil || v.Get("n") == "" || v.Get("p") == "" {
		return noticeKey{}, false
	}
	return noticeKey{Number: v.Get("n"), Plate: v.Get("p")}, true
}

// currentNotice reads the notice this browser found.
func (p *Portal) currentNotice(r *http.Request) (fines.NoticeView, noticeKey, error) {
	k, ok := readNoticeKey(r)
	if !ok {
		return fines.NoticeView{}, k, errNoNotice
	}
	v, err := p.fines.FindNotice(r.Context(), request(r), k.Number, k.Plate)
	if apperr.Is(err, apperr.NotFound) || apperr.Is(err, apperr.Invalid) {
		return v, k, errNoNotice
	}
	v.Plate = displayPlate(v.Plate)
	return v, k, err
}

// displayPlate writes a plate as it is printed ("AB-123-CD"); the store
// keeps it without separators.
func displayPlate(s string) string {
	if p, ok := designation.NormalPlate(s); ok {
		return p
	}
	return s
}

// capitalized is s with its first letter in upper case: the documents'
// labels are written for a sentence ("Joignez la déclaration…").
func capitalized(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// noticeOr handles errNoNotice by going back to the search.
func noticeOr(w http.ResponseWriter, r *http.Request, err error) error {
	if errors.Is(err, errNoNotice) {
		http.Redirect(w, r, finesBase, http.StatusSeeOther)
		return nil
	}
	return err
}

type fineFindPage struct {
	web.Page
	Number, Plate string
	SignedIn      bool
}

func (p *Portal) fineFindPage(r *http.Request) *fineFindPage {
	_, signed := stateOf(r)
	return &fineFindPage{Page: web.Page{Title: "Mes avis de contravention",
		Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"}, {Text: "Mes avis de contravention"}}}, SignedIn: signed}
}

// fineFind shows the search of a notice by its number and plate.
func (p *Portal) fineFind(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "fine_find.html", p.fineFindPage(r))
}

// fineFindPost finds the notice and opens its page. A wrong number and a
// wrong plate get the same answer, on no particular field: the form must
// not tell which one was wrong (no enumeration of numbers or plates).
func (p *Portal) fineFindPost(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg := p.fineFindPage(r)
	pg.Number, pg.Plate = strings.TrimSpace(r.PostForm.Get("number")), strings.TrimSpace(r.PostForm.Get("plate"))
	if _, err := p.fines.FindNotice(r.Context(), request(r), pg.Number, pg.Plate); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			err = apperr.New(apperr.Invalid, "Aucun avis ne correspond à ce numéro et à cette immatriculation. Vérifiez les deux : ils figurent en haut de l'avis de contravention.")
		}
		return p.refuse(w, r, "fine_find.html", pg, err)
	}
	p.setFineCookie(w, noticeCookie, url.Values{"n": {pg.Number}, "p": {pg.Plate}}.Encode())
	p.clearFineCookie(w, contestCookie)
	http.Redirect(w, r, noticeURL, http.StatusSeeOther)
	return nil
}

// rateLine is one amount of the notice and until when it applies.
type rateLine struct {
	Label   string
	Amount  int
	Until   date.Null // the last day, at midnight; invalid for the increased rate
	After   date.Null // the increased rate applies after this day
	Current bool      // the amount due today
}

type fineNoticePage struct {
	web.Page
	V        fines.NoticeView
	Rates    []rateLine
	Grounds  []groundView
	Receipts []receiptLink
	// PaymentLines say what was paid: the fine or the deposit, how much, when.
	PaymentLines []string
	Returned     bool // back from the payment provider
}

// groundView names a contest's ground and state for the history.
type groundView struct {
	C     store.Contest
	Label string
	State string
}

type receiptLink struct {
	Step, Title string
}

// rates lists the notice's amounts by date: reduced and standard within
// their online periods from the sending, then increased (service-public
// F34207; the periods are the fines service's configuration).
func rates(v fines.NoticeView, cfg contest.Config) []rateLine {
	if v.Kind == contest.AFM {
		return []rateLine{{Label: "Amende forfaitaire majorée", Amount: v.Increased, Current: true}}
	}
	var out []rateLine
	last := v.Sent
	for _, pp := range cfg.Payment {
		until := v.Sent.AddDays(pp.OnlineDays)
		switch {
		case pp.Rate == contest.Reduced && v.Reduced > 0:
			out = append(out, rateLine{Label: "Montant minoré", Amount: v.Reduced, Until: date.Some(until), Current: v.Rate == "reduced"})
		case pp.Rate == contest.Standard:
			out = append(out, rateLine{Label: "Montant forfaitaire", Amount: v.Fine, Until: date.Some(until), Current: v.Rate == "standard"})
		default:
			continue
		}
		last = until
	}
	if v.Increased > 0 {
		out = append(out, rateLine{Label: "Amende forfaitaire majorée", Amount: v.Increased, After: date.Some(last), Current: v.Rate == "increased"})
	}
	return out
}

var contestStateLabels = map[store.ContestState]string{
	store.ContestDepositDue:   "En attente de la consignation",
	store.ContestPending:      "En cours d'examen par l'officier du ministère public",
	store.ContestCourt:        "Transmise au tribunal de police",
	store.ContestInadmissible: "Irrecevable",
	store.ContestDesignated:   "Conducteur désigné : un nouvel avis lui a été envoyé",
	store.ContestDropped:      "Acceptée : classement sans suite, aucune amende due",
	store.ContestAcquitted:    "Relaxe : aucune amende due",
	store.ContestConvicted:    "Condamnation",
}

func (p *Portal) noticePage(v fines.NoticeView) *fineNoticePage {
	pg := &fineNoticePage{Page: web.Page{Title: "Avis de contravention n° " + v.Number,
		Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"}, {Href: finesBase, Text: "Mes avis de contravention"}, {Text: "Avis n° " + v.Number}}},
		V: v, Rates: rates(v, p.fines.Config().Rules)}
	for _, c := range v.Contests {
		pg.Grounds = append(pg.Grounds, groundView{C: c, Label: fines.GroundLabel(c.Ground), State: contestStateLabels[c.State]})
	}
	for _, pm := range v.Payments {
		what := "Amende"
		if pm.Kind == store.PaymentDeposit {
			what = "Consignation"
		}
		pg.PaymentLines = append(pg.PaymentLines, what+" : "+payment.FormatAmount(int(pm.AmountCents))+", payée le "+pm.PaidOn.French())
	}
	if len(v.Contests) > 0 {
		pg.Receipts = append(pg.Receipts, receiptLink{Step: "contestation", Title: "Récépissé de contestation"})
	}
	if v.Designation != nil {
		pg.Receipts = append(pg.Receipts, receiptLink{Step: "designation", Title: "Récépissé de désignation du conducteur"})
	}
	if _, ok := finePaid(v); ok {
		pg.Receipts = append(pg.Receipts, receiptLink{Step: "paiement", Title: "Récépissé de paiement"})
	}
	return pg
}

// finePaid returns the notice's payment of the fine, if it has one.
func finePaid(v fines.NoticeView) (store.FinePayment, bool) {
	for _, pm := range v.Payments {
		if pm.Kind == store.PaymentFine {
			return pm, true
		}
	}
	return store.FinePayment{}, false
}

// fineNotice shows the notice found: its state, amounts by date, deadline,
// what may be done, and the history of its contests, payments and
// designation.
func (p *Portal) fineNotice(w http.ResponseWriter, r *http.Request) error {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	pg := p.noticePage(v)
	if r.URL.Query().Get("paiement") != "" {
		pg.Returned = true
		switch {
		case v.State == store.NoticePaid:
			pg.Notices = append(pg.Notices, web.Notice{Kind: web.NoticeSuccess, Title: "Paiement enregistré",
				Text: "L'amende est payée : téléchargez votre récépissé ci-dessous."})
		case v.CanPay:
			pg.Notices = append(pg.Notices, web.Notice{Kind: web.NoticeInfo, Title: "Paiement non confirmé",
				Text: "Le paiement n'est pas encore confirmé, ou il a été annulé ou refusé. Actualisez cette page dans quelques instants ; rien n'a été prélevé si le paiement n'a pas abouti."})
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "fine_notice.html", pg)
}

// finePay starts the payment of the notice at today's rate and sends the
// browser to the payment provider, which brings it back to the notice.
func (p *Portal) finePay(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, k, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	s, err := p.fines.StartPayment(r.Context(), request(r), k.Number, k.Plate, noticeURL)
	if err != nil {
		pg := p.noticePage(v)
		e := apperr.As(err)
		if e.Code == apperr.Conflict || e.Code == apperr.Unavailable {
			err = &apperr.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{"pay": e.Message}, Cause: e}
		}
		return p.refuse(w, r, "fine_notice.html", pg, err)
	}
	http.Redirect(w, r, s.RedirectURL, http.StatusSeeOther)
	return nil
}

// fineDeposit starts (again) the payment of the consignation of the
// notice's contest waiting for it — the person gave up at the provider's
// page, or the payment was refused — and sends the browser there.
func (p *Portal) fineDeposit(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, k, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	c, ok := latestContest(v)
	if !ok || c.State != store.ContestDepositDue {
		http.Redirect(w, r, noticeURL, http.StatusSeeOther)
		return nil
	}
	s, err := p.fines.StartDepositPayment(r.Context(), request(r), k.Number, k.Plate, c.Reference, noticeURL)
	if err != nil {
		e := apperr.As(err)
		if e.Code == apperr.Conflict || e.Code == apperr.Unavailable {
			err = &apperr.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{"deposit-pay": e.Message}, Cause: e}
		}
		return p.refuse(w, r, "fine_notice.html", p.noticePage(v), err)
	}
	http.Redirect(w, r, s.RedirectURL, http.StatusSeeOther)
	return nil
}

// fineOpenMine opens one of the signed-in citizen's notices, from their
// list: the notice must be among theirs (any other number is not found,
// like one that does not exist), and its page is then the same as after a
// search.
func (p *Portal) fineOpenMine(w http.ResponseWriter, r *http.Request) error {
	ns, err := p.fines.ListMyNotices(r.Context(), request(r))
	if err != nil {
		return err
	}
	for _, n := range ns {
		if n.Number == r.PathValue("number") {
			p.setFineCookie(w, noticeCookie, url.Values{"n": {n.Number}, "p": {n.Plate}}.Encode())
			p.clearFineCookie(w, contestCookie)
			http.Redirect(w, r, noticeURL, http.StatusSeeOther)
			return nil
		}
	}
	return apperr.New(apperr.NotFound, "Cet avis de contravention n'est pas parmi les vôtres.")
}

type fineListPage struct {
	web.Page
	Items  []fineListItem
	Linked bool
}

// fineListItem is a notice of the list with its amounts by date.
type fineListItem struct {
	fines.NoticeView
	Rates []rateLine
}

// fineList lists the notices sent to the signed-in citizen, as the holder
// of their linked licence (or as the driver designated).
func (p *Portal) fineList(w http.ResponseWriter, r *http.Request) error {
	ns, err := p.fines.ListMyNotices(r.Context(), request(r))
	if err != nil {
		return err
	}
	items := make([]fineListItem, len(ns))
	for i, v := range ns {
		v.Plate = displayPlate(v.Plate)
		items[i] = fineListItem{NoticeView: v, Rates: rates(v, p.fines.Config().Rules)}
	}
	pg := &fineListPage{Page: web.Page{Title: "Mes avis de contravention",
		Breadcrumb: []web.Link{{Href: "/mon-espace", Text: "Mon espace"}, {Text: "Mes avis de contravention"}}}, Items: items}
	st, _ := stateOf(r)
	pg.Linked = st.Account.LicenceLinked
	return p.r.Render(w, r, http.StatusOK, "fine_list.html", pg)
}

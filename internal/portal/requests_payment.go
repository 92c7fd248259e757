package portal

import (
	"net/http"

	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/payment"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/web"
)

// The fiscal stamp bought inside the request: the draft's stamp step
// offers "Acheter le timbre", which starts the payment and sends the
// browser to the provider; the provider posts its signed outcome to
// /paiement/notification (server to server) and sends the browser back to
// the stamp step, which shows what the notice recorded: "paiement
// confirmé", "en cours de confirmation", or "refusé / annulé".

// reqPaymentPage is the stamp step with its purchase.
type reqPaymentPage struct {
	*reqStepPage
	Online    bool               // buying the stamp here is open
	BuyAction string             // the purchase form's target
	Payment   *app.StampPurchase // the payment the browser came back from
	Bought    *stamp.Stamp       // the draft's stamp, when bought through the service
	Refused   bool               // the payment came back refused
	Cancelled bool               // the person gave up
	Paid      bool               // the notice arrived: paid
	Pending   bool               // the notice has not arrived yet
	Refresh   string             // the link that asks again
}

func buyURL(id int64) string { return draftURL(id, stepStamp) + "/achat" }

// stampPage builds the stamp step of the signed-in person's draft.
func (p *Portal) stampPage(r *http.Request) (*reqPaymentPage, error) {
	d, err := p.loadDraft(r)
	if err != nil {
		return nil, err
	}
	if d.Req.Status != requests.StatusDraft {
		return nil, nil
	}
	_, s, ok := d.step(stepStamp)
	if !ok {
		return nil, apperr.New(apperr.NotFound, "Cette démarche ne demande pas de timbre fiscal.")
	}
	pg := &reqPaymentPage{reqStepPage: p.stepPage(r, d, s, r.FormValue("retour")),
		Online: p.app.Payments() != nil, BuyAction: buyURL(d.Req.ID)}
	bought, err := p.app.BoughtStamp(r.Context(), request(r), d.Req.ID)
	if err != nil {
		return nil, err
	}
	pg.Bought = bought
	return pg, nil
}

// reqStampStep shows the stamp step (the provider's return page too).
func (p *Portal) reqStampStep(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.stampPage(r)
	if err != nil {
		return err
	}
	if pg == nil {
		id, _ := reqID(r)
		http.Redirect(w, r, reqURL(id), http.StatusSeeOther)
		return nil
	}
	if pid := r.URL.Query().Get("paiement"); pid != "" {
		st, err := p.app.StampPurchaseStatus(r.Context(), request(r), pg.D.Req.ID, pid)
		if err != nil {
			return err
		}
		pg.Payment = &st
		pg.Paid, pg.Refused, pg.Cancelled, pg.Pending = st.Status == payment.Paid, st.Status == payment.Refused,
			st.Status == payment.Cancelled, st.Pending()
		pg.Refresh = r.URL.RequestURI()
		if pg.Paid {
			pg.Form.StampNumber = st.Number.Grouped()
		}
	}
	return p.r.Render(w, r, http.StatusOK, "req_payment.html", pg)
}

// reqStampSave saves a number bought elsewhere, as the generic step does,
// but shows a refusal on the stamp step with its purchase.
func (p *Portal) reqStampSave(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := p.stampPage(r)
	if err != nil {
		return err
	}
	if pg == nil {
		return apperr.New(apperr.Conflict, "Cette demande est déjà envoyée : elle ne se modifie plus.")
	}
	form, err := p.saveStep(r, pg.D, pg.Step)
	if err != nil {
		pg.Form = form
		return p.refuse(w, r, "req_payment.html", pg, err)
	}
	next := stepCheck
	if pg.Return != stepCheck {
		nd, err := p.loadDraft(r)
		if err != nil {
			return err
		}
		if i, _, ok := nd.step(stepStamp); ok && i+1 < len(nd.Steps) {
			next = nd.Steps[i+1].Slug
		}
	}
	http.Redirect(w, r, draftURL(pg.D.Req.ID, next), http.StatusSeeOther)
	return nil
}

// reqStampBuy starts the payment and sends the browser to the provider.
func (p *Portal) reqStampBuy(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	pg, err := p.stampPage(r)
	if err != nil {
		return err
	}
	if pg == nil {
		return apperr.New(apperr.Conflict, "Cette demande est déjà envoyée : son timbre fiscal ne peut plus changer.")
	}
	s, err := p.app.StartStampPurchase(r.Context(), request(r), pg.D.Req.ID)
	if err != nil {
		if apperr.Is(err, apperr.Conflict) || apperr.Is(err, apperr.Unavailable) || apperr.Is(err, apperr.Invalid) {
			e := apperr.As(err)
			if len(e.Fields) == 0 { // show it in the summary, on the purchase button
				err = &apperr.Error{Code: e.Code, Message: e.Message, Fields: map[string]string{"buy": e.Message}, Cause: e}
			}
		}
		return p.refuse(w, r, "req_payment.html", pg, err)
	}
	http.Redirect(w, r, s.RedirectURL, http.StatusSeeOther)
	return nil
}

// paymentNotice receives the provider's signed outcome (server to
// server): 204 once recorded (or already recorded), 400 for a notice that
// is not authentic or names no draft (the provider must not retry it), 5xx
// otherwise (the provider retries).
func (p *Portal) paymentNotice(w http.ResponseWriter, r *http.Request) {
	prov := p.app.Payments()
	if prov == nil {
		http.NotFound(w, r)
		return
	}
	res, err := prov.Callback(r)
	switch {
	case err != nil:
	case fines.IsPayment(res.Reference):
		// A fine or a contest's consignation (issue 12).
		_, err = p.fines.PaymentNotified(r.Context(), res)
	default:
		_, err = p.app.StampPaid(r.Context(), res)
	}
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case apperr.Is(err, apperr.Invalid) || apperr.Is(err, apperr.NotFound):
		p.log.Warn("notification de paiement refusée", "error", err)
		http.Error(w, apperr.As(err).Message, http.StatusBadRequest)
	default:
		p.log.Error("notification de paiement : enregistrement impossible", "error", err)
		http.Error(w, "Erreur interne : réessayez plus tard.", http.StatusInternalServerError)
	}
}

// PaymentTestPath is where the built-in test payment provider's pages are
// mounted (its base URL is the public URL followed by it, without the
// trailing slash).
const PaymentTestPath = "/paiement-test/"

// PaymentTestMounts returns the router mounts (router.Options.Mounts) of
// the built-in test payment provider: its pages under PaymentTestPath,
// and at PaymentTestPath itself a short notice (its pages only open from
// a purchase).
func PaymentTestMounts(tp *payment.TestProvider) map[string]http.Handler {
	pages := tp.Handler()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != PaymentTestPath {
			pages.ServeHTTP(w, r)
			return
		}
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "Méthode non permise.", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = w.Write([]byte("Prestataire de paiement de test : ses pages s'ouvrent depuis l'achat d'un timbre fiscal dans une demande.\n"))
	})
	m := paymentMount{Handler: h, tp: tp}
	return map[string]http.Handler{"GET " + PaymentTestPath: m, "POST " + PaymentTestPath: m}
}

// paymentMount is the test provider's mount; the router gives it the
// service's renderer (UseRenderer), so that the provider's pages have the
// site's layout.
type paymentMount struct {
	http.Handler
	tp *payment.TestProvider
}

// payTestPage is the test provider's page in the site's layout.
type payTestPage struct {
	web.Page
	P payment.TestPage
}

// UseRenderer draws the provider's pages with rd.
func (m paymentMount) UseRenderer(rd *web.Renderer) {
	m.tp.SetPage(func(w http.ResponseWriter, r *http.Request, status int, d payment.TestPage) {
		title := "Paiement de " + d.Amount + " — prestataire de paiement de test"
		if d.Message != "" {
			title = d.Message
		}
		w.Header().Set("Cache-Control", "no-store")
		if err := rd.Render(w, r, status, "pay_test.html", &payTestPage{Page: web.Page{Title: title}, P: d}); err != nil {
			rd.Error(w, r, err)
		}
	})
}

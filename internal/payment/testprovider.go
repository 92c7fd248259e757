package payment

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"html/template"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
)

// TestProvider is a payment provider for the demo and the tests: its own
// pages (mounted under its base URL, e.g. /paiement-test/) show the amount
// and let the person pay, be refused or give up; no money moves. It then
// posts the signed outcome to the purchase's CallbackURL and sends the
// browser back to its ReturnURL, as a real provider does.
type TestProvider struct {
	base   string // public URL of its pages, without trailing slash
	path   string // base's path, where the handler is mounted
	secret []byte
	client *http.Client
	clock  clock.Clock
	log    *slog.Logger

	pageFn func(w http.ResponseWriter, r *http.Request, status int, d TestPage) // SetPage

	mu       sync.Mutex
	payments map[string]*pending
	refunds  map[string]int64 // payment id → cents paid back (Refund)
}

type pending struct {
	Purchase
	id      string
	created time.Time
	done    bool
}

// TestProviderOptions tune NewTestProvider.
type TestProviderOptions struct {
	Client *http.Client // for callbacks (default: 10 s timeout)
	Clock  clock.Clock
	Logger *slog.Logger
}

// NewTestProvider returns the provider whose pages live at base (an
// absolute URL such as http://localhost:8080/paiement-test), signing its
// callbacks with secret.
func NewTestProvider(base string, secret []byte, o TestProviderOptions) (*TestProvider, error) {
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("payment: adresse du prestataire de test invalide : %q", base)
	}
	if len(secret) < 16 {
		return nil, fmt.Errorf("payment: secret partagé trop court (16 octets au moins)")
	}
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 10 * time.Second}
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &TestProvider{base: u.String(), path: u.Path, secret: secret, client: o.Client, clock: o.Clock,
		log: o.Logger, payments: map[string]*pending{}}, nil
}

// pendingTTL is how long a started payment waits for the person.
const pendingTTL = time.Hour

// Start registers the purchase.
func (p *TestProvider) Start(ctx context.Context, pu Purchase) (Session, error) {
	if pu.Amount <= 0 || pu.Reference == "" || !absolute(pu.ReturnURL) || !absolute(pu.CallbackURL) {
		return Session{}, fmt.Errorf("payment: achat incomplet (%+v)", pu)
	}
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return Session{}, err
	}
	id := "pay_" + fmt.Sprintf("%x", b[:])
	now := p.clock.Now()
	p.mu.Lock()
	for k, v := range p.payments { // forget the abandoned ones
		if now.Sub(v.created) > pendingTTL {
			delete(p.payments, k)
		}
	}
	p.payments[id] = &pending{Purchase: pu, id: id, created: now}
	p.mu.Unlock()
	return Session{ID: id, RedirectURL: p.base + "/payer/" + id}, nil
}

func absolute(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Callback authenticates and reads a notification of this provider.
func (p *TestProvider) Callback(r *http.Request) (Result, error) {
	body, err := readBody(r)
	if err != nil {
		return Result{}, err
	}
	if err := Verify(p.secret, r.Header.Get(SignatureHeader), body, p.clock.Now()); err != nil {
		return Result{}, err
	}
	var res Result
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil || res.PaymentID == "" || res.Reference == "" ||
		(res.Status != Paid && res.Status != Refused && res.Status != Cancelled) {
		return Result{}, apperr.New(apperr.Invalid, "Notification de paiement illisible.")
	}
	return res, nil
}

// Handler serves the provider's pages; mount it on "GET <path>/" and
// "POST <path>/".
func (p *TestProvider) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+p.path+"/payer/{id}", p.page)
	mux.Handle("POST "+p.path+"/payer/{id}", http.NewCrossOriginProtection().Handler(http.HandlerFunc(p.decide)))
	return mux
}

func (p *TestProvider) find(id string) (*pending, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	v, ok := p.payments[id]
	if !ok || p.clock.Now().Sub(v.created) > pendingTTL {
		return nil, false
	}
	return v, true
}

// TestPage is what a page of the test provider shows: a payment to make
// (Amount, Label, Reference), or a Message when there is none.
type TestPage struct {
	ID, Label, Amount, Reference, Message string
}

// SetPage makes the provider draw its pages with page — the service's own
// layout (skip link, header, footer), since the test provider is part of
// the demonstration site — instead of its bare HTML. Call it once, when
// the service is assembled, before serving.
func (p *TestProvider) SetPage(page func(w http.ResponseWriter, r *http.Request, status int, d TestPage)) {
	p.pageFn = page
}

var pages = template.Must(template.New("payer").Parse(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .Message}}{{.Message}}{{else}}Paiement de {{.Amount}}{{end}} — prestataire de paiement de test</title></head>
<body><main id="contenu">
<p><strong>Prestataire de paiement de test.</strong> Aucune somme n'est débitée : cette page remplace, pour la démonstration, celle d'un vrai prestataire.</p>
{{if .Message}}<h1>{{.Message}}</h1>{{else}}
<h1>Paiement de {{.Amount}}</h1>
<p>{{.Label}}<br>Référence : {{.Reference}}</p>
<form method="post" action="">
<p><button type="submit" name="action" value="payer" id="payer">Payer {{.Amount}}</button></p>
<p><button type="submit" name="action" value="refuser" id="refuser">Simuler un refus de la banque</button></p>
<p><button type="submit" name="action" value="annuler" id="annuler">Annuler et revenir au service</button></p>
</form>{{end}}
</main></body></html>`))

func (p *TestProvider) render(w http.ResponseWriter, r *http.Request, status int, d TestPage) {
	if p.pageFn != nil {
		p.pageFn(w, r, status, d)
		return
	}
	var buf bytes.Buffer
	if err := pages.Execute(&buf, d); err != nil {
		http.Error(w, "Erreur interne.", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
}

func (p *TestProvider) page(w http.ResponseWriter, r *http.Request) {
	v, ok := p.find(r.PathValue("id"))
	if !ok {
		p.render(w, r, http.StatusNotFound, TestPage{Message: "Ce paiement est inconnu ou a expiré"})
		return
	}
	if v.done {
		p.render(w, r, http.StatusGone, TestPage{Message: "Ce paiement est déjà terminé"})
		return
	}
	p.render(w, r, http.StatusOK, TestPage{ID: v.id, Label: v.Label, Amount: FormatAmount(v.Amount), Reference: v.Reference})
}

// decide records the person's choice, notifies the service, and sends the
// browser back.
func (p *TestProvider) decide(w http.ResponseWriter, r *http.Request) {
	var status Status
	switch r.FormValue("action") {
	case "payer":
		status = Paid
	case "refuser":
		status = Refused
	case "annuler":
		status = Cancelled
	default:
		http.Error(w, "Choix inconnu.", http.StatusBadRequest)
		return
	}
	p.mu.Lock()
	v, ok := p.payments[r.PathValue("id")]
	already := ok && v.done
	if ok {
		v.done = true
	}
	p.mu.Unlock()
	if !ok {
		p.render(w, r, http.StatusNotFound, TestPage{Message: "Ce paiement est inconnu ou a expiré"})
		return
	}
	if already {
		p.render(w, r, http.StatusGone, TestPage{Message: "Ce paiement est déjà terminé"})
		return
	}
	res := Result{PaymentID: v.id, Reference: v.Reference, Amount: v.Amount, Status: status, At: p.clock.Now().UTC()}
	if err := p.notify(r.Context(), v.CallbackURL, res); err != nil {
		// A real provider retries later; the service's return page says
		// the payment is being confirmed until the notice arrives.
		p.log.Error("prestataire de test : notification impossible", "paiement", v.id, "error", err)
	}
	ret, _ := url.Parse(v.ReturnURL)
	q := ret.Query()
	q.Set("paiement", v.id)
	ret.RawQuery = q.Encode()
	http.Redirect(w, r, ret.String(), http.StatusSeeOther)
}

// notify posts the signed result, trying three times.
func (p *TestProvider) notify(ctx context.Context, target string, res Result) error {
	body, err := json.Marshal(res)
	if err != nil {
		return err
	}
	var last error
	for attempt := range 3 {
		if attempt > 0 {
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
		}
		req, err := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodPost, target, bytes.NewReader(body))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(SignatureHeader, Sign(p.secret, p.clock.Now(), body))
		resp, err := p.client.Do(req)
		if err != nil {
			last = err
			continue
		}
		resp.Body.Close()
		if resp.StatusCode < 300 {
			return nil
		}
		last = fmt.Errorf("réponse %s", resp.Status)
		if resp.StatusCode < 500 {
			return last // refused: retrying changes nothing
		}
	}
	return last
}

// Refund records that the payment is paid back, once per payment id
// (Refunder). The test provider keeps no balance: it only remembers.
func (p *TestProvider) Refund(_ context.Context, paymentID string, amountCents int64) error {
	if paymentID == "" || amountCents <= 0 {
		return apperr.New(apperr.Invalid, "Remboursement impossible : paiement ou montant manquant.")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.refunds == nil {
		p.refunds = map[string]int64{}
	}
	if _, done := p.refunds[paymentID]; !done {
		p.refunds[paymentID] = amountCents
	}
	return nil
}

// Refunds returns the payments refunded so far and their amounts (cents).
func (p *TestProvider) Refunds() map[string]int64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return maps.Clone(p.refunds)
}

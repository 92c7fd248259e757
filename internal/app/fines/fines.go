package fines

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/store"
)

// Config holds the figures of fines the law sets and may change: the
// contest rules' delays and amounts (contest.Config: 45 days, 30 days, 3
// months, the non-designation fine's €450/€675/€1 875, the payment periods).
type Config struct {
	Rules contest.Config
}

// DefaultConfig returns the figures in force.
func DefaultConfig() Config { return Config{Rules: contest.DefaultConfig()} }

// Service is the fines capability over the application's kernel.
type Service struct {
	k   app.Kernel
	cfg Config
}

// New returns the fines capability over k.
func New(k app.Kernel, cfg Config) *Service { return &Service{k: k, cfg: cfg} }

// Config returns the figures the service applies.
func (s *Service) Config() Config { return s.cfg }

func (s *Service) today() date.Date { return date.Today(s.k.Clock.Now()) }

// NoticeView is a notice as its holder (or whoever holds the paper notice)
// reads it, with what may be done with it today.
type NoticeView struct {
	store.Notice
	StateLabel string
	// Deadline is the last day to contest or designate (CPP 529-2, 530,
	// L121-6), already moved to a working day (CPP 801).
	Deadline date.Date
	// Due is what paying today costs, in euros, and Rate its rate
	// ("reduced", "standard" or "increased").
	Due  int
	Rate string
	// CanPay, CanContest and CanDesignate say what the notice allows
	// today. Whenever CanContest is true the pages must warn: "ne payez
	// pas si vous contestez" — paying establishes the offence (L223-1).
	CanPay, CanContest, CanDesignate bool
	Contests                         []store.Contest
	Payments                         []store.FinePayment
	Designation                      *store.Designation
}

var stateLabels = map[store.NoticeState]string{
	store.NoticeOpen:        "À payer ou à contester",
	store.NoticeContested:   "Contestation en cours d'examen par l'officier du ministère public",
	store.NoticePaid:        "Payé",
	store.NoticeDesignated:  "Conducteur désigné : un nouvel avis lui a été envoyé",
	store.NoticeDismissed:   "Classé : aucune amende due",
	store.NoticeEstablished: "Infraction établie",
}

// Searches of a notice that find nothing, per client address: a number and
// a plate are what opens a notice, so guessing them is slowed down.
const (
	FindFailuresPerClient = 20
	FindFailureWindow     = time.Hour
)

func tooManySearches(wait time.Duration) error {
	m := max(1, int(wait.Round(time.Minute)/time.Minute))
	s := ""
	if m > 1 {
		s = "s"
	}
	return apperr.New(apperr.TooMany, fmt.Sprintf("Trop de recherches sans résultat. Par sécurité, réessayez dans %d minute%s.", m, s))
}

// FindNotice returns the notice with that printed number and plate, for
// anyone who holds the paper notice (no account needed). A wrong plate is
// not_found, like an unknown number; after FindFailuresPerClient searches
// that found nothing within FindFailureWindow, the client is refused
// (too_many) until the window ends. The read is audited.
func (s *Service) FindNotice(ctx context.Context, req app.Request, number, plate string) (NoticeView, error) {
	if err := numberAndPlate(number, plate); err != nil {
		return NoticeView{}, err
	}
	key := "fine:find:client:" + req.Client
	now := s.k.Clock.Now()
	if res, err := s.k.Store.PeekRateLimit(ctx, key, now, FindFailureWindow, FindFailuresPerClient); err != nil {
		return NoticeView{}, err
	} else if !res.Allowed {
		return NoticeView{}, tooManySearches(res.RetryAfter)
	}
	n, err := s.k.Store.FindNoticeByNumber(ctx, number, plate)
	if apperr.Is(err, apperr.NotFound) {
		// Only failures count: a person who found their notice reads it
		// on every page of the notice, and must not be stopped.
		if _, herr := s.k.Store.HitRateLimit(ctx, key, now, FindFailureWindow, FindFailuresPerClient); herr != nil {
			return NoticeView{}, herr
		}
	}
	if err != nil {
		return NoticeView{}, err
	}
	if err := s.k.Audit(ctx, req, "fine.notice.read", "fine_notice", n.Number); err != nil {
		return NoticeView{}, err
	}
	return s.view(ctx, n)
}

func numberAndPlate(number, plate string) error {
	fields := map[string]string{}
	if d := store.NormalizeNoticeNumber(number); d == "" || strings.Contains(d, "x") {
		fields["number"] = "Saisissez le numéro de l'avis de contravention, en chiffres, tel qu'il figure en haut de l'avis."
	}
	if store.NormalizePlate(plate) == "" {
		fields["plate"] = "Saisissez le numéro d'immatriculation du véhicule, par exemple AB-123-CD."
	}
	if len(fields) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "Certaines informations sont incorrectes.", Fields: fields}
	}
	return nil
}

// ListMyNotices returns the notices sent to the signed-in citizen as the
// holder of their linked licence, newest first. The read is audited.
func (s *Service) ListMyNotices(ctx context.Context, req app.Request) ([]NoticeView, error) {
	u, err := s.citizen(ctx, req)
	if err != nil {
		return nil, err
	}
	if u.LicenceID == 0 {
		return nil, nil
	}
	ns, err := s.k.Store.ListNoticesOfLicence(ctx, u.LicenceID)
	if err != nil {
		return nil, err
	}
	if err := s.k.Audit(ctx, req, "fine.notice.list", "licence", fmt.Sprint(u.LicenceID)); err != nil {
		return nil, err
	}
	out := make([]NoticeView, 0, len(ns))
	for _, n := range ns {
		v, err := s.view(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func (s *Service) citizen(ctx context.Context, req app.Request) (store.User, error) {
	if req.Actor.Role != access.Citizen || req.Actor.Kind != access.KindUser {
		return store.User{}, apperr.New(apperr.Forbidden, "Cet espace est réservé aux titulaires du permis.")
	}
	var id int64
	if _, err := fmt.Sscanf(req.Actor.ID, "user:%d", &id); err != nil || id <= 0 {
		return store.User{}, apperr.New(apperr.Unauthenticated, "Connectez-vous pour accéder à votre espace.")
	}
	return s.k.Store.FindUser(ctx, id)
}

// view completes n with its deadline, amount due and history.
func (s *Service) view(ctx context.Context, n store.Notice) (NoticeView, error) {
	v := NoticeView{Notice: n, StateLabel: stateLabels[n.State], Deadline: contest.Deadline(s.cfg.Rules, n.Rule())}
	today := s.today()
	v.Due, v.Rate = s.due(n, today)
	open := n.State == store.NoticeOpen
	v.CanPay = open
	v.CanContest = open && !today.After(v.Deadline)
	v.CanDesignate = v.CanContest && n.Points > 0 && n.NonDesignationOf == 0
	var err error
	if v.Contests, err = s.k.Store.ListContestsOfNotice(ctx, n.ID); err != nil {
		return v, err
	}
	if v.Payments, err = s.k.Store.ListFinePayments(ctx, n.ID); err != nil {
		return v, err
	}
	if n.State == store.NoticeDesignated {
		d, err := s.k.Store.FindDesignation(ctx, n.ID)
		if err != nil && !apperr.Is(err, apperr.NotFound) {
			return v, err
		}
		if err == nil {
			v.Designation = &d
		}
	}
	return v, nil
}

// due returns what paying notice n on day costs online: the reduced rate
// within its online period, then the standard rate, then the increased
// rate (service-public F34207; the periods are in Config). An AFM is due
// at its increased rate.
func (s *Service) due(n store.Notice, day date.Date) (int, string) {
	if n.Kind == contest.AFM {
		return n.Increased, "increased"
	}
	for _, p := range s.cfg.Rules.Payment {
		if day.After(n.Sent.AddDays(p.OnlineDays)) {
			continue
		}
		switch {
		case p.Rate == contest.Reduced && n.Reduced > 0:
			return n.Reduced, "reduced"
		case p.Rate == contest.Standard:
			return n.Fine, "standard"
		}
	}
	if n.Increased > 0 {
		return n.Increased, "increased"
	}
	return n.Fine, "standard"
}

// NewNoticeNumber draws a notice number as printed: 14 digits, the first
// not 0. With the plate it is what finds a notice, so it is random (10¹³
// values), never a sequence.
func NewNoticeNumber() string {
	max := big.NewInt(9e13)
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return fmt.Sprintf("%014d", v.Int64()+1e13)
}

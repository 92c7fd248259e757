package fines

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/store"
)

// The officier du ministère public's back office (role prosecutor): the
// queue of contests by deadline, the file with its documents, decisions
// with reasons, one by one or for several identical cases at once. Every
// read is audited.

func requireProsecutor(req app.Request) error {
	if req.Actor.Role != access.Prosecutor {
		return apperr.New(apperr.Forbidden, "Cet espace est réservé aux officiers du ministère public.")
	}
	return nil
}

// QueueQuery selects a page of the queue: State is one contest state
// ("" for the contests awaiting a decision: pending and at the court),
// After the cursor of the previous page's Next.
type QueueQuery struct {
	State string
	After string
	Limit int
}

// QueuePage is one page of the OMP's queue, by deadline then filing.
type QueuePage struct {
	Items []store.QueueItem
	Total int    // contests in the selected states, at most CountLimit
	More  bool   // there are more than CountLimit
	Next  string // cursor of the next page; "" on the last
}

// CountLimit is how far the queue counts its contests: beyond, it says
// "more than 1 000", so that a page costs the same whatever the backlog.
const CountLimit = 1_000

// QueueStates are the states the queue can show, in the order of its
// filter.
func QueueStates() []store.ContestState {
	return []store.ContestState{store.ContestPending, store.ContestCourt, store.ContestDepositDue,
		store.ContestInadmissible, store.ContestDesignated, store.ContestDropped, store.ContestAcquitted, store.ContestConvicted}
}

// StateLabel is the French label of a contest state.
func StateLabel(st store.ContestState) string {
	return map[store.ContestState]string{
		store.ContestDepositDue:   "En attente de la consignation",
		store.ContestPending:      "À examiner",
		store.ContestCourt:        "Transmise au tribunal de police",
		store.ContestInadmissible: "Irrecevable",
		store.ContestDesignated:   "Conducteur désigné",
		store.ContestDropped:      "Classée sans suite",
		store.ContestAcquitted:    "Relaxe",
		store.ContestConvicted:    "Condamnation",
	}[st]
}

// Queue returns a page of the OMP's queue (keyset pagination: every page
// costs what the first does, whatever the backlog).
func (s *Service) Queue(ctx context.Context, req app.Request, q QueueQuery) (QueuePage, error) {
	if err := requireProsecutor(req); err != nil {
		return QueuePage{}, err
	}
	states := []store.ContestState{store.ContestPending, store.ContestCourt}
	if q.State != "" {
		st := store.ContestState(q.State)
		if !slices.Contains(QueueStates(), st) {
			return QueuePage{}, apperr.Field("state", "État inconnu : choisissez un état de la liste.")
		}
		states = []store.ContestState{st}
	}
	f := store.QueueFilter{States: states, Limit: q.Limit}
	if f.Limit <= 0 || f.Limit > 200 {
		f.Limit = 50
	}
	if q.After != "" {
		d, id, ok := parseCursor(q.After)
		if !ok {
			return QueuePage{}, apperr.Field("after", "Page inconnue : revenez à la première page.")
		}
		f.AfterDeadline, f.AfterID = d, id
	}
	items, err := s.k.Store.ListContestQueue(ctx, f)
	if err != nil {
		return QueuePage{}, err
	}
	total, err := s.k.Store.CountContests(ctx, states, CountLimit+1)
	if err != nil {
		return QueuePage{}, err
	}
	page := QueuePage{Items: items, Total: min(total, CountLimit), More: total > CountLimit}
	if len(items) == f.Limit {
		last := items[len(items)-1]
		page.Next = last.Deadline.String() + "." + strconv.FormatInt(last.ID, 10)
	}
	return page, s.k.Audit(ctx, req, "fine.queue.read", "fine_queue", strings.Join(stateStrings(states), ","))
}

func stateStrings(sts []store.ContestState) []string {
	out := make([]string, len(sts))
	for i, st := range sts {
		out[i] = string(st)
	}
	return out
}

func parseCursor(s string) (date.Date, int64, bool) {
	ds, ids, ok := strings.Cut(s, ".")
	if !ok {
		return 0, 0, false
	}
	d, err := date.Parse(ds)
	if err != nil {
		return 0, 0, false
	}
	id, err := strconv.ParseInt(ids, 10, 64)
	return d, id, err == nil && id > 0
}

// ContestFile is what the OMP reads of a contest: the contest and its
// documents, its notice, its payments, its decisions so far, and the
// designation when there is one.
type ContestFile struct {
	Contest   store.Contest
	Notice    store.Notice
	Payments  []store.FinePayment
	Decisions []store.FineDecision
	// Decisions the file allows now, in the order the form offers them.
	Allowed []store.ContestState
}

// ContestFile returns the file of contest ref. The read is audited.
func (s *Service) ContestFile(ctx context.Context, req app.Request, ref string) (ContestFile, error) {
	if err := requireProsecutor(req); err != nil {
		return ContestFile{}, err
	}
	f, err := s.file(ctx, s.k.Store, ref)
	if err != nil {
		return ContestFile{}, err
	}
	return f, s.k.Audit(ctx, req, "fine.contest.read", "fine_contest", f.Contest.Reference)
}

func (s *Service) file(ctx context.Context, st *store.Store, ref string) (ContestFile, error) {
	c, err := st.FindContestByReference(ctx, ref)
	if err != nil {
		return ContestFile{}, err
	}
	f := ContestFile{Contest: c, Allowed: allowed(c.State)}
	if f.Notice, err = st.FindNotice(ctx, c.NoticeID); err != nil {
		return f, err
	}
	if f.Payments, err = st.ListFinePayments(ctx, c.NoticeID); err != nil {
		return f, err
	}
	f.Decisions, err = st.ListFineDecisions(ctx, c.ID)
	return f, err
}

// allowed returns the decisions a contest in state st may receive: the
// OMP's on a pending contest, the court's outcome on one sent to it.
func allowed(st store.ContestState) []store.ContestState {
	switch st {
	case store.ContestPending:
		return []store.ContestState{store.ContestDropped, store.ContestInadmissible, store.ContestDesignated, store.ContestCourt}
	case store.ContestCourt:
		return []store.ContestState{store.ContestAcquitted, store.ContestConvicted}
	}
	return nil
}

// OpenDocument returns an uploaded document of contest ref, for the OMP.
// The read is audited.
func (s *Service) OpenDocument(ctx context.Context, req app.Request, ref string, docID int64) (io.ReadCloser, store.ContestDocument, error) {
	if err := requireProsecutor(req); err != nil {
		return nil, store.ContestDocument{}, err
	}
	c, err := s.k.Store.FindContestByReference(ctx, ref)
	if err != nil {
		return nil, store.ContestDocument{}, err
	}
	i := slices.IndexFunc(c.Documents, func(d store.ContestDocument) bool { return d.ID == docID })
	if i < 0 || c.Documents[i].FileKey == "" || s.k.Files == nil {
		return nil, store.ContestDocument{}, apperr.New(apperr.NotFound, "Pièce introuvable.")
	}
	d := c.Documents[i]
	rc, err := s.k.Files.Open(ctx, d.FileKey)
	if err != nil {
		return nil, d, err
	}
	if err := s.k.Audit(ctx, req, "fine.contest.document_read", "fine_contest", c.Reference+"/"+strconv.FormatInt(d.ID, 10)); err != nil {
		rc.Close()
		return nil, d, err
	}
	return rc, d, nil
}

// DecisionInput is one decision, applied to one contest or to several
// identical ones.
type DecisionInput struct {
	Kind         store.ContestState // dropped, inadmissible, designated, court; acquitted or convicted for the court's outcome
	Reasons      string             // written to the person
	CourtFinalOn string             // conviction: the day it became final (JJ/MM/AAAA)
	Driver       *Driver            // designated: the driver the file names
}

// Decide records one decision on the contests refs, all or none: when one
// of them was decided meanwhile (by another officer), nothing is written
// and the conflict names it. Each decision moves the notice:
//   - dropped (classement sans suite, exemption granted) and acquitted: the
//     notice is closed without a fine, the deposit refunded, no point;
//   - inadmissible: a deposit is kept as payment and the offence
//     established on the decision's day (CPP 529-10, L223-1); without a
//     deposit the notice is due again;
//   - designated: a new notice goes to the driver, the deposit refunded;
//   - court: sent to the tribunal de police; the notice stays contested;
//   - convicted: the offence is established on the conviction's final
//     date, and the points withdrawn at that date (L223-1).
//
// A letter goes to the person and the audit log records each decision.
func (s *Service) Decide(ctx context.Context, req app.Request, refs []string, in DecisionInput) (int, error) {
	if err := requireProsecutor(req); err != nil {
		return 0, err
	}
	final, birth, err := checkDecision(in, s.today())
	if err != nil {
		return 0, err
	}
	if len(refs) == 0 {
		return 0, apperr.Field("contests", "Sélectionnez au moins une contestation.")
	}
	if len(refs) > 200 {
		return 0, apperr.Field("contests", "Sélectionnez au plus 200 contestations à la fois.")
	}
	if in.Kind == store.ContestDesignated && len(refs) > 1 {
		return 0, apperr.Field("contests", "Un conducteur se désigne pour une seule contestation à la fois.")
	}
	err = s.k.Store.Transact(ctx, func(tx *store.Store) error {
		for _, ref := range refs {
			if err := s.decideOne(ctx, tx, req, ref, in, final, birth); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return len(refs), nil
}

func checkDecision(in DecisionInput, today date.Date) (date.Null, date.Date, error) {
	fields := map[string]string{}
	if !slices.Contains(QueueStates()[:], in.Kind) || in.Kind == store.ContestPending || in.Kind == store.ContestDepositDue {
		fields["kind"] = "Choisissez la décision."
	}
	if utf8.RuneCountInString(strings.TrimSpace(in.Reasons)) < 5 {
		fields["reasons"] = "Motivez la décision : ces motifs sont écrits à la personne."
	}
	var final date.Null
	if in.Kind == store.ContestConvicted {
		d, ok := parseDate(in.CourtFinalOn)
		if !ok {
			fields["court_final_on"] = "Saisissez la date à laquelle la condamnation est devenue définitive, au format JJ/MM/AAAA."
		} else if d.After(today) {
			fields["court_final_on"] = "La condamnation ne peut pas être définitive à une date future : enregistrez-la quand elle l'est devenue."
		}
		final = date.Some(d)
	}
	var birth date.Date
	if in.Kind == store.ContestDesignated {
		if in.Driver == nil {
			fields["driver.family_name"] = "Saisissez l'identité du conducteur désigné."
		} else if b, err := checkDriver("1", "X", *in.Driver); err != nil {
			for k, v := range apperr.As(err).Fields {
				fields[k] = v
			}
		} else {
			birth = b
		}
	}
	if len(fields) > 0 {
		return final, birth, &apperr.Error{Code: apperr.Invalid, Message: "Certaines informations sont incorrectes.", Fields: fields}
	}
	return final, birth, nil
}

func (s *Service) decideOne(ctx context.Context, tx *store.Store, req app.Request, ref string, in DecisionInput, final date.Null, birth date.Date) error {
	f, err := s.file(ctx, tx, ref)
	if err != nil {
		return err
	}
	c := f.Contest
	if !slices.Contains(allowed(c.State), in.Kind) {
		return apperr.New(apperr.Conflict, fmt.Sprintf("La contestation %s est « %s » : la décision « %s » ne s'y applique pas.",
			c.Reference, lower(StateLabel(c.State)), lower(StateLabel(in.Kind))))
	}
	reasons := strings.TrimSpace(in.Reasons)
	if c, err = tx.SetContestState(ctx, c.ID, c.State, in.Kind, reasons, final); err != nil {
		return err
	}
	if err := tx.AddFineDecision(ctx, &store.FineDecision{ContestID: c.ID, Kind: in.Kind, Reasons: reasons,
		DecidedBy: req.Actor.Name, CourtFinalOn: final}); err != nil {
		return err
	}
	n := f.Notice
	today := s.today()
	deposit := slices.ContainsFunc(f.Payments, func(p store.FinePayment) bool {
		return p.Kind == store.PaymentDeposit && p.State == store.PaymentKept
	})
	refund := func() error {
		_, err := tx.SetFinePaymentsState(ctx, n.ID, store.PaymentDeposit, store.PaymentKept, store.PaymentRefundDue)
		return err
	}
	switch in.Kind {
	case store.ContestDropped, store.ContestAcquitted:
		if _, err := tx.SetNoticeState(ctx, n.ID, store.NoticeContested, store.NoticeDismissed, date.Null{}); err != nil {
			return err
		}
		if err := refund(); err != nil {
			return err
		}
	case store.ContestInadmissible:
		if deposit {
			est, err := tx.SetNoticeState(ctx, n.ID, store.NoticeContested, store.NoticeEstablished, date.Some(today))
			if err != nil {
				return err
			}
			if err := establish(ctx, tx, est, today); err != nil {
				return err
			}
		} else if _, err := tx.SetNoticeState(ctx, n.ID, store.NoticeContested, store.NoticeOpen, date.Null{}); err != nil {
			return err
		}
	case store.ContestDesignated:
		closed, err := tx.SetNoticeState(ctx, n.ID, store.NoticeContested, store.NoticeDesignated, date.Null{})
		if err != nil {
			return err
		}
		if _, err := s.designate(ctx, tx, req, closed, *in.Driver, birth); err != nil {
			return err
		}
		if err := refund(); err != nil {
			return err
		}
	case store.ContestConvicted:
		est, err := tx.SetNoticeState(ctx, n.ID, store.NoticeContested, store.NoticeEstablished, final)
		if err != nil {
			return err
		}
		if err := establish(ctx, tx, est, final.Date); err != nil {
			return err
		}
	}
	if err := s.tell(ctx, tx, c.Email, n, mailDecision(n, c, StateLabel(in.Kind))); err != nil {
		return err
	}
	return s.k.AuditTx(ctx, tx, req, "fine.decision."+string(in.Kind), "fine_contest", c.Reference)
}

package mail

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"permis/internal/clock"
	"permis/internal/store"
)

// Outbox is what the Relay needs of the store (*store.Store has it).
type Outbox interface {
	ClaimMail(ctx context.Context, now time.Time, n int, lease time.Duration) ([]store.Mail, error)
	MarkMailSent(ctx context.Context, id int64, at time.Time) error
	MarkMailFailed(ctx context.Context, id int64, errText string, next time.Time, final bool) error
	MarkMailKept(ctx context.Context, id int64) error
}

var _ Outbox = (*store.Store)(nil)

// RelayOptions tune a Relay. Zero fields take the defaults.
type RelayOptions struct {
	Interval    time.Duration // between passes of Run (default 15 s)
	Batch       int           // mails claimed at once (default 10)
	MaxAttempts int           // attempts before a mail is given up as failed (default 12)
	// Backoff is the wait after the first failed attempt (default 1 min);
	// it doubles after each further failure, up to MaxBackoff (default 6 h).
	// With the defaults a mail is tried for about 20 hours.
	Backoff    time.Duration
	MaxBackoff time.Duration
	// Lease is how long a claimed mail is hidden from other relays (default
	// 10 min). It must outlast the sending of a whole batch: Batch × the
	// transport's timeout (10 × 30 s with the defaults).
	Lease time.Duration
	Clock clock.Clock // default: the system clock
}

func (o RelayOptions) withDefaults() RelayOptions {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Interval, 15*time.Second)
	def(&o.Backoff, time.Minute)
	def(&o.MaxBackoff, 6*time.Hour)
	def(&o.Lease, 10*time.Minute)
	if o.Batch <= 0 {
		o.Batch = 10
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 12
	}
	if o.Clock == nil {
		o.Clock = clock.System{}
	}
	return o
}

// Relay delivers the outbox. Several relays (one per server instance) may
// run on the same database: a mail is claimed by one at a time. Delivery is
// at least once: a relay that dies between sending and recording lets the
// mail be sent again when its lease ends, with the same Message-ID.
type Relay struct {
	store Outbox
	t     Transport // nil: keep mails unsent (store.MailKept)
	log   *slog.Logger
	opts  RelayOptions
	wake  chan struct{}
}

// NewRelay returns a relay sending through t. A nil t keeps every mail
// unsent, with the status store.MailKept, for machines without a mail
// server: the developer page shows them.
func NewRelay(s Outbox, t Transport, logger *slog.Logger, opts RelayOptions) *Relay {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	if sm, ok := t.(*SMTP); ok && sm == nil { // a nil *SMTP in the interface: no server configured
		t = nil
	}
	return &Relay{store: s, t: t, log: logger, opts: opts.withDefaults(), wake: make(chan struct{}, 1)}
}

// Run delivers the outbox every Interval, and at once after Wake, until ctx
// is done; it then returns nil. Errors of a pass are logged, not returned:
// the next pass tries again.
func (r *Relay) Run(ctx context.Context) error {
	tick := time.NewTicker(r.opts.Interval)
	defer tick.Stop()
	for {
		if _, _, err := r.Flush(ctx); err != nil && ctx.Err() == nil {
			r.log.ErrorContext(ctx, "relais des courriels", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		case <-r.wake:
		}
	}
}

// Wake asks Run for a pass now rather than at the next tick: call it after
// committing a transaction that enqueued a mail. It never blocks.
func (r *Relay) Wake() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Flush makes one pass: it sends every mail due now and returns how many
// were sent and how many attempts failed (kept mails count in neither). It
// stops at the first store error.
func (r *Relay) Flush(ctx context.Context) (sent, failed int, err error) {
	seen := map[int64]bool{}
	for {
		ms, err := r.store.ClaimMail(ctx, r.opts.Clock.Now(), r.opts.Batch, r.opts.Lease)
		if err != nil {
			return sent, failed, err
		}
		fresh := false
		for _, m := range ms {
			if seen[m.ID] { // due again in this pass: left for the next one
				continue
			}
			seen[m.ID], fresh = true, true
			ok, err := r.deliver(ctx, m)
			if err != nil {
				return sent, failed, err
			}
			switch {
			case ok && r.t != nil:
				sent++
			case !ok:
				failed++
			}
		}
		if len(ms) < r.opts.Batch || !fresh {
			return sent, failed, nil
		}
	}
}

// deliver sends one claimed mail and records the outcome. ok is false when
// the attempt failed; err is a store error, or ctx's when it ended during
// the attempt (the mail falls due again when its lease ends).
func (r *Relay) deliver(ctx context.Context, m store.Mail) (ok bool, err error) {
	// Record the outcome even if ctx ends now: a sent mail left unrecorded
	// would be sent again.
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if r.t == nil {
		if err := r.store.MarkMailKept(rctx, m.ID); err != nil {
			return false, err
		}
		r.log.InfoContext(ctx, "courriel conservé sans envoi", "outbox_id", m.ID)
		return true, nil
	}
	sendErr := r.t.Send(ctx, messageOf(m))
	now := r.opts.Clock.Now()
	if sendErr == nil {
		if err := r.store.MarkMailSent(rctx, m.ID, now); err != nil {
			return true, err
		}
		r.log.InfoContext(ctx, "courriel envoyé", "outbox_id", m.ID)
		return true, nil
	}
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	attempt := m.Attempts + 1
	final := attempt >= r.opts.MaxAttempts
	next := now.Add(r.backoff(attempt))
	if err := r.store.MarkMailFailed(rctx, m.ID, sendErr.Error(), next, final); err != nil {
		return false, err
	}
	if final {
		r.log.ErrorContext(ctx, "courriel abandonné", "outbox_id", m.ID, "attempts", attempt, "error", sendErr)
	} else {
		r.log.WarnContext(ctx, "échec d'envoi du courriel", "outbox_id", m.ID, "attempts", attempt,
			"next_attempt_at", next, "error", sendErr)
	}
	return false, nil
}

// backoff is the wait after the attempt-th failed attempt (1, 2, …):
// Backoff, then doubled each time, at most MaxBackoff.
func (r *Relay) backoff(attempt int) time.Duration {
	d := r.opts.Backoff
	for i := 1; i < attempt && d < r.opts.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, r.opts.MaxBackoff)
}

// messageOf turns an outbox row into the message to send. Its Message-ID
// depends on the row only, so a mail sent twice carries the same one.
func messageOf(m store.Mail) Message {
	msg := Message{
		To: m.To, Subject: m.Subject, Text: m.Text, HTML: m.HTML, Date: m.CreatedAt,
		MessageID: "permis.outbox." + strconv.FormatInt(m.ID, 10) + "." + strconv.FormatInt(m.CreatedAt.UnixNano(), 36),
	}
	for _, a := range m.Attachments {
		msg.Attachments = append(msg.Attachments, Attachment{Filename: a.Filename, ContentType: a.ContentType, Data: a.Data})
	}
	return msg
}

// Package sms sends the service's text messages: a Provider interface that
// an operator's SMS gateway implements, a provider that only logs (the
// demo's, and the default without a gateway), the relay that sends the
// messages of the database outbox, and the check of a French mobile number.
//
// Like mail, a message is written to the outbox in the transaction of the
// change it announces (store.EnqueueSMS), and sent afterwards: a change is
// never lost for an unreachable gateway, and never announced if it rolled
// back.
package sms

import (
	"context"
	"errors"
	"log/slog"
	"strings"

	"permis/internal/apperr"
	"permis/internal/store"
)

// Provider is an SMS gateway.
type Provider interface {
	Send(ctx context.Context, to, text string) error
}

// Log is the provider without a gateway: it logs that a message would have
// been sent, with the number masked and without the text.
type Log struct{ Logger *slog.Logger }

// Send logs the message.
func (l Log) Send(ctx context.Context, to, text string) error {
	l.Logger.InfoContext(ctx, "SMS (aucune passerelle configurée : non envoyé)", "à", Mask(to), "caractères", len([]rune(text)))
	return nil
}

// Mask keeps the last two digits of a number: "+33 6 •• •• •• 78".
func Mask(e164 string) string {
	if len(e164) < 4 {
		return "••"
	}
	return e164[:3] + strings.Repeat("•", len(e164)-5) + e164[len(e164)-2:]
}

// ParseMobile accepts a French mobile number as people type it ("06 12 34
// 56 78", "+33 6 12 34 56 78", "0033612345678", with spaces, dots or
// dashes) and returns it in E.164 ("+33612345678").
func ParseMobile(s string) (string, error) {
	d := strings.Map(func(r rune) rune {
		switch {
		case r >= '0' && r <= '9', r == '+':
			return r
		case r == ' ' || r == '.' || r == '-' || r == '\u00a0':
			return -1
		}
		return 'x'
	}, strings.TrimSpace(s))
	switch {
	case strings.HasPrefix(d, "+33"):
		d = "0" + d[3:]
	case strings.HasPrefix(d, "0033"):
		d = "0" + d[4:]
	}
	if len(d) != 10 || (d[:2] != "06" && d[:2] != "07") || strings.Trim(d, "0123456789") != "" {
		return "", apperr.Field("phone", "Saisissez un numéro de téléphone mobile français, par exemple 06 12 34 56 78.")
	}
	return "+33" + d[1:], nil
}

// Flush sends the pending messages of the outbox through p, in batches,
// and returns how many were sent. A message the provider refuses is marked
// failed after 5 attempts, pending again before.
func Flush(ctx context.Context, s *store.Store, p Provider) (int, error) {
	sent := 0
	for {
		ms, err := s.ClaimSMS(ctx, 20)
		if err != nil || len(ms) == 0 {
			return sent, err
		}
		for _, m := range ms {
			status := "sent"
			if err := p.Send(ctx, m.To, m.Body); err != nil {
				status = "pending"
				if m.Attempts >= 5 {
					status = "failed"
				}
			} else {
				sent++
			}
			if err := s.MarkSMS(context.WithoutCancel(ctx), m.ID, status); err != nil {
				return sent, err
			}
		}
		if ctx.Err() != nil {
			return sent, ctx.Err()
		}
	}
}

// Recorder is a provider for tests: it keeps what it was given.
type Recorder struct {
	Sent []string // "to: text"
	Fail bool
}

// Send records the message, or fails when Fail is set.
func (r *Recorder) Send(_ context.Context, to, text string) error {
	if r.Fail {
		return errors.New("sms: passerelle indisponible")
	}
	r.Sent = append(r.Sent, to+": "+text)
	return nil
}

package app

import (
	"context"
	"time"
)

// MailRetention is how long a mail's body (its links and one-time tokens)
// stays in the outbox once handed over: long enough for the help desk to
// check what a person was sent, short enough that a copy of the database
// holds no working link (issue 10, finding 14). The reset and activation
// links themselves expire sooner.
const MailRetention = 7 * 24 * time.Hour

// Housekeeping removes what must not be kept: mail bodies past
// MailRetention, rate-limit and failure counters past the longest window
// in use, and abandoned drafts after a warning (drafts.go). It returns how many rows it changed; `permis serve` runs
// it every hour.
func (a *App) Housekeeping(ctx context.Context) (int, error) {
	now := a.clock.Now()
	n, err := a.store.PurgeMailBodies(ctx, now.Add(-MailRetention))
	if err != nil {
		return int(n), err
	}
	m, err := a.store.PruneRateLimits(ctx, now.Add(-max(loginForget, totpForget)))
	if err != nil {
		return int(n + m), err
	}
	d, err := a.purgeDrafts(ctx)
	return int(n+m) + d, err
}

package app

import (
	"context"

	"permis/internal/audit"
	"permis/internal/clock"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/jobs"
	"permis/internal/payment"
	"permis/internal/points"
	"permis/internal/store"
)

// Kernel is what a capability package shares with the application. A new
// capability (contests, medical fitness, exams…) lands as its own package
// under internal/app (internal/app/<capability>) over this kernel instead of
// growing package app: each stays readable in one sitting, and package app
// stays under the size where it would have to be cut (docs/decisions.md,
// "Capability packages"). The kernel gives the same store, clock, audit
// log, issuer and providers as the use cases of package app, so a rule
// written in a capability package is audited, dated and signed exactly like
// one written here.
type Kernel struct {
	Store     *store.Store
	Clock     clock.Clock
	Rules     *points.Rules
	Exams     exam.Config // the exams' figures (Config.Exams)
	Issuer    Issuer
	Files     files.Storage    // nil: uploads unavailable
	Payments  payment.Provider // nil: payments unavailable
	Jobs      *jobs.Queue      // nil: background work unavailable
	PublicURL string
	app       *App
}

// Kernel returns what capability packages build on.
func (a *App) Kernel() Kernel {
	return Kernel{
		Store: a.store, Clock: a.clock, Rules: a.rules, Exams: a.exams, Issuer: a.issuer, Files: a.files,
		Payments: a.payments, Jobs: a.jobs, PublicURL: a.publicURL, app: a,
	}
}

// Audit records a read (or an action outside a transaction) in the audit
// log; it returns only once the entry is stored, so a read is never
// answered before its trace exists.
func (k Kernel) Audit(ctx context.Context, req Request, action, subjectType, subjectID string) error {
	return k.app.audit.Record(ctx, k.app.entry(req, action, subjectType, subjectID))
}

// AuditTx writes the audit entry of a change inside the change's own
// transaction, so the change and its trace commit together.
func (k Kernel) AuditTx(ctx context.Context, tx *store.Store, req Request, action, subjectType, subjectID string) error {
	return k.app.auditTx(ctx, tx, req, action, subjectType, subjectID)
}

// Entry is the audit entry a use case would write, for callers that batch.
func (k Kernel) Entry(req Request, action, subjectType, subjectID string) audit.Entry {
	return k.app.entry(req, action, subjectType, subjectID)
}

// IssuerName is the name that signs letters and documents.
func (k Kernel) IssuerName() string { return k.app.issuerName() }

// MailSignature ends every mail the service sends.
const MailSignature = mailSignature

// StudentNEPH gives the NEPH a school's first-licence request for the
// student of mandate m carries ("" for none), so it finds the CEPC.
type StudentNEPH func(ctx context.Context, m store.Mandate) (string, error)

// OnStudentNEPH sets the hook (the exams capability: docs/exams.md).
func (k Kernel) OnStudentNEPH(f StudentNEPH) { k.app.studentNEPH.Store(&f) }

// Package fines is the capability "contesting a fine and its points"
// (issue 12) over app.Kernel: notices (avis de contravention), their
// payment, contest and designation of the driver, the OMP's decisions, the
// non-designation fine of companies, and the link to the points register.
// The rules themselves (deadlines, documents, deposits, admissibility) are
// in the pure package internal/contest; this package applies them to the
// store, in one transaction per change, with its mail and audit entry.
//
// # API for the pages (citizen portal, company pages, back office)
//
// Build once: svc := fines.New(a.Kernel(), fines.DefaultConfig()).
// Every method takes the acting app.Request explicitly. Errors are
// apperr errors: Invalid carries French messages per form field (the keys
// below), NotFound, Conflict (the notice changed meanwhile), Forbidden.
//
// Anyone holding the paper notice (number + plate, no account):
//   - FindNotice(ctx, req, number, plate) (NoticeView, error): the notice,
//     its state and StateLabel, Deadline (JJ/MM/AAAA via .French()), Due and
//     Rate today, CanPay / CanContest / CanDesignate, Contests, Payments,
//     Designation. Field keys: "number", "plate". Audited.
//     Where CanContest is true, pages must warn "ne payez pas si vous
//     contestez".
//   - StartPayment(ctx, req, number, plate, returnPath) (payment.Session,
//     error): redirect the browser to Session.RedirectURL. The provider's
//     callback (POST app.PaymentCallbackPath) must hand every result whose
//     Reference satisfies fines.IsPayment to PaymentNotified (the other
//     references are stamps: app.StampPaid).
//   - Contest(ctx, req, ContestInput, returnPath) (ContestResult, error):
//     grounds in contest.Grounds() order (sold first; GroundLabel), the
//     documents contest.RequiredDocuments(ground) (DocumentLabel), uploaded
//     (DocumentInput.Body) or declared sent by post (Body nil). Field keys:
//     "number", "plate", "ground" (also the late-contest message),
//     "reasons", "email", "deposit", "documents.<kind>" (missing piece),
//     "documents[i]" (refused file). Ground other_driver is refused with a
//     message on "ground": use DesignateDriver. When the offence itself is
//     contested, ContestResult.Deposit is the consignation's payment
//     session; StartDepositPayment starts it again.
//   - DesignateDriver(ctx, req, DesignationInput) (Designated, error):
//     persons and companies alike (for the CSV, call it per row and report
//     each row's error). Field keys: "number", "plate",
//     "driver.family_name", "driver.given_names", "driver.birth_date",
//     "driver.address", "driver.licence_number", "driver.email".
//
// A signed-in citizen (role citizen):
//   - ListMyNotices(ctx, req) ([]NoticeView, error): notices whose holder
//     is the citizen's linked licence. Audited.
//
// The OMP (role prosecutor; anyone else gets Forbidden):
//   - Queue(ctx, req, QueueQuery{State, After, Limit}) (QueuePage, error):
//     by deadline then filing; QueuePage.Total counts up to CountLimit
//     (More beyond), QueuePage.Next is the cursor of the next
//     page. QueueStates and StateLabel list and name the states.
//   - ContestFile(ctx, req, ref) (ContestFile, error): the contest, its
//     documents, notice, payments, decisions, and Allowed decisions.
//   - OpenDocument(ctx, req, ref, docID) (io.ReadCloser, store.ContestDocument, error).
//   - Decide(ctx, req, refs, DecisionInput) (int, error): one decision on
//     one or several contests (bulk), all or none. Field keys: "kind",
//     "reasons", "court_final_on", "driver.*", "contests".
//
// Background (system actor):
//   - PaymentNotified(ctx, payment.Result) (PaymentOutcome, error).
//   - IssueNonDesignationFines(ctx) (NonDesignationSummary, error) and
//     CloseUnpaidDeposits(ctx) (int, error): the nightly steps
//     (`permis contest nightly`).
//
// # The register link
//
// Each establishment of an offence — a payment, an inadmissible contest
// whose deposit is kept as payment, a final conviction — adds one offence
// event to the holder's points ledger, with the id EventID(number), through
// store.ImportOffences (the path of the bulk import): recorded once
// whatever the retries, dated by the establishment (L223-1), its letters
// (48, 48N, 48M, 48SI) derived by the points engine. A dropped contest, an
// acquittal, a designation, a company's notice withdraw nothing.
package fines

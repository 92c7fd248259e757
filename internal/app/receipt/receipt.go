// Package receipt issues the receipts of the steps people take on a fine's
// notice — a contest, a designation of the driver, a payment — as a PDF
// with a signed 2D-Doc and its accessible version, like the statements.
// The caller (the citizen portal) gives what the receipt says, read through
// internal/app/fines, which checked that the notice is the person's; this
// package signs, draws and audits. The 2D-Doc's fields are documented in
// docs/contest.md ("Receipts").
package receipt

import (
	"context"
	"strconv"
	"strings"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/statement"
	"permis/internal/twoddoc"
)

// DocType is the 2D-Doc document type of a fine's receipt. No public type
// exists for it; ZA is ours, like E4 "ADP" (docs/2ddoc.md).
const DocType = "ZA"

// Receipt is what a receipt says.
type Receipt struct {
	Step       statement.FineStep
	Reference  string // the step's reference: the contest's, the designation's or the payment's
	Notice     string // the notice's number
	Plate      string
	Offence    string
	Committed  date.Date
	RecordedAt time.Time
	Deadline   date.Date // the last day of the step (statement.FineReceipt.Deadline)
	Amount     int       // euros paid, or deposited with a contest; 0 for none
	Details    [][2]string
	NextSteps  []string
}

// stepCodes are the Z1 values of each step.
var stepCodes = map[statement.FineStep]string{
	statement.FineContest: "CON", statement.FineDesignation: "DES", statement.FinePayment: "PAI",
}

// Fields returns the 2D-Doc's signed fields of r, in their order: 01 the
// reference, Z1 the step, Z0 the notice, A1 the plate, AD the offence's
// date, Z2 when it was recorded (Europe/Paris), Z3 the deadline, Z4 the
// amount.
func Fields(r Receipt) ([]twoddoc.Field, error) {
	code, ok := stepCodes[r.Step]
	if !ok {
		return nil, apperr.New(apperr.Internal, "Ce récépissé n'existe pas.")
	}
	fields := []twoddoc.Field{
		twoddoc.TextField("01", r.Reference),
		{ID: "Z1", Value: code},
		twoddoc.TextField("Z0", strings.ReplaceAll(r.Notice, " ", "")),
	}
	if r.Plate != "" {
		fields = append(fields, twoddoc.TextField("A1", r.Plate))
	}
	if r.Committed != 0 {
		f, err := twoddoc.DateField("AD", r.Committed)
		if err != nil {
			return nil, err
		}
		fields = append(fields, f)
	}
	fields = append(fields, twoddoc.Field{ID: "Z2", Value: r.RecordedAt.In(date.Paris()).Format("020120061504")})
	f, err := twoddoc.DateField("Z3", r.Deadline)
	if err != nil {
		return nil, err
	}
	fields = append(fields, f)
	if r.Amount > 0 {
		fields = append(fields, twoddoc.Field{ID: "Z4", Value: strconv.Itoa(r.Amount)})
	}
	return fields, nil
}

// Issue signs r's 2D-Doc, draws the receipt in both forms and records the
// read of the notice in the audit log.
func Issue(ctx context.Context, k app.Kernel, req app.Request, r Receipt) (app.Issued, error) {
	if k.Issuer.Signer == nil {
		return app.Issued{}, apperr.New(apperr.Unavailable, "La délivrance des documents signés est momentanément indisponible.")
	}
	now := k.Clock.Now()
	fields, err := Fields(r)
	if err != nil {
		return app.Issued{}, err
	}
	today := date.Today(now)
	code, err := k.Issuer.Signer.Issue(twoddoc.Header{Version: 4, IssueDate: date.Some(today), SignatureDate: date.Some(today),
		DocType: DocType, Perimeter: "01", Country: "FR"}, fields)
	if err != nil {
		return app.Issued{}, apperr.Wrap(apperr.Internal, "Le récépissé n'a pas pu être signé.", err)
	}
	sym, err := twoddoc.Modules(code)
	if err != nil {
		return app.Issued{}, apperr.Wrap(apperr.Internal, "Le code du récépissé n'a pas pu être dessiné.", err)
	}
	issuer := k.Issuer.Name
	if issuer == "" {
		issuer = "Service Permis de conduire"
	}
	doc, err := statement.RenderFineReceipt(statement.FineReceipt{
		Document: statement.Document{Reference: r.Reference, IssuedAt: now, Issuer: issuer, ServiceURL: k.PublicURL,
			Barcode: sym, BarcodeText: code},
		Step: r.Step, Notice: r.Notice, Plate: r.Plate, Offence: r.Offence, Committed: r.Committed,
		RecordedAt: r.RecordedAt, Deadline: r.Deadline, Details: r.Details, NextSteps: r.NextSteps,
	})
	if err != nil {
		return app.Issued{}, apperr.Wrap(apperr.Internal, "Le récépissé n'a pas pu être produit.", err)
	}
	if err := k.Audit(ctx, req, "fine.receipt_"+string(r.Step), "notice", r.Notice); err != nil {
		return app.Issued{}, err
	}
	return app.Issued{Reference: r.Reference, Kind: "recepisse-" + string(r.Step), PDF: doc.PDF, Outline: doc.Outline,
		Barcode: code, Filename: filename(r)}, nil
}

func filename(r Receipt) string {
	name := map[statement.FineStep]string{
		statement.FineContest: "contestation", statement.FineDesignation: "designation", statement.FinePayment: "paiement",
	}[r.Step]
	return "recepisse-" + name + "-" + r.Reference + ".pdf"
}

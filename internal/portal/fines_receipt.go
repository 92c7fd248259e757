package portal

import (
	"net/http"
	"strconv"
	"strings"

	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/app/receipt"
	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/payment"
	"permis/internal/statement"
	"permis/internal/store"
)

// The receipts of the notice found — its contest, its designation, its
// payment — as a PDF with a signed 2D-Doc and as an accessible page, both
// drawn from what the notice records now (internal/app/receipt).

// receiptOf builds the receipt of step ("contestation", "designation",
// "paiement") of notice v; not_found when the notice has none.
func (p *Portal) receiptOf(v fines.NoticeView, step string) (receipt.Receipt, error) {
	r := receipt.Receipt{Notice: v.Number, Plate: v.Plate, Offence: v.Nature, Committed: v.Committed}
	none := apperr.New(apperr.NotFound, "Cet avis n'a pas de récépissé de ce type.")
	switch step {
	case "contestation":
		c, ok := latestContest(v)
		if !ok {
			return r, none
		}
		r.Step, r.Reference, r.RecordedAt, r.Deadline, r.Amount = statement.FineContest, c.Reference, c.CreatedAt, c.Deadline, c.Deposit
		docs := make([]string, 0, len(c.Documents))
		for _, d := range c.Documents {
			how := "jointe"
			if d.FileKey == "" {
				how = "envoyée par courrier"
			}
			docs = append(docs, fines.DocumentLabel(d.Kind)+" ("+how+")")
		}
		r.Details = [][2]string{{"Motif", fines.GroundLabel(c.Ground)}}
		if len(docs) > 0 {
			r.Details = append(r.Details, [2]string{"Pièces", strings.Join(docs, " ; ")})
		}
		if c.Deposit > 0 {
			r.Details = append(r.Details, [2]string{"Consignation", strconv.Itoa(c.Deposit) + " € (" + depositState(v, c) + ")"})
		}
		r.Details = append(r.Details, [2]string{"État", contestStateLabels[c.State]})
		r.NextSteps = []string{"L'officier du ministère public examine la contestation et vous écrit sa décision.",
			"Ne payez pas l'amende pendant l'examen : aucun point n'est retiré tant que l'infraction n'est pas établie."}
	case "designation":
		d := v.Designation
		if d == nil {
			return r, none
		}
		r.Step, r.Reference, r.RecordedAt, r.Deadline = statement.FineDesignation, "DES-"+v.Number, d.DesignatedAt, v.Deadline
		r.Details = [][2]string{{"Conducteur désigné", strings.TrimSpace(d.GivenNames + " " + d.FamilyName)}}
		if d.BirthDate.Valid {
			r.Details = append(r.Details, [2]string{"Né(e) le", d.BirthDate.Date.French()})
		}
		r.Details = append(r.Details, [2]string{"Adresse", d.Address}, [2]string{"Permis", d.LicenceNumber})
		r.NextSteps = []string{"Votre avis est clos : vous ne payez pas l'amende et ne perdez aucun point.",
			"Un nouvel avis est envoyé au conducteur désigné, avec un nouveau délai de 45 jours."}
	case "paiement":
		pm, ok := finePaid(v)
		if !ok {
			return r, none
		}
		r.Step, r.Reference, r.RecordedAt = statement.FinePayment, "PAI-"+v.Number, pm.CreatedAt
		r.Amount = int(pm.AmountCents / 100)
		r.Deadline = paidBefore(v, pm, p.fines.Config().Rules)
		r.Details = [][2]string{{"Montant payé", payment.FormatAmount(int(pm.AmountCents))}, {"Payé le", pm.PaidOn.French()},
			{"Référence du paiement", pm.ProviderRef}}
		r.NextSteps = []string{"Le paiement met fin à la procédure : l'infraction est établie à la date du paiement."}
		if v.Points > 0 && v.Holder.Kind == contest.Person {
			r.NextSteps = append(r.NextSteps, "Les "+strconv.Itoa(v.Points)+" point(s) de l'infraction sont retirés du permis du titulaire de l'avis, à la date du paiement (article L223-1 du code de la route).")
		}
	default:
		return r, apperr.New(apperr.NotFound, "Ce récépissé n'existe pas.")
	}
	return r, nil
}

func depositState(v fines.NoticeView, c store.Contest) string {
	for _, pm := range v.Payments {
		if pm.Kind == store.PaymentDeposit {
			return "reçue le " + pm.PaidOn.French()
		}
	}
	if c.State == store.ContestDepositDue {
		return "à payer"
	}
	return "non reçue"
}

// paidBefore is the last day of the rate paid: the reduced or standard
// online period from the sending (F34207), or the contest deadline.
func paidBefore(v fines.NoticeView, pm store.FinePayment, cfg contest.Config) date.Date {
	euros := int(pm.AmountCents / 100)
	for _, pp := range cfg.Payment {
		if (pp.Rate == contest.Reduced && euros == v.Reduced) || (pp.Rate == contest.Standard && euros == v.Fine) {
			return v.Sent.AddDays(pp.OnlineDays)
		}
	}
	return v.Deadline
}

// fineReceipt issues the receipt of the notice found, in both forms.
func (p *Portal) fineReceipt(w http.ResponseWriter, r *http.Request) (app.Issued, bool, error) {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return app.Issued{}, false, noticeOr(w, r, err)
	}
	rc, err := p.receiptOf(v, r.PathValue("step"))
	if err != nil {
		return app.Issued{}, false, err
	}
	is, err := receipt.Issue(r.Context(), p.app.Kernel(), request(r), rc)
	return is, err == nil, err
}

// fineReceiptPDF sends a receipt of the notice found as a PDF.
func (p *Portal) fineReceiptPDF(w http.ResponseWriter, r *http.Request) error {
	is, ok, err := p.fineReceipt(w, r)
	if !ok {
		return err
	}
	return sendPDF(w, is)
}

// fineReceiptHTML shows a receipt's accessible version (RGAA 13.3).
func (p *Portal) fineReceiptHTML(w http.ResponseWriter, r *http.Request) error {
	is, ok, err := p.fineReceipt(w, r)
	if !ok {
		return err
	}
	return p.documentView(w, r, is.Outline, is.Reference, noticeURL, "Retour à l'avis")
}

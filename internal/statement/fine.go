package statement

import (
	"errors"
	"strings"
	"time"

	"permis/internal/date"
	"permis/internal/pdftext"
)

// FineStep is the step a fine's receipt attests.
type FineStep string

// The steps a holder or a driver takes on a notice (docs/contest.md).
const (
	FineContest     FineStep = "contest"     // contestation: requête en exonération (CPP 529-2) or réclamation (CPP 530)
	FineDesignation FineStep = "designation" // désignation du conducteur (CPP 529-10 2°, C. route L121-6)
	FinePayment     FineStep = "payment"     // paiement de l'amende
)

const fineLegal = "Récépissé délivré par voie électronique. Il atteste l'enregistrement de la démarche à la date " +
	"indiquée ; il ne préjuge pas de la décision de l'officier du ministère public. Conservez-le avec l'avis de contravention."

// FineReceipt is the input of RenderFineReceipt: the receipt of a contest,
// a designation or a payment of a fine's notice, with the same signed
// 2D-Doc and verification as the statements. The caller gives the lines of
// the step (Details) in French; this package lays them out.
type FineReceipt struct {
	Document
	Step       FineStep
	Notice     string    // the notice's number
	Plate      string    // the vehicle's registration
	Offence    string    // the offence's nature, "" when not known
	Committed  date.Date // the offence's date; 0 when not known
	RecordedAt time.Time // when the step was recorded
	// Deadline is the last day of the step, at midnight: to contest or
	// designate (CPP 529-2, 530, L121-6), or to pay at the rate paid.
	Deadline date.Date
	// Details are the step's own lines: the ground and its documents, the
	// driver designated, the amount and the rate paid.
	Details [][2]string
	// NextSteps say what happens next, one sentence each.
	NextSteps []string
}

// fineTitles names each step's receipt and says what it attests.
var fineTitles = map[FineStep][3]string{
	FineContest: {"Récépissé de contestation", "Votre contestation de l'avis de contravention est enregistrée.",
		"Votre contestation"},
	FineDesignation: {"Récépissé de désignation du conducteur", "La désignation du conducteur est enregistrée.",
		"Le conducteur désigné"},
	FinePayment: {"Récépissé de paiement", "Le paiement de l'amende est enregistré.", "Votre paiement"},
}

// Title is the receipt's name, as printed.
func (s FineStep) Title() string { return fineTitles[s][0] }

// RenderFineReceipt writes the receipt of step on a notice: the reference,
// the notice, when it was recorded and the deadline it was recorded
// before, the step's details, what happens next and how to verify the
// document; with its outline for the accessible version.
func RenderFineReceipt(r FineReceipt) (Rendered, error) {
	if err := checkDocument(r.Document); err != nil {
		return Rendered{}, err
	}
	t, ok := fineTitles[r.Step]
	if !ok {
		return Rendered{}, errors.New("statement: unknown fine step " + string(r.Step))
	}
	if strings.TrimSpace(r.Notice) == "" || r.RecordedAt.IsZero() || r.Deadline == 0 {
		return Rendered{}, errors.New("statement: a fine's receipt needs the notice, the time recorded and the deadline")
	}
	b := newBuilder(r.Document, meta{
		title:   t[0],
		subject: t[0] + " — avis de contravention n° " + r.Notice,
		issued:  "délivré",
		running: t[0] + " — avis n° " + r.Notice,
		legal:   fineLegal,
	})
	deadline := "Date limite"
	if r.Step == FinePayment {
		deadline = "Payé avant le"
	}
	err := b.titleBlock(t[0], t[1], [][2]string{
		{"Référence", r.Reference},
		{"Enregistré le", pdftext.FrenchDateTime(r.RecordedAt)},
		{"Avis n°", r.Notice},
		{deadline, r.Deadline.French() + " à minuit"},
	})
	if err != nil {
		return Rendered{}, err
	}
	notice := [][2]string{{"Numéro de l'avis", r.Notice}}
	if r.Plate != "" {
		notice = append(notice, [2]string{"Immatriculation", r.Plate})
	}
	if r.Offence != "" {
		notice = append(notice, [2]string{"Infraction", r.Offence})
	}
	if r.Committed != 0 {
		notice = append(notice, [2]string{"Date de l'infraction", r.Committed.French()})
	}
	b.fieldsSection("L'avis de contravention", notice)
	if len(r.Details) > 0 {
		b.fieldsSection(t[2], r.Details)
	}
	if len(r.NextSteps) > 0 {
		b.paragraphSection("Et ensuite ?", strings.Join(r.NextSteps, " "))
	}
	b.paragraphSection("Vérifier ce récépissé", "Ce récépissé porte un code 2D-Doc signé : lisez-le, ou collez le texte "+
		"imprimé sous le code sur "+trimSlash(r.ServiceURL)+"/verifier, pour vérifier qu'il n'a pas été modifié. "+
		"La référence "+r.Reference+" vous sert à suivre la démarche et à écrire au service.")
	return b.rendered()
}

package app

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"

	"permis/internal/date"
	"permis/internal/store"
)

// The return letter of a paper file: one A4 page in French, the address
// placed for a window envelope (DL, window on the right), the reason
// (requests are online only since November 2017), the online path step by
// step and where to get help (§12: 3400, points numériques, France
// Services).

// paperHelp are the help channels the letter lists (REFERENCE §12). They
// change with the service's organisation, not with the law: kept here, in
// one place.
var paperHelp = []string{
	"Par téléphone : 3400 (prix d'un appel local).",
	"Dans un point numérique de votre préfecture ou sous-préfecture : un médiateur vous aide à faire la démarche " +
		"sur place, avec un ordinateur, un scanner et une imprimante.",
	"Dans une maison France Services près de chez vous : des agents formés vous accompagnent dans vos démarches " +
		"en ligne, dont celles du permis de conduire.",
}

var frenchMonths = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// frenchLongDate writes a day as a letter does: "3 mars 2025", "1er mars 2025".
func frenchLongDate(d date.Date) string {
	y, m, day := d.Civil()
	n := fmt.Sprint(day)
	if day == 1 {
		n = "1er"
	}
	return fmt.Sprintf("%s %s %d", n, frenchMonths[m-1], y)
}

// PaperReturnLetter renders the letter that sends the paper file p back,
// dated now, pointing to the service at publicURL, signed by issuer ("":
// the service's generic name).
func PaperReturnLetter(p store.PaperFile, now time.Time, publicURL, issuer string) ([]byte, error) {
	if issuer == "" {
		issuer = "Service des permis de conduire"
	}
	if publicURL == "" {
		publicURL = "http://localhost:8080"
	}
	const left, width = 20.0, 170.0
	pdf := fpdf.New("P", "mm", "A4", "")
	tr := pdf.UnicodeTranslatorFromDescriptor("") // cp1252, the core fonts' code page
	today := date.Today(now)
	pdf.SetTitle("Retour de votre dossier papier — "+p.Reference, true)
	pdf.SetAuthor(issuer, true)
	pdf.SetCreator("Permis", true)
	pdf.SetCreationDate(now)
	pdf.SetModificationDate(now)
	pdf.SetLang("fr")
	pdf.SetMargins(left, 20, left)
	pdf.SetAutoPageBreak(true, 12)
	pdf.AddPage()

	pdf.SetFont("Helvetica", "B", 11)
	pdf.CellFormat(width/2, 6, tr(issuer), "", 1, "L", false, 0, "")
	pdf.SetFont("Helvetica", "", 9)
	pdf.CellFormat(width/2, 5, tr("Référence à rappeler : "+p.Reference), "", 1, "L", false, 0, "")

	// The recipient, in the window of a DL envelope.
	pdf.SetXY(110, 45)
	pdf.SetFont("Helvetica", "", 11)
	for _, l := range append([]string{p.SenderName}, strings.Split(p.Address, "\n")...) {
		pdf.SetX(110)
		pdf.CellFormat(80, 5.5, tr(l), "", 1, "L", false, 0, "")
	}

	pdf.SetXY(left, 82)
	pdf.CellFormat(width, 6, tr("Le "+frenchLongDate(today)), "", 1, "R", false, 0, "")
	pdf.Ln(3)
	pdf.SetFont("Helvetica", "B", 10.5)
	pdf.MultiCell(width, 5.2, tr("Objet : retour de votre dossier papier — les demandes de permis de conduire se font en ligne"), "", "L", false)
	pdf.Ln(4)

	para := func(s string) {
		pdf.SetFont("Helvetica", "", 10)
		pdf.MultiCell(width, 4.8, tr(s), "", "L", false)
		pdf.Ln(2)
	}
	heading := func(s string) {
		pdf.SetFont("Helvetica", "B", 10)
		pdf.MultiCell(width, 5, tr(s), "", "L", false)
		pdf.Ln(0.5)
	}
	list := func(items []string, numbered bool) {
		pdf.SetFont("Helvetica", "", 10)
		for i, it := range items {
			mark := "•"
			if numbered {
				mark = fmt.Sprintf("%d.", i+1)
			}
			y := pdf.GetY()
			pdf.SetXY(left+2, y)
			pdf.CellFormat(6, 4.8, tr(mark), "", 0, "L", false, 0, "")
			pdf.SetXY(left+8, y)
			pdf.MultiCell(width-8, 4.8, tr(it), "", "L", false)
			pdf.Ln(0.6)
		}
		pdf.Ln(1)
	}

	para("Madame, Monsieur,")
	para("Nous avons reçu par la poste, le " + frenchLongDate(p.ReceivedOn) + ", votre envoi : " + strings.TrimRight(p.Contents, ". ") + ".")
	para("Depuis novembre 2017, les demandes de permis de conduire se font uniquement en ligne. Nous ne pouvons donc " +
		"pas instruire un dossier envoyé sur papier : nous vous le retournons avec ce courrier, accompagné des pièces " +
		"qu'il contenait. Aucune demande n'a été enregistrée à votre nom.")
	heading("Comment faire votre demande en ligne")
	list([]string{
		"Rendez-vous sur " + publicURL + " et connectez-vous, ou créez votre compte (vous pouvez utiliser FranceConnect).",
		"Dans « Mes démarches », choisissez votre demande (perte, vol, renouvellement, nouvelle catégorie…) et " +
			"répondez aux questions, une par page. Votre brouillon est enregistré à chaque étape.",
		"Joignez vos justificatifs numérisés ou photographiés (PDF, JPEG ou PNG).",
		"Pour la photo et la signature, rendez-vous chez un photographe ou dans une cabine agréés : ils vous remettent " +
			"un code ePhoto de 22 caractères à saisir dans la demande.",
		"Si un timbre fiscal est nécessaire, vous pouvez l'acheter au cours de la démarche.",
		"Après l'envoi, vous recevez un numéro de demande et suivez chaque étape en ligne.",
	}, true)
	heading("Besoin d'aide ?")
	list(paperHelp, false)
	para("Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations distinguées.")
	pdf.SetFont("Helvetica", "B", 10)
	pdf.CellFormat(width, 6, tr(issuer), "", 1, "R", false, 0, "")

	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("paper letter: writing the PDF: %w", err)
	}
	return buf.Bytes(), nil
}

package app

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/secret"
	"permis/internal/store"
)

// Paper files (issue 4 item 9): since November 2017 licence requests are
// filed online only. An agent records a paper file received by post — who
// sent it, where to send it back, when it came, what it was — and prints
// the letter that returns it with the way to do it online and where to
// get help. Both the recording and every printing are audited: the file
// holds a name and an address.

// Limits of a paper file's fields. The address follows the French postal
// standard (NF Z10-011): at most 6 lines of 38 characters.
const (
	paperNameMax      = 100
	paperAddressLines = 6
	paperAddressWidth = 38
	paperContentsMax  = 500
	paperListMax      = 200
)

// PaperFileInput is what the agent types, as the form sends it.
type PaperFileInput struct {
	SenderName string
	Address    string // one line of the envelope per line
	ReceivedOn string // YYYY-MM-DD
	Contents   string // what the envelope held
}

// RecordPaperFile records a paper file received by post; its letter is
// then PaperLetter's. Agents and administrators only.
func (a *App) RecordPaperFile(ctx context.Context, req Request, in PaperFileInput) (store.PaperFile, error) {
	me, err := a.authorizeAgent(req)
	if err != nil {
		return store.PaperFile{}, err
	}
	now := a.clock.Now()
	p, problems := checkPaperFile(in, date.Today(now))
	if problems != nil {
		return store.PaperFile{}, &apperr.Error{Code: apperr.Invalid, Message: "Le courrier ne peut pas être enregistré.", Fields: problems}
	}
	p.RecordedBy = me
	p.Reference = "COU-" + secret.FormatCode(secret.NewCode(8), 4)
	err = a.store.Transact(ctx, func(tx *store.Store) error {
		if err := tx.CreatePaperFile(ctx, &p); err != nil {
			return err
		}
		return a.auditTx(ctx, tx, req, "paper.create", "paper_file", p.Reference)
	})
	return p, err
}

// checkPaperFile reads the form into a paper file, or says what is wrong
// field by field.
func checkPaperFile(in PaperFileInput, today date.Date) (store.PaperFile, map[string]string) {
	p := map[string]string{}
	name := strings.Join(strings.Fields(in.SenderName), " ")
	switch n := utf8.RuneCountInString(name); {
	case n == 0:
		p["sender_name"] = "Saisissez le nom de l'expéditeur, tel qu'il figure sur l'enveloppe ou le formulaire."
	case n > paperNameMax:
		p["sender_name"] = fmt.Sprintf("Le nom compte %d caractères au plus.", paperNameMax)
	}
	var lines []string
	for l := range strings.Lines(in.Address) {
		if l = strings.Join(strings.Fields(l), " "); l != "" {
			lines = append(lines, l)
		}
	}
	switch {
	case len(lines) < 2:
		p["address"] = "Saisissez l'adresse postale sur au moins deux lignes : le numéro et la voie, puis le code postal et la commune."
	case len(lines) > paperAddressLines:
		p["address"] = fmt.Sprintf("Une adresse postale compte %d lignes au plus.", paperAddressLines)
	default:
		for i, l := range lines {
			if utf8.RuneCountInString(l) > paperAddressWidth {
				p["address"] = fmt.Sprintf("La ligne %d de l'adresse dépasse %d caractères : abrégez-la (norme postale).", i+1, paperAddressWidth)
				break
			}
		}
	}
	received, err := parseDay(in.ReceivedOn)
	switch {
	case strings.TrimSpace(in.ReceivedOn) == "":
		p["received_on"] = "Saisissez la date de réception du courrier."
	case err != nil:
		p["received_on"] = "Saisissez une date valide, par exemple 14/03/2025."
	case today.Before(received):
		p["received_on"] = "La date de réception ne peut pas être dans le futur."
	}
	contents := strings.TrimSpace(in.Contents)
	switch n := utf8.RuneCountInString(contents); {
	case n == 0:
		p["contents"] = "Décrivez ce que contenait l'envoi (par exemple : formulaire de demande de permis, deux photos, copie de la pièce d'identité)."
	case n > paperContentsMax:
		p["contents"] = fmt.Sprintf("La description compte %d caractères au plus.", paperContentsMax)
	}
	if len(p) > 0 {
		return store.PaperFile{}, p
	}
	return store.PaperFile{SenderName: name, Address: strings.Join(lines, "\n"), ReceivedOn: received, Contents: contents}, nil
}

// PaperFiles lists the latest paper files for the agents.
func (a *App) PaperFiles(ctx context.Context, req Request) ([]store.PaperFile, error) {
	if _, err := a.authorizeAgent(req); err != nil {
		return nil, err
	}
	return a.store.ListPaperFiles(ctx, paperListMax)
}

// PaperLetter returns the paper file id and its return letter as a PDF.
// Each printing is audited.
func (a *App) PaperLetter(ctx context.Context, req Request, id int64) (store.PaperFile, []byte, error) {
	if _, err := a.authorizeAgent(req); err != nil {
		return store.PaperFile{}, nil, err
	}
	p, err := a.store.FindPaperFile(ctx, id)
	if err != nil {
		return p, nil, err
	}
	pdf, err := PaperReturnLetter(p, a.clock.Now(), a.publicURL, a.issuer.Name)
	if err != nil {
		return p, nil, err
	}
	if err := a.audit.Record(ctx, a.entry(req, "paper.letter", "paper_file", p.Reference)); err != nil {
		return p, nil, err
	}
	return p, pdf, nil
}

// parseDay reads a day as a date input sends it (YYYY-MM-DD) or as people
// type it (DD/MM/YYYY).
func parseDay(s string) (date.Date, error) {
	s = strings.TrimSpace(s)
	var d, m, y int
	if n, err := fmt.Sscanf(s, "%d/%d/%d", &d, &m, &y); err == nil && n == 3 {
		s = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return date.Parse(s)
}

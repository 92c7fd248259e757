package portal

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/designation"
	"permis/internal/web"
)

// Designating the driver (CPP 529-10 2°, L121-6): one driver on the notice
// found (a person or a company's representative), or, for a company, many
// notices at once with a CSV file and a report line by line. The values are
// read by internal/designation (the same rules for the form and the file),
// then each designation is made by fines.DesignateDriver.

type fineDesignatePage struct {
	web.Page
	V     fines.NoticeView
	In    designation.Input
	Email string // the holder's, for the confirmation
}

func designatePage(v fines.NoticeView) *fineDesignatePage {
	return &fineDesignatePage{Page: web.Page{Title: "Désigner le conducteur — avis n° " + v.Number,
		Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"}, {Href: noticeURL, Text: "Avis n° " + v.Number}, {Text: "Désigner le conducteur"}}}, V: v}
}

// fineDesignateForm shows the designation of the notice found.
func (p *Portal) fineDesignateForm(w http.ResponseWriter, r *http.Request) error {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	if !v.CanDesignate {
		http.Redirect(w, r, noticeURL, http.StatusSeeOther)
		return nil
	}
	w.Header().Set("Cache-Control", "no-store")
	return p.r.Render(w, r, http.StatusOK, "fine_designate.html", designatePage(v))
}

// driverFields maps the application's field keys to the form's inputs.
var driverFields = map[string]string{
	"driver.family_name": string(designation.FieldFamilyName), "driver.given_names": string(designation.FieldGivenNames),
	"driver.birth_date": string(designation.FieldBirthDate), "driver.address": string(designation.FieldAddress),
	"driver.licence_number": string(designation.FieldLicence), "driver.email": string(designation.FieldEmail),
}

// formOrder is the order of the form's inputs, for the error summary.
func formOrder() []string {
	var out []string
	for _, c := range designation.Columns()[2:] {
		out = append(out, string(c))
	}
	return append(out, "holder_email")
}

func (p *Portal) today() date.Date { return date.Today(p.app.Kernel().Clock.Now()) }

// fineDesignate designates the driver of the notice found.
func (p *Portal) fineDesignate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	v, k, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	pg := designatePage(v)
	f := r.PostForm.Get
	pg.In = designation.Input{FamilyName: f("nom"), GivenNames: f("prenoms"), BirthDate: f("date_naissance"), Address: f("adresse"),
		PostalCode: f("code_postal"), Commune: f("commune"), Licence: f("numero_permis"), Email: f("courriel")}
	pg.Email = strings.TrimSpace(f("holder_email"))
	d, problems := designation.Check(pg.In, p.today())
	if len(problems) > 0 {
		fields := map[string]string{}
		for _, pr := range problems {
			fields[string(pr.Field)] = pr.Message
		}
		pg.Errors = web.FieldErrors(fields, formOrder()...)
		return p.r.Render(w, r, http.StatusUnprocessableEntity, "fine_designate.html", pg)
	}
	_, err = p.fines.DesignateDriver(r.Context(), request(r), designationInput(k, d, pg.Email))
	if err != nil {
		if e := apperr.As(err); e.Code == apperr.Invalid && len(e.Fields) > 0 {
			fields := map[string]string{}
			for key, m := range e.Fields {
				if in, ok := driverFields[key]; ok {
					key = in
				}
				fields[key] = m
			}
			pg.Errors = web.FieldErrors(fields, formOrder()...)
			return p.r.Render(w, r, http.StatusUnprocessableEntity, "fine_designate.html", pg)
		}
		return p.refuse(w, r, "fine_designate.html", pg, err)
	}
	http.Redirect(w, r, finesBase+"/designation/confirmation", http.StatusSeeOther)
	return nil
}

func designationInput(k noticeKey, d designation.Driver, holderEmail string) fines.DesignationInput {
	return fines.DesignationInput{Number: k.Number, Plate: k.Plate, Email: holderEmail, Driver: fines.Driver{
		FamilyName: d.FamilyName, GivenNames: d.GivenNames, BirthDate: d.BirthDate.French(), Address: d.PostalAddress(),
		LicenceNumber: d.Licence, Email: d.Email}}
}

// fineDesignated confirms the designation of the notice found.
func (p *Portal) fineDesignated(w http.ResponseWriter, r *http.Request) error {
	v, _, err := p.currentNotice(r)
	if err != nil {
		return noticeOr(w, r, err)
	}
	if v.Designation == nil {
		http.Redirect(w, r, noticeURL, http.StatusSeeOther)
		return nil
	}
	pg := designatePage(v)
	pg.Title = "Conducteur désigné"
	return p.r.Render(w, r, http.StatusOK, "fine_designate_done.html", pg)
}

// bulkLine is one line of the bulk designation's report.
type bulkLine struct {
	Line          int
	Column, Issue string
	Notice        string
	Done          bool
}

type fineBulkPage struct {
	web.Page
	Columns  []designation.Field
	Encoding string
	Lines    []bulkLine // the problems, line by line; or the designations made
	Done     int
	Failed   int
}

func bulkPage() *fineBulkPage {
	return &fineBulkPage{Page: web.Page{Title: "Désigner les conducteurs de plusieurs avis",
		Breadcrumb: []web.Link{{Href: "/", Text: "Accueil"}, {Href: finesBase, Text: "Mes avis de contravention"}, {Text: "Désignation par fichier"}}},
		Columns: designation.Columns()}
}

// fineBulkForm shows the CSV designation for companies.
func (p *Portal) fineBulkForm(w http.ResponseWriter, r *http.Request) error {
	return p.r.Render(w, r, http.StatusOK, "fine_bulk.html", bulkPage())
}

// fineBulk reads the file and designates every driver, or none: every line
// is checked first (its values, then that its notice exists with that plate
// and may still be designated); a file with any problem designates nobody
// and the report lists each problem with its line and column.
func (p *Portal) fineBulk(w http.ResponseWriter, r *http.Request) error {
	pg := bulkPage()
	r.Body = http.MaxBytesReader(w, r.Body, designation.MaxBytes+(1<<20))
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return p.refuse(w, r, "fine_bulk.html", pg, apperr.Field("fichier", "Le fichier dépasse 1 Mo : envoyez-le en plusieurs fichiers de 1 000 lignes au plus."))
		}
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	f, _, err := r.FormFile("fichier")
	if err != nil {
		return p.refuse(w, r, "fine_bulk.html", pg, apperr.Field("fichier", "Choisissez le fichier CSV des désignations."))
	}
	data, err := io.ReadAll(io.LimitReader(f, designation.MaxBytes+1))
	f.Close()
	if err != nil {
		return err
	}
	rep := designation.ParseCSV(data, p.today())
	pg.Encoding = rep.Encoding
	for _, pr := range rep.Problems {
		pg.Lines = append(pg.Lines, bulkLine{Line: pr.Line, Column: string(pr.Field), Issue: pr.Message})
	}
	if len(pg.Lines) == 0 {
		for _, row := range rep.Rows {
			if msg := p.checkBulkRow(r, row); msg != "" {
				pg.Lines = append(pg.Lines, bulkLine{Line: row.Line, Column: string(designation.FieldNotice), Issue: msg, Notice: row.Notice})
			}
		}
	}
	if len(pg.Lines) > 0 {
		pg.Errors = []web.FieldError{{Field: "rapport", Message: "Le fichier contient " + count(len(pg.Lines), "erreur", "erreurs") +
			" : aucune désignation n'a été faite. Corrigez les lignes indiquées, puis envoyez de nouveau tout le fichier."}}
		return p.r.Render(w, r, http.StatusUnprocessableEntity, "fine_bulk.html", pg)
	}
	for _, row := range rep.Rows {
		k := noticeKey{Number: row.Notice, Plate: row.Plate}
		line := bulkLine{Line: row.Line, Notice: row.Notice, Done: true}
		if _, err := p.fines.DesignateDriver(r.Context(), request(r), designationInput(k, row.Driver, "")); err != nil {
			if !apperr.Is(err, apperr.Invalid) && !apperr.Is(err, apperr.Conflict) && !apperr.Is(err, apperr.NotFound) {
				return err
			}
			line.Done, line.Issue = false, apperr.As(err).Message
			pg.Failed++
		} else {
			pg.Done++
		}
		pg.Lines = append(pg.Lines, line)
	}
	return p.r.Render(w, r, http.StatusOK, "fine_bulk.html", pg)
}

// checkBulkRow says why a line's notice cannot be designated, or "".
func (p *Portal) checkBulkRow(r *http.Request, row designation.Row) string {
	v, err := p.fines.FindNotice(r.Context(), request(r), row.Notice, row.Plate)
	switch {
	case apperr.Is(err, apperr.NotFound):
		return "Aucun avis ne correspond à ce numéro et à cette immatriculation."
	case err != nil:
		return apperr.As(err).Message
	case !v.CanDesignate && v.CanContest:
		return "Cet avis ne retire aucun point : il n'y a pas de conducteur à désigner."
	case !v.CanDesignate && v.CanPay:
		return "Le délai pour désigner le conducteur a expiré le " + v.Deadline.French() + " à minuit."
	case !v.CanDesignate:
		return "Cet avis ne peut plus être désigné (état : « " + v.StateLabel + " »)."
	}
	return ""
}

func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

package backoffice

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"permis/internal/app/exams"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/exam"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/store"
	"permis/internal/web"
)

// The road-education bureau's pages (issue 14): publish places of a
// centre's half-day with the opening of their booking, see the published
// half-days, and the examiner's sheet of a half-day, made for a tablet:
// one row per candidate, three large buttons (favourable, unfavourable,
// absent). Forms follow post/redirect/get.

type examBureauPage struct {
	web.Page
	Bureau exams.Bureau
	Form   examPublishForm
}

// examPublishForm is the publication form as typed.
type examPublishForm struct {
	Centre, Day, Half, Places, OpensDay, OpensTime string
}

var examBureauNotices = map[string]web.Notice{
	"publie": {Kind: web.NoticeSuccess, Title: "Places publiées", Text: "Elles sont réservables à l'heure d'ouverture annoncée."},
}

func (b *Backoffice) examBureau(w http.ResponseWriter, r *http.Request) error {
	return b.examBureauPage(w, r, http.StatusOK, examPublishForm{Half: "am", Places: "8"}, nil)
}

func (b *Backoffice) examBureauPage(w http.ResponseWriter, r *http.Request, status int, f examPublishForm, err error) error {
	bu, e := b.exams.BureauPage(r.Context(), request(r))
	if e != nil {
		return e
	}
	pg := &examBureauPage{Page: web.Page{Title: "Places d'examen",
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Text: "Places d'examen"}}}, Bureau: bu, Form: f}
	if n, ok := examBureauNotices[r.URL.Query().Get("fait")]; ok && err == nil {
		pg.Notices = []web.Notice{n}
	}
	if err != nil {
		ae := apperr.As(err)
		if ae.Code != apperr.Invalid {
			return err
		}
		pg.Errors = web.FieldErrors(ae.Fields, "centre", "day", "half", "places", "opens_day", "opens_time")
		if len(pg.Errors) == 0 {
			pg.Errors = []web.FieldError{{Message: ae.Message}}
		}
	}
	return b.r.Render(w, r, status, "bo_exam_bureau.html", pg)
}

func (b *Backoffice) examPublish(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	f := examPublishForm{Centre: r.PostForm.Get("centre"), Day: strings.TrimSpace(r.PostForm.Get("day")), Half: r.PostForm.Get("half"),
		Places: strings.TrimSpace(r.PostForm.Get("places")), OpensDay: strings.TrimSpace(r.PostForm.Get("opens_day")),
		OpensTime: strings.TrimSpace(r.PostForm.Get("opens_time"))}
	in := exams.PublishInput{Half: f.Half, Category: licence.CategoryB}
	p := map[string]string{}
	in.CentreID, _ = strconv.ParseInt(f.Centre, 10, 64)
	var err error
	if in.Day, err = date.ParseTyped(f.Day); err != nil {
		p["day"] = "Saisissez le jour de l'examen au format JJ/MM/AAAA."
	}
	if in.Places, err = strconv.Atoi(f.Places); err != nil {
		p["places"] = "Saisissez un nombre de places, en chiffres."
	}
	od, err1 := date.ParseTyped(f.OpensDay)
	ot, err2 := time.Parse("15:04", strings.Replace(f.OpensTime, "h", ":", 1))
	if err1 != nil || err2 != nil {
		p["opens_day"] = "Saisissez le jour (JJ/MM/AAAA) et l'heure (HH:MM) d'ouverture des réservations."
	} else {
		y, m, d := od.Civil()
		in.OpensAt = time.Date(y, m, d, ot.Hour(), ot.Minute(), 0, 0, date.Paris())
	}
	if len(p) > 0 {
		return b.examBureauPage(w, r, http.StatusUnprocessableEntity, f, &apperr.Error{Code: apperr.Invalid, Message: "La publication contient des erreurs.", Fields: p})
	}
	if _, err := b.exams.Publish(r.Context(), request(r), in); err != nil {
		return b.examBureauPage(w, r, http.StatusUnprocessableEntity, f, err)
	}
	http.Redirect(w, r, "/agents/examens?fait=publie", http.StatusSeeOther)
	return nil
}

type examSheetPage struct {
	web.Page
	Sheet exams.Sheet
	Path  string
}

func sheetPath(slot store.ExamSlot) string {
	return "/agents/examens/" + strconv.FormatInt(slot.CentreID, 10) + "/" + slot.Day.String() + "/" + slot.Half
}

var examSheetNotices = map[string]web.Notice{
	"resultat":      {Kind: web.NoticeSuccess, Title: "Résultat enregistré", Text: "Le candidat le reçoit par courriel."},
	"force-majeure": {Kind: web.NoticeSuccess, Title: "Force majeure reconnue", Text: "Cette place ne bloque plus de nouvelle réservation."},
}

func (b *Backoffice) examSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("centre"), 10, 64)
	day, derr := date.Parse(r.PathValue("day"))
	half := r.PathValue("half")
	if err != nil || derr != nil || (half != "am" && half != "pm") {
		return apperr.New(apperr.NotFound, "Demi-journée introuvable.")
	}
	slot := store.ExamSlot{CentreID: id, Day: day, Half: half, Category: "B"}
	sh, err := b.exams.ExamSheet(r.Context(), request(r), slot)
	if err != nil {
		return err
	}
	halfLabel := "matin"
	if half == "pm" {
		halfLabel = "après-midi"
	}
	pg := &examSheetPage{Page: web.Page{Title: "Examens du " + day.French() + " " + halfLabel,
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Href: "/agents/examens", Text: "Places d'examen"},
			{Text: day.French() + " " + halfLabel}}}, Sheet: sh, Path: sheetPath(slot)}
	if n, ok := examSheetNotices[r.URL.Query().Get("fait")]; ok {
		pg.Notices = []web.Notice{n}
	}
	return b.r.Render(w, r, http.StatusOK, "bo_exam_sheet.html", pg)
}

// backTo returns the sheet a form came from (a path under /agents/examens/
// only), or the bureau's page.
func backTo(r *http.Request) string {
	if p := r.PostForm.Get("retour"); strings.HasPrefix(p, "/agents/examens/") && !strings.Contains(p, "//") && !strings.ContainsAny(p, "?#\\") {
		return p
	}
	return "/agents/examens"
}

func (b *Backoffice) examResult(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	if err := b.exams.RecordResult(r.Context(), request(r), r.PathValue("ref"), exam.Result(r.PostForm.Get("result"))); err != nil {
		return err
	}
	http.Redirect(w, r, backTo(r)+"?fait=resultat", http.StatusSeeOther)
	return nil
}

func (b *Backoffice) examExcuse(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 4<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	if err := b.exams.Excuse(r.Context(), request(r), r.PathValue("ref")); err != nil {
		return err
	}
	http.Redirect(w, r, backTo(r)+"?fait=force-majeure", http.StatusSeeOther)
	return nil
}

// The registrations for the exams (issue 14 §1): the bureau's queue, each
// with what the candidate declared and the documents the rules ask; the
// agent accepts (the candidate gets their NEPH) or refuses with a reason.

type examRegistrationsPage struct {
	web.Page
	Filed []exams.FiledRegistration
}

// Size writes a file's size as the pages state it ("245 ko").
func (examRegistrationsPage) Size(n int64) string { return files.FormatSize(n) }

var examRegistrationNotices = map[string]web.Notice{
	"acceptee": {Kind: web.NoticeSuccess, Title: "Inscription acceptée", Text: "Le candidat reçoit son numéro de dossier (NEPH) par courriel."},
	"refusee":  {Kind: web.NoticeSuccess, Title: "Inscription refusée", Text: "Le candidat lit le motif dans son espace."},
}

func (b *Backoffice) examRegistrations(w http.ResponseWriter, r *http.Request) error {
	return b.examRegistrationsPage(w, r, http.StatusOK, nil)
}

func (b *Backoffice) examRegistrationsPage(w http.ResponseWriter, r *http.Request, status int, errs []web.FieldError) error {
	fs, err := b.exams.FiledRegistrations(r.Context(), request(r))
	if err != nil {
		return err
	}
	pg := &examRegistrationsPage{Page: web.Page{Title: "Inscriptions à l'examen",
		Breadcrumb: []web.Link{{Href: "/agents", Text: "Espace agents"}, {Href: "/agents/examens", Text: "Places d'examen"},
			{Text: "Inscriptions à l'examen"}}}, Filed: fs}
	pg.Errors = errs
	if n, ok := examRegistrationNotices[r.URL.Query().Get("fait")]; ok && errs == nil {
		pg.Notices = []web.Notice{n}
	}
	return b.r.Render(w, r, status, "bo_exam_registrations.html", pg)
}

// examDecide accepts or refuses one registration (decision=accepter|refuser).
func (b *Backoffice) examDecide(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		return apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	ref, done := r.PathValue("ref"), "acceptee"
	var err error
	switch r.PostForm.Get("decision") {
	case "accepter":
		_, err = b.exams.AcceptRegistration(r.Context(), request(r), ref)
	case "refuser":
		done, err = "refusee", b.exams.RejectRegistration(r.Context(), request(r), ref, r.PostForm.Get("reason"))
	default:
		err = apperr.New(apperr.Invalid, "Choisissez d'accepter ou de refuser l'inscription.")
	}
	if err != nil {
		ae := apperr.As(err)
		if ae.Code != apperr.Invalid && ae.Code != apperr.Conflict {
			return err
		}
		msg := ae.Message
		if m := ae.Fields["reason"]; m != "" {
			msg = m
		}
		return b.examRegistrationsPage(w, r, statusOfCode(ae.Code), []web.FieldError{{Message: ref + " : " + msg}})
	}
	http.Redirect(w, r, "/agents/examens/inscriptions?fait="+done, http.StatusSeeOther)
	return nil
}

// examRegistrationFile sends one document of a registration, audited.
func (b *Backoffice) examRegistrationFile(w http.ResponseWriter, r *http.Request) error {
	fid, err := pathID(r, "file")
	if err != nil {
		return err
	}
	d, rc, err := b.exams.RegistrationFile(r.Context(), request(r), r.PathValue("ref"), fid)
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", d.ContentType) // one of the sniffed types, never what the sender claimed
	h.Set("Content-Disposition", `attachment; filename="`+d.Document.Slug()+"-"+strconv.FormatInt(d.ID, 10)+extension(d.ContentType)+`"`)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	_, err = io.Copy(w, rc)
	return err
}

func statusOfCode(c apperr.Code) int {
	if c == apperr.Conflict {
		return http.StatusConflict
	}
	return http.StatusUnprocessableEntity
}

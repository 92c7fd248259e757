package portal

import (
	"io"
	"net/http"
	"net/url"
	"strings"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/ephoto"
	"permis/internal/requests"
	"permis/internal/web"
)

// The ePhoto confirmation (REFERENCE §7): once a code is typed and usable,
// the person sees the photo and the signature it brings before going on.
// The images are those of the code in the person's OWN draft (the
// application checks the owner), never fetched by a code alone.

// reqEPhotoPage is the confirmation page.
type reqEPhotoPage struct {
	web.Page
	ID      int64
	Code    string // grouped by four
	Until   string // last valid day, DD/MM/YYYY
	Problem string // why the code cannot serve (unknown, expired, used); "" when it can
	Next    string // where "confirm" leads: the step after the photo, or "check your answers"
	Change  string // the photo step, to type another code or choose the paper form
	School  bool   // a driving school checks its student's photo
}

// reqEPhotoSave saves the photo step as every step is saved, then, when
// the person typed a code, shows it for confirmation before the next
// step. A capture whose images cannot be read goes straight on, as before:
// the confirmation is a help, not a gate.
func (p *Portal) reqEPhotoSave(w http.ResponseWriter, r *http.Request) error {
	r.SetPathValue("step", stepPhoto)
	rc := &redirectCatcher{w: w, h: http.Header{}}
	if err := p.reqStepSave(rc, r); err != nil || rc.location == "" {
		return err
	}
	next := rc.location
	id, err := reqID(r)
	if err == nil && r.PostForm.Get("photo") == "code" {
		if _, err := p.app.RequestEPhoto(r.Context(), request(r), id); ephoto.Reason(err) != "" || (err == nil && p.ePhotoReadable(r, id)) {
			next = draftURL(id, stepPhoto) + "/confirmation?suite=" + url.QueryEscape(next)
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// ePhotoReadable reports whether both images of the draft's capture open.
func (p *Portal) ePhotoReadable(r *http.Request, id int64) bool {
	for _, im := range []app.EPhotoImage{app.EPhotoPhoto, app.EPhotoSignature} {
		_, rc, err := p.app.RequestEPhotoImage(r.Context(), request(r), id, im)
		if err != nil {
			return false
		}
		rc.Close()
	}
	return true
}

// reqEPhotoConfirm shows the photo and signature of the draft's code, or
// why the code cannot serve.
func (p *Portal) reqEPhotoConfirm(w http.ResponseWriter, r *http.Request) error {
	d, err := p.loadDraft(r)
	if err != nil {
		return err
	}
	if d.Req.Status != requests.StatusDraft {
		http.Redirect(w, r, reqURL(d.Req.ID), http.StatusSeeOther)
		return nil
	}
	id := d.Req.ID
	title := "Votre photo et votre signature"
	if d.School() {
		title = "La photo et la signature de votre élève"
	}
	pg := &reqEPhotoPage{School: d.School(), Page: web.Page{Title: title + " — " + d.Type.Label,
		Breadcrumb: reqCrumbs(d.Req, web.Link{Text: d.Type.Label})},
		ID: id, Change: draftURL(id, stepPhoto), Next: draftURL(id, stepCheck)}
	if s := r.URL.Query().Get("suite"); strings.HasPrefix(s, reqURL(id)+"/etape/") && !strings.ContainsAny(s, "\\\x00") && !strings.Contains(s, "//") {
		pg.Next = s
	}
	c, err := p.app.RequestEPhoto(r.Context(), request(r), id)
	switch {
	case ephoto.Reason(err) != "":
		pg.Problem = apperr.As(err).Message
	case err != nil:
		return err
	default:
		pg.Code, pg.Until = ephoto.Code(d.Req.EPhotoCode).Grouped(), c.LastValidDay().French()
	}
	return p.r.Render(w, r, http.StatusOK, "req_ephoto.html", pg)
}

// reqEPhotoImage streams the photo or the signature of the draft's code.
func (p *Portal) reqEPhotoImage(w http.ResponseWriter, r *http.Request) error {
	id, err := reqID(r)
	if err != nil {
		return err
	}
	typ, rc, err := p.app.RequestEPhotoImage(r.Context(), request(r), id, app.EPhotoImage(r.PathValue("image")))
	if err != nil {
		return err
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", typ) // read from the content, JPEG or PNG only
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline")
	_, err = io.Copy(w, rc)
	return err
}

// redirectCatcher passes a response through, except a 303 redirect, whose
// Location it keeps for the caller to decide where to go.
type redirectCatcher struct {
	w        http.ResponseWriter
	h        http.Header
	location string
	wrote    bool
}

func (c *redirectCatcher) Header() http.Header { return c.h }

func (c *redirectCatcher) WriteHeader(code int) {
	if c.wrote {
		return
	}
	c.wrote = true
	if code == http.StatusSeeOther {
		c.location = c.h.Get("Location")
		return
	}
	for k, v := range c.h {
		c.w.Header()[k] = v
	}
	c.w.WriteHeader(code)
}

func (c *redirectCatcher) Write(b []byte) (int, error) {
	if !c.wrote {
		c.WriteHeader(http.StatusOK)
	}
	if c.location != "" {
		return len(b), nil
	}
	return c.w.Write(b)
}

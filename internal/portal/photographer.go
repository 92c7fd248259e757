package portal

import (
	"errors"
	"io"
	"net/http"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/files"
	"permis/internal/web"
)

// The approved photographer's own page (REFERENCE §7): the captures it
// recorded, and a form to record one from the browser (the photo and the
// signature) when its studio software does not use the API. The new code
// is shown once: only its last characters are kept.

// maxEPhotoUpload is both images and the form around them.
const maxEPhotoUpload = app.EPhotoPhotoMaxSize + app.EPhotoSignatureMaxSize + 1<<20

type photographerPage struct {
	web.Page
	Space   app.PhotographerSpace
	Issued  *app.EPhotoIssued
	Refused bool
}

func (p *Portal) photographerHome(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.photographerPage(r)
	if err != nil {
		return err
	}
	return p.r.Render(w, r, http.StatusOK, "photographer.html", pg)
}

func (p *Portal) photographerPage(r *http.Request) (*photographerPage, error) {
	sp, err := p.app.PhotographerSpace(r.Context(), request(r))
	if err != nil {
		return nil, err
	}
	return &photographerPage{Page: web.Page{Title: "Codes ePhoto"}, Space: sp}, nil
}

// photographerCapture records a capture and shows its code (201).
func (p *Portal) photographerCapture(w http.ResponseWriter, r *http.Request) error {
	pg, err := p.photographerPage(r)
	if err != nil {
		return err
	}
	in, err := readCapture(w, r)
	if err == nil {
		var issued app.EPhotoIssued
		issued, err = p.app.IssueEPhotoCode(r.Context(), request(r), in)
		if err == nil {
			if pg, err = p.photographerPage(r); err != nil {
				return err
			}
			pg.Title, pg.Issued = "Code ePhoto créé", &issued
			return p.r.Render(w, r, http.StatusCreated, "photographer.html", pg)
		}
	}
	return p.refuse(w, r, "photographer.html", pg, err)
}

// readCapture reads the form's two images.
func readCapture(w http.ResponseWriter, r *http.Request) (app.EPhotoCapture, error) {
	r.Body = http.MaxBytesReader(w, r.Body, maxEPhotoUpload)
	if err := r.ParseMultipartForm(1 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return app.EPhotoCapture{}, apperr.Field("photo", "Les images dépassent "+files.FormatSize(maxEPhotoUpload)+" à elles deux.")
		}
		return app.EPhotoCapture{}, apperr.Wrap(apperr.Invalid, "Le formulaire envoyé est illisible.", err)
	}
	defer r.MultipartForm.RemoveAll()
	var in app.EPhotoCapture
	for _, f := range []struct {
		name string
		dst  *[]byte
	}{{"photo", &in.Photo}, {"signature", &in.Signature}} {
		file, _, err := r.FormFile(f.name)
		if err != nil {
			continue // missing: the application says which is
		}
		b, err := io.ReadAll(file)
		file.Close()
		if err != nil {
			return in, err
		}
		*f.dst = b
	}
	return in, nil
}

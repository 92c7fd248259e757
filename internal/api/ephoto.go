package api

import (
	"encoding/base64"
	"net/http"
	"strings"
	"time"

	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/server"
)

// maxEPhotoBody bounds the body of a capture: both images at their caps,
// grown by a third in base64, and room for the approval number.
const maxEPhotoBody = (app.EPhotoPhotoMaxSize+app.EPhotoSignatureMaxSize)*4/3 + 16<<10

// ePhotoRequest is the body of POST /api/v1/ephoto.
type ePhotoRequest struct {
	Photo          string `json:"photo"`     // base64 (standard alphabet) of a JPEG or PNG
	Signature      string `json:"signature"` // base64 of a JPEG or PNG
	ApprovalNumber string `json:"approval_number"`
}

// ePhotoResponse is the new code, shown once.
type ePhotoResponse struct {
	Code         string    `json:"code"`
	ExpiresAt    time.Time `json:"expires_at"`
	LastValidDay date.Date `json:"last_valid_day"`
}

// createEPhoto records an approved photographer's capture and answers 201
// with its code.
func (h *handlers) createEPhoto(w http.ResponseWriter, r *http.Request) error {
	var req ePhotoRequest
	if err := server.DecodeJSON(r, &req, maxEPhotoBody); err != nil {
		return err
	}
	in := app.EPhotoCapture{ApprovalNumber: req.ApprovalNumber}
	p := map[string]string{}
	var err error
	if in.Photo, err = decodeBase64(req.Photo); err != nil {
		p["photo"] = "La photo doit être encodée en base64."
	}
	if in.Signature, err = decodeBase64(req.Signature); err != nil {
		p["signature"] = "La signature doit être encodée en base64."
	}
	if len(p) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Message: "La photo ou la signature ne peut pas être lue.", Fields: p}
	}
	v, err := h.app.IssueEPhotoCode(r.Context(), request(r), in)
	if err != nil {
		return err
	}
	return server.WriteJSON(w, http.StatusCreated, ePhotoResponse{Code: v.Code.String(), ExpiresAt: v.ExpiresAt, LastValidDay: v.LastValidDay})
}

// decodeBase64 reads standard base64, padded or not; a data: URL prefix
// is allowed, since browsers' canvases give one.
func decodeBase64(s string) ([]byte, error) {
	if i := strings.Index(s, ";base64,"); strings.HasPrefix(s, "data:") && i > 0 {
		s = s[i+len(";base64,"):]
	}
	s = strings.TrimRight(strings.TrimSpace(s), "=")
	return base64.RawStdEncoding.DecodeString(s)
}

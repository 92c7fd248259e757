package api

import (
	"net/http"
	"strings"

	"permis/internal/apperr"
	"permis/internal/server"
	"permis/internal/twoddoc"
)

// maxVerifyBody bounds the body of a verification request: the largest
// DataMatrix holds about 1,500 characters, written with <GS> notations
// and JSON escapes it stays far below.
const maxVerifyBody = 8 << 10

// verifyRequest is the body of POST /api/v1/2ddoc/verify.
type verifyRequest struct {
	// Text is the code as a reader gives it; the separators may be the
	// control characters or the <GS>, <RS>, <US> notations.
	Text string `json:"text"`
}

// verifyResponse is the verdict in the shape of `permis 2ddoc verify
// --json`, and whether the code is a statement this service issued.
type verifyResponse struct {
	twoddoc.Report
	Issued    bool   `json:"issued"`
	Reference string `json:"reference,omitempty"`
	Kind      string `json:"kind,omitempty"`
}

// verify2DDoc decodes a 2D-Doc and checks its signature against the keys
// the service trusts. Any text is answered 200 with a verdict, a
// malformed code included; only an unreadable request is an error.
func (h *handlers) verify2DDoc(w http.ResponseWriter, r *http.Request) error {
	var req verifyRequest
	if err := server.DecodeJSON(r, &req, maxVerifyBody); err != nil {
		return err
	}
	if strings.TrimSpace(req.Text) == "" {
		return apperr.Field("text", "Le champ « text » est obligatoire : le texte du code 2D-Doc lu sur le document.")
	}
	v, err := h.app.VerifyDocument(r.Context(), request(r), req.Text)
	if err != nil {
		return renameField(err, "code", "text")
	}
	return server.WriteJSON(w, http.StatusOK, verifyResponse{
		Report: v.Verdict.Report(), Issued: v.Issued, Reference: v.Reference, Kind: v.Kind,
	})
}

// renameField gives an application error's field problem the name the
// API's body uses (the use case names its input after the web form).
func renameField(err error, from, to string) error {
	e := apperr.As(err)
	msg, ok := e.Fields[from]
	if !ok {
		return err
	}
	out := *e
	out.Fields = map[string]string{to: msg}
	for k, v := range e.Fields {
		if k != from {
			out.Fields[k] = v
		}
	}
	return &out
}

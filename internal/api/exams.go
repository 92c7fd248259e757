package api

import (
	"net/http"

	"permis/internal/app/exams"
	"permis/internal/date"
	"permis/internal/server"
)

// maxTheoryBody bounds a theory-test result: three short fields.
const maxTheoryBody = 4 << 10

// theoryRequest is the body of POST /api/v1/exams/theory-results.
type theoryRequest struct {
	NEPH   string `json:"neph"`
	Date   string `json:"date"`
	Result string `json:"result"`
}

// theoryResponse is the recorded result.
type theoryResponse struct {
	Reference  string    `json:"reference"`
	NEPH       string    `json:"neph"`
	Date       date.Date `json:"date"`
	Result     string    `json:"result"`
	ValidUntil date.Null `json:"valid_until"`
	Attempts   int       `json:"practical_attempts"`
}

// recordTheory records an approved operator's theory-test result and
// answers 201.
func (h *handlers) recordTheory(w http.ResponseWriter, r *http.Request) error {
	var req theoryRequest
	if err := server.DecodeJSON(r, &req, maxTheoryBody); err != nil {
		return err
	}
	v, err := h.exams.RecordTheoryResult(r.Context(), request(r), exams.TheoryReport{NEPH: req.NEPH, Date: req.Date, Result: req.Result})
	if err != nil {
		return err
	}
	out := theoryResponse{Reference: v.Reference, NEPH: string(v.NEPH), Date: v.Date, Result: v.Result, Attempts: v.Attempts}
	if v.ValidUntil != 0 {
		out.ValidUntil = date.Some(v.ValidUntil)
	}
	return server.WriteJSON(w, http.StatusCreated, out)
}

package api

import (
	_ "embed"
	"net/http"
)

// openAPI is the API's description, kept beside the routes; a test checks
// that both list the same operations with the same roles.
//
//go:embed openapi.json
var openAPI []byte

func serveOpenAPI(w http.ResponseWriter, _ *http.Request) error {
	w.Header().Set("Content-Type", "application/json")
	_, err := w.Write(openAPI)
	return err
}

package server

import (
	"net/http/httptest"
	"strings"
	"testing"

	"permis/internal/apperr"
)

type dossierInput struct {
	NEPH     string `json:"neph"`
	Points   int    `json:"points"`
	Holder   holder `json:"holder"`
	Optional *bool  `json:"optional"`
}

type holder struct {
	Name string `json:"name"`
}

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		wantField, wantMsg      string // "" when no error expected
	}{
		{"ok", "application/json", `{"neph":"123456789012","points":6,"holder":{"name":"Dupont"}}`, "", ""},
		{"ok no content type", "", `{"neph":"1"}`, "", ""},
		{"ok trailing spaces", "application/json; charset=utf-8", "{\"neph\":\"1\"}\n  \n", "", ""},
		{"unknown field", "application/json", `{"neph":"1","nom":"x"}`, "nom", "Le champ « nom » n'est pas attendu."},
		{"wrong type", "application/json", `{"points":"six"}`, "points", "Le champ « points » a un type incorrect (reçu : une chaîne)."},
		{"wrong nested type", "application/json", `{"holder":{"name":3}}`, "holder.name", "Le champ « holder.name » a un type incorrect (reçu : un nombre)."},
		{"empty", "application/json", ``, "", "Le corps de la requête est vide."},
		{"truncated", "application/json", `{"neph":`, "", "Le corps de la requête est un JSON incomplet."},
		{"syntax", "application/json", `{"neph" "1"}`, "", "Le corps de la requête n'est pas un JSON valide (octet 9)."},
		{"two values", "application/json", `{"neph":"1"}{"neph":"2"}`, "", "Le corps de la requête doit contenir une seule valeur JSON."},
		{"array", "application/json", `[1]`, "", "Le corps de la requête doit être un objet JSON (reçu : un tableau)."},
		{"too big", "application/json", `{"neph":"` + strings.Repeat("1", 200) + `"}`, "", "Le corps de la requête dépasse la taille maximale de 64 octets."},
		{"too big after value", "application/json", `{"neph":"1"}` + strings.Repeat(" ", 100), "", "Le corps de la requête dépasse la taille maximale de 64 octets."},
		{"form", "application/x-www-form-urlencoded", `neph=1`, "", "Le corps de la requête doit être au format JSON (Content-Type: application/json)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var v dossierInput
			err := DecodeJSON(r, &v, 64)
			if tt.wantMsg == "" {
				if err != nil {
					t.Fatalf("DecodeJSON: %v", err)
				}
				return
			}
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("error %v, want invalid", err)
			}
			e := apperr.As(err)
			got := e.Message
			if tt.wantField != "" {
				got = e.Fields[tt.wantField]
			}
			if got != tt.wantMsg {
				t.Errorf("message %q, want %q (error %v)", got, tt.wantMsg, err)
			}
		})
	}
}

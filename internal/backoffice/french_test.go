package backoffice_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
	"permis/internal/support"
)

// The agent's pages speak French: a request received today was received
// "aujourd'hui" (not "il y a 0 jour"), and a fault report (un signalement)
// is "Nouveau", "Reçu le".
func TestAgentPagesGrammar(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 3})
	ctx := context.Background()
	citizen := e.Citizen(t, "twelve", true)
	r := fileLoss(t, e, citizen)
	agent := e.Staff(t, access.Agent)
	page := body(t, e.Do(t, agent, http.MethodGet, "/agents/demandes/"+strconv.FormatInt(r.ID, 10), nil))
	if !strings.Contains(page, "(aujourd&#39;hui)") || strings.Contains(page, "il y a 0 jour") {
		t.Error("a request received today is not said received today")
	}
	// A loss request shows when and where the licence was lost, and asks no
	// copy of the card that was lost.
	if !strings.Contains(page, "01/06/2024, Montpellier") || strings.Contains(page, "permis actuel") {
		t.Error("the loss file lacks the date and place of the loss, or asks a copy of the lost licence")
	}

	tk, err := e.App.ReportFault(ctx, app.Request{Client: "192.0.2.9"}, support.Report{Procedure: "documents",
		Summary: "Le relevé ne se télécharge pas", Details: "Erreur à l'ouverture.", Email: "ines@example.fr"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	helpdesk := e.Staff(t, access.Helpdesk)
	page = body(t, e.Do(t, helpdesk, http.MethodGet, "/agents/signalements/"+strconv.FormatInt(tk.ID, 10), nil))
	if !strings.Contains(page, ">Nouveau<") || !strings.Contains(page, "Reçu le") || strings.Contains(page, "Nouvelle") {
		t.Error("a new fault report is not said \"Nouveau\", \"Reçu le\"")
	}
}

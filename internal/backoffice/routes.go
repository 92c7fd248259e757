package backoffice

import (
	"net/http"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/server"
)

// Register adds the back office's routes to mux and returns them with their
// owners.
func (b *Backoffice) Register(mux *http.ServeMux) []access.Route {
	rs := server.NewRoutes(mux, b.guard, b.log)
	staff := access.Allow(app.SupportStaff()...)
	h := func(pattern string, pol access.Policy, f func(http.ResponseWriter, *http.Request) error) {
		rs.Handle(pattern, pol, b.r.Handle(f))
	}
	h("GET /agents", staff, b.home)
	h("GET /agents/signalements", staff, b.tickets)
	h("GET /agents/signalements/{id}", staff, b.ticket)
	h("GET /agents/signalements/{id}/fichiers/{file}", staff, b.ticketFile)
	h("POST /agents/signalements/{id}/prise-en-charge", staff, b.take)
	h("POST /agents/signalements/{id}/reponse", staff, b.reply)
	h("POST /agents/signalements/{id}/cloture", staff, b.close)
	h("GET /agents/agenda", staff, b.agenda)
	h("POST /agents/rendez-vous/{id}/presence", staff, b.attendance)
	h("POST /agents/points-accueil/{id}/fermetures", staff, b.closeDays)
	h("POST /agents/points-accueil/{id}/fermetures/{closure}/suppression", staff, b.reopen)
	h("GET /agents/incidents", staff, b.incidents)
	h("POST /agents/incidents", staff, b.declare)
	h("POST /agents/incidents/{id}/fin", staff, b.endIncident)

	// The instruction of licence requests: the roles app.authorizeAgent allows.
	instructors := access.Allow(access.Agent, access.Admin)
	h("GET /agents/demandes", instructors, b.reqQueue)
	h("GET /agents/demandes/{id}", instructors, b.reqFile)
	h("GET /agents/demandes/{id}/pieces/{file}", instructors, b.reqDocument)
	h("POST /agents/demandes/{id}/prise-en-charge", instructors, b.reqTake)
	h("POST /agents/demandes/{id}/pieces", instructors, b.reqAskDocuments)
	h("POST /agents/demandes/{id}/message", instructors, b.reqMessage)
	h("POST /agents/demandes/{id}/acceptation", instructors, b.reqAccept)
	h("POST /agents/demandes/{id}/refus", instructors, b.reqReject)

	// The préfet's decisions on medical opinions (medical.go).
	h("GET /agents/avis-medicaux", instructors, b.medicalQueue)
	h("POST /agents/avis-medicaux/{ref}/decision", instructors, b.medicalDecide)

	// Practical-exam places (exams.go): the bureau publishes, the
	// examiner's sheet of a half-day records each result.
	h("GET /agents/examens", instructors, b.examBureau)
	h("POST /agents/examens", instructors, b.examPublish)
	h("GET /agents/examens/{centre}/{day}/{half}", instructors, b.examSheet)
	h("GET /agents/examens/inscriptions", instructors, b.examRegistrations)
	h("POST /agents/examens/inscriptions/{ref}", instructors, b.examDecide)
	h("GET /agents/examens/inscriptions/{ref}/pieces/{file}", instructors, b.examRegistrationFile)
	h("POST /agents/examens/places/{ref}/resultat", instructors, b.examResult)
	h("POST /agents/examens/places/{ref}/force-majeure", instructors, b.examExcuse)

	// Paper files received by post and their return letter (paper.go).
	h("GET /agents/courriers-papier", instructors, b.paperFiles)
	h("POST /agents/courriers-papier", instructors, b.recordPaperFile)
	h("GET /agents/courriers-papier/{id}/lettre", instructors, b.paperLetter)

	// The OMP's contests of fines (contests.go): the officers of the
	// ministère public only.
	omp := access.Allow(access.Prosecutor)
	h("GET /agents/contestations", omp, b.ompQueue)
	h("POST /agents/contestations/decision", omp, b.ompBulk)
	h("GET /agents/contestations/{ref}", omp, b.ompFile)
	h("GET /agents/contestations/{ref}/pieces/{doc}", omp, b.ompDocument)
	h("POST /agents/contestations/{ref}/decision", omp, b.ompDecide)
	return rs.List()
}

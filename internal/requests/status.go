package requests

import (
	"slices"
	"strconv"
	"strings"

	"permis/internal/apperr"
)

// Status is where a request stands in its lifecycle (§6.2). Its values are
// stable: they are stored with each request.
type Status string

// The statuses, from the draft to the card in the holder's hands.
const (
	StatusDraft             Status = "draft"               // BROUILLON
	StatusSubmitted         Status = "submitted"           // DEPOSEE, "Demande transmise"
	StatusInReview          Status = "in_review"           // EN_COURS_D_INSTRUCTION
	StatusAwaitingDocuments Status = "awaiting_documents"  // A_COMPLETER, documents requested
	StatusAccepted          Status = "accepted"            // VALIDEE
	StatusRejected          Status = "rejected"            // REJETEE (final)
	StatusInProduction      Status = "in_production"       // EN_PRODUCTION
	StatusSent              Status = "sent"                // EXPEDIE
	StatusDelivered         Status = "delivered"           // DISTRIBUE (final)
	StatusHeld              Status = "held_at_post_office" // EN_INSTANCE, 15 days
	StatusReturned          Status = "returned"            // RETOURNE_EXPEDITEUR, then re-sent
)

// Party is who a request waits on in a status.
type Party string

// The parties.
const (
	PartyNone      Party = ""          // nobody: the request is finished
	PartyApplicant Party = "applicant" // the citizen (or the driving school filing for them)
	PartyService   Party = "service"   // the instructing centre (CERT)
	PartyMaker     Party = "maker"     // the card maker (Imprimerie nationale)
	PartyPost      Party = "post"      // La Poste
)

// Label returns who the request waits on, in French, as the citizen reads it.
func (p Party) Label() string {
	switch p {
	case PartyApplicant:
		return "vous"
	case PartyService:
		return "le service instructeur"
	case PartyMaker:
		return "l'Imprimerie nationale, qui fabrique les titres"
	case PartyPost:
		return "La Poste"
	}
	return "personne : la demande est terminée"
}

// statusInfo is what the citizen reads about a status. In NextStep,
// {hold} stands for Config.PostOfficeHoldDays.
type statusInfo struct {
	Status    Status
	Label     string
	NextStep  string
	WaitingOn Party
}

// statuses lists every status with its French label, "what happens next"
// and who it waits on.
var statuses = []statusInfo{
	{StatusDraft, "Brouillon",
		"Votre demande n'est pas encore envoyée. Vous pouvez la reprendre à tout moment, vérifier vos réponses, puis l'envoyer.",
		PartyApplicant},
	{StatusSubmitted, "Demande transmise",
		"Votre demande est enregistrée. Un agent du service instructeur va l'examiner ; vous recevrez un courriel à chaque étape.",
		PartyService},
	{StatusInReview, "En cours d'instruction",
		"Un agent examine votre demande et vos pièces justificatives. S'il manque une pièce, un courriel vous dira exactement laquelle.",
		PartyService},
	{StatusAwaitingDocuments, "Pièces à fournir",
		"Votre demande attend des pièces que le service instructeur vous a demandées. Déposez-les dans votre espace : l'instruction reprendra dès leur réception.",
		PartyApplicant},
	{StatusAccepted, "Demande acceptée",
		"Votre demande est acceptée. Votre permis va être fabriqué, puis envoyé à votre adresse en lettre suivie.",
		PartyMaker},
	{StatusRejected, "Demande refusée",
		"Votre demande a été refusée pour le motif indiqué. Pour obtenir un titre, déposez une nouvelle demande ; un timbre fiscal qui n'a pas servi peut être réutilisé ou remboursé.",
		PartyNone},
	{StatusInProduction, "Titre en cours de fabrication",
		"Votre permis est en cours de fabrication. Il vous sera ensuite envoyé en lettre suivie, remise contre signature.",
		PartyMaker},
	{StatusSent, "Titre envoyé",
		"Votre permis vous a été envoyé en lettre suivie : il vous sera remis contre signature. Le numéro de suivi permet de suivre l'envoi sur le site de La Poste.",
		PartyPost},
	{StatusDelivered, "Titre remis",
		"Votre permis vous a été remis. Votre demande est terminée.",
		PartyNone},
	{StatusHeld, "En instance au bureau de poste",
		"Vous étiez absent lors de la distribution : votre permis vous attend au bureau de poste pendant {hold} jours. Retirez-le avec l'avis de passage et une pièce d'identité.",
		PartyApplicant},
	{StatusReturned, "Retourné au service",
		"Votre permis n'a pas été retiré au bureau de poste à temps et il est revenu au service, qui va vous le renvoyer. Vérifiez que votre adresse est à jour.",
		PartyService},
}

func info(s Status) (statusInfo, bool) {
	for _, i := range statuses {
		if i.Status == s {
			return i, true
		}
	}
	return statusInfo{}, false
}

// Statuses returns every status, in lifecycle order.
func Statuses() []Status {
	out := make([]Status, len(statuses))
	for i, s := range statuses {
		out[i] = s.Status
	}
	return out
}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { _, ok := info(s); return ok }

// Label returns the status as the citizen reads it.
func (s Status) Label() string {
	if i, ok := info(s); ok {
		return i.Label
	}
	return "Statut inconnu (« " + string(s) + " »)"
}

// NextStep returns "what happens next", in French, with the configured
// delays.
func (s Status) NextStep(cfg Config) string {
	i, _ := info(s)
	return strings.ReplaceAll(i.NextStep, "{hold}", strconv.Itoa(cfg.PostOfficeHoldDays))
}

// WaitingOn returns who the request waits on in status s.
func (s Status) WaitingOn() Party {
	i, _ := info(s)
	return i.WaitingOn
}

// Final reports whether nothing can happen to a request in status s.
func (s Status) Final() bool { return s.Valid() && len(s.Events()) == 0 }

// Event is what moves a request from one status to the next. Its values
// are stable: they are written in the request's history and the audit log.
type Event string

// The events.
const (
	EventSubmit            Event = "submit"             // the applicant files the draft
	EventStartReview       Event = "start_review"       // an agent takes the file
	EventRequestDocuments  Event = "request_documents"  // the agent asks for missing or wrong documents
	EventDocumentsProvided Event = "documents_provided" // the applicant uploads them
	EventAccept            Event = "accept"             // the agent accepts the request
	EventReject            Event = "reject"             // the agent rejects it, with a reason
	EventStartProduction   Event = "start_production"   // the card is ordered from the maker
	EventShip              Event = "ship"               // the card is posted, with a tracking number
	EventDeliver           Event = "deliver"            // handed over against signature (at home or at the post office)
	EventHold              Event = "hold"               // nobody home: the letter waits at the post office
	EventReturn            Event = "return"             // not collected in time: back to the sender
	EventResend            Event = "resend"             // posted again
)

// Actor is who may cause an event.
type Actor string

// The actors.
const (
	ActorApplicant Actor = "applicant" // the citizen, or the driving school under mandate
	ActorAgent     Actor = "agent"     // an instructing agent
	ActorSystem    Actor = "system"    // a background job (production, mail tracking)
)

// Transition is one allowed move of the lifecycle.
type Transition struct {
	From  Status
	Event Event
	To    Status
	By    Actor
	Label string // French: what happens, for the request's history
}

// transitions is the lifecycle of §6.2, one row per allowed move.
var transitions = []Transition{
	{StatusDraft, EventSubmit, StatusSubmitted, ActorApplicant, "Demande envoyée"},
	{StatusSubmitted, EventStartReview, StatusInReview, ActorAgent, "Instruction commencée"},
	{StatusInReview, EventRequestDocuments, StatusAwaitingDocuments, ActorAgent, "Pièces demandées"},
	{StatusAwaitingDocuments, EventDocumentsProvided, StatusInReview, ActorApplicant, "Pièces déposées"},
	{StatusInReview, EventAccept, StatusAccepted, ActorAgent, "Demande acceptée"},
	{StatusInReview, EventReject, StatusRejected, ActorAgent, "Demande refusée"},
	{StatusAwaitingDocuments, EventReject, StatusRejected, ActorAgent, "Demande refusée faute des pièces demandées"},
	{StatusAccepted, EventStartProduction, StatusInProduction, ActorSystem, "Fabrication lancée"},
	{StatusInProduction, EventShip, StatusSent, ActorSystem, "Titre envoyé"},
	{StatusSent, EventDeliver, StatusDelivered, ActorSystem, "Titre remis contre signature"},
	{StatusSent, EventHold, StatusHeld, ActorSystem, "Titre en instance au bureau de poste"},
	{StatusHeld, EventDeliver, StatusDelivered, ActorSystem, "Titre retiré au bureau de poste"},
	{StatusHeld, EventReturn, StatusReturned, ActorSystem, "Titre non retiré, retourné au service"},
	{StatusReturned, EventResend, StatusSent, ActorSystem, "Titre renvoyé"},
}

// Transitions returns every allowed move, in lifecycle order.
func Transitions() []Transition { return slices.Clone(transitions) }

// Events returns the events allowed in status s.
func (s Status) Events() []Event {
	var out []Event
	for _, t := range transitions {
		if t.From == s {
			out = append(out, t.Event)
		}
	}
	return out
}

// Apply returns the transition that event e makes from status s, or a
// conflict error with a French message when e is not allowed in s.
func Apply(s Status, e Event) (Transition, error) {
	for _, t := range transitions {
		if t.From == s && t.Event == e {
			return t, nil
		}
	}
	if !s.Valid() {
		return Transition{}, apperr.New(apperr.Invalid, "Statut de demande inconnu : « "+string(s)+" ».")
	}
	return Transition{}, apperr.New(apperr.Conflict, "Cette action n'est pas possible : la demande est au statut « "+s.Label()+" ».")
}

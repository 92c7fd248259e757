// Package access names who may act in Permis: the roles, the actor behind a
// request, the per-route access policy each audience's routes.go declares,
// and the API tokens partners authenticate with. It does no I/O.
package access

import (
	"fmt"
	"strings"

	"permis/internal/apperr"
)

// Role is what an actor is entitled to do. Its value is stable: it is
// stored with tokens and users and written into the audit log.
type Role string

// The roles.
const (
	Citizen       Role = "citizen"        // usager
	DrivingSchool Role = "driving_school" // auto-école
	Photographer  Role = "photographer"   // photographe agréé (ePhoto)
	Doctor        Role = "doctor"         // médecin agréé
	Agent         Role = "agent"          // agent instructeur (CERT)
	Helpdesk      Role = "helpdesk"       // assistance aux usagers
	Prosecutor    Role = "prosecutor"     // officier du ministère public (OMP)
	ExamOperator  Role = "exam_operator"  // opérateur agréé de l'épreuve théorique (code)
	Admin         Role = "admin"          // administrateur
)

// labels gives the French label of each role; it is also the list of valid
// roles, in display order (see Roles).
var labels = [...]struct {
	role  Role
	label string
}{
	{Citizen, "Usager"},
	{DrivingSchool, "Auto-école"},
	{Photographer, "Photographe agréé"},
	{Doctor, "Médecin agréé"},
	{Agent, "Agent instructeur"},
	{Helpdesk, "Assistance aux usagers"},
	{Prosecutor, "Officier du ministère public"},
	{ExamOperator, "Opérateur agréé du code"},
	{Admin, "Administrateur"},
}

// Roles returns every role, in display order.
func Roles() []Role {
	out := make([]Role, len(labels))
	for i, l := range labels {
		out[i] = l.role
	}
	return out
}

// Label returns the French label of the role, or the raw value for an
// unknown one.
func (r Role) Label() string {
	for _, l := range labels {
		if l.role == r {
			return l.label
		}
	}
	return string(r)
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool {
	for _, l := range labels {
		if l.role == r {
			return true
		}
	}
	return false
}

// String returns the stable value.
func (r Role) String() string { return string(r) }

// ParseRole accepts a role's stable value, ignoring surrounding spaces and
// case; anything else is an Invalid error on the field "role".
func ParseRole(s string) (Role, error) {
	r := Role(strings.ToLower(strings.TrimSpace(s)))
	if !r.Valid() {
		return "", apperr.Field("role", fmt.Sprintf("Le rôle %q n'existe pas.", s))
	}
	return r, nil
}

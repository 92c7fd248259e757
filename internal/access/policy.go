package access

import (
	"fmt"
	"slices"
	"strings"
)

// Policy says who owns a route: either anybody (Public, for health checks
// and public pages) or an actor holding one of the listed roles.
type Policy struct {
	public bool
	roles  []Role
}

// Allow returns the policy admitting actors with one of roles. Allow with no
// role admits nobody, which Table.Check reports as a route without owner.
func Allow(roles ...Role) Policy {
	return Policy{roles: slices.Clone(roles)}
}

// Public returns the policy of a route that needs no authentication.
func Public() Policy { return Policy{public: true} }

// IsPublic reports whether the route needs no authentication.
func (p Policy) IsPublic() bool { return p.public }

// Roles returns the roles admitted (none for a public route).
func (p Policy) Roles() []Role { return slices.Clone(p.roles) }

// Allows reports whether an actor with role r may use the route. Public
// routes admit everybody.
func (p Policy) Allows(r Role) bool {
	return p.public || slices.Contains(p.roles, r)
}

// String lists the roles, or "public".
func (p Policy) String() string {
	if p.public {
		return "public"
	}
	s := make([]string, len(p.roles))
	for i, r := range p.roles {
		s[i] = string(r)
	}
	return strings.Join(s, ",")
}

// Route is one entry of an audience's route table: the ServeMux pattern and
// who owns it.
type Route struct {
	Pattern string
	Policy  Policy
}

// Table records the routes an audience registers, so that tests can list
// every route with its owners. It is built once at start-up and read-only
// afterwards.
type Table struct {
	routes []Route
}

// Add records a route.
func (t *Table) Add(pattern string, p Policy) {
	t.routes = append(t.routes, Route{Pattern: pattern, Policy: p})
}

// Routes returns every recorded route, in registration order.
func (t *Table) Routes() []Route { return slices.Clone(t.routes) }

// Check returns an error naming every route without an owner (neither
// public nor any valid role) or with an unknown role.
func (t *Table) Check() error {
	var bad []string
	for _, r := range t.routes {
		switch {
		case r.Policy.public:
		case len(r.Policy.roles) == 0:
			bad = append(bad, r.Pattern+": no owner")
		default:
			for _, role := range r.Policy.roles {
				if !role.Valid() {
					bad = append(bad, fmt.Sprintf("%s: unknown role %q", r.Pattern, role))
				}
			}
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("access: %s", strings.Join(bad, "; "))
	}
	return nil
}

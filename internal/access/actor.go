package access

import "context"

// Kind says how an actor authenticated.
type Kind string

// The kinds of actor.
const (
	KindToken  Kind = "token"  // a partner's API token
	KindUser   Kind = "user"   // a person with a session
	KindSystem Kind = "system" // the service itself (jobs, imports)
)

// Actor is who performs an action: written into the request context once
// authenticated, passed explicitly to the application layer, and recorded
// in the audit log.
type Actor struct {
	Kind Kind
	ID   string // token id, user id, or the job's name
	Name string // for people to read in logs and the back office
	Role Role
}

// IsZero reports whether a is the zero Actor (nobody authenticated).
func (a Actor) IsZero() bool { return a == Actor{} }

// SystemActor returns the actor for work the service does on its own, such
// as a background job named name.
func SystemActor(name string) Actor {
	return Actor{Kind: KindSystem, ID: name, Name: name, Role: Admin}
}

type actorKey struct{}

// NewContext returns a copy of ctx carrying the actor. Only the HTTP layer
// should call it, once per request, after authentication.
func NewContext(ctx context.Context, a Actor) context.Context {
	return context.WithValue(ctx, actorKey{}, a)
}

// FromContext returns the actor in ctx and whether there is one. Handlers
// read it here and pass it on explicitly; deeper layers take it as a
// parameter.
func FromContext(ctx context.Context) (Actor, bool) {
	a, ok := ctx.Value(actorKey{}).(Actor)
	return a, ok
}

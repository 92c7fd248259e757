package app

import (
	"context"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/clock"
)

// tokenTTL is how long a checked API token is trusted without asking the
// database again: a revoked token stops working within this delay.
const tokenTTL = 30 * time.Second

// tokenCache remembers recent token checks, so that an API call costs no
// extra database read; it is bounded and expires entries.
type tokenCache struct {
	clock clock.Clock
	mu    sync.Mutex
	m     map[string]tokenEntry
}

type tokenEntry struct {
	actor   access.Actor
	expires time.Time
}

const tokenCacheMax = 10000

func newTokenCache(c clock.Clock) *tokenCache {
	return &tokenCache{clock: c, m: make(map[string]tokenEntry)}
}

func (c *tokenCache) get(key string) (access.Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.m[key]
	if !ok || c.clock.Now().After(e.expires) {
		return access.Actor{}, false
	}
	return e.actor, true
}

func (c *tokenCache) put(key string, a access.Actor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= tokenCacheMax {
		clear(c.m) // crude but bounded: a burst of distinct tokens only costs re-reads
	}
	c.m[key] = tokenEntry{actor: a, expires: c.clock.Now().Add(tokenTTL)}
}

func (c *tokenCache) forget() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}

// AuthenticateToken returns the actor of an API token, or an unauthenticated
// error for an unknown, malformed or revoked one. It implements
// server.TokenAuthenticator.
func (a *App) AuthenticateToken(ctx context.Context, plaintext string) (access.Actor, error) {
	if !access.WellFormedToken(plaintext) {
		return access.Actor{}, apperr.New(apperr.Unauthenticated, "Jeton d'API invalide.")
	}
	hash := access.HashToken(plaintext)
	key := hex.EncodeToString(hash)
	if actor, ok := a.tokens.get(key); ok {
		return actor, nil
	}
	t, err := a.store.FindAPITokenByHash(ctx, hash)
	if apperr.Is(err, apperr.NotFound) || (err == nil && t.RevokedAt != nil) {
		return access.Actor{}, apperr.New(apperr.Unauthenticated, "Jeton d'API inconnu ou révoqué.")
	}
	if err != nil {
		return access.Actor{}, err
	}
	actor := access.Actor{Kind: access.KindToken, ID: strconv.FormatInt(t.ID, 10), Name: t.Name, Role: access.Role(t.Role)}
	a.tokens.put(key, actor)
	return actor, nil
}

// CreateToken issues a new API token for a role and returns its plaintext,
// shown once: only its hash is stored.
func (a *App) CreateToken(ctx context.Context, name string, role access.Role) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field("name", "Donnez un nom au jeton (qui l'utilise, pour quoi).")
	}
	if !role.Valid() {
		return "", apperr.Field("role", "Rôle inconnu.")
	}
	plaintext, hash, prefix := access.NewToken()
	if _, err := a.store.CreateAPIToken(ctx, name, string(role), hash, prefix); err != nil {
		return "", err
	}
	return plaintext, nil
}

// CreatePhotographerToken issues an API token for the approved
// photographer or photo booth account with that email: the ePhoto codes it
// issues carry that account's approval number, whatever a request says
// (issue 10, finding 6).
func (a *App) CreatePhotographerToken(ctx context.Context, name, email string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field("name", "Donnez un nom au jeton (qui l'utilise, pour quoi).")
	}
	u, err := a.store.FindUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || (err == nil && (access.Role(u.Role) != access.Photographer || u.ApprovalNumber == "")) {
		return "", apperr.Field("account", "Aucun compte de photographe ou de cabine agréés n'a cette adresse.")
	}
	if err != nil {
		return "", err
	}
	plaintext, hash, prefix := access.NewToken()
	if _, err := a.store.CreateAccountToken(ctx, name, string(access.Photographer), hash, prefix, u.ID); err != nil {
		return "", err
	}
	return plaintext, nil
}

// RevokeToken revokes a token by its id (as `permis token list` shows it).
// Servers that cached it stop accepting it within tokenTTL.
func (a *App) RevokeToken(ctx context.Context, id int64) error {
	if err := a.store.RevokeAPIToken(ctx, id); err != nil {
		return err
	}
	a.tokens.forget()
	return nil
}

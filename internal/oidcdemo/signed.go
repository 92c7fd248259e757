package oidcdemo

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"time"

	jose "github.com/go-jose/go-jose/v4"
	"github.com/zitadel/oidc/v3/pkg/oidc"
)

// audienceKey carries, in the userinfo request's context, where the storage
// writes the client the access token was issued to.
type audienceKey struct{}

// userinfoLifetime is how long a signed userinfo answer is valid.
const userinfoLifetime = time.Minute

// signedUserinfo answers the userinfo endpoint as FranceConnect v2 and
// ProConnect do: the library's JSON answer, signed as a JWT with the
// provider's key (iss, aud, iat and exp added), as application/jwt. Errors
// (a bad access token) pass through unchanged.
func (pv *provider) signedUserinfo(w http.ResponseWriter, r *http.Request) {
	var aud string
	r = r.WithContext(context.WithValue(r.Context(), audienceKey{}, &aud))
	rec := httptest.NewRecorder()
	pv.op.ServeHTTP(rec, r)
	if rec.Code != http.StatusOK || aud == "" {
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = rec.Body.WriteTo(w)
		return
	}
	var claims map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &claims); err != nil {
		pv.logger.Error("oidcdemo: userinfo answer", "err", err)
		http.Error(w, "userinfo", http.StatusInternalServerError)
		return
	}
	now := pv.storage.now()
	claims["iss"], claims["aud"] = pv.issuer, aud
	claims["iat"], claims["exp"] = now.Unix(), now.Add(userinfoLifetime).Unix()
	jwt, err := pv.storage.sign(claims)
	if err != nil {
		pv.logger.Error("oidcdemo: userinfo signature", "err", err)
		http.Error(w, "userinfo", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/jwt")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte(jwt))
}

// sign returns claims as a compact JWS signed with the current key.
func (s *storage) sign(claims map[string]any) (string, error) {
	s.mu.Lock()
	k := s.signing
	s.mu.Unlock()
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: k.alg, Key: k.key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", k.id))
	if err != nil {
		return "", err
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(payload)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}

// setAgentClaims fills ui with the ProConnect claims of an agent that want
// lists.
func setAgentClaims(ui *oidc.UserInfo, p Identity, want map[string]bool) {
	if want["given_name"] {
		ui.GivenName = p.GivenName
	}
	if want["email"] {
		ui.Email = p.Email
	}
	for claim, v := range map[string]string{"usual_name": p.FamilyName, "uid": p.Subject, "siret": p.Siret} {
		if want[claim] && v != "" {
			ui.AppendClaims(claim, v)
		}
	}
}

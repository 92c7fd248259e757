package portal

import (
	"context"
	"crypto/rand"
	"log/slog"
	"net/http"

	"permis/internal/demo"
	"permis/internal/oidc"
	"permis/internal/oidcdemo"
	"permis/internal/store"
)

// DemoProviderPath is where the demo provider is mounted; its issuer is the
// service's public URL followed by this path.
const DemoProviderPath = "/fc-demo"

// DemoProvider is the built-in OpenID provider of the demo, in FranceConnect
// v2 mode (signed userinfo, acr_values, prompt…), to mount on
// "GET /fc-demo/" and "POST /fc-demo/" of the service at public, and the
// client that signs in through it. Its people are the demo people of the
// register, with the civil status the register holds, so that linking
// their licence works whatever day the register was generated. It is never
// configured when a real provider is (--oidc-issuer).
func DemoProvider(ctx context.Context, s *store.Store, public string, logger *slog.Logger) (http.Handler, *oidc.Client, error) {
	var people []oidcdemo.Identity
	for _, dp := range demo.DemoPeople() {
		l, err := s.FindLicenceByNEPH(ctx, dp.NEPH)
		if err != nil {
			continue // not loaded (--demo=false on an existing register)
		}
		p, err := s.FindPerson(ctx, l.PersonID)
		if err != nil {
			return nil, nil, err
		}
		people = append(people, oidcdemo.FromPerson(dp.Key, p))
	}
	secret := rand.Text()
	issuer := public + DemoProviderPath
	redirect := public + "/connexion/oidc/retour"
	h, err := oidcdemo.New(issuer, []oidcdemo.Client{{
		ID: "permis-demo", Secret: secret, RedirectURIs: []string{redirect},
		PostLogoutRedirectURIs: []string{public + "/deconnexion/fin"},
	}}, people, oidcdemo.WithLogger(logger))
	if err != nil {
		return nil, nil, err
	}
	return h, oidc.New(oidc.FranceConnectV2(oidc.Config{Issuer: issuer, ClientID: "permis-demo", ClientSecret: secret, RedirectURL: redirect})), nil
}

// DemoProConnect is the built-in provider in ProConnect mode, with the
// demonstration agents (oidcdemo.DemoAgents, or agents when not nil), to
// mount on "GET /pc-demo/" and "POST /pc-demo/" of the service at public,
// and the client that signs agents in through it.
func DemoProConnect(public string, agents []oidcdemo.Identity, logger *slog.Logger) (*oidcdemo.Provider, *oidc.Client, error) {
	if agents == nil {
		agents = oidcdemo.DemoAgents()
	}
	secret := rand.Text()
	issuer := public + "/pc-demo"
	redirect := public + proConnectPath + "/retour"
	h, err := oidcdemo.New(issuer, []oidcdemo.Client{{
		ID: "permis-demo-agents", Secret: secret, RedirectURIs: []string{redirect},
		PostLogoutRedirectURIs: []string{public + "/deconnexion/fin"},
	}}, agents, oidcdemo.WithLogger(logger), oidcdemo.WithMode(oidcdemo.ProConnect))
	if err != nil {
		return nil, nil, err
	}
	return h, oidc.New(oidc.ProConnect(oidc.Config{Issuer: issuer, ClientID: "permis-demo-agents", ClientSecret: secret,
		RedirectURL: redirect})), nil
}

package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"permis/internal/app"
	"permis/internal/mail"
	"permis/internal/oidc"
	"permis/internal/payment"
	"permis/internal/portal"
	"permis/internal/store"
	"permis/internal/twoddoc"
	"permis/internal/web"
)

// defaultIssuerName is the issuer printed on statements when none is set.
const defaultIssuerName = "Service Permis de conduire — démonstration"

// portalFlags configure the citizen portal of `permis serve`: its public
// address, theme, identity provider, statement signing keys and mail.
type portalFlags struct {
	publicURL, theme                       string
	oidcIssuer, oidcClientID, oidcSecret   string
	oidcACR, oidcPrompt, oidcUnsigned      string
	pcIssuer, pcClientID, pcSecret         string
	signingKey, trustedKeys, issuerName    string
	smtpHost, smtpPort, smtpUser, smtpPass string
	smtpTLS, smtpFrom                      string
	devPages                               string
}

func addPortalFlags(fs *flag.FlagSet, e *env) *portalFlags {
	p := &portalFlags{}
	str := func(v *string, name, env, def, usage string) {
		fs.StringVar(v, name, envOr(e, env, def), usage+" ["+env+"]")
	}
	str(&p.publicURL, "public-url", "PERMIS_PUBLIC_URL", "", "adresse publique du service, pour les liens des courriels (défaut : http://ADDR)")
	str(&p.theme, "theme", "PERMIS_THEME", "auto", "apparence : dsfr (système de design de l'État), neutral (sans marque de l'État) ou auto")
	str(&p.oidcIssuer, "oidc-issuer", "PERMIS_OIDC_ISSUER", "", "fournisseur d'identité OpenID Connect (vide : fournisseur de démonstration sur /fc-demo)")
	str(&p.oidcClientID, "oidc-client-id", "PERMIS_OIDC_CLIENT_ID", "", "identifiant client auprès du fournisseur d'identité")
	str(&p.oidcSecret, "oidc-client-secret", "PERMIS_OIDC_CLIENT_SECRET", "", "secret client auprès du fournisseur d'identité")
	str(&p.oidcACR, "oidc-acr-values", "PERMIS_OIDC_ACR_VALUES", "eidas1", "niveaux eIDAS demandés au fournisseur d'identité (acr_values), séparés par des espaces ; l'acr du jeton d'identité est vérifié")
	str(&p.oidcPrompt, "oidc-prompt", "PERMIS_OIDC_PROMPT", "login consent", "paramètre prompt envoyé au fournisseur d'identité (FranceConnect v2 : login consent)")
	str(&p.oidcUnsigned, "oidc-allow-unsigned-userinfo", "PERMIS_OIDC_ALLOW_UNSIGNED_USERINFO", "false", "accepter une réponse userinfo non signée (forme FranceConnect v1) : true ou false")
	str(&p.pcIssuer, "proconnect-issuer", "PERMIS_PROCONNECT_ISSUER", "", "ProConnect, fournisseur d'identité des agents (ex. https://auth.agentconnect.gouv.fr/api/v2 ; vide : pas de bouton ProConnect, sauf en démonstration)")
	str(&p.pcClientID, "proconnect-client-id", "PERMIS_PROCONNECT_CLIENT_ID", "", "identifiant client auprès de ProConnect")
	str(&p.pcSecret, "proconnect-client-secret", "PERMIS_PROCONNECT_CLIENT_SECRET", "", "secret client auprès de ProConnect (préférez la variable d'environnement)")
	str(&p.signingKey, "signing-key", "PERMIS_2DDOC_KEY", "", "clé privée PEM qui signe les 2D-Doc (nom CA-CERT.key.pem, par ex. FR05-AB12.key.pem ; vide : clé de test FR00 générée dans --data)")
	str(&p.trustedKeys, "trusted-keys", "PERMIS_2DDOC_TRUSTED", "", "dossier ou fichiers PEM des clés publiques 2D-Doc acceptées, séparés par des virgules")
	str(&p.issuerName, "issuer-name", "PERMIS_ISSUER_NAME", defaultIssuerName, "nom de l'émetteur imprimé sur les relevés")
	str(&p.smtpHost, "smtp-host", "PERMIS_SMTP_HOST", "", "serveur SMTP (vide : les courriels restent dans la boîte d'envoi de la base)")
	str(&p.smtpPort, "smtp-port", "PERMIS_SMTP_PORT", "", "port SMTP (défaut selon --smtp-tls)")
	str(&p.smtpUser, "smtp-user", "PERMIS_SMTP_USER", "", "utilisateur SMTP")
	str(&p.smtpPass, "smtp-password", "PERMIS_SMTP_PASSWORD", "", "mot de passe SMTP (préférez la variable d'environnement)")
	str(&p.smtpTLS, "smtp-tls", "PERMIS_SMTP_TLS", "starttls", "starttls, opportunistic, tls ou none")
	str(&p.smtpFrom, "smtp-from", "PERMIS_SMTP_FROM", "Permis de conduire <ne-pas-repondre@permis.invalid>", "expéditeur des courriels")
	str(&p.devPages, "dev-pages", "PERMIS_DEV_PAGES", "", "pages de développement (boîte d'envoi) : true ou false (défaut : comme --demo)")
	return p
}

// public returns the public URL, defaulting to http://addr.
func (p *portalFlags) public(addr string) string {
	if p.publicURL != "" {
		return strings.TrimRight(p.publicURL, "/")
	}
	return "http://" + addr
}

// issuer loads the statement signing key and the trusted keys. Without a
// key, a test key (FR00, which no real verifier trusts) is generated once
// in the data directory and reused, so that issued codes keep verifying
// after a restart.
func (p *portalFlags) issuer(dataDir string, logger *slog.Logger) (app.Issuer, error) {
	keyPath := p.signingKey
	if keyPath == "" {
		dir := filepath.Join(dataDir, "2ddoc")
		keyPath = filepath.Join(dir, "FR00-PRM1.key.pem")
		if _, err := os.Stat(keyPath); os.IsNotExist(err) {
			if err := os.MkdirAll(dir, 0o700); err != nil {
				return app.Issuer{}, err
			}
			s, err := twoddoc.GenerateSigner("FR00", "PRM1", rand.Reader)
			if err != nil {
				return app.Issuer{}, err
			}
			files, err := twoddoc.WriteKeyFiles(dir, s)
			if err != nil {
				return app.Issuer{}, err
			}
			logger.Info("clé de test 2D-Doc générée", "clé", files.Private)
		}
	}
	signer, err := twoddoc.LoadSigner(keyPath)
	if err != nil {
		return app.Issuer{}, fmt.Errorf("clé de signature 2D-Doc %s : %w", keyPath, err)
	}
	var paths []string
	for _, s := range strings.Split(p.trustedKeys, ",") {
		if s = strings.TrimSpace(s); s != "" {
			paths = append(paths, s)
		}
	}
	kr, err := twoddoc.LoadKeyring(paths...)
	if err != nil {
		return app.Issuer{}, fmt.Errorf("clés 2D-Doc acceptées : %w", err)
	}
	if err := kr.Add(signer.CA, signer.Cert, signer.Public()); err != nil {
		return app.Issuer{}, err
	}
	return app.Issuer{Name: p.issuerName, Signer: signer, Keyring: kr}, nil
}

// portalSetup is what serve mounts besides the router's own routes.
type portalSetup struct {
	options portal.Options
	mounts  map[string]http.Handler // public handlers by mux pattern (the demo provider)
	relay   *mail.Relay
}

// setup builds the portal's options: the identity provider (the demo one,
// mounted on /fc-demo, when no issuer is configured), and the mail relay
// when an SMTP server is configured.
func (p *portalFlags) setup(ctx context.Context, s *store.Store, public string, demoOn bool, logger *slog.Logger) (portalSetup, error) {
	dev := p.devPagesOn(demoOn)
	ps := portalSetup{
		options: portal.Options{
			SecureCookies: strings.HasPrefix(public, "https://"), DevPages: dev, Store: s, Logger: logger,
			Web: web.Options{Theme: p.theme, ServiceName: "Permis de conduire", DevPages: dev},
		},
		mounts: map[string]http.Handler{},
	}
	redirect := public + "/connexion/oidc/retour"
	switch {
	case p.oidcIssuer != "":
		cfg, err := p.citizenOIDC(redirect)
		if err != nil {
			return ps, err
		}
		ps.options.OIDC = oidc.New(cfg)
		ps.options.ProviderName = "FranceConnect"
	case demoOn:
		h, client, err := portal.DemoProvider(ctx, s, public, logger)
		if err != nil {
			return ps, err
		}
		ps.mounts["GET /fc-demo/"] = h
		ps.mounts["POST /fc-demo/"] = h
		ps.options.OIDC = client
		ps.options.ProviderName = "l'identité de démonstration"
	}
	switch {
	case p.pcIssuer != "":
		if p.pcClientID == "" || p.pcSecret == "" {
			return ps, fmt.Errorf("--proconnect-issuer demande --proconnect-client-id et --proconnect-client-secret")
		}
		ps.options.ProConnect = oidc.New(oidc.ProConnect(oidc.Config{Issuer: p.pcIssuer, ClientID: p.pcClientID,
			ClientSecret: p.pcSecret, RedirectURL: public + "/connexion/proconnect/retour"}))
	case demoOn:
		h, client, err := portal.DemoProConnect(public, nil, logger)
		if err != nil {
			return ps, err
		}
		ps.mounts["GET /pc-demo/"] = h
		ps.mounts["POST /pc-demo/"] = h
		ps.options.ProConnect = client
	}
	if p.smtpHost != "" {
		port := 0
		if p.smtpPort != "" {
			n, err := strconv.Atoi(p.smtpPort)
			if err != nil {
				return ps, fmt.Errorf("--smtp-port %q : un nombre est attendu", p.smtpPort)
			}
			port = n
		}
		t, err := mail.NewSMTP(mail.SMTPConfig{Host: p.smtpHost, Port: port, Username: p.smtpUser, Password: p.smtpPass,
			TLS: p.smtpTLS, From: p.smtpFrom})
		if err != nil {
			return ps, err
		}
		ps.relay = mail.NewRelay(s, t, logger, mail.RelayOptions{})
	} else {
		ps.relay = mail.NewRelay(s, nil, logger, mail.RelayOptions{}) // mails stay in the outbox
	}
	return ps, nil
}

// identityIssuer is the issuer of the national identity provider, whose
// identities are verified: the configured one, or the demo provider in demo
// mode; "" without either.
func (p *portalFlags) identityIssuer(public string, demoOn bool) string {
	switch {
	case p.oidcIssuer != "":
		return p.oidcIssuer
	case demoOn:
		return public + portal.DemoProviderPath
	}
	return ""
}

// citizenOIDC is the configuration of the citizens' provider (FranceConnect
// v2 unless the flags say otherwise).
func (p *portalFlags) citizenOIDC(redirect string) (oidc.Config, error) {
	unsigned, err := strconv.ParseBool(p.oidcUnsigned)
	if err != nil {
		return oidc.Config{}, fmt.Errorf("--oidc-allow-unsigned-userinfo %q : true ou false attendu", p.oidcUnsigned)
	}
	if p.oidcClientID == "" || p.oidcSecret == "" {
		return oidc.Config{}, fmt.Errorf("--oidc-issuer demande --oidc-client-id et --oidc-client-secret")
	}
	return oidc.FranceConnectV2(oidc.Config{
		Issuer: p.oidcIssuer, ClientID: p.oidcClientID, ClientSecret: p.oidcSecret, RedirectURL: redirect,
		ACRValues: strings.Fields(p.oidcACR), Prompt: p.oidcPrompt, AllowUnsignedUserinfo: unsigned,
	}), nil
}

// devPagesOn reports whether the developer pages are served: as --demo
// unless --dev-pages says otherwise.
func (p *portalFlags) devPagesOn(demoOn bool) bool {
	if p.devPages != "" {
		return p.devPages == "true"
	}
	return demoOn
}

// newTestPayments returns the built-in test payment provider, its pages
// under public/paiement-test, signing its notices with a random secret
// drawn at each start (the provider and the service share this process).
func newTestPayments(public string, logger *slog.Logger) (*payment.TestProvider, error) {
	secret := make([]byte, 32)
	if _, err := rand.Read(secret); err != nil {
		return nil, err
	}
	return payment.NewTestProvider(public+strings.TrimSuffix(portal.PaymentTestPath, "/"), secret, payment.TestProviderOptions{Logger: logger})
}

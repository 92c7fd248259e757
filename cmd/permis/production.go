package main

import (
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
)

// checkDemoScope refuses demo mode (or the developer pages) anywhere but on
// this machine: the demo identity provider lets anyone sign in as anyone,
// the test payment provider gives fiscal stamps away and the outbox shows
// every mail with its password-reset links (issue 10, finding 1).
// Listening on all interfaces (":8080"), on a non-loopback address or a
// host name, or announcing an https or non-local public URL is refused.
func checkDemoScope(demoOn, devPages bool, addr, public string) error {
	if !demoOn && !devPages {
		return nil
	}
	what := "le mode démonstration (--demo)"
	if !demoOn {
		what = "les pages de développement (--dev-pages)"
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usageErr("--addr " + addr + " : HOST:PORT attendu")
	}
	if !isLoopback(host) {
		return usageErr(what + " n'écoute que sur une adresse locale (localhost, 127.0.0.1 ou ::1), pas sur « " + addr +
			" » : il laisse quiconque se connecter sous n'importe quelle identité. En production, démarrez sans --demo (docs/operations.md).")
	}
	u, err := url.Parse(public)
	if err != nil || u.Host == "" {
		return usageErr("--public-url " + public + " : une adresse http://… est attendue")
	}
	if u.Scheme == "https" || !isLoopback(u.Hostname()) {
		return usageErr(what + " refuse l'adresse publique « " + public +
			" » : il n'est fait que pour un essai sur cette machine (http://localhost…). En production, démarrez sans --demo (docs/operations.md).")
	}
	return nil
}

// isLoopback reports whether host names this machine only: "localhost" or
// a loopback IP. An empty host (every interface) is not.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// unfit is one setting that does not suit production, with the flag that
// fixes it.
type unfit struct {
	setting, problem string
}

// unfitSettings lists the settings of serve that do not suit production,
// one per setting, in a stable order (docs/operations.md explains each).
func unfitSettings(c *common, pf *portalFlags, demoOn bool) []unfit {
	var out []unfit
	add := func(setting, problem string) { out = append(out, unfit{setting, problem}) }
	if demoOn {
		add("--demo", "mode démonstration : personnes fictives, fournisseurs d'identité de démonstration (/fc-demo pour les usagers, /pc-demo pour les agents) et prestataire de paiement de test")
	}
	if pf.devPagesOn(demoOn) {
		add("--dev-pages", "pages de développement servies : /dev/courriels montre chaque courriel, liens de réinitialisation compris")
	}
	if pf.oidcIssuer == "" && !demoOn {
		add("--oidc-issuer", "aucun fournisseur d'identité national : seuls les comptes locaux peuvent se connecter")
	}
	if unsigned, _ := strconv.ParseBool(pf.oidcUnsigned); unsigned {
		add("--oidc-allow-unsigned-userinfo", "réponse userinfo non signée acceptée (forme FranceConnect v1) : l'identité n'est plus protégée par la signature du fournisseur")
	}
	if pf.signingKey == "" {
		add("--signing-key", "clé 2D-Doc de test FR00 générée dans --data : aucun vérificateur ne reconnaît les documents signés")
	}
	if pf.smtpHost == "" {
		add("--smtp-host", "aucun serveur SMTP : les courriels restent dans la boîte d'envoi de la base")
	}
	if c.database == "" {
		add("--database", "SQLite : une seule instance ; PostgreSQL pour la charge et la haute disponibilité")
	}
	if !strings.HasPrefix(pf.publicURL, "https://") {
		add("--public-url", "adresse publique sans https : cookies sans l'attribut Secure, liens des courriels en clair")
	}
	if pf.issuerName == defaultIssuerName {
		add("--issuer-name", "nom d'émetteur de démonstration imprimé sur les relevés")
	}
	return out
}

// warnUnfit logs one WARN line per setting unfit for production.
func warnUnfit(logger *slog.Logger, c *common, pf *portalFlags, demoOn bool) {
	for _, u := range unfitSettings(c, pf, demoOn) {
		logger.Warn("réglage impropre à la production", "réglage", u.setting, "raison", u.problem)
	}
}

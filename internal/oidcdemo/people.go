package oidcdemo

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"permis/internal/demo"
	"permis/internal/licence"
)

// inseeCommunes are the official geographic codes (COG) of the communes the
// demo people are born in. FranceConnect sends this code as birthplace.
var inseeCommunes = map[string]string{
	"Montpellier": "34172",
	"Béziers":     "34032",
	"Sète":        "34301",
	"Lunel":       "34145",
}

// inseeFrance is the INSEE code of France among countries, FranceConnect's
// birthcountry for people born in France.
const inseeFrance = "99100"

// DemoPeople returns the named demonstration people of package demo as the
// provider's identities, with the civil status of their record in the
// register g generates (their birth dates are relative to g's Today, so pass
// the generator of the register the service serves). Their subjects are
// stable: a hash of their demo key, which reveals nothing of the NEPH.
func DemoPeople(g *demo.Generator) []Identity {
	var out []Identity
	for _, dp := range demo.DemoPeople() {
		rec := g.Record(dp.Index)
		out = append(out, fromPerson(dp.Key, rec.Person))
	}
	return out
}

// FromPerson converts a register person into the claims FranceConnect
// would release about them. The server builds the demo identities with it
// from the register it serves (whatever day that register was generated).
func FromPerson(key string, p licence.Person) Identity { return fromPerson(key, p) }

// fromPerson is FromPerson.
func fromPerson(key string, p licence.Person) Identity {
	sum := sha256.Sum256([]byte("permis-oidcdemo:" + key))
	id := Identity{
		Subject:    hex.EncodeToString(sum[:]),
		GivenName:  strings.Join(p.GivenNames, " "),
		FamilyName: p.FamilyName,
		UsageName:  p.UsageName,
		Birthdate:  p.BirthDate,
		Email:      p.Email,
	}
	switch p.Sex {
	case licence.SexFemale:
		id.Gender = "female"
	case licence.SexMale:
		id.Gender = "male"
	}
	if p.BirthCountry == "FR" || p.BirthCountry == "" {
		id.Birthplace = inseeCommunes[p.BirthPlace]
		id.BirthplaceName = p.BirthPlace
		id.BirthCountry = inseeFrance
	} else {
		// Born abroad: FranceConnect sends no commune, and the country's
		// INSEE code, which the demo people never need.
		id.BirthplaceName = p.BirthPlace
	}
	return id
}

// DemoAgents are the agents the provider offers in ProConnect mode: one per
// role of the administration, and one whom no administrator has given
// access (Permis refuses her). Their addresses are under the reserved
// .test domain; an administrator gives them access by creating their
// accounts with these addresses (`permis user create`).
func DemoAgents() []Identity {
	const siret = "11000201100044" // a demonstration number, not a real establishment's
	agent := func(sub, given, family, email string) Identity {
		return Identity{Subject: sub, GivenName: given, FamilyName: family, Email: email, Siret: siret}
	}
	return []Identity{
		agent("agent-instructeur", "Claire", "Instructrice", "claire.instructrice@prefecture.test"),
		agent("agent-assistance", "Hugo", "Assistance", "hugo.assistance@prefecture.test"),
		agent("agent-omp", "Inès", "Parquet", "ines.parquet@justice.test"),
		agent("agent-admin", "Marc", "Administrateur", "marc.administrateur@prefecture.test"),
		agent("agent-sans-acces", "Nora", "Sansacces", "nora.sansacces@prefecture.test"),
	}
}

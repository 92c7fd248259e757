package requests

// French slugs: what a person reads in the address bar and in the name of a
// downloaded file. The stable codes (Kind, Document) stay what is stored
// and sent to API clients; the slugs are for people only.

var kindSlugs = map[Kind]string{
	FirstLicence:        "premier-permis",
	NewCategory:         "nouvelle-categorie",
	Loss:                "perte",
	Theft:               "vol",
	Damage:              "deterioration",
	Renewal:             "renouvellement",
	MedicalRenewal:      "renouvellement-medical",
	CivilStatus:         "changement-etat-civil",
	Restitution:         "restitution",
	AfterInvalidation:   "apres-invalidation",
	ExchangeEU:          "echange-permis-europeen",
	ExchangeNonEU:       "echange-permis-etranger",
	InternationalPermit: "permis-international",
	MilitaryConversion:  "conversion-brevet-militaire",
}

var documentSlugs = map[Document]string{
	DocIdentity:             "piece-identite",
	DocAddress:              "justificatif-domicile",
	DocExamCertificate:      "certificat-examen",
	DocTrainingCertificate:  "attestation-formation",
	DocRoadSafety:           "assr",
	DocSwornStatement:       "attestation-sur-honneur-assr",
	DocMedicalOpinion:       "avis-medical",
	DocPsychotechnic:        "examen-psychotechnique",
	DocCurrentLicence:       "permis-actuel",
	DocTheftReceipt:         "recepisse-declaration-vol",
	DocCivilStatusProof:     "justificatif-etat-civil",
	DocSuspensionDecision:   "decision-suspension",
	DocInvalidationDecision: "decision-invalidation",
	DocForeignLicence:       "permis-etranger",
	DocTranslation:          "traduction-officielle",
	DocResidencePermit:      "titre-sejour",
	DocDrivingRightsAbroad:  "attestation-droits-etranger",
	DocResidenceAbroad:      "justificatif-residence-etranger",
	DocMilitarySlip:         "releve-conversion-militaire",
	DocProfessionalTraining: "formation-professionnelle",
	DocPhotos:               "photos",
	DocPrepaidEnvelope:      "enveloppe-affranchie",
	DocMandate:              "mandat",
	DocAMTraining:           "attestation-formation-am",
	DocRoadSafetyAM:         "assr-am",
	DocNormalResidence:      "justificatif-residence-normale",
	DocJDC:                  "certificat-jdc",
	DocParentalConsent:      "accord-representant-legal",
}

// Slug is the type's French name in addresses: /mes-demarches/nouvelle/perte.
func (k Kind) Slug() string {
	if s, ok := kindSlugs[k]; ok {
		return s
	}
	return string(k)
}

// Slug is the document's French name in addresses and file names:
// "piece-identite", "justificatif-domicile".
func (d Document) Slug() string {
	if s, ok := documentSlugs[d]; ok {
		return s
	}
	return string(d)
}

// LookupSlug returns the request type whose French slug is s.
func LookupSlug(s string) (Type, bool) {
	for _, t := range Types() {
		if t.Kind.Slug() == s {
			return t, true
		}
	}
	return Type{}, false
}

// DocumentOfSlug returns the document whose French slug is s.
func DocumentOfSlug(s string) (Document, bool) {
	for d, slug := range documentSlugs {
		if slug == s {
			return d, true
		}
	}
	return "", false
}

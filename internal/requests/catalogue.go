package requests

import "permis/internal/access"

// The request types (§5). Their values are stable: they are stored with each
// request and sent to API clients.
const (
	FirstLicence        Kind = "first_licence"        // première demande après réussite à l'examen
	NewCategory         Kind = "new_category"         // extension à une nouvelle catégorie
	Loss                Kind = "loss"                 // perte
	Theft               Kind = "theft"                // vol
	Damage              Kind = "damage"               // détérioration
	Renewal             Kind = "renewal"              // renouvellement à la fin de la validité du titre
	MedicalRenewal      Kind = "medical_renewal"      // renouvellement après contrôle médical
	CivilStatus         Kind = "civil_status"         // changement d'état civil
	Restitution         Kind = "restitution"          // restitution après suspension
	AfterInvalidation   Kind = "after_invalidation"   // nouveau permis après invalidation ou annulation
	ExchangeEU          Kind = "exchange_eu"          // échange d'un permis de l'UE ou de l'EEE
	ExchangeNonEU       Kind = "exchange_non_eu"      // échange d'un permis d'un autre pays
	InternationalPermit Kind = "international_permit" // permis international (PCI)
	MilitaryConversion  Kind = "military_conversion"  // conversion d'un brevet militaire
)

// The supporting documents. Their values are stable.
const (
	DocIdentity             Document = "identity"
	DocAddress              Document = "address_proof"
	DocExamCertificate      Document = "exam_certificate"
	DocTrainingCertificate  Document = "training_certificate"
	DocAMTraining           Document = "am_training_certificate"
	DocRoadSafety           Document = "road_safety_certificate"
	DocRoadSafetyAM         Document = "road_safety_am"
	DocSwornStatement       Document = "sworn_statement"
	DocMedicalOpinion       Document = "medical_opinion"
	DocPsychotechnic        Document = "psychotechnic_test"
	DocCurrentLicence       Document = "current_licence"
	DocTheftReceipt         Document = "theft_receipt"
	DocCivilStatusProof     Document = "civil_status_proof"
	DocSuspensionDecision   Document = "suspension_decision"
	DocInvalidationDecision Document = "invalidation_decision"
	DocForeignLicence       Document = "foreign_licence"
	DocTranslation          Document = "official_translation"
	DocResidencePermit      Document = "residence_permit"
	DocNormalResidence      Document = "normal_residence_proof"
	DocDrivingRightsAbroad  Document = "driving_rights_certificate"
	DocResidenceAbroad      Document = "residence_abroad_proof"
	DocMilitarySlip         Document = "military_conversion_slip"
	DocProfessionalTraining Document = "professional_training"
	DocPhotos               Document = "photos"
	DocPrepaidEnvelope      Document = "prepaid_envelope"
	DocMandate              Document = "mandate"
	DocJDC                  Document = "jdc_certificate"
	DocParentalConsent      Document = "legal_representative_consent"
)

// FeeDuplicate is the stamp duty on a new card replacing a lost, stolen or
// damaged one (CIBS L421-171; §8): €25, €12.50 in French Guiana.
const FeeDuplicate FeeKey = "duplicate"

// documentLabels are the French names of the documents.
var documentLabels = map[Document]string{
	DocIdentity:             "Pièce d'identité en cours de validité (carte d'identité, passeport ou titre de séjour)",
	DocAddress:              "Justificatif de domicile de moins de 6 mois",
	DocExamCertificate:      "Certificat d'examen du permis de conduire (CEPC)",
	DocTrainingCertificate:  "Attestation de suivi de formation (catégorie A après 2 ans de permis A2, mention 96…)",
	DocAMTraining:           "Attestation de suivi de la formation à la catégorie AM (ex-BSR), remise par l'école de conduite",
	DocRoadSafety:           "Attestation scolaire de sécurité routière de 2e niveau (ASSR2) ou attestation de sécurité routière (ASR)",
	DocRoadSafetyAM:         "Attestation scolaire de sécurité routière de 1er ou de 2e niveau (ASSR1 ou ASSR2) ou attestation de sécurité routière (ASR)",
	DocSwornStatement:       "Attestation sur l'honneur d'obtention de l'ASSR2 ou de l'ASR",
	DocMedicalOpinion:       "Avis médical sur l'aptitude à la conduite (cerfa n° 14880)",
	DocPsychotechnic:        "Résultat de l'examen psychotechnique",
	DocCurrentLicence:       "Copie recto verso de votre permis actuel",
	DocTheftReceipt:         "Récépissé de déclaration de vol remis par la police ou la gendarmerie",
	DocCivilStatusProof:     "Justificatif du changement d'état civil (jugement, décret ou convention de divorce)",
	DocSuspensionDecision:   "Décision de suspension (arrêté du préfet ou jugement)",
	DocInvalidationDecision: "Lettre 48SI ou décision d'annulation, avec le récépissé de remise du permis",
	DocForeignLicence:       "Copie couleur recto verso du permis étranger",
	DocTranslation:          "Traduction officielle du permis étranger par un traducteur agréé",
	DocResidencePermit:      "Titre de séjour ou visa long séjour validé par l'OFII",
	DocNormalResidence:      "Justificatif de votre résidence normale en France (ressortissant d'un autre pays de l'Union européenne, de l'EEE ou de la Suisse)",
	DocDrivingRightsAbroad:  "Attestation des droits à conduire de moins de 3 mois délivrée par le pays du permis, avec sa traduction",
	DocResidenceAbroad:      "Justificatif de résidence normale dans le pays du permis à la date où il a été obtenu",
	DocMilitarySlip:         "Relevé de conversion signé par l'autorité militaire",
	DocProfessionalTraining: "Attestation de formation professionnelle des conducteurs (FIMO ou équivalent)",
	DocPhotos:               "Une photo d'identité récente et conforme aux normes, envoyée par courrier avec l'attestation de dépôt imprimée à la fin de la demande en ligne",
	DocPrepaidEnvelope:      "Enveloppe C5 affranchie au tarif lettre suivie, à votre nom et adresse, jointe au même courrier pour le retour du permis international",
	DocMandate:              "Mandat signé par l'élève (ou son représentant légal) confiant la demande à l'auto-école",
	DocJDC:                  "Certificat de participation à la journée défense et citoyenneté (JDC), ou attestation d'exemption",
	DocParentalConsent:      "Accord écrit d'un représentant légal (parent ou tuteur), avec sa pièce d'identité",
}

// Who may file: every type is filed by the citizen; a driving school files
// first-licence and new-category requests for its students, under a mandate
// (§5, pro accounts).
var (
	citizenOnly   = []access.Role{access.Citizen}
	citizenSchool = []access.Role{access.Citizen, access.DrivingSchool}
)

// catalogue is every request type of REFERENCE §5, in the order the portal
// offers them. Read each row as the law: the documents asked, when; the
// stamp and its fee; the ePhoto; whether the loss is declared in it. The
// ASSR2, the medical opinion and the psychotechnic test are documents too,
// with the condition that makes them needed (see Condition in
// requirements.go). docs/requests.md shows this table; a test keeps the two
// identical.
var catalogue = []Type{
	{
		Kind:        FirstLicence,
		Label:       "Premier permis après réussite à l'examen",
		Description: "Vous venez de réussir l'examen pratique, ou de suivre la formation de la catégorie AM (ex-BSR) : demandez la fabrication de votre permis. Après l'examen, le CEPC vous permet de conduire en France pendant 4 mois en l'attendant.",
		Filers:      citizenSchool, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocNormalResidence, When: IfEUForeignNational},
			{Doc: DocResidencePermit, When: IfNonEUNational},
			{Doc: DocExamCertificate, When: IfExamCategory},
			{Doc: DocAMTraining, When: IfAMAsked},
			{Doc: DocRoadSafetyAM, When: IfAMBornFrom1988},
			{Doc: DocRoadSafety, When: IfFirstCategoryYoung, Or: DocSwornStatement},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
			{Doc: DocMandate, When: IfFiledBySchool},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §2.1 (AM), §5 (réussite à l'examen), §9; décret 2018-795; R211-2 (AM après formation); SP F1727 (étrangers)",
	},
	{
		Kind:        NewCategory,
		Label:       "Ajout d'une catégorie",
		Description: "Vous avez déjà un permis et vous avez réussi l'examen ou suivi la formation d'une nouvelle catégorie (B après A2, A après 2 ans d'A2, mention 96, poids lourd…).",
		Filers:      citizenSchool, NeedsLicence: true, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocCurrentLicence, When: Always},
			{Doc: DocExamCertificate, When: Always, Or: DocTrainingCertificate},
			{Doc: DocRoadSafety, When: IfFirstCategoryYoung, Or: DocSwornStatement},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
			{Doc: DocMandate, When: IfFiledBySchool},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §5 (nouvelle catégorie), §9, §10; SP F20028",
	},
	{
		Kind:        Loss,
		Label:       "Perte du permis",
		Description: "Vous avez perdu votre permis en France : déclarez la perte dans cette demande. Vous pourrez ensuite télécharger une attestation de perte qui vous permet de conduire en attendant le nouveau permis.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			// No copy of the lost card: the holder no longer has it. The
			// declaration asks the date and place of the loss instead
			// (cerfa 14882, SP F1727).
			{Doc: DocNormalResidence, When: IfEUForeignNational},
			{Doc: DocResidencePermit, When: IfNonEUNational},
			{Doc: DocMedicalOpinion, When: IfHeavyHeld, Optional: true},
		},
		Stamp: Always, Fee: FeeDuplicate, EPhoto: Always,
		LossDeclaration: true,
		Source:          "REFERENCE §5 (perte), §6.3, §8; SP F1727 (avis médical facultatif pour C/D, étrangers)",
	},
	{
		Kind:        Theft,
		Label:       "Vol du permis",
		Description: "Votre permis a été volé : déclarez d'abord le vol à la police ou à la gendarmerie. Le récépissé vous permet de conduire en France pendant 2 mois.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocTheftReceipt, When: Always},
			{Doc: DocCurrentLicence, When: Always, Optional: true},
			{Doc: DocNormalResidence, When: IfEUForeignNational},
			{Doc: DocResidencePermit, When: IfNonEUNational},
			{Doc: DocMedicalOpinion, When: IfHeavyHeld, Optional: true},
		},
		Stamp: Always, Fee: FeeDuplicate, EPhoto: Always,
		Source: "REFERENCE §5 (vol), §6.3, §8; SP F1450, F1727 (avis médical facultatif pour C/D, étrangers)",
	},
	{
		Kind:        Damage,
		Label:       "Permis détérioré",
		Description: "Votre permis est abîmé, cassé ou devenu illisible : demandez un nouveau titre, qui porte les mêmes droits à conduire.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocCurrentLicence, When: Always},
			{Doc: DocNormalResidence, When: IfEUForeignNational},
			{Doc: DocResidencePermit, When: IfNonEUNational},
			{Doc: DocMedicalOpinion, When: IfHeavyHeld, Optional: true},
		},
		Stamp: Always, Fee: FeeDuplicate, EPhoto: Always,
		Source: "REFERENCE §5 (détérioration), §8; LFR 2016 art. 118; SP F20109, F1727 (avis médical facultatif pour C/D, étrangers)",
	},
	{
		Kind:        Renewal,
		Label:       "Renouvellement à la fin de validité du titre",
		Description: "Votre permis (carte de 15 ans) arrive à sa date de fin de validité : renouvelez le titre. Vos droits à conduire ne changent pas.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocCurrentLicence, When: Always},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §2.2, §5 (renouvellement)",
	},
	{
		Kind:        MedicalRenewal,
		Label:       "Renouvellement après un contrôle médical",
		Description: "Vous détenez une catégorie poids lourd ou transport en commun, ou un permis à durée limitée pour raison médicale : après l'avis médical favorable, demandez le titre qui prolonge vos catégories.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocCurrentLicence, When: Always},
			{Doc: DocMedicalOpinion, When: Always},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §2.2, §5 (renouvellement), §10",
	},
	{
		Kind:        CivilStatus,
		Label:       "Changement d'état civil",
		Description: "Votre nom ou votre prénom a changé (décision de justice, décret, divorce qui retire le nom d'usage). Le mariage seul ne donne pas de nouveau permis : la carte porte le nom de naissance.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocCivilStatusProof, When: Always},
			{Doc: DocCurrentLicence, When: Always},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §5 (état civil); SP F2695",
	},
	{
		Kind:        Restitution,
		Label:       "Restitution après une suspension",
		Description: "La suspension de votre permis est terminée : demandez sa restitution. Selon la durée et le motif de la suspension, un avis médical favorable et un examen psychotechnique sont nécessaires.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocSuspensionDecision, When: Always},
			{Doc: DocMedicalOpinion, When: IfSuspensionMedical},
			{Doc: DocPsychotechnic, When: IfLongSanction},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §3.7, §5 (restitution), §10.1",
	},
	{
		Kind:        AfterInvalidation,
		Label:       "Nouveau permis après invalidation ou annulation",
		Description: "Votre permis a été invalidé (solde de points nul) ou annulé par un juge : après le délai d'attente, l'avis médical, l'examen psychotechnique et la réussite à l'examen, demandez votre nouveau permis (probatoire).",
		Filers:      citizenOnly, NeedsLicence: true, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocInvalidationDecision, When: Always},
			{Doc: DocExamCertificate, When: Always},
			{Doc: DocMedicalOpinion, When: Always},
			{Doc: DocPsychotechnic, When: Always},
			{Doc: DocRoadSafety, When: IfFirstCategoryYoung, Or: DocSwornStatement}, // UNCONFIRMED (§5)
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §3.6–§3.8, §5 (invalidation / annulation), §10.1",
	},
	{
		Kind:        ExchangeEU,
		Label:       "Échange d'un permis de l'Union européenne ou de l'EEE",
		Description: "Vous résidez en France avec un permis délivré par un pays de l'Union européenne ou de l'Espace économique européen : vous pouvez l'échanger contre un permis français.",
		Filers:      citizenOnly, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocForeignLicence, When: Always},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §5 (échange UE/EEE, en ligne depuis le 3 mars 2020)",
	},
	{
		Kind:        ExchangeNonEU,
		Label:       "Échange d'un permis d'un autre pays",
		Description: "Vous résidez en France avec un permis délivré hors de l'Union européenne : demandez l'échange dans l'année qui suit l'acquisition de votre résidence normale en France.",
		Filers:      citizenOnly, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocForeignLicence, When: Always},
			{Doc: DocTranslation, When: IfForeignLicenceNotFrench},
			{Doc: DocResidencePermit, When: IfNonEUNational},
			{Doc: DocDrivingRightsAbroad, When: Always},
			{Doc: DocResidenceAbroad, When: Always},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
		},
		Stamp: IfForeignLicenceLost, Fee: FeeDuplicate, EPhoto: Always,
		Source: "REFERENCE §5 (échange hors UE, en ligne depuis le 4 août 2020), §6.1 (CERT EPE Nantes)",
	},
	{
		Kind:        InternationalPermit,
		Label:       "Permis de conduire international",
		Description: "Vous résidez en France et partez conduire dans un pays qui l'exige : le permis international accompagne votre permis français. La demande est gratuite. Après la demande en ligne, envoyez par courrier, dans les 2 mois, l'attestation de dépôt, une photo et une enveloppe suivie à votre adresse : sinon la demande est rejetée. Il est valable 3 ans, ou jusqu'à la fin de validité de votre permis si elle est plus proche.",
		Filers:      citizenOnly, NeedsLicence: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocCurrentLicence, When: Always},
			{Doc: DocPhotos, When: Always},
			{Doc: DocPrepaidEnvelope, When: Always},
		},
		Stamp: Never, EPhoto: Never,
		Source: "REFERENCE §5 (PCI), §6.2; procédure vérifiée le 6 décembre 2026 : docs/requests.md, « Le permis international »",
	},
	{
		Kind:        MilitaryConversion,
		Label:       "Conversion d'un brevet militaire",
		Description: "Vous avez obtenu un brevet de conduite pendant votre service dans les armées : convertissez-le en permis de conduire civil.",
		Filers:      citizenOnly, Categories: true,
		Documents: []DocumentRule{
			{Doc: DocIdentity, When: Always},
			{Doc: DocAddress, When: Always},
			{Doc: DocMilitarySlip, When: Always},
			{Doc: DocMedicalOpinion, When: IfHeavyOrMedical},
			{Doc: DocProfessionalTraining, When: IfHeavyAsked},
		},
		Stamp: Never, EPhoto: Always,
		Source: "REFERENCE §5 (brevet militaire); SP F1452",
	},
}

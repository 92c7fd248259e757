package twoddoc

import "sort"

// ValueType says how a field's characters are read and shown.
type ValueType int

// The value types met in the perimeter-01 table. Decode and Encode check a
// value against its type with the same rules, so what one accepts the other
// accepts too.
const (
	Text      ValueType = iota // free text in the C40 set
	Digits                     // decimal digits only
	Date                       // JJMMAAAA
	HexDate                    // 4 hexadecimal digits: days since 2000-01-01; FFFF = none
	DateTime                   // JJMMAAAAHHMM
	Time                       // HHMM
	TimeSec                    // HHMMSS
	Base36                     // one character 0–9A–Z read as a number 0–35 (points)
	Boolean                    // 0 or 1
	HexNumber                  // hexadecimal digits read as a number
)

var valueTypeNames = map[ValueType]string{
	Text: "text", Digits: "digits", Date: "date", HexDate: "hex_date", DateTime: "datetime",
	Time: "time", TimeSec: "time_seconds", Base36: "base36", Boolean: "boolean", HexNumber: "hex_number",
}

// String is the type's stable name, used in JSON output.
func (t ValueType) String() string { return valueTypeNames[t] }

// Unbounded is the Max of a variable field that has no maximum length: it
// always ends with <GS>, <RS>, <US> or the end of its zone.
const Unbounded = -1

// Identifier is one line of the spec's data-identifier table: a two-character
// ID, its length limits, what it means (in French) and how to read it.
type Identifier struct {
	ID    string
	Label string // French, as shown on the verification page
	Min   int
	Max   int // Unbounded when the spec gives none
	Type  ValueType
	// Codes gives the meaning of known coded values (E5 "50" → "valide").
	Codes map[string]string
}

// Fixed reports whether the field has a fixed length, and so no terminator.
func (d Identifier) Fixed() bool { return d.Min == d.Max }

// Lookup returns the table entry for a data identifier of perimeter 01.
func Lookup(id string) (Identifier, bool) {
	d, ok := identifiers[id]
	return d, ok
}

// Identifiers returns the whole table, sorted by ID.
func Identifiers() []Identifier {
	out := make([]Identifier, 0, len(identifiers))
	for _, d := range identifiers {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// DocTypeLabel returns the French name of a perimeter-01 document type, or ""
// for a type this table does not know.
func DocTypeLabel(code string) string { return docTypes[code] }

// docTypes are the perimeter-01 document types (REFERENCE §13.5).
var docTypes = map[string]string{
	"00": "Justificatif de domicile",
	"01": "Facture (justificatif de domicile)",
	"02": "Avis de taxe d'habitation",
	"03": "Relevé d'identité bancaire",
	"04": "Avis d'impôt sur les revenus",
	"05": "Relevé d'identité SEPAmail",
	"06": "Bulletin de salaire",
	"07": "Titre d'identité",
	"08": "MRZ",
	"09": "Facture étendue",
	"10": "Contrat de travail",
	"11": "Relevé de compte",
	"13": "Document étranger",
	"14": "Attestation DICEM",
	"15": "Autorisation de travail",
	"18": "Avis de situation déclarative à l'impôt sur les revenus",
	"24": "Avis de situation déclarative à l'impôt sur les revenus (V2)",
	"25": "Autorisation de travail (métier en tension)",
	"27": "Avis de situation déclarative à l'impôt sur les revenus (V3)",
	"28": "Avis d'impôt sur les revenus (V2)",
	"29": "Attestation d'activité professionnelle",
	"A0": "Certificat de qualité de l'air",
	"A1": "Courrier permis à points",
	"A4": "Certificat de décès",
	"A7": "Certificat de qualité de l'air (V2)",
	"A8": "Certificat de cession électronique",
	"AA": "Arrêtés permis de conduire",
	"AB": "Relevé d'information permis de conduire",
	"AD": "Certificat d'examen du permis de conduire (CEPC)",
	"AE": "Certificat de décès (V2)",
	"B0": "Diplôme",
	"B1": "Attestation de versement de la CVEC",
	"B4": "Traduction certifiée",
	"L1": "Attestation vaccinale",
	// Ours: no public type exists for a receipt of a step taken on a fine's
	// notice (docs/contest.md, "Receipts").
	"ZA": "Récépissé d'une démarche sur un avis de contravention (type propre à ce service)",
	// Ours: no public type exists for the attestation d'inscription à
	// l'examen du permis de conduire (docs/exams.md).
	"ZB": "Attestation d'inscription au permis de conduire (type propre à ce service)",
}

// text, fixed and so on keep the table below readable.
func text(id, label string, min, max int) Identifier {
	return Identifier{ID: id, Label: label, Min: min, Max: max, Type: Text}
}

func typed(id, label string, n int, t ValueType) Identifier {
	return Identifier{ID: id, Label: label, Min: n, Max: n, Type: t}
}

func coded(d Identifier, codes map[string]string) Identifier {
	d.Codes = codes
	return d
}

// identifiers is the data-identifier table of perimeter 01 for the groups a
// driving-licence service meets: document data (0x), invoices and postal
// addresses (1x, 2x), identity (6x), vehicles and points letters (Ax), the
// validity dates D3/D4 and the driving-licence group (Ex). Lengths follow the
// spec "Spécifications techniques des codes à barres 2D-Doc" (v3.1.3 and
// v3.3.x extracts). E9–EF are read off the official CEPC specimen (type AD):
// their lengths are the ones that specimen needs and their labels are
// UNCONFIRMED. Any other ID is refused by Decode as unknown.
var identifiers = func() map[string]Identifier {
	m := make(map[string]Identifier)
	for _, d := range []Identifier{
		// Data common to every document.
		text("01", "Identifiant unique du document", 0, Unbounded),
		text("02", "Catégorie de document", 0, Unbounded),
		text("03", "Sous-catégorie de document", 0, Unbounded),
		text("04", "Application de composition", 0, Unbounded),
		text("05", "Version de l'application de composition", 0, Unbounded),
		text("06", "Date d'association du document et du code", 6, 6), // UNCONFIRMED format
		typed("07", "Heure d'association du document et du code", 6, TimeSec),
		typed("08", "Date d'expiration du document", 4, HexDate),
		typed("09", "Nombre de pages du document", 4, Digits),
		typed("0A", "Éditeur du 2D-Doc", 9, Digits),
		typed("0B", "Intégrateur du 2D-Doc", 9, Digits),
		text("0C", "URL du document", 0, Unbounded),

		// Invoices: beneficiary, recipient and their postal addresses.
		text("10", "Adresse du bénéficiaire (ligne 1)", 0, 38),
		text("11", "Qualité ou titre du bénéficiaire", 0, 38),
		text("12", "Prénom du bénéficiaire", 0, 38),
		text("13", "Nom du bénéficiaire", 0, 38),
		text("14", "Adresse du destinataire de la facture (ligne 1)", 0, 38),
		text("15", "Qualité ou titre du destinataire de la facture", 0, 38),
		text("16", "Prénom du destinataire de la facture", 0, 38),
		text("17", "Nom du destinataire de la facture", 0, 38),
		text("18", "Numéro de la facture", 0, Unbounded),
		text("19", "Numéro de client", 0, Unbounded),
		text("1A", "Numéro du contrat", 0, Unbounded),
		text("1B", "Identifiant du souscripteur du contrat", 0, Unbounded),
		typed("1C", "Date d'effet du contrat", 8, Date),
		text("1D", "Montant TTC de la facture", 0, 16),
		text("1E", "Téléphone du bénéficiaire", 0, 30),
		text("1F", "Téléphone du destinataire de la facture", 0, 30),
		typed("1G", "Co-bénéficiaire non mentionné", 1, Boolean),
		typed("1H", "Co-destinataire non mentionné", 1, Boolean),
		text("1I", "Adresse du co-bénéficiaire (ligne 1)", 0, 38),
		text("1J", "Qualité ou titre du co-bénéficiaire", 0, 38),
		text("1K", "Prénom du co-bénéficiaire", 0, 38),
		text("1L", "Nom du co-bénéficiaire", 0, 38),
		text("1M", "Adresse du co-destinataire (ligne 1)", 0, 38),
		text("1N", "Qualité ou titre du co-destinataire", 0, 38),
		text("1O", "Prénom du co-destinataire", 0, 38),
		text("1P", "Nom du co-destinataire", 0, 38),
		text("20", "Adresse du point de service (ligne 2)", 0, 38),
		text("21", "Adresse du point de service (ligne 3)", 0, 38),
		text("22", "Adresse du point de service (ligne 4)", 0, 38),
		text("23", "Adresse du point de service (ligne 5)", 0, 38),
		text("24", "Code postal du point de service", 5, 5),
		text("25", "Localité du point de service", 0, 32),
		text("26", "Pays du point de service", 2, 2),
		text("27", "Adresse du destinataire de la facture (ligne 2)", 0, 38),
		text("28", "Adresse du destinataire de la facture (ligne 3)", 0, 38),
		text("29", "Adresse du destinataire de la facture (ligne 4)", 0, 38),
		text("2A", "Adresse du destinataire de la facture (ligne 5)", 0, 38),
		text("2B", "Code postal du destinataire de la facture", 5, 5),
		text("2C", "Localité du destinataire de la facture", 0, 32),
		text("2D", "Pays du destinataire de la facture", 2, 2),

		// Identity.
		text("60", "Prénoms", 0, 60),
		text("61", "Prénom", 0, 20),
		text("62", "Nom de famille", 0, 38),
		text("63", "Nom d'usage", 0, 38),
		text("64", "Nom d'épouse ou d'époux", 0, 38),
		text("65", "Type de pièce d'identité", 2, 2),
		text("66", "Numéro de la pièce d'identité", 0, 20),
		text("67", "Nationalité", 2, 2),
		text("68", "Genre", 1, 1),
		typed("69", "Date de naissance", 8, Date),
		text("6A", "Lieu de naissance", 0, 32),
		text("6B", "Département du bureau émetteur", 3, 3),
		text("6C", "Pays de naissance", 2, 2),
		text("6D", "Nom et prénom du père", 0, 60),
		text("6E", "Nom et prénom de la mère", 0, 60),
		text("6F", "Zone de lecture automatique (MRZ)", 0, 90),
		text("6G", "Nom", 1, 38),
		text("6H", "Civilité", 1, 10),
		text("6I", "Pays émetteur", 2, 2),
		text("6J", "Type de document étranger", 1, 1),
		text("6K", "Numéro de la demande de document étranger", 19, 19),
		typed("6L", "Date de dépôt de la demande", 8, Date),
		text("6M", "Catégorie du titre", 0, 40),
		typed("6N", "Date de début de validité", 8, Date),
		typed("6O", "Date de fin de validité", 8, Date),
		text("6P", "Autorisation", 0, 40),
		text("6Q", "Numéro d'étranger", 0, 10),
		text("6R", "Numéro de visa", 12, 12),
		text("6S", "Adresse du domicile (ligne 2)", 0, 38),
		text("6T", "Adresse du domicile (ligne 3)", 0, 38),
		text("6U", "Adresse du domicile (ligne 4)", 0, 38),
		text("6V", "Adresse du domicile (ligne 5)", 0, 38),
		text("6W", "Code postal du domicile", 5, 5),
		text("6X", "Commune du domicile", 0, 32),
		text("6Y", "Pays du domicile", 2, 2),
		text("6Z", "Numéro d'étranger de l'autorisation de travail", 9, 11),

		// Vehicles, points letters, cards.
		text("A0", "Pays d'immatriculation du véhicule", 2, 2),
		text("A1", "Immatriculation du véhicule", 0, 17),
		text("A2", "Marque du véhicule", 0, 17),
		text("A3", "Nom commercial du véhicule", 0, 17),
		text("A4", "Numéro de série du véhicule (VIN)", 17, 17),
		text("A5", "Catégorie du véhicule", 3, 3),
		text("A6", "Carburant", 2, 2),
		typed("A7", "Émissions de CO2 (g/km)", 3, HexNumber),
		text("A8", "Classe environnementale de réception CE", 0, 12),
		text("A9", "Classe d'émission polluante", 3, 3),
		typed("AA", "Date de première immatriculation", 8, Date),
		coded(text("AB", "Type de lettre", 0, 8), map[string]string{
			"48":   "lettre 48 : retrait de points",
			"48M":  "lettre 48M : solde de 6 points ou moins",
			"48N":  "lettre 48N : stage obligatoire (permis probatoire)",
			"48SI": "lettre 48SI : invalidation pour solde nul",
		}),
		text("AC", "Numéro de dossier (NEPH)", 0, 19),
		typed("AD", "Date de l'infraction", 4, HexDate),
		typed("AE", "Heure de l'infraction", 4, Time),
		typed("AF", "Points retirés", 1, Base36),
		typed("AG", "Solde de points", 1, Base36),
		text("AH", "Numéro de la carte", 0, 30),
		typed("AI", "Date d'expiration initiale", 8, Date),
		text("AJ", "Numéro EVTC", 13, 13),
		typed("AK", "Numéro de macaron", 7, Digits),
		text("AL", "Numéro de la carte", 11, 11),
		text("AM", "Motif de sur-classement", 0, 5),
		typed("AN", "Kilométrage", 8, Digits),

		// Validity dates (customs group, also used by the CEPC).
		typed("D3", "Date de début de validité", 8, Date),
		typed("D4", "Date de fin de validité", 8, Date),

		// Driving licence.
		coded(text("E0", "Type d'arrêté permis de conduire", 2, 2), map[string]string{
			"1F": "suspension provisoire du permis de conduire",
		}),
		typed("E1", "Date d'édition du document", 4, HexDate),
		typed("E2", "Date de fin de la mesure", 4, HexDate),
		typed("E3", "Date de notification", 4, HexDate),
		coded(text("E4", "Type de relevé du permis de conduire", 3, 3), map[string]string{
			"ADP": "attestation de perte du permis de conduire (code propre à ce service)",
			"APC": "attestation de permis de conduire",
			"RII": "relevé d'information intégral",
			"RIR": "relevé d'information restreint",
		}),
		coded(typed("E5", "État du permis de conduire", 2, Digits), map[string]string{
			"50": "valide",
		}),
		text("E6", "Catégories du permis de conduire", 0, 65),
		typed("E7", "SIREN du demandeur du document", 9, Digits),
		typed("E8", "Date des données issues du fichier national (SNPC)", 12, DateTime),
		// Read off the CEPC specimen; labels UNCONFIRMED.
		text("E9", "Numéro du certificat d'examen", 19, 19),
		text("EA", "Indicateur EA du certificat d'examen", 1, 1),
		text("EB", "Code EB du certificat d'examen", 5, 5),
		typed("EC", "Date de l'examen", 8, Date),
		text("ED", "Catégorie obtenue", 0, 5),
		text("EE", "Mentions additionnelles ou restrictives", 0, 60),
		text("EF", "Indicateur EF du certificat d'examen", 1, 1),

		// Ours, for the receipts of type ZA (docs/contest.md, "Receipts"):
		// no public identifiers exist for a fine's notice.
		text("Z0", "Numéro de l'avis de contravention (propre à ce service)", 6, 32),
		coded(text("Z1", "Démarche enregistrée (propre à ce service)", 3, 3), map[string]string{
			"CON": "contestation (requête en exonération ou réclamation)",
			"DES": "désignation du conducteur",
			"PAI": "paiement de l'amende",
		}),
		typed("Z2", "Date et heure d'enregistrement (propre à ce service)", 12, DateTime),
		typed("Z3", "Date limite (propre à ce service)", 8, Date),
		{ID: "Z4", Label: "Montant en euros (propre à ce service)", Min: 1, Max: 8, Type: Digits},
	} {
		m[d.ID] = d
	}
	return m
}()

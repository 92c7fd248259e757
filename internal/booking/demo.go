package booking

// DemoHelpPoints returns the help points of the demo département, Hérault
// (34), for `permis demo` and the pages' tests: the préfecture
// (Montpellier), the sous-préfectures (Béziers, Lodève) — the three
// arrondissements, REFERENCE.md §12 — and two France Services. The
// préfecture's address and switchboard are those REFERENCE.md §12 gives;
// everything else (streets, hours, other phone numbers, in the range ARCEP
// keeps for fiction, 04 65 71 xx xx) is our own demo data, not the real
// sites'. Kinds are enabled with DemoKinds: every help point offers them.
func DemoHelpPoints() []HelpPoint {
	return []HelpPoint{
		{
			Type: Prefecture, Name: "Préfecture de l'Hérault — point numérique",
			Address: "Place des Martyrs de la Résistance", PostalCode: "34062", Commune: "Montpellier", INSEE: "34172",
			Lat: 43.6109, Lon: 3.8772, Phone: "04 67 61 61 61", Email: "point-numerique@herault.demo.permis.example",
			Services:      []string{"Démarches de permis de conduire en ligne", "Numérisation de pièces justificatives", "Aide à la création d'un compte"},
			Accessibility: "Entrée de plain-pied par la place ; ascenseur ; boucle magnétique à l'accueil.",
			OpeningHours:  "Mo-Fr 08:30-12:00,13:30-16:30; PH off", Agents: 3,
		},
		{
			Type: SubPrefecture, Name: "Sous-préfecture de Béziers — point numérique",
			Address: "Boulevard de la Sous-Préfecture", PostalCode: "34500", Commune: "Béziers", INSEE: "34032",
			Lat: 43.3442, Lon: 3.2158, Phone: "04 65 71 00 01", Email: "pn-beziers@herault.demo.permis.example",
			Services:      []string{"Démarches de permis de conduire en ligne", "Numérisation de pièces justificatives"},
			Accessibility: "Rampe d'accès côté parking ; place de stationnement réservée.",
			OpeningHours:  "Mo-Th 09:00-12:00,14:00-16:00; Fr 09:00-12:00; PH off", Agents: 2,
		},
		{
			Type: SubPrefecture, Name: "Sous-préfecture de Lodève — point numérique",
			Address: "Place de la Sous-Préfecture", PostalCode: "34700", Commune: "Lodève", INSEE: "34142",
			Lat: 43.7317, Lon: 3.3194, Phone: "04 65 71 00 02", Email: "pn-lodeve@herault.demo.permis.example",
			Services:      []string{"Démarches de permis de conduire en ligne"},
			Accessibility: "Accès par l'entrée latérale, sonnette à hauteur de fauteuil.",
			OpeningHours:  "Tu,Th 09:00-12:00,13:30-16:00; PH off", Agents: 1,
		},
		{
			Type: FranceServices, Name: "France Services de Ganges",
			Address: "Rue de la Mairie", PostalCode: "34190", Commune: "Ganges", INSEE: "34111",
			Lat: 43.9339, Lon: 3.7083, Phone: "04 65 71 00 03", Email: "france-services-ganges@demo.permis.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Permis de conduire, carte grise (ANTS)"},
			Accessibility: "Locaux de plain-pied.",
			OpeningHours:  "Mo-Fr 09:00-12:30; Tu,Th 14:00-17:00; Sa[1] 09:00-12:00; PH off", Agents: 2,
		},
		{
			Type: FranceServices, Name: "France Services de Pézenas",
			Address: "Avenue de Verdun", PostalCode: "34120", Commune: "Pézenas", INSEE: "34199",
			Lat: 43.4592, Lon: 3.4231, Phone: "04 65 71 00 04", Email: "france-services-pezenas@demo.permis.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Permis de conduire, carte grise (ANTS)"},
			Accessibility: "Ascenseur ; toilettes adaptées.",
			OpeningHours:  "Mo,We,Fr 08:30-12:00,13:30-17:00; PH off", Agents: 2,
		},
	}
}

// DemoKinds returns the kinds of appointment of the demo.
func DemoKinds() []Kind {
	return []Kind{
		{Code: "aide-permis", Label: "Aide à une démarche de permis de conduire (demande, duplicata, échange)", Minutes: 30},
		{Code: "accompagnement", Label: "Accompagnement pas à pas pour une première démarche en ligne", Minutes: 60},
		{Code: "numerisation", Label: "Numérisation de pièces justificatives", Minutes: 15},
	}
}

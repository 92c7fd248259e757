package booking

// DemoHelpPoints returns the help points of the demo département, Hérault
// (34), that take appointments online, for `permis demo` and the pages'
// tests: the préfecture (Montpellier), the sous-préfectures (Béziers,
// Lodève) — the three arrondissements, REFERENCE.md §12 — and two France
// Services. Each is an entry of the demo directory
// (internal/directory/seed/lieux-mediation-34.json, the ids in
// DemoDirectoryIDs) with the same name, address, contacts, hours, services
// and access: a person who finds a help point in the directory and books
// it sees one place (TestDemoHelpPointsAreDirectoryEntries). The
// préfecture's address and switchboard are those REFERENCE.md §12 gives;
// everything else (streets, hours, other phone numbers, in the range ARCEP
// keeps for fiction, 04 65 71 xx xx) is our own demo data, not the real
// sites'. Kinds are enabled with DemoKinds: every help point offers them.
func DemoHelpPoints() []HelpPoint {
	return []HelpPoint{
		{
			Type: Prefecture, Name: "Point numérique de la préfecture de l'Hérault",
			Address: "Place des Martyrs de la Résistance", PostalCode: "34062", Commune: "Montpellier", INSEE: "34172",
			Lat: 43.6116, Lon: 3.8771, Phone: "04 67 61 61 61", Email: "point-numerique@prefecture-34.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Accéder à du matériel", "Imprimer, scanner"},
			Accessibility: "Accès de plain-pied par l'entrée principale, boucle magnétique à l'accueil.",
			OpeningHours:  "Mo-Fr 08:30-12:00,13:30-16:00; PH off", Agents: 3,
		},
		{
			Type: SubPrefecture, Name: "Point numérique de la sous-préfecture de Béziers",
			Address: "12 boulevard de l'Arrondissement", PostalCode: "34500", Commune: "Béziers", INSEE: "34032",
			Lat: 43.3429, Lon: 3.2187, Phone: "04 65 71 10 01", Email: "point-numerique-beziers@prefecture-34.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Accéder à du matériel"},
			Accessibility: "Rampe d'accès rue latérale, ascenseur.",
			OpeningHours:  "Mo-Th 09:00-12:00,13:30-16:00; Fr 09:00-12:00; PH off", Agents: 2,
		},
		{
			Type: SubPrefecture, Name: "Point numérique de la sous-préfecture de Lodève",
			Address: "3 place de la Sous-Préfecture", PostalCode: "34700", Commune: "Lodève", INSEE: "34142",
			Lat: 43.7309, Lon: 3.3201, Phone: "04 65 71 10 02", Email: "point-numerique-lodeve@prefecture-34.example",
			Services:      []string{"Être accompagné dans les démarches administratives"},
			Accessibility: "Accès de plain-pied.",
			OpeningHours:  "Tu,Th 09:00-12:00,14:00-16:30; PH off", Agents: 1,
		},
		{
			Type: FranceServices, Name: "France Services des Cévennes gangeoises",
			Address: "2 rue du Pont-Vieux", PostalCode: "34190", Commune: "Ganges", INSEE: "34111",
			Lat: 43.9351, Lon: 3.7094, Phone: "04 65 71 20 02", Email: "fs-ganges@cevennes-demo.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Accéder à du matériel"},
			Accessibility: "Ascenseur, accueil au rez-de-chaussée sur demande.",
			OpeningHours:  "Mo,Tu,Th,Fr 09:00-12:00,13:30-17:00; We 09:00-12:00; Sa[1] 09:00-12:00; PH off", Agents: 2,
		},
		{
			Type: FranceServices, Name: "France Services de Lunel",
			Address: "8 avenue des Abrivados", PostalCode: "34400", Commune: "Lunel", INSEE: "34145",
			Lat: 43.6768, Lon: 4.1331, Phone: "04 65 71 20 01", Email: "france-services@lunel-demo.example",
			Services:      []string{"Être accompagné dans les démarches administratives", "Accéder à une connexion internet", "Accéder à du matériel", "Imprimer, scanner"},
			Accessibility: "Accès de plain-pied, place de stationnement réservée devant l'entrée.",
			OpeningHours:  "Mo-Fr 08:30-12:30,13:30-17:00; PH off", Agents: 2,
		},
	}
}

// DemoDirectoryIDs are the directory ids (source_id of the demo seed) of
// DemoHelpPoints, in the same order.
func DemoDirectoryIDs() []string {
	return []string{"demo-34-pref-montpellier", "demo-34-spref-beziers", "demo-34-spref-lodeve", "demo-34-fs-ganges", "demo-34-fs-lunel"}
}

// DemoKinds returns the kinds of appointment of the demo.
func DemoKinds() []Kind {
	return []Kind{
		{Code: "aide-permis", Label: "Aide à une démarche de permis de conduire (demande, duplicata, échange)", Minutes: 30},
		{Code: "accompagnement", Label: "Accompagnement pas à pas pour une première démarche en ligne", Minutes: 60},
		{Code: "numerisation", Label: "Numérisation de pièces justificatives", Minutes: 15},
	}
}

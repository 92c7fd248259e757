package demo

import "permis/internal/points"

// The lists below are our own small samples: common French surnames and
// given names (with the accents and hyphens real registers hold), a few
// communes per département, and the offences of the points scale (§3.2).
// They are read-only tables; nothing in the package modifies them.

var familyNames = [...]string{
	"Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois",
	"Moreau", "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David",
	"Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine",
	"Rousseau", "Vincent", "Müller", "Lefebvre", "Faure", "André", "Mercier", "Blanc",
	"Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia",
	"Perrin", "Robin", "Clément", "Morin", "Nicolas", "Henry", "Roussel", "Mathieu",
	"Gautier", "Masson", "Marchand", "Duval", "Denis", "Dumont", "Marie", "Lemaire",
	"Noël", "Meyer", "Dufour", "Meunier", "Brun", "Blanchard", "Giraud", "Joly",
	"Rivière", "Lucas", "Brunet", "Gaillard", "Barbier", "Arnaud", "Martinez", "Gérard",
	"Roche", "Renard", "Schmitt", "Roy", "Leroux", "Colin", "Vidal", "Caron",
	"Picard", "Roger", "Fabre", "Aubert", "Lemoine", "Renaud", "Dumas", "Lacroix",
	"Olivier", "Philippe", "Bourgeois", "Pierre", "Benoît", "Rey", "Leclerc", "Payet",
	"Rolland", "Le Gall", "Le Goff", "Lebrun", "Hoarau", "N'Diaye", "Nguyen", "Haddad",
	"Benali", "Da Silva", "Ferreira", "Lopez", "Sánchez", "Boucher", "Carré", "Cordier",
	"Martin-Dubois", "Petit-Jean", "Saint-Martin", "Castelnau", "Teyssier", "Cambon", "Vaissière", "Bérard",
}

// Given names by sex, a mix of generations.
var givenNamesF = [...]string{
	"Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Françoise", "Martine", "Christine",
	"Monique", "Nicole", "Valérie", "Sandrine", "Stéphanie", "Céline", "Julie", "Aurélie",
	"Émilie", "Camille", "Léa", "Manon", "Chloé", "Inès", "Zoé", "Anaïs",
	"Hélène", "Geneviève", "Agnès", "Béatrice", "Mélanie", "Clémence", "Maëlle", "Noémie",
	"Marie-Hélène", "Anne-Sophie", "Marie-Claude", "Jeanne", "Lucie", "Sarah", "Yasmine", "Océane",
}

var givenNamesM = [...]string{
	"Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe",
	"Daniel", "Bernard", "Éric", "Frédéric", "Laurent", "Stéphane", "Sébastien", "Julien",
	"Thomas", "Maxime", "Lucas", "Hugo", "Théo", "Mathéo", "Noé", "Raphaël",
	"Jérôme", "François", "Gérard", "Benoît", "Loïc", "Gaëtan", "Anthony", "Karim",
	"Jean-Pierre", "Jean-Luc", "Jean-François", "Pierre-Yves", "Jean-Marc", "Antoine", "Mehdi", "Kévin",
}

// commune is a French commune with its postal code and département. Weight
// is a rough share of the population, in arbitrary units.
type commune struct {
	Name        string
	PostalCode  string
	Departement string
	Weight      int
}

var communes = [...]commune{
	{"Montpellier", "34000", "34", 60},
	{"Béziers", "34500", "34", 18},
	{"Sète", "34200", "34", 10},
	{"Lunel", "34400", "34", 6},
	{"Agde", "34300", "34", 6},
	{"Frontignan", "34110", "34", 5},
	{"Castelnau-le-Lez", "34170", "34", 5},
	{"Lattes", "34970", "34", 4},
	{"Mauguio", "34130", "34", 4},
	{"Pézenas", "34120", "34", 2},
	{"Clermont-l'Hérault", "34800", "34", 2},
	{"Lodève", "34700", "34", 2},
	{"Saint-Pons-de-Thomières", "34220", "34", 1},
	{"Ganges", "34190", "34", 1},
	{"Paris", "75001", "75", 150},
	{"Paris", "75011", "75", 60},
	{"Paris", "75015", "75", 60},
	{"Boulogne-Billancourt", "92100", "92", 40},
	{"Nanterre", "92000", "92", 30},
	{"Saint-Denis", "93200", "93", 40},
	{"Montreuil", "93100", "93", 35},
	{"Créteil", "94000", "94", 30},
	{"Versailles", "78000", "78", 30},
	{"Évry-Courcouronnes", "91000", "91", 25},
	{"Cergy", "95000", "95", 25},
	{"Meaux", "77100", "77", 25},
	{"Marseille", "13001", "13", 90},
	{"Aix-en-Provence", "13100", "13", 25},
	{"Lyon", "69001", "69", 80},
	{"Villeurbanne", "69100", "69", 25},
	{"Toulouse", "31000", "31", 75},
	{"Nice", "06000", "06", 55},
	{"Nantes", "44000", "44", 50},
	{"Strasbourg", "67000", "67", 45},
	{"Mulhouse", "68100", "68", 25},
	{"Bordeaux", "33000", "33", 50},
	{"Lille", "59000", "59", 60},
	{"Roubaix", "59100", "59", 25},
	{"Rennes", "35000", "35", 40},
	{"Reims", "51100", "51", 25},
	{"Saint-Étienne", "42000", "42", 25},
	{"Le Havre", "76600", "76", 25},
	{"Rouen", "76000", "76", 25},
	{"Grenoble", "38000", "38", 30},
	{"Dijon", "21000", "21", 25},
	{"Angers", "49000", "49", 25},
	{"Nîmes", "30000", "30", 25},
	{"Alès", "30100", "30", 8},
	{"Perpignan", "66000", "66", 20},
	{"Carcassonne", "11000", "11", 10},
	{"Brest", "29200", "29", 20},
	{"Quimper", "29000", "29", 10},
	{"Limoges", "87000", "87", 20},
	{"Clermont-Ferrand", "63000", "63", 25},
	{"Tours", "37000", "37", 25},
	{"Amiens", "80000", "80", 20},
	{"Metz", "57000", "57", 20},
	{"Nancy", "54000", "54", 20},
	{"Besançon", "25000", "25", 20},
	{"Orléans", "45000", "45", 20},
	{"Caen", "14000", "14", 20},
	{"Poitiers", "86000", "86", 15},
	{"Pau", "64000", "64", 15},
	{"Bayonne", "64100", "64", 10},
	{"Ajaccio", "20000", "2A", 8},
	{"Bastia", "20200", "2B", 7},
	{"Fort-de-France", "97200", "972", 8},
	{"Saint-Denis", "97400", "974", 15},
}

// foreignBirthPlaces are cities abroad, with their ISO country code.
var foreignBirthPlaces = [...]struct{ City, Country string }{
	{"Casablanca", "MA"}, {"Alger", "DZ"}, {"Tunis", "TN"}, {"Lisbonne", "PT"},
	{"Porto", "PT"}, {"Bruxelles", "BE"}, {"Madrid", "ES"}, {"Dakar", "SN"},
	{"Genève", "CH"}, {"Milan", "IT"}, {"Bamako", "ML"}, {"Hanoï", "VN"},
}

// desk is a registration office: the département and office codes written in
// positions 5–8 of a 12-digit NEPH (§1.1), and the département whose
// préfecture holds the file. Offices are multiples of 10 so the old 11-digit
// form (one office digit) stays unambiguous; the demo people use office 11,
// which no desk has, so their NEPHs can never collide with generated ones.
// Corsica and the overseas départements do not fit two digits: their coding
// is UNCONFIRMED (§1.1), so we write 20 and 97 with distinct offices.
type desk struct {
	NEPHDept    string
	Office      string
	Departement string
	Weight      int
}

var desks = [...]desk{
	{"34", "10", "34", 70}, {"34", "20", "34", 45}, {"34", "30", "34", 10},
	{"75", "10", "75", 150}, {"75", "20", "75", 120},
	{"92", "10", "92", 70}, {"93", "10", "93", 75}, {"94", "10", "94", 30},
	{"78", "10", "78", 30}, {"91", "10", "91", 25}, {"95", "10", "95", 25}, {"77", "10", "77", 25},
	{"13", "10", "13", 90}, {"13", "20", "13", 25}, {"69", "10", "69", 105},
	{"31", "10", "31", 75}, {"06", "10", "06", 55}, {"44", "10", "44", 50},
	{"67", "10", "67", 45}, {"68", "10", "68", 25}, {"33", "10", "33", 50},
	{"59", "10", "59", 60}, {"59", "20", "59", 25}, {"35", "10", "35", 40},
	{"51", "10", "51", 25}, {"42", "10", "42", 25}, {"76", "10", "76", 30}, {"76", "20", "76", 20},
	{"38", "10", "38", 30}, {"21", "10", "21", 25}, {"49", "10", "49", 25},
	{"30", "10", "30", 25}, {"30", "20", "30", 8}, {"66", "10", "66", 20}, {"11", "10", "11", 10},
	{"29", "10", "29", 20}, {"29", "20", "29", 10}, {"87", "10", "87", 20}, {"63", "10", "63", 25},
	{"37", "10", "37", 25}, {"80", "10", "80", 20}, {"57", "10", "57", 20}, {"54", "10", "54", 20},
	{"25", "10", "25", 20}, {"45", "10", "45", 20}, {"14", "10", "14", 20}, {"86", "10", "86", 15},
	{"64", "10", "64", 15}, {"64", "20", "64", 10},
	{"20", "10", "2A", 8}, {"20", "20", "2B", 7}, {"97", "20", "972", 8}, {"97", "40", "974", 15},
}

var streets = [...]string{
	"rue de la République", "avenue Jean-Jaurès", "boulevard Victor-Hugo", "rue Pasteur",
	"place de l'Église", "chemin des Oliviers", "impasse des Lilas", "allée des Tilleuls",
	"rue du Général-de-Gaulle", "avenue de la Gare", "rue des Écoles", "rue Émile-Zola",
	"route de Mende", "rue de l'Aiguillerie", "avenue de Lodève", "rue du Faubourg-Saint-Jaume",
	"quai de Bosc", "rue Anatole-France", "boulevard Gambetta", "rue des Cévennes",
	"chemin de la Garrigue", "rue Sainte-Anne", "avenue du Maréchal-Leclerc", "rue Molière",
}

var addressLine2 = [...]string{
	"Bâtiment B", "Appartement 12", "Résidence Les Pins", "Escalier C, 3e étage",
	"Chez M. et Mme Garnier", "Lieu-dit Le Mas Neuf", "Résidence Le Clos d'Ô", "Bâtiment A, porte 4",
}

// offenceKind is one line of the points scale (§3.2) with its usual class.
// Weight is relative within a points level.
type offenceKind struct {
	Points int
	Class  points.Class
	Nature string
	Weight int
}

// offenceKinds lists, per points level, the offences we draw. Classes follow
// §3.2: alcohol between 0.5 and 0.8 g/L and failing to yield to a pedestrian
// are 4th-class contraventions that cost 6 points.
var offenceKinds = [...]offenceKind{
	{1, points.Class4, "Excès de vitesse inférieur à 20 km/h, vitesse maximale autorisée inférieure ou égale à 50 km/h", 55},
	{1, points.Class3, "Excès de vitesse inférieur à 20 km/h, vitesse maximale autorisée supérieure à 50 km/h", 40},
	{1, points.Class4, "Chevauchement d'une ligne continue", 5},
	{2, points.Class4, "Excès de vitesse d'au moins 20 km/h et inférieur à 30 km/h", 100},
	{3, points.Class4, "Usage d'un téléphone tenu en main par le conducteur d'un véhicule en circulation", 35},
	{3, points.Class4, "Défaut de port de la ceinture de sécurité", 15},
	{3, points.Class4, "Excès de vitesse d'au moins 30 km/h et inférieur à 40 km/h", 20},
	{3, points.Class4, "Franchissement d'une ligne continue", 10},
	{3, points.Class4, "Changement de direction sans avertissement préalable", 5},
	{3, points.Class4, "Circulation sur la bande d'arrêt d'urgence", 5},
	{3, points.Class4, "Distance de sécurité insuffisante entre deux véhicules", 10},
	{4, points.Class4, "Non-respect de l'arrêt imposé par un feu rouge", 45},
	{4, points.Class4, "Non-respect de l'arrêt imposé par un panneau stop", 25},
	{4, points.Class4, "Refus de priorité", 15},
	{4, points.Class4, "Excès de vitesse d'au moins 40 km/h et inférieur à 50 km/h", 10},
	{4, points.Class4, "Circulation en sens interdit", 5},
	{6, points.Class5, "Excès de vitesse égal ou supérieur à 50 km/h", 25},
	{6, points.Class4, "Conduite avec un taux d'alcool de 0,5 à 0,8 g/L dans le sang", 20},
	{6, points.Delit, "Conduite sous l'empire d'un état alcoolique (taux égal ou supérieur à 0,8 g/L)", 25},
	{6, points.Delit, "Conduite après usage de substances ou plantes classées comme stupéfiants", 20},
	{6, points.Class4, "Refus de céder le passage à un piéton", 10},
}

// pointsLevels is the share of withdrawals per points level, per thousand:
// about 56 % cost one point (§3.2), then 3 points (phone, seatbelt) and
// 4 points (red light, stop) dominate.
var pointsLevels = [...]struct{ Points, PerMille int }{
	{1, 560}, {2, 110}, {3, 190}, {4, 90}, {6, 50},
}

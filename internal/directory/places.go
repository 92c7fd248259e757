package directory

import "strings"

// Place is a commune people search from ("help points near Lunel"): its
// name, postal codes (the main one first), INSEE code and a position.
type Place struct {
	Name        string
	PostalCodes []string
	INSEE       string
	Point       Point
}

// PostalCode is the place's main postal code.
func (p Place) PostalCode() string { return p.PostalCodes[0] }

// places are the Hérault (34) communes of the demo: the préfecture and
// sous-préfectures, the towns with a France Services, and enough others
// that "distance from a place" covers the département. Names, postal codes
// and INSEE codes are the official ones (checked against the national list
// of communes); the coordinates are APPROXIMATE: a point in the town
// centre, rounded to about a hundred metres, good for distances in
// kilometres, not for a map pin.
var places = []Place{
	{"Montpellier", []string{"34000", "34070", "34080", "34090"}, "34172", Point{43.611, 3.877}},
	{"Béziers", []string{"34500"}, "34032", Point{43.344, 3.216}},
	{"Sète", []string{"34200"}, "34301", Point{43.402, 3.693}},
	{"Lunel", []string{"34400"}, "34145", Point{43.675, 4.135}},
	{"Agde", []string{"34300"}, "34003", Point{43.311, 3.475}},
	{"Frontignan", []string{"34110"}, "34108", Point{43.448, 3.756}},
	{"Castelnau-le-Lez", []string{"34170"}, "34057", Point{43.634, 3.926}},
	{"Lattes", []string{"34970"}, "34129", Point{43.569, 3.898}},
	{"Mauguio", []string{"34130"}, "34154", Point{43.617, 4.008}},
	{"Pézenas", []string{"34120"}, "34199", Point{43.461, 3.423}},
	{"Clermont-l'Hérault", []string{"34800"}, "34079", Point{43.628, 3.432}},
	{"Lodève", []string{"34700"}, "34142", Point{43.732, 3.319}},
	{"Saint-Pons-de-Thomières", []string{"34220"}, "34284", Point{43.489, 2.765}},
	{"Ganges", []string{"34190"}, "34111", Point{43.934, 3.708}},
	{"Bédarieux", []string{"34600"}, "34028", Point{43.616, 3.156}},
	{"Gignac", []string{"34150"}, "34114", Point{43.652, 3.552}},
	{"Lamalou-les-Bains", []string{"34240"}, "34126", Point{43.598, 3.081}},
	{"Saint-Gély-du-Fesc", []string{"34980"}, "34255", Point{43.694, 3.806}},
	{"Marseillan", []string{"34340"}, "34150", Point{43.358, 3.532}},
	{"Capestang", []string{"34310"}, "34052", Point{43.330, 3.042}},
	{"Olonzac", []string{"34210"}, "34189", Point{43.282, 2.731}},
	{"Saint-Mathieu-de-Tréviers", []string{"34270"}, "34276", Point{43.767, 3.859}},
	{"Pérols", []string{"34470"}, "34198", Point{43.566, 3.953}},
	{"Juvignac", []string{"34990"}, "34123", Point{43.614, 3.810}},
	{"Mèze", []string{"34140"}, "34157", Point{43.426, 3.604}},
	{"Sérignan", []string{"34410"}, "34299", Point{43.281, 3.278}},
	{"Saint-Jean-de-Védas", []string{"34430"}, "34270", Point{43.576, 3.830}},
	{"Palavas-les-Flots", []string{"34250"}, "34192", Point{43.529, 3.929}},
	{"Villeneuve-lès-Maguelone", []string{"34750"}, "34337", Point{43.533, 3.861}},
	{"Lunel-Viel", []string{"34400"}, "34146", Point{43.680, 4.105}},
}

// Places returns the communes LookupPlace knows, in the order of the
// table (largest towns first), for a list of suggestions.
func Places() []Place {
	out := make([]Place, len(places))
	copy(out, places)
	return out
}

// LookupPlace finds a commune from what a person typed: its name in any
// case, with or without accents or hyphens ("beziers", "St Gely du
// Fesc"), a postal code ("34000", or "34400", shared by Lunel and
// Lunel-Viel: the first in the table, the larger town), an INSEE code
// ("34172"), "34000 Montpellier" or "Montpellier (34000)", or the
// beginning of a single commune's name ("Clermont"). It reports false when
// nothing, or more than one commune, matches.
func LookupPlace(query string) (Place, bool) {
	var code string
	var words []string
	for _, w := range strings.Fields(FoldCommune(query)) {
		if len(w) == 5 && (allDigits(w) || validINSEE(w)) && code == "" {
			code = w
			continue
		}
		words = append(words, w)
	}
	name := strings.Join(words, " ")
	if name != "" {
		if p, ok := placeByName(name); ok {
			return p, true
		}
		if code == "" {
			return placeByPrefix(name)
		}
	}
	if code != "" {
		return placeByCode(code)
	}
	return Place{}, false
}

func placeByName(key string) (Place, bool) {
	for _, p := range places {
		if FoldCommune(p.Name) == key {
			return p, true
		}
	}
	return Place{}, false
}

func placeByCode(code string) (Place, bool) {
	for _, p := range places {
		if p.INSEE == code {
			return p, true
		}
		for _, pc := range p.PostalCodes {
			if pc == code {
				return p, true
			}
		}
	}
	return Place{}, false
}

// placeByPrefix returns the one commune whose folded name starts with the
// words of key ("CLERMONT" → Clermont-l'Hérault), none when ambiguous.
func placeByPrefix(key string) (Place, bool) {
	var found []Place
	for _, p := range places {
		if strings.HasPrefix(FoldCommune(p.Name)+" ", key+" ") || strings.HasPrefix(FoldCommune(p.Name), key) && len(key) >= 4 {
			found = append(found, p)
		}
	}
	if len(found) != 1 {
		return Place{}, false
	}
	return found[0], true
}

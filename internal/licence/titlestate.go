package licence

import (
	"permis/internal/apperr"
	"permis/internal/date"
)

// Label returns the French name of a card's state.
func (s TitleState) Label() string {
	switch s {
	case TitleActive:
		return "en cours de validité"
	case TitleLost:
		return "déclaré perdu"
	case TitleStolen:
		return "déclaré volé"
	case TitleDamaged:
		return "détérioré"
	case TitleReplaced:
		return "remplacé"
	case TitleSurrendered:
		return "restitué"
	}
	return "dans un état inconnu (« " + string(s) + " »)"
}

// Valid reports whether s is a known card state.
func (s TitleState) Valid() bool {
	switch s {
	case TitleActive, TitleLost, TitleStolen, TitleDamaged, TitleReplaced, TitleSurrendered:
		return true
	}
	return false
}

// Transition returns the card in state to from on (§3.8, "Title states"):
// only the active card changes state, to declared lost, declared stolen,
// damaged, replaced or surrendered (handed in). Every other state is final:
// a card found again after a loss declaration stays declared lost. A refused
// transition is an apperr.Conflict with a French message.
func (t Title) Transition(to TitleState, on date.Date) (Title, error) {
	if !to.Valid() || to == TitleActive {
		return t, apperr.New(apperr.Invalid, "État de titre impossible : « "+string(to)+" ».")
	}
	if t.State != TitleActive {
		return t, apperr.New(apperr.Conflict, "Le titre "+t.Number.String()+" est "+t.State.Label()+" : il ne peut plus être "+to.Label()+".")
	}
	if on.Before(t.Issued) {
		return t, apperr.New(apperr.Invalid, "Le changement d'état ("+on.French()+") ne peut précéder la délivrance du titre ("+t.Issued.French()+").")
	}
	t.State, t.StateSince = to, on
	return t, nil
}

// IssueTitle adds a new card to a licence's cards: it becomes the active
// one from its issue date, and the card that was active is replaced on that
// day (a new card replaces the previous active one, §1.2). Cards already
// lost, stolen, damaged or surrendered keep their state. The new card's
// number must be new and it must expire after its issue.
func IssueTitle(titles []Title, t Title) ([]Title, error) {
	if !t.Expires.After(t.Issued) {
		return titles, apperr.New(apperr.Invalid, "La date d'expiration du titre doit suivre sa date de délivrance.")
	}
	out := make([]Title, 0, len(titles)+1)
	for _, old := range titles {
		if old.Number == t.Number {
			return titles, apperr.New(apperr.Conflict, "Le numéro de titre "+t.Number.String()+" a déjà été attribué.")
		}
		if old.State == TitleActive {
			var err error
			if old, err = old.Transition(TitleReplaced, t.Issued); err != nil {
				return titles, err
			}
		}
		out = append(out, old)
	}
	t.State, t.StateSince = TitleActive, t.Issued
	return append(out, t), nil
}

// ActiveTitle returns the licence's active card, if any.
func ActiveTitle(titles []Title) (Title, bool) {
	for _, t := range titles {
		if t.State == TitleActive {
			return t, true
		}
	}
	return Title{}, false
}

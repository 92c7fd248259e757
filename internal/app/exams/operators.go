package exams

import (
	"context"
	"strconv"
	"strings"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/store"
)

// CreateOperatorToken issues the API token of the approved theory-test
// operator's account with that email. An account has one active token at
// most (the database refuses a second): revoke the old one first
// (permis token revoke ID). The plaintext is shown once.
func (s *Service) CreateOperatorToken(ctx context.Context, name, email string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" {
		return "", apperr.Field("name", "Donnez un nom au jeton (qui l'utilise, pour quoi).")
	}
	u, err := s.k.Store.FindUserByEmail(ctx, email)
	if apperr.Is(err, apperr.NotFound) || (err == nil && access.Role(u.Role) != access.ExamOperator) {
		return "", apperr.Field("account", "Aucun compte d'opérateur agréé du code n'a cette adresse.")
	}
	if err != nil {
		return "", err
	}
	plaintext, hash, prefix := access.NewToken()
	_, err = s.k.Store.CreateAccountToken(ctx, name, string(access.ExamOperator), hash, prefix, u.ID)
	if apperr.Is(err, apperr.Conflict) {
		active, _ := s.k.Store.ActiveAccountTokens(ctx, u.ID)
		ids := make([]string, len(active))
		for i, t := range active {
			ids[i] = strconv.FormatInt(t.ID, 10)
		}
		return "", apperr.Wrap(apperr.Conflict, "Ce compte a déjà un jeton actif (n° "+strings.Join(ids, ", ")+
			") : un opérateur a un seul jeton. Révoquez-le d'abord (permis token revoke ID).", err)
	}
	return plaintext, err
}

// operatorOf returns the approved operator's account acting in req: the
// account its token was issued for. A token of another role, or one tied
// to no operator account, acts for nobody.
func (s *Service) operatorOf(ctx context.Context, ac access.Actor) (store.User, error) {
	forbidden := apperr.New(apperr.Forbidden, "Seuls les opérateurs agréés de l'épreuve théorique transmettent des résultats.")
	if ac.Role != access.ExamOperator {
		return store.User{}, forbidden
	}
	var id int64
	if ac.Kind == access.KindToken {
		n, err := strconv.ParseInt(ac.ID, 10, 64)
		if err != nil {
			return store.User{}, forbidden
		}
		t, err := s.k.Store.FindAPIToken(ctx, n)
		if err != nil {
			return store.User{}, err
		}
		if t.UserID == 0 || t.RevokedAt != nil {
			return store.User{}, apperr.New(apperr.Forbidden,
				"Ce jeton n'est lié à aucun compte d'opérateur : demandez-en un (permis token create --role exam_operator --account ADRESSE).")
		}
		id = t.UserID
	} else if id = userID(ac); id == 0 {
		return store.User{}, forbidden
	}
	u, err := s.k.Store.FindUser(ctx, id)
	if err != nil {
		return store.User{}, err
	}
	if access.Role(u.Role) != access.ExamOperator {
		return store.User{}, forbidden
	}
	return u, nil
}

// userID returns the id of a signed-in person's account ("user:42"), 0 for
// any other actor.
func userID(ac access.Actor) int64 {
	n, ok := strings.CutPrefix(ac.ID, "user:")
	if ac.Kind != access.KindUser || !ok {
		return 0
	}
	id, err := strconv.ParseInt(n, 10, 64)
	if err != nil || id <= 0 {
		return 0
	}
	return id
}

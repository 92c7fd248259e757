package store

import (
	"context"
	"strings"
)

// FindPhotographer returns the enabled account of the approved
// photographer or photo booth with that approval (agrément) number, or a
// not_found error. The ePhoto API's tokens are issued per role, not per
// account: the approval number the request states names the account the
// capture is recorded under.
func (s *Store) FindPhotographer(ctx context.Context, approval string) (User, error) {
	u, err := scanUser(s.queryRow(ctx, `SELECT `+userCols+` FROM users
		WHERE role = 'photographer' AND approval_number = ? AND disabled_at IS NULL ORDER BY id LIMIT 1`,
		strings.TrimSpace(approval)))
	return u, notFound(s.d.translate(err), "Aucun photographe ni cabine agréés n'a ce numéro d'agrément.")
}

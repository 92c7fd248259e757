package app

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"permis/internal/access"
	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/ephoto"
	"permis/internal/files"
	"permis/internal/store"
)

// ePhoto captures (REFERENCE §7): an approved photographer or photo booth
// sends the applicant's photo and signature and gets the 22-character code
// it prints on the photo sheet. Nothing but the two images, the approval
// number and the account is kept: no name, no birth date.

// Size caps of a capture's images. An ISO/IEC 19794-5 photo in JPEG weighs
// well under 1 Mo; a signature much less.
const (
	EPhotoPhotoMaxSize     = 2 << 20   // 2 Mo
	EPhotoSignatureMaxSize = 512 << 10 // 512 ko
)

// EPhotoCapture is what a photographer sends: the two images (JPEG or
// PNG, recognised by content) and its approval number.
type EPhotoCapture struct {
	Photo          []byte
	Signature      []byte
	ApprovalNumber string
}

// EPhotoIssued is the code of a recorded capture, shown once: only its
// hash is kept.
type EPhotoIssued struct {
	Code         ephoto.Code
	ExpiresAt    time.Time // first instant the code is no longer valid
	LastValidDay date.Date // last day (Paris) it may be used
}

// IssueEPhotoCode records a capture by an approved photographer or booth
// and returns its new code. A photographer signed in with an account
// captures under that account's approval number; an API token (issued per
// role) names the account by the approval number it sends. The images are
// stored before the transaction and deleted when it fails.
func (a *App) IssueEPhotoCode(ctx context.Context, req Request, in EPhotoCapture) (EPhotoIssued, error) {
	if req.Actor.Role != access.Photographer {
		return EPhotoIssued{}, apperr.New(apperr.Forbidden, "Seuls les photographes et cabines agréés peuvent créer un code ePhoto.")
	}
	ph, err := a.photographerOf(ctx, req.Actor, strings.TrimSpace(in.ApprovalNumber))
	if err != nil {
		return EPhotoIssued{}, err
	}
	if p := checkEPhotoImages(in); p != nil {
		return EPhotoIssued{}, &apperr.Error{Code: apperr.Invalid, Message: "La photo ou la signature ne peut pas être acceptée.", Fields: p}
	}
	if a.files == nil {
		return EPhotoIssued{}, apperr.New(apperr.Unavailable, "L'enregistrement des photos est momentanément indisponible. Réessayez plus tard.")
	}
	photo, err := files.Accept(ctx, a.files, "photo", "", bytes.NewReader(in.Photo), EPhotoPhotoMaxSize)
	if err != nil {
		return EPhotoIssued{}, err
	}
	sig, err := files.Accept(ctx, a.files, "signature", "", bytes.NewReader(in.Signature), EPhotoSignatureMaxSize)
	if err != nil {
		_ = a.files.Delete(context.WithoutCancel(ctx), photo.Key)
		return EPhotoIssued{}, err
	}
	code, now := ephoto.New(), a.clock.Now()
	c, err := ephoto.DefaultConfig().NewCapture(code, ph.ID, ph.ApprovalNumber, photo.Key, sig.Key, now)
	if err == nil {
		err = a.store.Transact(ctx, func(tx *store.Store) error {
			if err := tx.CreateEPhotoCode(ctx, &c); err != nil {
				return err
			}
			return a.auditTx(ctx, tx, req, "ephoto.create", "ephoto", strconv.FormatInt(c.ID, 10))
		})
	}
	if err != nil {
		_ = a.files.Delete(context.WithoutCancel(ctx), photo.Key)
		_ = a.files.Delete(context.WithoutCancel(ctx), sig.Key)
		return EPhotoIssued{}, err
	}
	return EPhotoIssued{Code: code, ExpiresAt: c.ExpiresAt, LastValidDay: c.LastValidDay()}, nil
}

// photographerOf returns the approved account a capture is recorded
// under: the signed-in photographer's own (the approval number, when
// given, must be its own), or for a token the account of the approval
// number sent.
func (a *App) photographerOf(ctx context.Context, ac access.Actor, approval string) (store.User, error) {
	if ac.Kind == access.KindUser {
		id, err := userIDOf(ac)
		if err != nil {
			return store.User{}, err
		}
		u, err := a.store.FindUser(ctx, id)
		if err != nil {
			return store.User{}, err
		}
		if u.ApprovalNumber == "" || (approval != "" && approval != u.ApprovalNumber) {
			return store.User{}, apperr.Field("approval_number", "Ce numéro d'agrément n'est pas celui de votre compte.")
		}
		return u, nil
	}
	// A token acts for the account it was issued to; the approval number
	// comes from that account, never from the request (issue 10,
	// finding 6: any token could issue codes under another's number).
	id, err := strconv.ParseInt(ac.ID, 10, 64)
	if err != nil || ac.Kind != access.KindToken {
		return store.User{}, apperr.New(apperr.Forbidden, "Ce jeton n'est lié à aucun compte de photographe.")
	}
	t, err := a.store.FindAPIToken(ctx, id)
	if err != nil {
		return store.User{}, err
	}
	if t.UserID == 0 {
		return store.User{}, apperr.New(apperr.Forbidden,
			"Ce jeton n'est lié à aucun compte de photographe : demandez-en un nouveau (permis token create --role photographer --account ADRESSE).")
	}
	u, err := a.store.FindUser(ctx, t.UserID)
	if err != nil {
		return store.User{}, err
	}
	if u.ApprovalNumber == "" || u.DisabledAt != nil || (approval != "" && approval != u.ApprovalNumber) {
		return store.User{}, apperr.Field("approval_number", "Ce numéro d'agrément n'est pas celui du compte de ce jeton.")
	}
	return u, nil
}

// checkEPhotoImages refuses, before anything is stored, an image that is
// missing, neither JPEG nor PNG by its content, or too big.
func checkEPhotoImages(in EPhotoCapture) map[string]string {
	p := map[string]string{}
	for _, im := range []struct {
		field, what string
		body        []byte
		max         int64
	}{
		{"photo", "La photo", in.Photo, EPhotoPhotoMaxSize},
		{"signature", "La signature", in.Signature, EPhotoSignatureMaxSize},
	} {
		switch typ := files.Sniff(im.body); {
		case len(im.body) == 0:
			p[im.field] = im.what + " est obligatoire."
		case typ != files.JPEG && typ != files.PNG:
			p[im.field] = im.what + " doit être une image JPEG ou PNG (reconnue par son contenu)."
		case int64(len(im.body)) > im.max:
			p[im.field] = fmt.Sprintf("%s dépasse %s.", im.what, files.FormatSize(im.max))
		}
	}
	if len(p) == 0 {
		return nil
	}
	return p
}

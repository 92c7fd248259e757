package app

import (
	"bufio"
	"context"
	"io"

	"permis/internal/apperr"
	"permis/internal/ephoto"
	"permis/internal/files"
	"permis/internal/requests"
)

// The citizen's confirmation of an ePhoto code (REFERENCE §7: the photo
// and signature are fetched and shown): only the capture of the code typed
// in the person's OWN request is shown, never a capture by its code alone.

// EPhotoImage names one image of a capture.
type EPhotoImage string

// The images of a capture.
const (
	EPhotoPhoto     EPhotoImage = "photo"
	EPhotoSignature EPhotoImage = "signature"
)

// RequestEPhoto returns the capture of the ePhoto code typed in the
// owner's request id. While the request is a draft the code must still be
// usable: the error of class ephoto.ErrUnknown, ErrExpired or ErrUsed says
// why not, with its own message. Once filed, only the capture the request
// used is returned.
func (a *App) RequestEPhoto(ctx context.Context, req Request, id int64) (ephoto.Capture, error) {
	owner, err := requestOwner(req)
	if err != nil {
		return ephoto.Capture{}, err
	}
	r, err := a.store.FindRequestOfOwner(ctx, id, owner)
	if err != nil {
		return ephoto.Capture{}, err
	}
	if r.EPhotoCode == "" {
		return ephoto.Capture{}, apperr.New(apperr.NotFound, "Aucun code ePhoto n'est saisi dans cette demande.")
	}
	code := ephoto.Code(r.EPhotoCode)
	if r.Status == requests.StatusDraft {
		return a.store.CheckEPhotoCode(ctx, code, a.clock.Now())
	}
	c, err := a.store.FindEPhotoCode(ctx, code)
	if err != nil {
		return c, err
	}
	if c.UsedByRequest != r.Reference {
		return ephoto.Capture{}, ephoto.Unknown()
	}
	return c, nil
}

// RequestEPhotoImage opens the photo or the signature of the capture
// RequestEPhoto returns, with its type read from its content (JPEG or
// PNG only). The caller closes it.
func (a *App) RequestEPhotoImage(ctx context.Context, req Request, id int64, which EPhotoImage) (string, io.ReadCloser, error) {
	c, err := a.RequestEPhoto(ctx, req, id)
	if err != nil {
		return "", nil, err
	}
	key := c.PhotoKey
	switch which {
	case EPhotoPhoto:
	case EPhotoSignature:
		key = c.SignatureKey
	default:
		return "", nil, apperr.New(apperr.NotFound, "Cette image n'existe pas.")
	}
	if a.files == nil {
		return "", nil, apperr.New(apperr.Unavailable, "Les photos sont momentanément indisponibles.")
	}
	rc, err := a.files.Open(ctx, key)
	if err != nil {
		return "", nil, err
	}
	br := bufio.NewReader(rc)
	head, _ := br.Peek(8)
	typ := files.Sniff(head)
	if typ != files.JPEG && typ != files.PNG {
		rc.Close()
		return "", nil, apperr.New(apperr.Internal, "L'image enregistrée est illisible.")
	}
	return typ, struct {
		io.Reader
		io.Closer
	}{br, rc}, nil
}

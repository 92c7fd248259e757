package app

import (
	"context"
	"fmt"

	"permis/internal/apperr"
	"permis/internal/files"
)

// Upload limits per account (issue 10, finding 5: 20 × 9 Mo to one step
// left 180 Mo): a citizen's or driving school's live documents, all
// requests together, stay under RequestOptions.UploadQuota — a school
// files for many students, so the default is generous — and uploads are
// limited to RequestOptions.UploadsPerHour. Replaced files are deleted
// (requests.go, AddDocument).
const (
	defaultUploadQuota    = 500 << 20 // bytes of live documents per account
	defaultUploadsPerHour = 30        // documents sent per account and hour
)

// withinUploadQuota refuses (and deletes) the stored file f when it would
// take the account owner past uploadQuota. The file it replaces, if any,
// is still counted: the check is on the safe side.
func (a *App) withinUploadQuota(ctx context.Context, owner int64, f files.Stored) error {
	used, err := a.store.OwnerUploadBytes(ctx, owner)
	if err == nil && used+f.Size <= a.reqs.UploadQuota {
		return nil
	}
	_ = a.files.Delete(context.WithoutCancel(ctx), f.Key)
	if err != nil {
		return err
	}
	return apperr.Field("document", fmt.Sprintf(
		"Vos documents déposés occupent déjà %s sur les %s permis par compte. Remplacez un document existant par une version plus légère, ou contactez le service.",
		files.FormatSize(used), files.FormatSize(a.reqs.UploadQuota)))
}

// deleteFiles removes replaced files from the storage, after the change
// that replaced them committed. A failure is logged, not returned: the
// document itself is saved.
func (a *App) deleteFiles(ctx context.Context, keys []string) {
	for _, k := range keys {
		if err := a.files.Delete(context.WithoutCancel(ctx), k); err != nil {
			a.log.Error("fichier remplacé non supprimé", "key", k, "error", err)
		}
	}
}

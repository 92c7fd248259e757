package store_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"permis/internal/apperr"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// A PostgreSQL connection killed under the service (pg_terminate_backend,
// a restart, a failover) is "unavailable" with the ConnectionLost reason —
// a 503 with Retry-After, and a read the HTTP layer may run once more —
// not an internal error (issue 10, finding 13). The next statement gets a
// fresh connection.
func TestPostgresConnectionLossIsUnavailable(t *testing.T) {
	u := os.Getenv(storetest.EnvPostgres)
	if u == "" {
		t.Skip(storetest.EnvPostgres + " is not set")
	}
	ctx := context.Background()
	dsn := storetest.PostgresSchema(t, u)
	// Named, so that only this store's connection is killed.
	s, err := store.Open(ctx, dsn+"&application_name=permis_connlost_test", store.Options{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	if _, err := s.FindUserByEmail(ctx, "personne@example.test"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("before: %v", err)
	}
	var killed int
	if err := admin.QueryRowContext(ctx, `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
		WHERE application_name = 'permis_connlost_test'`).Scan(&killed); err != nil || killed == 0 {
		t.Fatalf("terminate: %d %v", killed, err)
	}
	_, err = s.FindUserByEmail(ctx, "personne@example.test")
	if apperr.Is(err, apperr.NotFound) {
		t.Skip("the driver noticed the dead connection before use; nothing to check")
	}
	if !apperr.Is(err, apperr.Unavailable) || !apperr.IsConnectionLost(err) {
		t.Fatalf("after pg_terminate_backend: %v (code %s), want unavailable/connection_lost", err, apperr.CodeOf(err))
	}
	if _, err := s.FindUserByEmail(ctx, "personne@example.test"); !apperr.Is(err, apperr.NotFound) {
		t.Fatalf("the next statement: %v, want a fresh connection", err)
	}
}

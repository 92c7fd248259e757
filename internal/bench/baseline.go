package bench

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"permis/internal/date"
	"permis/internal/ingest"
	"permis/internal/licence"
)

// bareBatch is the rows per transaction of the baseline insert: the same
// batch size as the import it is compared with, so that the comparison
// measures the work per row, not the commit frequency.
const bareBatch = ingest.DefaultBatchSize

// scratchTable is where the baseline inserts: a copy of point_events.
const scratchTable = "bench_point_events"

// bareRow is one offence ready for a plain INSERT: parsed, its licence id
// resolved.
type bareRow struct {
	id                     string
	licenceID              int64
	committed, established date.Date
	points                 int
	class, occasion        string
	nature                 string
}

// readRows parses an offences file with the importer's parser and resolves
// each NEPH through the register's index, outside any timing. Bad rows and
// unknown NEPHs are left out (the benchmark files have none).
func readRows(r io.Reader, idOf func(licence.NEPH) (int64, bool)) ([]bareRow, error) {
	p, err := ingest.NewParser(r, ingest.ParserOptions{})
	if err != nil {
		return nil, err
	}
	var rows []bareRow
	for {
		row, err := p.Next()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		var re *ingest.RowError
		if errors.As(err, &re) {
			continue
		}
		if err != nil {
			return nil, err
		}
		id, ok := idOf(row.NEPH)
		if !ok {
			continue
		}
		o := row.Offence
		rows = append(rows, bareRow{id: o.ID, licenceID: id, committed: o.Committed, established: o.Established,
			points: o.Points, class: string(o.Class), occasion: o.Occasion, nature: row.Nature})
	}
}

func readRowsFile(path string, idOf func(licence.NEPH) (int64, bool)) ([]bareRow, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readRows(f, idOf)
}

// createScratch creates the baseline's table with the schema of point_events:
// on SQLite its own DDL (primary key, licence index, foreign key) renamed; on
// PostgreSQL LIKE … INCLUDING ALL plus the foreign key, which LIKE does not
// copy. Not its triggers (the points_changed marks of the nightly pass): they
// are work the import does and the bare insert does not, so the comparison
// shows their cost.
func (b *bareDB) createScratch(ctx context.Context) error {
	if err := b.dropScratch(ctx); err != nil {
		return err
	}
	if b.postgres {
		for _, q := range []string{
			`CREATE TABLE ` + scratchTable + ` (LIKE point_events INCLUDING ALL)`,
			`ALTER TABLE ` + scratchTable + ` ADD FOREIGN KEY (licence_id) REFERENCES licences(id)`,
		} {
			if _, err := b.write.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}
	rows, err := b.write.QueryContext(ctx, `SELECT sql FROM sqlite_master
		WHERE tbl_name = 'point_events' AND type IN ('table', 'index') AND sql IS NOT NULL ORDER BY type = 'table' DESC, name`)
	if err != nil {
		return err
	}
	var ddl []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			rows.Close()
			return err
		}
		ddl = append(ddl, strings.ReplaceAll(s, "point_events", scratchTable))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ddl) == 0 {
		return errors.New("table point_events introuvable")
	}
	for _, q := range ddl {
		if _, err := b.write.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("%s : %w", q, err)
		}
	}
	return nil
}

func (b *bareDB) dropScratch(ctx context.Context) error {
	_, err := b.write.ExecContext(ctx, `DROP TABLE IF EXISTS `+scratchTable)
	return err
}

const bareInsert = `INSERT INTO ` + scratchTable + ` (event_id, licence_id, kind, committed, established, points, class, occasion, nature, recorded_at)
	VALUES (?, ?, 'offence', ?, ?, ?, ?, ?, ?, ?)`

// insertBare is the baseline: the rows inserted into the scratch table in
// transactions of bareBatch rows with a prepared single-row INSERT, through
// database/sql and modernc on SQLite, through pgx (a batch of prepared
// INSERTs per transaction) on PostgreSQL. Only this is timed.
func (b *bareDB) insertBare(ctx context.Context, rows []bareRow) (time.Duration, error) {
	if b.postgres {
		return insertPgx(ctx, b.dsn, rows)
	}
	return insertSQLite(ctx, b.write, rows)
}

func insertSQLite(ctx context.Context, db *sql.DB, rows []bareRow) (time.Duration, error) {
	start := time.Now()
	recorded := time.Now().UTC().Format("2006-01-02T15:04:05.000000Z07:00")
	for chunk := range slices.Chunk(rows, bareBatch) {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		st, err := tx.PrepareContext(ctx, bareInsert)
		if err != nil {
			tx.Rollback()
			return 0, err
		}
		for _, r := range chunk {
			if _, err := st.ExecContext(ctx, r.id, r.licenceID, r.committed.String(), r.established.String(),
				r.points, r.class, r.occasion, r.nature, recorded); err != nil {
				st.Close()
				tx.Rollback()
				return 0, err
			}
		}
		st.Close()
		if err := tx.Commit(); err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

func insertPgx(ctx context.Context, dsn string, rows []bareRow) (time.Duration, error) {
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		return 0, err
	}
	defer conn.Close(context.WithoutCancel(ctx))
	q := strings.NewReplacer("?, ?, 'offence', ?, ?, ?, ?, ?, ?, ?", "$1, $2, 'offence', $3, $4, $5, $6, $7, $8, $9").Replace(bareInsert)
	if _, err := conn.Prepare(ctx, "bench_insert", q); err != nil {
		return 0, err
	}
	start := time.Now()
	recorded := time.Now().UTC()
	for chunk := range slices.Chunk(rows, bareBatch) {
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			batch := &pgx.Batch{}
			for _, r := range chunk {
				batch.Queue("bench_insert", r.id, r.licenceID, r.committed.Time(), r.established.Time(),
					int16(r.points), r.class, r.occasion, r.nature, recorded)
			}
			return tx.SendBatch(ctx, batch).Close()
		})
		if err != nil {
			return 0, err
		}
	}
	return time.Since(start), nil
}

// countScratch counts the rows of the scratch table (a check that the
// baseline wrote what it was given).
func (b *bareDB) countScratch(ctx context.Context) (int, error) {
	var n int
	err := b.write.QueryRowContext(ctx, `SELECT count(*) FROM `+scratchTable).Scan(&n)
	return n, err
}

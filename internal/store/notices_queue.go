package store

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"permis/internal/date"
)

// QueueItem is one line of the OMP's queue: a contest and what the
// officer reads of its notice before opening the file.
type QueueItem struct {
	Contest
	NoticeNumber string
	Plate        string
	HolderName   string
	Fine         int
}

// QueueFilter selects the OMP's queue: contests in one of States (all
// when empty), by deadline then id, strictly after the cursor
// (AfterDeadline, AfterID) when AfterID > 0 — keyset pagination, so the
// 1 000th page costs what the first does.
type QueueFilter struct {
	States        []ContestState
	AfterDeadline date.Date
	AfterID       int64
	Limit         int
}

// ListContestQueue returns one page of the OMP's queue. Each state is read
// on its own along the index (state, deadline, id) — a range scan that stops
// after Limit rows, whatever the backlog — and the states' pages are merged
// here: one query over several states would have to sort every row of
// those states first (measured: BENCHMARKS.md, "Contests").
func (s *Store) ListContestQueue(ctx context.Context, f QueueFilter) ([]QueueItem, error) {
	limit := f.Limit
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	states := f.States
	if len(states) == 0 {
		states = allContestStates
	}
	var out []QueueItem
	for _, st := range states {
		page, err := s.contestQueueOf(ctx, st, f, limit)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
	}
	slices.SortFunc(out, func(a, b QueueItem) int {
		return cmp.Or(cmp.Compare(a.Deadline, b.Deadline), cmp.Compare(a.ID, b.ID))
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

var allContestStates = []ContestState{ContestDepositDue, ContestPending, ContestCourt, ContestInadmissible,
	ContestDesignated, ContestDropped, ContestAcquitted, ContestConvicted}

func (s *Store) contestQueueOf(ctx context.Context, st ContestState, f QueueFilter, limit int) ([]QueueItem, error) {
	where, args := `c.state = ?`, []any{string(st)}
	if f.AfterID > 0 {
		// A row value, not "deadline > ? OR (deadline = ? AND id > ?)":
		// PostgreSQL turns the OR into a bitmap scan of every later row
		// (660 ms at 100 000), the row value into an index range (0.25 ms).
		where += ` AND (c.deadline, c.id) > (?, ?)`
		args = append(args, f.AfterDeadline, f.AfterID)
	}
	rows, err := s.query(ctx, `SELECT `+contestCols+`, n.number, n.plate, n.holder_name, n.fine
		FROM fine_contests c JOIN fine_notices n ON n.id = c.notice_id
		WHERE `+where+` ORDER BY c.deadline, c.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []QueueItem
	for rows.Next() {
		var it QueueItem
		c, err := scanContest(rows, &it.NoticeNumber, &it.Plate, &it.HolderName, &it.Fine)
		if err != nil {
			return nil, err
		}
		it.Contest = c
		out = append(out, it)
	}
	return out, s.d.translate(rows.Err())
}

// CountContests returns how many contests are in one of states (all when
// empty), counting no further than upTo (0: no bound): a queue says "more
// than 10 000" rather than walk a backlog of 100 000 at every page.
func (s *Store) CountContests(ctx context.Context, states []ContestState, upTo int) (int, error) {
	where, args := queueWhere(states)
	q := `SELECT 1 FROM fine_contests c`
	if len(where) > 0 {
		q += ` WHERE ` + strings.Join(where, ` AND `)
	}
	if upTo > 0 {
		q += ` LIMIT ?`
		args = append(args, upTo)
	}
	var n int
	err := s.queryRow(ctx, `SELECT count(*) FROM (`+q+`) AS counted`, args...).Scan(&n)
	return n, s.d.translate(err)
}

func queueWhere(states []ContestState) ([]string, []any) {
	if len(states) == 0 {
		return nil, nil
	}
	args := make([]any, len(states))
	for i, st := range states {
		args[i] = string(st)
	}
	return []string{`c.state IN (` + placeholders(len(states)) + `)`}, args
}

// ListContestsPast returns the contests in state st whose deadline is
// before day, oldest deadline first, at most limit, without documents.
func (s *Store) ListContestsPast(ctx context.Context, st ContestState, day date.Date, limit int) ([]Contest, error) {
	rows, err := s.query(ctx, `SELECT `+contestCols+` FROM fine_contests c WHERE c.state = ? AND c.deadline < ?
		ORDER BY c.deadline, c.id LIMIT ?`, string(st), day, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Contest
	for rows.Next() {
		c, err := scanContest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, s.d.translate(rows.Err())
}

package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// openRequestsStore opens a Store on dsn at testNow, closed when the test
// ends. Called twice on one dsn it gives two server instances sharing one
// database.
func openRequestsStore(tb testing.TB, dsn string) *Store {
	tb.Helper()
	s, err := Open(context.Background(), dsn, Options{Clock: clock.NewFixed(testNow), MaxConns: 8})
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

// mustRegisterStamp records an available €25 stamp bought at testNow
// (14 March 2026: valid until 14 March 2027, refundable until 14 September 2027).
func mustRegisterStamp(tb testing.TB, s *Store, n stamp.Number) stamp.Stamp {
	tb.Helper()
	st, err := stamp.DefaultConfig().New(n, 2500, testNow, "TX-"+string(n[12:]))
	if err != nil {
		tb.Fatal(err)
	}
	st, err = s.RegisterStamp(context.Background(), st)
	if err != nil {
		tb.Fatalf("RegisterStamp(%s): %v", n, err)
	}
	return st
}

// parisNoon returns noon in Paris on day s.
func parisNoon(s string) time.Time {
	y, m, d := date.MustParse(s).Civil()
	return time.Date(y, m, d, 12, 0, 0, 0, date.Paris())
}

// wantStampErr fails unless err is the stamp problem reason with the
// application code.
func wantStampErr(tb testing.TB, what string, err error, code apperr.Code, reason string) {
	tb.Helper()
	ae := apperr.As(err)
	if err == nil || ae.Code != code || stamp.Reason(err) != reason || ae.Message == "" || ae.Fields[stamp.Field] != ae.Message {
		tb.Fatalf("%s: %v (code %s, reason %q); want %s %q", what, err, ae.Code, stamp.Reason(err), code, reason)
	}
}

func TestStampRegisterAndFind(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		st := mustRegisterStamp(t, s, "1234567890123456")
		got, err := s.FindStamp(ctx, "1234567890123456")
		if err != nil || got.ID != st.ID || got.Number != st.Number || got.Amount != 2500 || got.State != stamp.Available ||
			!got.PurchasedAt.Equal(testNow) || got.ValidUntil.String() != "2027-03-14" || got.RefundableUntil.String() != "2027-09-14" ||
			got.TransactionRef != "TX-3456" || got.RequestRef != "" || got.ReservedAt != nil || !got.CreatedAt.Equal(testNow) {
			t.Fatalf("FindStamp = %+v, %v", got, err)
		}
		again, _ := stamp.DefaultConfig().New("1234567890123456", 1250, testNow, "")
		_, err = s.RegisterStamp(ctx, again)
		wantStampErr(t, "a number recorded twice", err, apperr.Conflict, "stamp_exists")
		_, err = s.FindStamp(ctx, "6543210987654321")
		wantStampErr(t, "an unknown number", err, apperr.NotFound, "stamp_unknown")
		_, err = s.ReserveStamp(ctx, "6543210987654321", "D-1", 2500, testNow)
		wantStampErr(t, "reserving an unknown number", err, apperr.NotFound, "stamp_unknown")

		reserved := st
		reserved.State, reserved.RequestRef = stamp.Reserved, "D-1"
		if _, err := s.RegisterStamp(ctx, reserved); !apperr.Is(err, apperr.Internal) {
			t.Fatalf("a stamp registered already reserved: %v", err)
		}
	})
}

// TestStampLifecycle walks §8 on a real database: filed → accepted (consumed
// for good), filed → rejected (released, then usable again), refund.
func TestStampLifecycle(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		const n = stamp.Number("1111222233334444")
		mustRegisterStamp(t, s, n)
		filed, accepted := parisNoon("2026-04-01"), parisNoon("2026-04-20")

		st, err := s.ReserveStamp(ctx, n, "D-A", 2500, filed)
		if err != nil || st.State != stamp.Reserved || st.RequestRef != "D-A" || st.ReservedAt == nil || !st.ReservedAt.Equal(filed) {
			t.Fatalf("reserve: %+v, %v", st, err)
		}
		_, err = s.ReserveStamp(ctx, n, "D-B", 2500, filed)
		wantStampErr(t, "a second request", err, apperr.Conflict, "stamp_reserved")
		_, err = s.ConsumeStamp(ctx, n, "D-B", accepted)
		wantStampErr(t, "consumed by a request that does not hold it", err, apperr.Conflict, "stamp_not_reserved")
		_, err = s.ReleaseStamp(ctx, n, "D-B", accepted)
		wantStampErr(t, "released by a request that does not hold it", err, apperr.Conflict, "stamp_not_reserved")
		_, err = s.MarkStampRefunded(ctx, n, accepted)
		wantStampErr(t, "refunded while a request holds it", err, apperr.Conflict, "stamp_reserved")

		st, err = s.ConsumeStamp(ctx, n, "D-A", accepted)
		if err != nil || st.State != stamp.Consumed || st.RequestRef != "D-A" || st.ConsumedAt == nil || !st.UpdatedAt.Equal(accepted) {
			t.Fatalf("consume: %+v, %v", st, err)
		}
		for what, err := range map[string]error{
			"reserved again":   second(s.ReserveStamp(ctx, n, "D-C", 2500, accepted)),
			"consumed twice":   second(s.ConsumeStamp(ctx, n, "D-A", accepted)),
			"released after":   second(s.ReleaseStamp(ctx, n, "D-A", accepted)),
			"refunded after":   second(s.MarkStampRefunded(ctx, n, accepted)),
			"reserved by self": second(s.ReserveStamp(ctx, n, "D-A", 2500, accepted)),
		} {
			wantStampErr(t, what+" once consumed", err, apperr.Conflict, "stamp_consumed")
		}
		if got, _ := s.FindStamp(ctx, n); got.State != stamp.Consumed || got.RequestRef != "D-A" {
			t.Fatalf("refusals changed the stamp: %+v", got)
		}
		list, err := s.ListStampsOfRequest(ctx, "D-A")
		if err != nil || len(list) != 1 || list[0].Number != n {
			t.Fatalf("ListStampsOfRequest: %+v, %v", list, err)
		}
	})
}

func second[T any](_ T, err error) error { return err }

func TestStampReleaseAndRefund(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		const n = stamp.Number("5555666677778888")
		mustRegisterStamp(t, s, n)
		day := parisNoon("2026-05-01")
		if _, err := s.ReserveStamp(ctx, n, "D-REJECTED", 2500, day); err != nil {
			t.Fatal(err)
		}
		st, err := s.ReleaseStamp(ctx, n, "D-REJECTED", day)
		if err != nil || st.State != stamp.Available || st.RequestRef != "" || st.ReleasedAt == nil {
			t.Fatalf("release: %+v, %v", st, err)
		}
		if list, _ := s.ListStampsOfRequest(ctx, "D-REJECTED"); len(list) != 0 {
			t.Fatalf("a released stamp still belongs to the rejected request: %+v", list)
		}
		if _, err := s.ReserveStamp(ctx, n, "D-NEW", 2500, day); err != nil {
			t.Fatalf("a released stamp serves a new request: %v", err)
		}
		if _, err := s.ReleaseStamp(ctx, n, "D-NEW", day); err != nil {
			t.Fatal(err)
		}

		// Refund: within 18 months of the purchase (14 March 2026), even once expired.
		_, err = s.MarkStampRefunded(ctx, n, parisNoon("2027-09-15"))
		wantStampErr(t, "refund after 18 months", err, apperr.Conflict, "stamp_not_refundable")
		st, err = s.MarkStampRefunded(ctx, n, parisNoon("2027-09-14"))
		if err != nil || st.State != stamp.Refunded || st.RefundedAt == nil {
			t.Fatalf("refund on the last day: %+v, %v", st, err)
		}
		_, err = s.MarkStampRefunded(ctx, n, parisNoon("2027-09-14"))
		wantStampErr(t, "refunded twice", err, apperr.Conflict, "stamp_refunded")
		_, err = s.ReserveStamp(ctx, n, "D-LATER", 2500, day)
		wantStampErr(t, "a refunded stamp", err, apperr.Conflict, "stamp_refunded")
	})
}

func TestStampValidityAndAmount(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		const n = stamp.Number("9999000011112222")
		mustRegisterStamp(t, s, n)

		_, err := s.ReserveStamp(ctx, n, "D-1", 3000, parisNoon("2026-04-01"))
		wantStampErr(t, "a stamp below the fee", err, apperr.Invalid, "stamp_amount")

		// Valid 12 months: the last day is 14 March 2027, in Paris.
		lastEvening := time.Date(2027, 3, 14, 22, 30, 0, 0, time.UTC)            // 23:30 in Paris
		_, err = s.ReserveStamp(ctx, n, "D-1", 2500, lastEvening.Add(time.Hour)) // 00:30 on the 15th in Paris
		wantStampErr(t, "the day after its last day", err, apperr.Conflict, "stamp_expired")
		if msg := apperr.As(err).Message; msg != "Ce timbre fiscal n'est plus valable : acheté le 14/03/2026, il pouvait être utilisé jusqu'au 14/03/2027. Vous pouvez en demander le remboursement jusqu'au 14/09/2027." {
			t.Errorf("expired: %q", msg)
		}
		st, err := s.ReserveStamp(ctx, n, "D-1", 1250, lastEvening)
		if err != nil || st.State != stamp.Reserved {
			t.Fatalf("on its last evening, for a €12.50 fee: %+v, %v", st, err)
		}
		// Acceptance consumes it even after its validity: it was valid when filed.
		if _, err := s.ConsumeStamp(ctx, n, "D-1", parisNoon("2027-05-01")); err != nil {
			t.Fatalf("consumed after its validity: %v", err)
		}
	})
}

// TestStampReservationRollsBack: a reservation made in a filing that fails
// leaves the stamp as it was.
func TestStampReservationRollsBack(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		const n = stamp.Number("3141592653589793")
		mustRegisterStamp(t, s, n)
		boom := errors.New("the filing failed after the reservation")
		err := s.Transact(ctx, func(tx *Store) error {
			if _, err := tx.ReserveStamp(ctx, n, "D-1", 2500, testNow); err != nil {
				return err
			}
			if st, err := tx.FindStamp(ctx, n); err != nil || st.State != stamp.Reserved {
				t.Errorf("inside the transaction: %+v, %v", st, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		if st, _ := s.FindStamp(ctx, n); st.State != stamp.Available || st.RequestRef != "" {
			t.Fatalf("after rollback: %+v", st)
		}
	})
}

// TestReserveStampConcurrently: 50 requests filed at the same instant with
// one stamp number, on two server instances sharing one database: exactly
// one gets it, the 49 others get the clear "already attached" error, and
// the row is coherent.
func TestReserveStampConcurrently(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		instances := []*Store{openRequestsStore(t, dsn), openRequestsStore(t, dsn)}
		ctx := context.Background()
		const n = stamp.Number("2718281828459045")
		mustRegisterStamp(t, instances[0], n)

		const filings = 50
		var (
			start = make(chan struct{})
			wg    sync.WaitGroup
			errs  = make([]error, filings)
		)
		for i := range filings {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = instances[i%2].ReserveStamp(ctx, n, fmt.Sprintf("D-%02d", i), 2500, testNow)
			}()
		}
		close(start)
		wg.Wait()

		winner := ""
		for i, err := range errs {
			switch {
			case err == nil && winner == "":
				winner = fmt.Sprintf("D-%02d", i)
			case err == nil:
				t.Errorf("D-%02d also reserved the stamp held by %s", i, winner)
			case stamp.Reason(err) != "stamp_reserved" || apperr.CodeOf(err) != apperr.Conflict ||
				apperr.As(err).Message != stamp.ErrReserved.Message:
				t.Errorf("D-%02d: %v, want the clear stamp_reserved conflict", i, err)
			}
		}
		if winner == "" {
			t.Fatal("no filing reserved the stamp")
		}
		for _, s := range instances {
			st, err := s.FindStamp(ctx, n)
			if err != nil || st.State != stamp.Reserved || st.RequestRef != winner || st.ReservedAt == nil {
				t.Fatalf("row after the race: %+v, %v (winner %s)", st, err, winner)
			}
		}
		var rows int
		if err := instances[1].queryRow(ctx, `SELECT count(*) FROM stamps WHERE number = ?`, string(n)).Scan(&rows); err != nil || rows != 1 {
			t.Fatalf("%d rows for one number, %v", rows, err)
		}
		if list, _ := instances[1].ListStampsOfRequest(ctx, winner); len(list) != 1 {
			t.Fatalf("the winner holds %d stamps", len(list))
		}
	})
}

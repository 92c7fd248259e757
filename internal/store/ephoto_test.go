package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/ephoto"
	"permis/internal/stamp"
	"permis/internal/store/storetest"
)

// mustCreatePhotographer creates an approved photographer's account.
func mustCreatePhotographer(tb testing.TB, s *Store, email string) User {
	tb.Helper()
	u := User{Role: "photographer", Email: email, ApprovalNumber: "AGR-34-0042", Organisation: "Studio Lumière, Montpellier"}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		tb.Fatal(err)
	}
	return u
}

// mustCapture records a capture by the photographer at the given time and
// returns its code.
func mustCapture(tb testing.TB, s *Store, photographer User, at time.Time) (ephoto.Code, ephoto.Capture) {
	tb.Helper()
	code := ephoto.New()
	c, err := ephoto.DefaultConfig().NewCapture(code, photographer.ID, photographer.ApprovalNumber,
		"ephoto/"+code.Hint()+"/photo.jpg", "ephoto/"+code.Hint()+"/signature.png", at)
	if err != nil {
		tb.Fatal(err)
	}
	if err := s.CreateEPhotoCode(context.Background(), &c); err != nil {
		tb.Fatalf("CreateEPhotoCode: %v", err)
	}
	return code, c
}

// wantEPhotoErr fails unless err is the ePhoto problem reason with the
// application code.
func wantEPhotoErr(tb testing.TB, what string, err error, code apperr.Code, reason string) {
	tb.Helper()
	ae := apperr.As(err)
	if err == nil || ae.Code != code || ephoto.Reason(err) != reason || ae.Message == "" || ae.Fields[ephoto.Field] != ae.Message {
		tb.Fatalf("%s: %v (code %s, reason %q); want %s %q", what, err, ae.Code, ephoto.Reason(err), code, reason)
	}
}

func TestEPhotoCodeStoredHashed(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		p := mustCreatePhotographer(t, s, "studio@example.fr")
		code, c := mustCapture(t, s, p, testNow)
		got, err := s.FindEPhotoCode(ctx, code)
		if err != nil || got.ID != c.ID || got.PhotographerID != p.ID || got.ApprovalNumber != "AGR-34-0042" ||
			got.PhotoKey != c.PhotoKey || got.SignatureKey != c.SignatureKey || !got.CreatedAt.Equal(testNow) ||
			!got.ExpiresAt.Equal(c.ExpiresAt) || got.UsedAt != nil || got.UsedByRequest != "" || got.Hint != code.Hint() {
			t.Fatalf("FindEPhotoCode = %+v, %v", got, err)
		}
		// What people type finds it too.
		typed, err := ephoto.Parse(" " + string(bytes.ToLower([]byte(code.Grouped()))) + " ")
		if err != nil {
			t.Fatal(err)
		}
		if again, err := s.FindEPhotoCode(ctx, typed); err != nil || again.ID != c.ID {
			t.Fatalf("typed in lower case with spaces: %+v, %v", again, err)
		}
		// The code itself is nowhere in the table.
		var n int
		if err := s.queryRow(ctx, `SELECT count(*) FROM ephoto_codes WHERE hint = ? OR photo_key = ? OR approval_number = ?`,
			string(code), string(code), string(code)).Scan(&n); err != nil || n != 0 {
			t.Fatalf("the clear code is stored: %d, %v", n, err)
		}
		var hash []byte
		if err := s.queryRow(ctx, `SELECT code_hash FROM ephoto_codes WHERE id = ?`, c.ID).Scan(&hash); err != nil ||
			!bytes.Equal(hash, code.Hash()) || bytes.Contains(hash, []byte(code)) {
			t.Fatalf("stored hash %x, %v", hash, err)
		}
		list, err := s.ListEPhotoCodes(ctx, p.ID, 10)
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("ListEPhotoCodes: %+v, %v", list, err)
		}
		// An unknown photographer account cannot create codes.
		orphan, _ := ephoto.DefaultConfig().NewCapture(ephoto.New(), p.ID+1000, "AGR", "p", "s", testNow)
		if err := s.CreateEPhotoCode(ctx, &orphan); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("capture by an unknown account: %v", err)
		}
	})
}

// TestEPhotoCodeErrors: unknown, expired and used each get their own error.
func TestEPhotoCodeErrors(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		p := mustCreatePhotographer(t, s, "cabine@example.fr")
		code, c := mustCapture(t, s, p, testNow) // 14 March 2026: valid through 14 September 2026
		filed := parisNoon("2026-04-02")

		if got, err := s.CheckEPhotoCode(ctx, code, filed); err != nil || got.PhotoKey != c.PhotoKey {
			t.Fatalf("check before filing: %+v, %v", got, err)
		}
		_, err := s.CheckEPhotoCode(ctx, ephoto.New(), filed)
		wantEPhotoErr(t, "an unknown code", err, apperr.NotFound, "ephoto_unknown")
		_, err = s.ClaimEPhotoCode(ctx, ephoto.New(), "D-1", filed)
		wantEPhotoErr(t, "claiming an unknown code", err, apperr.NotFound, "ephoto_unknown")

		expiry := c.ExpiresAt
		_, err = s.ClaimEPhotoCode(ctx, code, "D-1", expiry)
		wantEPhotoErr(t, "at the first instant after its last day", err, apperr.Conflict, "ephoto_expired")
		if msg := apperr.As(err).Message; msg != "Ce code ePhoto était valable jusqu'au 14/09/2026 : il a expiré. Faites faire une nouvelle photo chez un photographe ou dans une cabine agréés, ou utilisez le formulaire papier de photo-signature." {
			t.Errorf("expired message: %q", msg)
		}
		_, err = s.CheckEPhotoCode(ctx, code, expiry)
		wantEPhotoErr(t, "checking it then", err, apperr.Conflict, "ephoto_expired")

		got, err := s.ClaimEPhotoCode(ctx, code, "D-1", expiry.Add(-time.Second))
		if err != nil || got.UsedAt == nil || got.UsedByRequest != "D-1" {
			t.Fatalf("claim on its last second: %+v, %v", got, err)
		}
		_, err = s.ClaimEPhotoCode(ctx, code, "D-2", filed)
		wantEPhotoErr(t, "a used code", err, apperr.Conflict, "ephoto_used")
		if apperr.As(err).Message != ephoto.ErrUsed.Message {
			t.Errorf("used message: %q", apperr.As(err).Message)
		}
		_, err = s.CheckEPhotoCode(ctx, code, filed)
		wantEPhotoErr(t, "checking a used code", err, apperr.Conflict, "ephoto_used")
		_, err = s.ClaimEPhotoCode(ctx, code, "D-1", filed)
		wantEPhotoErr(t, "claimed twice by its request", err, apperr.Conflict, "ephoto_used")
		if _, err := s.ClaimEPhotoCode(ctx, code, "", filed); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("claim without a request: %v", err)
		}
		if after, _ := s.FindEPhotoCode(ctx, code); after.UsedByRequest != "D-1" {
			t.Fatalf("refusals changed the code: %+v", after)
		}
	})
}

// TestClaimEPhotoCodeConcurrently: 50 requests filed at the same instant with
// one ePhoto code, on two server instances: exactly one gets it, the others
// get the "already used" error, and the row names the winner.
func TestClaimEPhotoCodeConcurrently(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		instances := []*Store{openRequestsStore(t, dsn), openRequestsStore(t, dsn)}
		ctx := context.Background()
		code, _ := mustCapture(t, instances[0], mustCreatePhotographer(t, instances[0], "booth@example.fr"), testNow)

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
				_, errs[i] = instances[i%2].ClaimEPhotoCode(ctx, code, fmt.Sprintf("D-%02d", i), testNow.Add(time.Hour))
			}()
		}
		close(start)
		wg.Wait()

		winner := checkOneWinner(t, errs, func(err error) bool {
			return ephoto.Reason(err) == "ephoto_used" && apperr.CodeOf(err) == apperr.Conflict && apperr.As(err).Message == ephoto.ErrUsed.Message
		})
		for _, s := range instances {
			c, err := s.FindEPhotoCode(ctx, code)
			if err != nil || c.UsedByRequest != winner || c.UsedAt == nil {
				t.Fatalf("row after the race: %+v, %v (winner %s)", c, err, winner)
			}
		}
	})
}

// TestConcurrentFilingsLeaveNothingHalfWritten: 50 filings at the same
// instant, each with its own stamp but one shared ePhoto code, each in one
// transaction (reserve the stamp, then claim the code), on two instances.
// One filing commits both; the 49 others roll back whole: their stamps,
// reserved first, are available again.
func TestConcurrentFilingsLeaveNothingHalfWritten(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		instances := []*Store{openRequestsStore(t, dsn), openRequestsStore(t, dsn)}
		ctx := context.Background()
		code, _ := mustCapture(t, instances[0], mustCreatePhotographer(t, instances[0], "studio2@example.fr"), testNow)
		const filings = 50
		numbers := make([]stamp.Number, filings)
		for i := range numbers {
			numbers[i] = stamp.Number(fmt.Sprintf("40000000000000%02d", i))
			mustRegisterStamp(t, instances[0], numbers[i])
		}

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
				ref := fmt.Sprintf("D-%02d", i)
				errs[i] = instances[i%2].Transact(ctx, func(tx *Store) error {
					if _, err := tx.ReserveStamp(ctx, numbers[i], ref, 2500, testNow); err != nil {
						return err
					}
					_, err := tx.ClaimEPhotoCode(ctx, code, ref, testNow)
					return err
				})
			}()
		}
		close(start)
		wg.Wait()

		winner := checkOneWinner(t, errs, func(err error) bool { return errors.Is(err, ephoto.ErrUsed) })
		for i, n := range numbers {
			st, err := instances[1].FindStamp(ctx, n)
			ref := fmt.Sprintf("D-%02d", i)
			want := stamp.Available
			if ref == winner {
				want = stamp.Reserved
			}
			if err != nil || st.State != want || (want == stamp.Available && (st.RequestRef != "" || st.ReservedAt != nil)) {
				t.Errorf("%s's stamp after the race: %s %q, %v; want %s", ref, st.State, st.RequestRef, err, want)
			}
		}
		if c, _ := instances[1].FindEPhotoCode(ctx, code); c.UsedByRequest != winner {
			t.Errorf("code used by %q, winner %s", c.UsedByRequest, winner)
		}
	})
}

// checkOneWinner checks that exactly one of errs is nil and that every
// other error is the expected clear one; it returns the winner's reference.
func checkOneWinner(t *testing.T, errs []error, expected func(error) bool) string {
	t.Helper()
	winner := ""
	for i, err := range errs {
		ref := fmt.Sprintf("D-%02d", i)
		switch {
		case err == nil && winner == "":
			winner = ref
		case err == nil:
			t.Errorf("%s also succeeded (winner %s)", ref, winner)
		case !expected(err):
			t.Errorf("%s: %v, not the clear error", ref, err)
		}
	}
	if winner == "" {
		t.Fatal("nobody succeeded")
	}
	return winner
}

package store

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"permis/internal/apperr"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/store/storetest"
)

// mustNotice records an open €135, 4-point notice for plate AB-123-CD.
func mustNotice(tb testing.TB, s *Store, number string, h NoticeHolder) Notice {
	tb.Helper()
	if h.Kind == "" {
		h = NoticeHolder{Kind: contest.Person, Name: "Garnier", GivenNames: "Camille", Address: "12 rue des Lilas, 69003 Lyon"}
	}
	n := Notice{Number: number, Plate: "ab-123-cd", Kind: contest.ACO, Committed: date.MustParse("2026-02-01"),
		Place: "A7, Vienne", Nature: "Excès de vitesse", Class: "4", Reduced: 90, Fine: 135, Increased: 375, Points: 1,
		Holder: h, Sent: date.MustParse("2026-02-05"), Mail: contest.Ordinary}
	if err := s.CreateNotice(context.Background(), &n); err != nil {
		tb.Fatalf("CreateNotice: %v", err)
	}
	return n
}

func TestNoticeFoundByNumberAndPlateOnly(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		n := mustNotice(t, s, "4812 3456 7890 12", NoticeHolder{})
		if n.Number != "48123456789012" || n.Plate != "AB123CD" || n.State != NoticeOpen {
			t.Fatalf("stored as %+v", n)
		}
		got, err := s.FindNoticeByNumber(ctx, "48123456789012", "AB 123 CD")
		if err != nil || got.ID != n.ID || got.Holder.Name != "Garnier" || got.Fine != 135 || got.Committed != n.Committed {
			t.Fatalf("FindNoticeByNumber = %+v, %v", got, err)
		}
		for _, c := range []struct{ number, plate string }{{"48123456789012", "AB-124-CD"}, {"48123456789013", "AB-123-CD"}, {"4812345678901x", "AB-123-CD"}} {
			if _, err := s.FindNoticeByNumber(ctx, c.number, c.plate); !apperr.Is(err, apperr.NotFound) {
				t.Errorf("FindNoticeByNumber(%q, %q) = %v, want not_found", c.number, c.plate, err)
			}
		}
		dup := Notice{Number: n.Number, Plate: "XY", Kind: contest.ACO, Class: "4", Fine: 1, Holder: n.Holder, Mail: contest.Ordinary}
		if err := s.CreateNotice(ctx, &dup); !apperr.Is(err, apperr.Conflict) {
			t.Errorf("second notice with one number: %v, want conflict", err)
		}
	})
}

// TestPayAndContestRace: a payment and a contest of one notice, from two
// instances at the same instant — exactly one wins, the others are told
// the notice changed, and nothing of the losers is written. On SQLite the
// writes are serialised (ForEachRace says so): only PostgreSQL can show a
// missing guard.
func TestPayAndContestRace(t *testing.T) {
	storetest.ForEachRace(t, func(t *testing.T, dsn string) {
		instances := []*Store{openRequestsStore(t, dsn), openRequestsStore(t, dsn)}
		ctx := context.Background()
		n := mustNotice(t, instances[0], "11112222333344", NoticeHolder{})
		const tries = 40
		var (
			start = make(chan struct{})
			wg    sync.WaitGroup
			errs  = make([]error, tries)
		)
		for i := range tries {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				s := instances[i%2]
				errs[i] = s.Transact(ctx, func(tx *Store) error {
					if i%4 < 2 { // pay
						if _, err := tx.SetNoticeState(ctx, n.ID, NoticeOpen, NoticePaid, date.Some(date.MustParse("2026-02-10"))); err != nil {
							return err
						}
						_, err := tx.RecordFinePayment(ctx, &FinePayment{NoticeID: n.ID, Kind: PaymentFine, AmountCents: 9000,
							PaidOn: date.MustParse("2026-02-10"), ProviderRef: fmt.Sprintf("pay_%d", i), State: PaymentKept})
						return err
					}
					if _, err := tx.SetNoticeState(ctx, n.ID, NoticeOpen, NoticeContested, date.Null{}); err != nil {
						return err
					}
					return tx.CreateContest(ctx, &Contest{Reference: fmt.Sprintf("C%d", i), NoticeID: n.ID, Ground: contest.Sold,
						Filed: date.MustParse("2026-02-10"), Deadline: date.MustParse("2026-03-23"), State: ContestPending})
				})
			}()
		}
		close(start)
		wg.Wait()
		winners := 0
		for i, err := range errs {
			switch {
			case err == nil:
				winners++
			case err != ErrNoticeChanged:
				t.Errorf("attempt %d: %v, want ErrNoticeChanged", i, err)
			}
		}
		if winners != 1 {
			t.Fatalf("%d attempts won, want exactly 1", winners)
		}
		got, err := instances[1].FindNotice(ctx, n.ID)
		if err != nil {
			t.Fatal(err)
		}
		pays, _ := instances[1].ListFinePayments(ctx, n.ID)
		cs, _ := instances[1].ListContestsOfNotice(ctx, n.ID)
		switch got.State {
		case NoticePaid:
			if len(pays) != 1 || len(cs) != 0 || got.EstablishedOn != date.Some(date.MustParse("2026-02-10")) {
				t.Errorf("paid notice with %d payments, %d contests, established %v", len(pays), len(cs), got.EstablishedOn)
			}
		case NoticeContested:
			if len(pays) != 0 || len(cs) != 1 || got.EstablishedOn.Valid {
				t.Errorf("contested notice with %d payments, %d contests, established %v", len(pays), len(cs), got.EstablishedOn)
			}
		default:
			t.Errorf("state %q", got.State)
		}
	})
}

func TestContestQueueKeyset(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		n := mustNotice(t, s, "22223333444455", NoticeHolder{})
		deadlines := []string{"2026-03-20", "2026-03-10", "2026-03-10", "2026-03-30", "2026-03-15"}
		for i, d := range deadlines {
			st := ContestPending
			if i == 3 {
				st = ContestDropped
			}
			c := Contest{Reference: fmt.Sprintf("Q%d", i), NoticeID: n.ID, Ground: contest.ContestOffence, Deposit: 135,
				Filed: date.MustParse("2026-02-10"), Deadline: date.MustParse(d), State: st,
				Documents: []ContestDocument{{Kind: contest.SaleDeclaration, FileKey: "k", FileName: "cession.pdf"}}}
			if err := s.CreateContest(ctx, &c); err != nil {
				t.Fatal(err)
			}
		}
		states := []ContestState{ContestPending, ContestCourt}
		if c, err := s.CountContests(ctx, states, 0); err != nil || c != 4 {
			t.Fatalf("CountContests = %d, %v", c, err)
		}
		if c, err := s.CountContests(ctx, states, 3); err != nil || c != 3 {
			t.Fatalf("CountContests up to 3 = %d, %v", c, err)
		}
		var refs []string
		f := QueueFilter{States: states, Limit: 2}
		for range 3 {
			page, err := s.ListContestQueue(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page {
				refs = append(refs, it.Reference)
				if it.NoticeNumber != n.Number || it.Plate != "AB123CD" || it.HolderName != "Garnier" || it.Fine != 135 {
					t.Errorf("item %+v", it)
				}
			}
			if len(page) == 0 {
				break
			}
			last := page[len(page)-1]
			f.AfterDeadline, f.AfterID = last.Deadline, last.ID
		}
		if fmt.Sprint(refs) != "[Q1 Q2 Q4 Q0]" {
			t.Errorf("queue order %v, want [Q1 Q2 Q4 Q0] (by deadline, then filing)", refs)
		}
		c, err := s.FindContestByReference(ctx, "Q4")
		if err != nil || len(c.Documents) != 1 || c.Documents[0].FileName != "cession.pdf" {
			t.Fatalf("FindContestByReference = %+v, %v", c, err)
		}
		done, err := s.SetContestState(ctx, c.ID, ContestPending, ContestDropped, "Classement sans suite.", date.Null{})
		if err != nil || done.State != ContestDropped || done.Decision != "Classement sans suite." {
			t.Fatalf("SetContestState = %+v, %v", done, err)
		}
		if _, err := s.SetContestState(ctx, c.ID, ContestPending, ContestCourt, "x", date.Null{}); err != ErrContestChanged {
			t.Errorf("second decision: %v, want ErrContestChanged", err)
		}
	})
}

func TestFinePaymentIdempotentAndUndesignated(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		s, ctx := openRequestsStore(t, dsn), context.Background()
		co := NoticeHolder{Kind: contest.Company, Name: "Transports Rhône SARL", SIREN: "552100554", Address: "1 quai Perrache, 69002 Lyon"}
		a := mustNotice(t, s, "33334444555501", co)
		b := mustNotice(t, s, "33334444555502", co)
		mustNotice(t, s, "33334444555503", NoticeHolder{}) // a person: never a non-designation fine
		p := FinePayment{NoticeID: a.ID, Kind: PaymentFine, AmountCents: 13500, PaidOn: date.MustParse("2026-02-20"), ProviderRef: "pay_a", State: PaymentKept}
		for i, want := range []bool{true, false} {
			q := p
			if fresh, err := s.RecordFinePayment(ctx, &q); err != nil || fresh != want {
				t.Fatalf("RecordFinePayment #%d = %v, %v; want %v", i+1, fresh, err, want)
			}
		}
		if ps, _ := s.ListFinePayments(ctx, a.ID); len(ps) != 1 {
			t.Fatalf("%d payments, want 1", len(ps))
		}
		// b's driver is designated: only a is left without a designation.
		nd := mustNotice(t, s, "33334444555504", NoticeHolder{Kind: contest.Person, Name: "Martin", GivenNames: "Léa", Address: "x"})
		if err := s.CreateDesignation(ctx, &Designation{NoticeID: b.ID, NewNoticeID: nd.ID, FamilyName: "Martin",
			GivenNames: "Léa", Address: "3 rue Neuve, 69001 Lyon", LicenceNumber: "123456789012"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.FindDesignation(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
		if got, err := s.ListUndesignatedCompanyNotices(ctx, date.MustParse("2026-02-04"), 10); err != nil || len(got) != 0 {
			t.Fatalf("before the sending: %d, %v", len(got), err)
		}
		got, err := s.ListUndesignatedCompanyNotices(ctx, date.MustParse("2026-03-23"), 10)
		if err != nil || len(got) != 1 || got[0].ID != a.ID {
			t.Fatalf("ListUndesignatedCompanyNotices = %+v, %v; want only %d", got, err, a.ID)
		}
		fine := Notice{Number: "33334444555599", Plate: a.Plate, Kind: contest.ACO, Committed: a.Committed, Class: "4",
			Reduced: 450, Fine: 675, Increased: 1875, Holder: co, Sent: date.MustParse("2026-03-24"), Mail: contest.Ordinary,
			NonDesignationOf: a.ID}
		if err := s.CreateNotice(ctx, &fine); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.ListUndesignatedCompanyNotices(ctx, date.MustParse("2026-12-31"), 10); len(got) != 0 {
			t.Errorf("after the non-designation fine: %+v", got)
		}
	})
}

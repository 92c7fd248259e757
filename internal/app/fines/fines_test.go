package fines_test

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/app/fines"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/contest"
	"permis/internal/date"
	"permis/internal/files"
	"permis/internal/licence"
	"permis/internal/payment"
	"permis/internal/points"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// fakePayments records the purchases started and the refunds.
type fakePayments struct {
	got      []payment.Purchase
	refunded map[string]int64
}

func (f *fakePayments) Refund(_ context.Context, id string, cents int64) error {
	if f.refunded == nil {
		f.refunded = map[string]int64{}
	}
	f.refunded[id] += cents // a second refund of one payment would show as double
	return nil
}

func (f *fakePayments) Start(_ context.Context, p payment.Purchase) (payment.Session, error) {
	f.got = append(f.got, p)
	id := "pay_" + strconv.Itoa(len(f.got))
	return payment.Session{ID: id, RedirectURL: "https://paiement.example/payer/" + id}, nil
}

func (f *fakePayments) Callback(*http.Request) (payment.Result, error) {
	return payment.Result{}, apperr.New(apperr.Invalid, "inutilisé")
}

type fixture struct {
	s   *store.Store
	c   *clock.Fixed
	svc *fines.Service
	pay *fakePayments
}

// sent is the day the test notices are sent: a Thursday; 45 days later
// is Monday 16 March 2026.
var sent = date.MustParse("2026-01-30")

func noon(d date.Date) time.Time { return d.Time().Add(12 * time.Hour) }

func newFixture(t *testing.T, dsn string) *fixture {
	t.Helper()
	c := clock.NewFixed(noon(sent.AddDays(3)))
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: c})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	fs, err := files.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	fp := &fakePayments{}
	a := app.New(app.Config{Store: s, Clock: c, Files: fs, Payments: fp, PublicURL: "https://permis.example"})
	t.Cleanup(func() { a.Close() })
	return &fixture{s: s, c: c, svc: fines.New(a.Kernel(), fines.DefaultConfig()), pay: fp}
}

// mustLicence records a holder and a licence without offences.
func (f *fixture) mustLicence(t *testing.T, neph, family, given, birth string) int64 {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: family, GivenNames: []string{given}, BirthDate: date.MustParse(birth),
		BirthPlace: "Lyon", BirthCountry: "FR", Sex: licence.SexFemale}
	if err := f.s.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2000-06-01"),
		Probation: points.ProbationNone, Departement: "69", State: licence.StateValid, StateSince: date.MustParse("2000-06-01"),
		Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2000-06-01")}}}
	if err := f.s.CreateLicence(ctx, &l); err != nil {
		t.Fatal(err)
	}
	return l.ID
}

// mustNotice records an open €135 (€90 reduced), 3-point notice sent on
// `sent` to holder h.
func (f *fixture) mustNotice(t *testing.T, h store.NoticeHolder) store.Notice {
	t.Helper()
	n := store.Notice{Number: fines.NewNoticeNumber(), Plate: "AB-123-CD", Kind: contest.ACO, Committed: sent.AddDays(-10),
		Place: "A7, Vienne", Nature: "Excès de vitesse de 20 à 30 km/h", Class: "4", Reduced: 90, Fine: 135, Increased: 375,
		Points: 3, Holder: h, Sent: sent, Mail: contest.Ordinary}
	if err := f.s.CreateNotice(context.Background(), &n); err != nil {
		t.Fatal(err)
	}
	return n
}

func camille(licenceID int64) store.NoticeHolder {
	return store.NoticeHolder{Kind: contest.Person, Name: "Garnier", GivenNames: "Camille", Address: "12 rue des Lilas, 69003 Lyon",
		Email: "camille@example.fr", LicenceID: licenceID}
}

var anyone = app.Request{RequestID: "r", Client: "192.0.2.1"}

var omp = app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:99", Name: "Mme Procureur", Role: access.Prosecutor}, RequestID: "r"}

func (f *fixture) ledger(t *testing.T, licenceID int64) points.Ledger {
	t.Helper()
	l, err := f.s.LoadLedger(context.Background(), licenceID)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (f *fixture) paid(t *testing.T, ref string, cents int, paymentID string) fines.PaymentOutcome {
	t.Helper()
	out, err := f.svc.PaymentNotified(context.Background(), payment.Result{PaymentID: paymentID, Reference: ref,
		Amount: cents, Status: payment.Paid, At: f.c.Now()})
	if err != nil {
		t.Fatalf("PaymentNotified(%s): %v", ref, err)
	}
	return out
}

func mailsTo(t *testing.T, s *store.Store, to string) []store.Mail {
	t.Helper()
	ms, err := s.ListMail(context.Background(), store.MailFilter{To: to})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

func wantErr(t *testing.T, err error, code apperr.Code, field string) {
	t.Helper()
	e := apperr.As(err)
	if err == nil || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if field != "" && e.Fields[field] == "" {
		t.Fatalf("err %v: no message on field %q (fields %v)", err, field, e.Fields)
	}
}

func TestFindNoticeNeedsNumberAndPlateAndIsAudited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		n := f.mustNotice(t, camille(0))
		v, err := f.svc.FindNotice(ctx, anyone, n.Number, "ab 123 cd")
		if err != nil {
			t.Fatal(err)
		}
		// Three days after the sending: reduced rate, contest open until
		// 16/03/2026 (45 days, CPP 529-2).
		if v.Due != 90 || v.Rate != "reduced" || !v.CanPay || !v.CanContest || !v.CanDesignate || v.Deadline != date.MustParse("2026-03-16") {
			t.Errorf("view = due %d %s, pay %v contest %v designate %v, deadline %s", v.Due, v.Rate, v.CanPay, v.CanContest, v.CanDesignate, v.Deadline)
		}
		_, err = f.svc.FindNotice(ctx, anyone, n.Number, "AB-123-CE")
		wantErr(t, err, apperr.NotFound, "")
		_, err = f.svc.FindNotice(ctx, anyone, "", "")
		wantErr(t, err, apperr.Invalid, "number")
		wantErr(t, err, apperr.Invalid, "plate")
		audit, err := f.s.ListAudit(ctx, "fine_notice", n.Number)
		if err != nil || len(audit) != 1 || audit[0].Action != "fine.notice.read" {
			t.Fatalf("audit = %+v, %v; want one fine.notice.read", audit, err)
		}
		// 40 days after the sending: standard rate online (60 days).
		f.c.Set(noon(sent.AddDays(40)))
		if v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate); v.Due != 135 || v.Rate != "standard" {
			t.Errorf("day 40: due %d %s, want 135 standard", v.Due, v.Rate)
		}
		f.c.Set(noon(date.MustParse("2026-03-17")))
		if v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate); v.CanContest || v.CanDesignate || !v.CanPay {
			t.Errorf("after the deadline: contest %v designate %v pay %v", v.CanContest, v.CanDesignate, v.CanPay)
		}
	})
}

func TestListMyNoticesOnlyTheCitizens(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		lid := f.mustLicence(t, "110987654321", "Garnier", "Camille", "1980-02-03")
		other := f.mustLicence(t, "120987654321", "Martin", "Léa", "1990-05-06")
		mine := f.mustNotice(t, camille(lid))
		f.mustNotice(t, camille(other))
		u := store.User{Role: string(access.Citizen), Email: "camille@example.fr", GivenName: "Camille", FamilyName: "Garnier"}
		if err := f.s.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		req := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + strconv.FormatInt(u.ID, 10), Role: access.Citizen}}
		if got, err := f.svc.ListMyNotices(ctx, req); err != nil || len(got) != 0 {
			t.Fatalf("no licence linked: %d notices, %v", len(got), err)
		}
		if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &lid}); err != nil {
			t.Fatal(err)
		}
		got, err := f.svc.ListMyNotices(ctx, req)
		if err != nil || len(got) != 1 || got[0].Number != mine.Number {
			t.Fatalf("ListMyNotices = %d notices, %v; want only %s", len(got), err, mine.Number)
		}
		_, err = f.svc.ListMyNotices(ctx, omp)
		wantErr(t, err, apperr.Forbidden, "")
	})
}

// A designated friend pays: the friend's licence loses the points, dated
// by the payment (L223-1); the holder loses none. The payment notified
// twice records one payment and one ledger event.
func TestDesignatedFriendPaysAndLosesThePoints(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		holder := f.mustLicence(t, "110987654321", "Garnier", "Camille", "1980-02-03")
		friend := f.mustLicence(t, "120987654321", "Martin", "Léa", "1990-05-06")
		n := f.mustNotice(t, camille(holder))
		in := fines.DesignationInput{Number: n.Number, Plate: n.Plate, Email: "camille@example.fr", Driver: fines.Driver{
			FamilyName: "MARTIN", GivenNames: "Léa", BirthDate: "06/05/1990", Address: "3 rue Neuve, 69001 Lyon",
			LicenceNumber: "120987654321", Email: "lea@example.fr"}}
		bad := in
		bad.Driver.BirthDate, bad.Driver.Address = "31/02/1990", ""
		_, err := f.svc.DesignateDriver(ctx, anyone, bad)
		wantErr(t, err, apperr.Invalid, "driver.birth_date")
		wantErr(t, err, apperr.Invalid, "driver.address")
		if v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate); v.State != store.NoticeOpen {
			t.Fatalf("invalid designation changed the notice: %s", v.State)
		}
		d, err := f.svc.DesignateDriver(ctx, anyone, in)
		if err != nil {
			t.Fatal(err)
		}
		nn := d.NewNotice
		if nn.Holder.LicenceID != friend || nn.Sent != today(f.c) || nn.ReplacesID != n.ID || nn.Points != 3 || nn.Number == n.Number {
			t.Fatalf("new notice %+v", nn)
		}
		v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate)
		if v.State != store.NoticeDesignated || v.Designation == nil || v.CanPay {
			t.Fatalf("holder's notice after designation: %s, %+v", v.State, v.Designation)
		}
		nv, _ := f.svc.FindNotice(ctx, anyone, nn.Number, nn.Plate)
		if nv.Deadline != contest.WorkingDay(today(f.c).AddDays(45), "") {
			t.Errorf("driver's deadline %s: want a new 45-day window from %s", nv.Deadline, today(f.c))
		}
		if len(mailsTo(t, f.s, "lea@example.fr")) != 1 || len(mailsTo(t, f.s, "camille@example.fr")) != 1 {
			t.Errorf("mails: driver %d, holder %d", len(mailsTo(t, f.s, "lea@example.fr")), len(mailsTo(t, f.s, "camille@example.fr")))
		}
		// Twelve days later the friend pays online, at the reduced rate.
		f.c.Set(noon(today(f.c).AddDays(12)))
		payDay := today(f.c)
		sess, err := f.svc.StartPayment(ctx, anyone, nn.Number, nn.Plate, "/amendes/retour")
		if err != nil || sess.RedirectURL == "" {
			t.Fatal(err)
		}
		p := f.pay.got[len(f.pay.got)-1]
		if p.Amount != 9000 || p.Reference != "AMD-"+nn.Number || p.CallbackURL != "https://permis.example/paiement/notification" {
			t.Fatalf("purchase %+v", p)
		}
		if out := f.paid(t, p.Reference, p.Amount, "pay_friend"); out != fines.OutcomeRecorded {
			t.Fatalf("outcome %s", out)
		}
		if out := f.paid(t, p.Reference, p.Amount, "pay_friend"); out != fines.OutcomeDuplicate {
			t.Fatalf("second notification: %s", out)
		}
		l := f.ledger(t, friend)
		if len(l.Offences) != 1 || l.Offences[0].ID != fines.EventID(nn.Number) || l.Offences[0].Established != payDay ||
			l.Offences[0].Points != 3 || l.Offences[0].Committed != n.Committed {
			t.Fatalf("friend's ledger %+v; want one offence established %s", l.Offences, payDay)
		}
		res, err := points.DefaultRules().Replay(l, payDay)
		if err != nil || res.Balance != 9 || len(res.Letters) != 1 || res.Letters[0].Type != points.Letter48 {
			t.Errorf("friend's balance %d, letters %+v, %v; want 9 and one letter 48", res.Balance, res.Letters, err)
		}
		if l := f.ledger(t, holder); len(l.Offences) != 0 {
			t.Errorf("holder lost points: %+v", l.Offences)
		}
		if ps, _ := f.s.ListFinePayments(ctx, nn.ID); len(ps) != 1 {
			t.Errorf("%d payments recorded, want 1", len(ps))
		}
	})
}

// A contest without its consignation is inadmissible: refused as invalid,
// with the deposit field named, and nothing written.
func TestContestWithoutDepositIsRefused(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		n := f.mustNotice(t, camille(0))
		in := fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.ContestOffence,
			Reasons: "Je ne roulais pas à cette vitesse : le radar était mal réglé.", Email: "camille@example.fr"}
		_, err := f.svc.Contest(ctx, anyone, in, "/retour")
		wantErr(t, err, apperr.Invalid, "deposit")
		if !strings.Contains(apperr.As(err).Fields["deposit"], "135 €") {
			t.Errorf("message %q does not say the amount", apperr.As(err).Fields["deposit"])
		}
		sold := fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.Sold, Email: "camille@example.fr",
			Documents: []fines.DocumentInput{{Kind: contest.SaleDeclaration}}}
		_, err = f.svc.Contest(ctx, anyone, sold, "/retour")
		wantErr(t, err, apperr.Invalid, "documents.sale_acknowledgement")
		if cs, _ := f.s.ListContestsOfNotice(ctx, n.ID); len(cs) != 0 {
			t.Fatalf("refused contests were written: %+v", cs)
		}
		f.c.Set(noon(date.MustParse("2026-03-17")))
		sold.Documents = append(sold.Documents, fines.DocumentInput{Kind: contest.SaleAcknowledgement})
		_, err = f.svc.Contest(ctx, anyone, sold, "/retour")
		wantErr(t, err, apperr.Invalid, "ground")
		if !strings.Contains(apperr.As(err).Message, "16/03/2026") {
			t.Errorf("late message %q does not give the deadline", apperr.As(err).Message)
		}
		if v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate); v.State != store.NoticeOpen || len(v.Contests) != 0 {
			t.Fatalf("notice %s with %d contests", v.State, len(v.Contests))
		}
	})
}

// A citizen contests for a sold vehicle, with the two documents uploaded;
// the OMP reads the file and drops the case: no point, no payment. A
// payment arriving after the contest is to be refunded and withdraws
// nothing.
func TestSoldVehicleContestDroppedByOMP(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		lid := f.mustLicence(t, "110987654321", "Garnier", "Camille", "1980-02-03")
		n := f.mustNotice(t, camille(lid))
		pdf := "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
		res, err := f.svc.Contest(ctx, anyone, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.Sold,
			Email: "camille@example.fr", Documents: []fines.DocumentInput{
				{Kind: contest.SaleDeclaration, Name: "cession.pdf", Body: strings.NewReader(pdf)},
				{Kind: contest.SaleAcknowledgement, Name: "accuse.pdf", Body: strings.NewReader(pdf)}}}, "/retour")
		if err != nil {
			t.Fatal(err)
		}
		c := res.Contest
		if c.State != store.ContestPending || res.Deposit != nil || len(c.Documents) != 2 || c.Documents[0].FileKey == "" {
			t.Fatalf("contest %+v, deposit %v", c, res.Deposit)
		}
		// The holder pays the same notice afterwards: too late, refunded.
		if out := f.paid(t, "AMD-"+n.Number, 9000, "pay_late"); out != fines.OutcomeRefundDue {
			t.Fatalf("payment after the contest: %s", out)
		}
		_, err = f.svc.Queue(ctx, anyone, fines.QueueQuery{})
		wantErr(t, err, apperr.Forbidden, "")
		page, err := f.svc.Queue(ctx, omp, fines.QueueQuery{})
		if err != nil || page.Total != 1 || len(page.Items) != 1 || page.Items[0].Reference != c.Reference {
			t.Fatalf("queue %+v, %v", page, err)
		}
		file, err := f.svc.ContestFile(ctx, omp, c.Reference)
		if err != nil || file.Notice.ID != n.ID || len(file.Contest.Documents) != 2 {
			t.Fatalf("file %+v, %v", file, err)
		}
		rc, doc, err := f.svc.OpenDocument(ctx, omp, c.Reference, file.Contest.Documents[0].ID)
		if err != nil || doc.Kind != contest.SaleDeclaration {
			t.Fatalf("OpenDocument: %v", err)
		}
		rc.Close()
		if _, err := f.svc.Decide(ctx, omp, []string{c.Reference}, fines.DecisionInput{Kind: store.ContestDropped}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("decision without reasons: %v", err)
		}
		if _, err := f.svc.Decide(ctx, omp, []string{c.Reference}, fines.DecisionInput{Kind: store.ContestDropped,
			Reasons: "Véhicule cédé le 02/01/2026, cession enregistrée : exonération."}); err != nil {
			t.Fatal(err)
		}
		v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate)
		if v.State != store.NoticeDismissed || v.Contests[0].State != store.ContestDropped {
			t.Fatalf("after the decision: notice %s, contest %s", v.State, v.Contests[0].State)
		}
		if l := f.ledger(t, lid); len(l.Offences) != 0 {
			t.Errorf("points withdrawn after a dropped contest: %+v", l.Offences)
		}
		if len(v.Payments) != 1 || v.Payments[0].State != store.PaymentRefundDue {
			t.Errorf("payments %+v: want the late one to be refunded", v.Payments)
		}
		for _, a := range []string{"fine.contest.read", "fine.contest.document_read", "fine.decision.dropped"} {
			found := false
			es, _ := f.s.ListAudit(ctx, "fine_contest", c.Reference)
			es2, _ := f.s.ListAudit(ctx, "fine_contest", c.Reference+"/"+strconv.FormatInt(doc.ID, 10))
			for _, e := range append(es, es2...) {
				found = found || e.Action == a
			}
			if !found {
				t.Errorf("no audit entry %s", a)
			}
		}
		if ms := mailsTo(t, f.s, "camille@example.fr"); len(ms) != 3 { // filed, refund, decision
			t.Errorf("%d mails to the citizen, want 3", len(ms))
		}
		_, err = f.svc.Decide(ctx, omp, []string{c.Reference}, fines.DecisionInput{Kind: store.ContestCourt, Reasons: "Au tribunal."})
		wantErr(t, err, apperr.Conflict, "")
	})
}

// Contesting the offence: the consignation is paid through the provider,
// the OMP sends the case to court, the court convicts: the points are
// withdrawn at the conviction's final date. Another contest, acquitted,
// withdraws none and its deposit is refunded.
func TestCourtConvictionAndAcquittal(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		lid := f.mustLicence(t, "110987654321", "Garnier", "Camille", "1980-02-03")
		var refs []string
		var notices []store.Notice
		for range 2 {
			n := f.mustNotice(t, camille(lid))
			res, err := f.svc.Contest(ctx, anyone, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.ContestOffence,
				Reasons: "Le feu était à l'orange, pas au rouge.", Deposit: 135, Email: "camille@example.fr"}, "/retour")
			if err != nil {
				t.Fatal(err)
			}
			if res.Contest.State != store.ContestDepositDue || res.Deposit == nil {
				t.Fatalf("contest %+v, deposit %v", res.Contest, res.Deposit)
			}
			if page, _ := f.svc.Queue(ctx, omp, fines.QueueQuery{}); page.Total != len(refs) {
				t.Fatalf("a contest waiting for its consignation is in the queue")
			}
			p := f.pay.got[len(f.pay.got)-1]
			if p.Amount != 13500 || p.Reference != "CNS-"+res.Contest.Reference {
				t.Fatalf("deposit purchase %+v", p)
			}
			f.paid(t, p.Reference, p.Amount, "dep_"+res.Contest.Reference)
			refs = append(refs, res.Contest.Reference)
			notices = append(notices, n)
		}
		// Bulk: both sent to the tribunal de police in one decision.
		if k, err := f.svc.Decide(ctx, omp, refs, fines.DecisionInput{Kind: store.ContestCourt, Reasons: "Contestation de fond : audience."}); err != nil || k != 2 {
			t.Fatalf("bulk decision: %d, %v", k, err)
		}
		if l := f.ledger(t, lid); len(l.Offences) != 0 {
			t.Fatalf("points withdrawn before any conviction: %+v", l.Offences)
		}
		_, err := f.svc.Decide(ctx, omp, refs[:1], fines.DecisionInput{Kind: store.ContestConvicted, Reasons: "Condamnation.", CourtFinalOn: "aujourd'hui"})
		wantErr(t, err, apperr.Invalid, "court_final_on")
		_, err = f.svc.Decide(ctx, omp, refs[:1], fines.DecisionInput{Kind: store.ContestConvicted, Reasons: "Condamnation.", CourtFinalOn: "20/02/2026"})
		wantErr(t, err, apperr.Invalid, "court_final_on") // not final yet on 2 February
		f.c.Set(noon(date.MustParse("2026-03-02")))
		if _, err := f.svc.Decide(ctx, omp, refs[:1], fines.DecisionInput{Kind: store.ContestConvicted,
			Reasons: "Condamnation à 135 € d'amende.", CourtFinalOn: "20/02/2026"}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Decide(ctx, omp, refs[1:], fines.DecisionInput{Kind: store.ContestAcquitted, Reasons: "Relaxe."}); err != nil {
			t.Fatal(err)
		}
		l := f.ledger(t, lid)
		if len(l.Offences) != 1 || l.Offences[0].ID != fines.EventID(notices[0].Number) || l.Offences[0].Established != date.MustParse("2026-02-20") {
			t.Fatalf("ledger %+v: want only the conviction, established 2026-02-20", l.Offences)
		}
		ps, _ := f.s.ListFinePayments(ctx, notices[1].ID)
		if len(ps) != 1 || ps[0].State != store.PaymentRefundDue {
			t.Errorf("acquitted deposit %+v: want refund_due", ps)
		}
		ps, _ = f.s.ListFinePayments(ctx, notices[0].ID)
		if len(ps) != 1 || ps[0].State != store.PaymentKept {
			t.Errorf("convicted deposit %+v: want kept", ps)
		}
		// The acquitted deposit is paid back through the provider, once
		// (CPP 529-10); the convicted one is kept.
		if k, err := f.svc.RefundDue(ctx); err != nil || k != 1 {
			t.Fatalf("RefundDue = %d, %v; want 1", k, err)
		}
		if k, _ := f.svc.RefundDue(ctx); k != 0 {
			t.Errorf("second RefundDue refunded %d", k)
		}
		if got := f.pay.refunded; len(got) != 1 || got["dep_"+refs[1]] != 13500 {
			t.Errorf("provider refunds %v, want dep_%s: 13500 once", got, refs[1])
		}
		if ps, _ := f.s.ListFinePayments(ctx, notices[1].ID); ps[0].State != store.PaymentRefunded {
			t.Errorf("acquitted deposit after the refund: %s", ps[0].State)
		}
		found := false
		for _, m := range mailsTo(t, f.s, "camille@example.fr") {
			found = found || (strings.HasPrefix(m.Subject, "Remboursement") && strings.Contains(m.Text, "135 €"))
		}
		if !found {
			t.Error("no refund mail")
		}
	})
}

// A company misses the 45 days: the non-designation fine (L121-6) is
// issued once, without points; a company that designated gets none.
func TestCompanyNonDesignationFine(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		co := store.NoticeHolder{Kind: contest.Company, Name: "Transports Rhône SARL", SIREN: "552100554",
			Address: "1 quai Perrache, 69002 Lyon", Email: "flotte@transports-rhone.example"}
		late := f.mustNotice(t, co)
		done := f.mustNotice(t, co)
		if _, err := f.svc.DesignateDriver(ctx, anyone, fines.DesignationInput{Number: done.Number, Plate: done.Plate,
			Driver: fines.Driver{FamilyName: "Petit", GivenNames: "Noé", BirthDate: "1985-07-08", Address: "8 rue Longue, 69001 Lyon", LicenceNumber: "130987654321"}}); err != nil {
			t.Fatal(err)
		}
		f.c.Set(noon(date.MustParse("2026-03-16"))) // the last day (Monday): nothing yet
		if sum, err := f.svc.IssueNonDesignationFines(ctx); err != nil || sum.Issued != 0 {
			t.Fatalf("on the last day: %+v, %v", sum, err)
		}
		f.c.Set(noon(date.MustParse("2026-03-17")))
		sum, err := f.svc.IssueNonDesignationFines(ctx)
		if err != nil || sum.Issued != 1 {
			t.Fatalf("IssueNonDesignationFines = %+v, %v", sum, err)
		}
		if again, _ := f.svc.IssueNonDesignationFines(ctx); again.Issued != 0 {
			t.Errorf("second pass issued %d more", again.Issued)
		}
		fine, err := f.s.LookupNotice(ctx, sum.Numbers[0])
		if err != nil {
			t.Fatal(err)
		}
		if fine.NonDesignationOf != late.ID || fine.Points != 0 || fine.Fine != 675 || fine.Reduced != 450 || fine.Increased != 1875 || fine.Holder.Kind != contest.Company {
			t.Errorf("non-designation fine %+v", fine)
		}
		if v, _ := f.svc.FindNotice(ctx, anyone, fine.Number, fine.Plate); v.CanDesignate {
			t.Errorf("the non-designation fine offers a designation")
		}
		if ms := mailsTo(t, f.s, co.Email); len(ms) != 1 || !strings.Contains(ms[0].Text, "675 €") {
			t.Errorf("company mails %d", len(ms))
		}
	})
}

func today(c *clock.Fixed) date.Date { return date.Today(c.Now()) }

// Guessing numbers and plates is slowed down: after FindFailuresPerClient
// searches that found nothing, the client is refused, even with the right
// pair; another client is not; the window's end lets it search again.
func TestFindNoticeFailuresAreRateLimited(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		n := f.mustNotice(t, camille(0))
		for i := range fines.FindFailuresPerClient {
			if _, err := f.svc.FindNotice(ctx, anyone, n.Number, "ZZ-999-ZZ"); !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("failure %d: %v, want not_found", i+1, err)
			}
		}
		// Finding the notice does not count: reading it again is fine
		// until the failures reach the limit.
		_, err := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate)
		wantErr(t, err, apperr.TooMany, "")
		other := anyone
		other.Client = "192.0.2.2"
		if _, err := f.svc.FindNotice(ctx, other, n.Number, n.Plate); err != nil {
			t.Fatalf("another client: %v", err)
		}
		f.c.Set(f.c.Now().Add(fines.FindFailureWindow + time.Minute))
		if _, err := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate); err != nil {
			t.Fatalf("after the window: %v", err)
		}
	})
}

// The OMP's reads of a citizen's contest are shown to the citizen ("Qui a
// consulté mon dossier"); the citizen's own reads are not.
func TestMyConsultationsShowTheOMPReads(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		lid := f.mustLicence(t, "110987654321", "Garnier", "Camille", "1980-02-03")
		n := f.mustNotice(t, camille(lid))
		u := store.User{Role: string(access.Citizen), Email: "camille@example.fr", GivenName: "Camille", FamilyName: "Garnier"}
		if err := f.s.CreateUser(ctx, &u); err != nil {
			t.Fatal(err)
		}
		if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &lid}); err != nil {
			t.Fatal(err)
		}
		me := app.Request{Actor: access.Actor{Kind: access.KindUser, ID: "user:" + strconv.FormatInt(u.ID, 10), Role: access.Citizen}}
		if _, err := f.svc.FindNotice(ctx, me, n.Number, n.Plate); err != nil {
			t.Fatal(err)
		}
		res, err := f.svc.Contest(ctx, me, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.Sold, Email: "camille@example.fr",
			Documents: []fines.DocumentInput{{Kind: contest.SaleDeclaration}, {Kind: contest.SaleAcknowledgement}}}, "/")
		if err != nil {
			t.Fatal(err)
		}
		if cs, err := f.svc.MyConsultations(ctx, me); err != nil || len(cs) != 0 {
			t.Fatalf("before the OMP: %+v, %v (the citizen's own reads are not listed)", cs, err)
		}
		if _, err := f.svc.ContestFile(ctx, omp, res.Contest.Reference); err != nil {
			t.Fatal(err)
		}
		cs, err := f.svc.MyConsultations(ctx, me)
		if err != nil || len(cs) != 1 || cs[0].Who != "Officier du ministère public" || !strings.Contains(cs[0].What, res.Contest.Reference) {
			t.Fatalf("MyConsultations = %+v, %v", cs, err)
		}
	})
}

// A contest of the offence whose consignation never comes is closed as
// inadmissible the day after its deadline; the notice can be paid again.
func TestUnpaidDepositClosedAfterTheDeadline(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		n := f.mustNotice(t, camille(0))
		res, err := f.svc.Contest(ctx, anyone, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.ContestOffence,
			Reasons: "Le feu était à l'orange, pas au rouge.", Deposit: 135, Email: "camille@example.fr"}, "/retour")
		if err != nil || res.Contest.State != store.ContestDepositDue {
			t.Fatalf("Contest = %+v, %v", res.Contest, err)
		}
		f.c.Set(noon(date.MustParse("2026-03-16"))) // the last day: still waiting
		if k, err := f.svc.CloseUnpaidDeposits(ctx); err != nil || k != 0 {
			t.Fatalf("on the last day: %d, %v", k, err)
		}
		f.c.Set(noon(date.MustParse("2026-03-17")))
		if k, err := f.svc.CloseUnpaidDeposits(ctx); err != nil || k != 1 {
			t.Fatalf("the day after: %d, %v", k, err)
		}
		v, _ := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate)
		if v.State != store.NoticeOpen || !v.CanPay || v.Contests[0].State != store.ContestInadmissible {
			t.Fatalf("notice %s (pay %v), contest %s", v.State, v.CanPay, v.Contests[0].State)
		}
		if k, _ := f.svc.CloseUnpaidDeposits(ctx); k != 0 {
			t.Errorf("second pass closed %d", k)
		}
	})
}

// Unpaid and uncontested after its last payment day (60 days online,
// F34207; CPP 801), a notice becomes an AFM of right (CPP 529-2 al. 2):
// sent again, due at its increased rate, open to a réclamation for 30 days
// (CPP 530) whose deposit is the AFM's amount. A contested notice is not
// increased.
func TestOverdueNoticeBecomesAnAFM(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		f, ctx := newFixture(t, dsn), context.Background()
		n := f.mustNotice(t, camille(0))
		byPost := camille(0)
		byPost.Email = "" // known by its postal address only: the AFM goes by letter
		paper := f.mustNotice(t, byPost)
		other := f.mustNotice(t, camille(0))
		if _, err := f.svc.Contest(ctx, anyone, fines.ContestInput{Number: other.Number, Plate: other.Plate, Ground: contest.Sold,
			Email: "camille@example.fr", Documents: []fines.DocumentInput{{Kind: contest.SaleDeclaration}, {Kind: contest.SaleAcknowledgement}}}, "/retour"); err != nil {
			t.Fatalf("contest the other notice: %v", err)
		}
		f.c.Set(noon(date.MustParse("2026-03-31"))) // sent 30/01 + 60 days: the last day
		if k, err := f.svc.IncreaseOverdueNotices(ctx); err != nil || k != 0 {
			t.Fatalf("on the last payment day: %d, %v", k, err)
		}
		f.c.Set(noon(date.MustParse("2026-04-01")))
		if k, err := f.svc.IncreaseOverdueNotices(ctx); err != nil || k != 2 {
			t.Fatalf("the day after: %d, %v", k, err)
		}
		letters, err := f.s.ListPostalLetters(ctx, 10)
		if err != nil || len(letters) != 1 || !strings.Contains(letters[0].Subject, paper.Number) ||
			!strings.Contains(letters[0].Text, "Madame, Monsieur,") || !strings.Contains(letters[0].Text, "375 €") ||
			!strings.Contains(letters[0].Address, "69003 Lyon") || letters[0].Recipient != "Camille Garnier" {
			t.Fatalf("postal letters %+v, %v: want the AFM of %s by post", letters, err, paper.Number)
		}
		if k, _ := f.svc.IncreaseOverdueNotices(ctx); k != 0 {
			t.Errorf("second pass increased %d", k)
		}
		v, err := f.svc.FindNotice(ctx, anyone, n.Number, n.Plate)
		if err != nil || v.Kind != contest.AFM || v.Sent != sent || v.IncreasedOn != date.Some(date.MustParse("2026-04-01")) {
			t.Fatalf("notice %+v, %v", v.Notice, err)
		}
		// 01/05 + nothing: 30 days from 01/04 is Friday 1 May, a public
		// holiday, then a week-end: Monday 4 May (CPP 801).
		if got := v.Deadline.French(); got != "04/05/2026" {
			t.Errorf("réclamation deadline %s, want 04/05/2026", got)
		}
		if o, _ := f.svc.FindNotice(ctx, anyone, other.Number, other.Plate); o.Kind != contest.ACO {
			t.Errorf("a contested notice was increased: %s", o.Kind)
		}
		ms := mailsTo(t, f.s, "camille@example.fr")
		found := false
		for _, m := range ms {
			if strings.Contains(m.Subject, "majorée") && strings.Contains(m.Text, "375 €") && strings.Contains(m.Text, "04/05/2026") {
				found = true
			}
		}
		if !found {
			t.Errorf("no AFM mail with its amount and deadline among %d mails", len(ms))
		}
		_, err = f.svc.Contest(ctx, anyone, fines.ContestInput{Number: n.Number, Plate: n.Plate, Ground: contest.ContestOffence,
			Reasons: "Je n'ai jamais reçu l'avis initial.", Deposit: 135, Email: "camille@example.fr"}, "/retour")
		wantErr(t, err, apperr.Invalid, "deposit")
		if msg := apperr.As(err).Fields["deposit"]; !strings.Contains(msg, "375 €") {
			t.Errorf("the réclamation's deposit message %q does not ask the AFM's 375 €", msg)
		}
	})
}

package app_test

import (
	"bytes"
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"permis/internal/access"
	"permis/internal/app"
	"permis/internal/apperr"
	"permis/internal/clock"
	"permis/internal/date"
	"permis/internal/ephoto"
	"permis/internal/files"
	"permis/internal/jobs"
	"permis/internal/licence"
	"permis/internal/requests"
	"permis/internal/stamp"
	"permis/internal/store"
	"permis/internal/store/storetest"
)

// reqFixture is a store, an App with an insert-only job queue, a citizen
// whose licence is linked, and an agent.
type reqFixture struct {
	dsn     string
	s       *store.Store
	a       *app.App
	c       *clock.Fixed
	files   files.Storage
	q       *jobs.Queue
	citizen app.Request
	agent   app.Request
	n       int
}

func userReq(id int64, role access.Role) app.Request {
	return app.Request{Actor: access.Actor{Kind: access.KindUser, ID: fmt.Sprintf("user:%d", id), Role: role},
		RequestID: "r", Client: "192.0.2.1"}
}

func newReqFixture(t testing.TB, dsn string) *reqFixture {
	t.Helper()
	ctx := context.Background()
	f := &reqFixture{dsn: dsn, c: clock.NewFixed(noon("2026-03-16"))}
	s, err := store.Open(ctx, dsn, store.Options{Clock: f.c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f.s = s
	dir, err := files.NewDir(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	f.files = dir
	f.a, f.q = f.openApp(t, false)
	f.citizen = userReq(f.mustCitizen(t, "camille@example.fr", "000334100001"), access.Citizen)
	ag := store.User{Role: "agent", Email: "agent@example.fr", GivenName: "Alex", FamilyName: "Martin"}
	if err := s.CreateUser(ctx, &ag); err != nil {
		t.Fatal(err)
	}
	f.agent = userReq(ag.ID, access.Agent)
	return f
}

// openApp opens a job queue (insert-only when rw is nil) and an App over
// the fixture's store.
func (f *reqFixture) openApp(t testing.TB, work bool) (*app.App, *jobs.Queue) {
	t.Helper()
	return openAppOn(t, f.s, f.c, f.files, work)
}

// openAppOn opens a job queue, working the requests' jobs when work, and
// an App over s.
func openAppOn(t testing.TB, s *store.Store, c clock.Clock, fs files.Storage, work bool) (*app.App, *jobs.Queue) {
	t.Helper()
	ctx := context.Background()
	opts := jobs.Options{PollInterval: 20 * time.Millisecond}
	var rw *app.RequestWorkers
	if work {
		opts.Workers = river.NewWorkers()
		rw = app.AddRequestWorkers(opts.Workers)
	}
	q, err := jobs.Open(ctx, s, opts)
	if err != nil {
		t.Fatal(err)
	}
	a := app.New(app.Config{Store: s, Clock: c, Files: fs, Jobs: q,
		Requests: app.RequestOptions{TrackEvery: 20 * time.Millisecond}})
	t.Cleanup(func() { a.Close() })
	if rw != nil {
		rw.Bind(a)
		if err := q.Start(ctx); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_ = q.Stop(stop)
		})
	}
	return a, q
}

// mustCitizen records a citizen account linked to a new licence (B, in
// the Rhône) and returns its id.
func (f *reqFixture) mustCitizen(t testing.TB, email, neph string) int64 {
	t.Helper()
	ctx := context.Background()
	lid := mustLicenceTB(t, f.s, neph)
	u := store.User{Role: "citizen", Email: email, GivenName: "Camille", FamilyName: "Garnier",
		BirthDate: date.Some(date.MustParse("1980-02-03"))}
	if err := f.s.CreateUser(ctx, &u); err != nil {
		t.Fatal(err)
	}
	now := f.c.Now()
	if err := f.s.UpdateUser(ctx, u.ID, store.UserPatch{LicenceID: &lid, LinkedAt: &now, EmailVerifiedAt: &now}); err != nil {
		t.Fatal(err)
	}
	return u.ID
}

// mustLicenceTB records a holder and a B licence in the Rhône.
func mustLicenceTB(t testing.TB, s *store.Store, neph string) int64 {
	t.Helper()
	ctx := context.Background()
	p := licence.Person{FamilyName: "Garnier", GivenNames: []string{"Camille"}, BirthDate: date.MustParse("1980-02-03"),
		BirthPlace: "Lyon", BirthCountry: "FR", Sex: licence.SexFemale}
	if err := s.CreatePerson(ctx, &p); err != nil {
		t.Fatal(err)
	}
	l := licence.Licence{NEPH: licence.NEPH(neph), PersonID: p.ID, Obtained: date.MustParse("2000-06-01"),
		Departement: "69", State: licence.StateValid, StateSince: date.MustParse("2000-06-01"),
		Categories: []licence.CategoryEntry{{Category: "B", Obtained: date.MustParse("2000-06-01")}}}
	if err := s.CreateLicence(ctx, &l); err != nil {
		t.Fatal(err)
	}
	return l.ID
}

func (f *reqFixture) mustStamp(t testing.TB) stamp.Number {
	t.Helper()
	f.n++
	n := stamp.Number(fmt.Sprintf("%016d", 4200000000000000+f.n))
	st, err := stamp.DefaultConfig().New(n, 2500, f.c.Now(), "TX")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.RegisterStamp(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *reqFixture) mustEPhoto(t testing.TB) ephoto.Code {
	t.Helper()
	ctx := context.Background()
	f.n++
	ph := store.User{Role: "photographer", Email: fmt.Sprintf("photo%d@example.fr", f.n), ApprovalNumber: "AGR-34-1"}
	if err := f.s.CreateUser(ctx, &ph); err != nil {
		t.Fatal(err)
	}
	code := ephoto.New()
	c, err := ephoto.DefaultConfig().NewCapture(code, ph.ID, "AGR-34-1", "p/photo.jpg", "p/sig.png", f.c.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := f.s.CreateEPhotoCode(ctx, &c); err != nil {
		t.Fatal(err)
	}
	return code
}

func pdf(s string) app.Upload {
	return app.Upload{Name: s + ".pdf", Body: bytes.NewReader([]byte("%PDF-1.4\n" + s))}
}

// mustLossDraft starts a loss request for who, complete but for what the
// caller sets: stamp and ePhoto code ("" for none: the paper form).
func (f *reqFixture) mustLossDraft(t testing.TB, who app.Request, n stamp.Number, code ephoto.Code) store.Request {
	t.Helper()
	ctx := context.Background()
	r, err := f.a.StartRequest(ctx, who, app.StartInput{Kind: string(requests.Loss)})
	if err != nil {
		t.Fatalf("StartRequest: %v", err)
	}
	yes, sn, cs := true, string(n), string(code)
	in := app.DraftInput{LossDeclared: &yes, Answers: &app.Answers{LossDate: date.Some(date.MustParse("2024-06-01")), LossPlace: "Montpellier"}, StampNumber: &sn, EPhotoCode: &cs}
	if code == "" {
		in.PaperPhoto = &yes
	}
	if _, err := f.a.SaveAnswers(ctx, who, r.ID, in); err != nil {
		t.Fatalf("SaveAnswers: %v", err)
	}
	for _, d := range []requests.Document{requests.DocIdentity, requests.DocAddress} {
		if _, err := f.a.AddDocument(ctx, who, r.ID, string(d), pdf(string(d))); err != nil {
			t.Fatalf("AddDocument %s: %v", d, err)
		}
	}
	return r
}

func mailsTo(t testing.TB, s *store.Store, to string) []string {
	t.Helper()
	ms, err := s.ListMail(context.Background(), store.MailFilter{To: to, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, m.Subject)
	}
	return out
}

func TestRequestFromDraftToDelivery(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		r, err := f.a.StartRequest(ctx, f.citizen, app.StartInput{Kind: string(requests.Loss)})
		if err != nil {
			t.Fatal(err)
		}
		// Nothing asked twice: the account and the register fill the draft.
		if !strings.HasPrefix(r.Reference, "DEM-2026-") || len(r.Reference) != 15 || r.NEPH != "000334100001" ||
			r.Departement != "69" || r.FamilyName != "Garnier" || r.BirthDate.Date != date.MustParse("1980-02-03") || r.Email != "camille@example.fr" {
			t.Fatalf("draft %+v", r)
		}
		if _, err := f.a.Submit(ctx, f.citizen, r.ID); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("empty draft submitted: %v", err)
		} else if p := apperr.As(err).Fields; p["document_identity"] == "" || p[stamp.Field] == "" || p["ephoto_code"] == "" || p["loss_declared"] == "" ||
			p["loss_date"] == "" { // the date and place of the loss, not a copy of the lost card
			t.Fatalf("missing fields %v", p)
		}
		if _, err := f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocExamCertificate), pdf("x")); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a document the type does not ask: %v", err)
		}
		if _, err := f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocIdentity), app.Upload{Name: "a.pdf", Body: strings.NewReader("MZ not a pdf")}); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("a file that is no PDF: %v", err)
		}
		other := userReq(f.mustCitizen(t, "autre@example.fr", "000334100002"), access.Citizen)
		if _, err := f.a.MyRequest(ctx, other, r.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another citizen reads the request: %v", err)
		}
		n, code := f.mustStamp(t), f.mustEPhoto(t)
		r = f.mustLossDraft(t, f.citizen, n, code)
		sub, err := f.a.Submit(ctx, f.citizen, r.ID)
		if err != nil {
			t.Fatalf("Submit: %v", err)
		}
		if sub.Status != requests.StatusSubmitted || sub.ExpectedDecision.Date != date.MustParse("2026-03-30") ||
			sub.LossAttestationUntil.Date != date.MustParse("2026-05-16") {
			t.Fatalf("submitted %+v", sub)
		}
		if st, _ := f.s.FindStamp(ctx, n); st.State != stamp.Reserved || st.RequestRef != r.Reference {
			t.Fatalf("stamp %+v", st)
		}
		if c, _ := f.s.FindEPhotoCode(ctx, code); c.UsedByRequest != r.Reference {
			t.Fatalf("ePhoto %+v", c)
		}
		la, err := f.a.LossAttestation(ctx, f.citizen, r.ID)
		if err != nil || !la.Valid || la.ValidUntil != date.MustParse("2026-05-16") {
			t.Fatalf("attestation %+v %v", la, err)
		}

		// Public tracking: the right pair, and one answer for every wrong one.
		tv, err := f.a.Track(ctx, app.Request{Client: "198.51.100.7"}, strings.ToLower(r.Reference), "1980-02-03")
		if err != nil || tv.Status != requests.StatusSubmitted || tv.NextDate.Date != date.MustParse("2026-03-30") || len(tv.Timeline) != 1 {
			t.Fatalf("Track: %+v %v", tv, err)
		}
		var msgs []string
		for _, p := range [][2]string{{r.Reference, "1980-02-04"}, {"DEM-2026-ZZZZZZ", "1980-02-03"}, {r.Reference, "n'importe"}} {
			_, err := f.a.Track(ctx, app.Request{Client: "198.51.100.7"}, p[0], p[1])
			if !apperr.Is(err, apperr.NotFound) {
				t.Fatalf("Track %v: %v", p, err)
			}
			msgs = append(msgs, apperr.As(err).Message)
		}
		if msgs[0] != msgs[1] || msgs[1] != msgs[2] {
			t.Fatalf("different answers for wrong pairs: %q", msgs)
		}

		// Instruction: take, ask for a document, the citizen's upload returns it to the queue.
		if _, err := f.a.Take(ctx, f.citizen, r.ID); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a citizen takes a file: %v", err)
		}
		q, err := f.a.Queue(ctx, f.agent, store.RequestFilter{Kinds: []requests.Kind{requests.Loss}, Departements: []string{"69"}})
		if err != nil || len(q) != 1 || q[0].Request.ID != r.ID || q[0].Overdue {
			t.Fatalf("queue %+v %v", q, err)
		}
		if tk, err := f.a.Take(ctx, f.agent, r.ID); err != nil || tk.Status != requests.StatusInReview {
			t.Fatalf("Take: %+v %v", tk, err)
		}
		if err := f.a.RequestDocuments(ctx, f.agent, r.ID, []app.DocumentRequest{{Document: requests.DocAddress, Reason: "Le justificatif a plus de 6 mois."}}); err != nil {
			t.Fatalf("RequestDocuments: %v", err)
		}
		tv, _ = f.a.Track(ctx, app.Request{Client: "198.51.100.8"}, r.Reference, "1980-02-03")
		if tv.Status != requests.StatusAwaitingDocuments || tv.WaitingOn != requests.PartyApplicant || len(tv.Waiting) != 1 ||
			!strings.Contains(tv.Waiting[0], "plus de 6 mois") {
			t.Fatalf("waiting view %+v", tv)
		}
		if _, err := f.a.AddDocument(ctx, f.citizen, r.ID, string(requests.DocAddress), pdf("new address")); err != nil {
			t.Fatal(err)
		}
		back, _ := f.s.FindRequest(ctx, r.ID)
		if back.Status != requests.StatusInReview || back.AssigneeID != 0 {
			t.Fatalf("after the upload %+v", back)
		}
		if _, err := f.a.Take(ctx, f.agent, r.ID); err != nil {
			t.Fatal(err)
		}
		if err := f.a.SendRequestMessage(ctx, f.agent, r.ID, "Votre dossier est complet.", false); err != nil {
			t.Fatal(err)
		}
		if err := f.a.SendRequestMessage(ctx, f.agent, r.ID, "Vérifié au fichier.", true); err != nil {
			t.Fatal(err)
		}
		if err := f.a.SendRequestMessage(ctx, f.citizen, r.ID, "Merci", true); !apperr.Is(err, apperr.Forbidden) {
			t.Fatalf("a citizen's private note: %v", err)
		}
		view, err := f.a.MyRequest(ctx, f.citizen, r.ID)
		if err != nil || len(view.Messages) != 1 {
			t.Fatalf("citizen's thread %+v %v", view.Messages, err)
		}
		for _, e := range view.Track.Timeline {
			if strings.Contains(e.Label, "Note") {
				t.Fatalf("a private note in the citizen's timeline: %+v", e)
			}
		}

		// Acceptance consumes the stamp and inserts produce_card.
		if _, err := f.a.Accept(ctx, f.agent, r.ID); err != nil {
			t.Fatalf("Accept: %v", err)
		}
		if st, _ := f.s.FindStamp(ctx, n); st.State != stamp.Consumed {
			t.Fatalf("stamp after acceptance %+v", st)
		}
		if got := countJobs(t, f.s, "produce_card"); got != 1 {
			t.Fatalf("%d produce_card jobs", got)
		}

		// Working the job twice changes nothing the second time.
		if err := f.a.ProduceCard(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		once := snapshot(t, f, r.ID)
		if err := f.a.ProduceCard(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		if twice := snapshot(t, f, r.ID); twice != once {
			t.Fatalf("second run changed:\n%s\n%s", once, twice)
		}
		sent, _ := f.s.FindRequest(ctx, r.ID)
		if sent.Status != requests.StatusSent || sent.TrackingNumber == "" {
			t.Fatalf("after production %+v", sent)
		}
		if _, err := licence.ParseTitleNumber(sent.TitleNumber); err != nil {
			t.Fatalf("title number %q: %v", sent.TitleNumber, err)
		}
		if m, err := licence.ParseMRZ(sent.MRZ); err != nil || string(m.Number) != sent.TitleNumber {
			t.Fatalf("MRZ %q: %+v %v", sent.MRZ, m, err)
		}
		again, err := f.a.TrackMail(ctx, r.ID)
		if err != nil || !again {
			t.Fatalf("in transit: %v %v", again, err)
		}
		f.c.Set(f.c.Now().Add(72 * time.Hour))
		if again, err := f.a.TrackMail(ctx, r.ID); err != nil || again {
			t.Fatalf("delivered: %v %v", again, err)
		}
		done := snapshot(t, f, r.ID)
		if _, err := f.a.TrackMail(ctx, r.ID); err != nil || snapshot(t, f, r.ID) != done {
			t.Fatalf("tracking twice changed something: %v", err)
		}
		final, _ := f.s.FindRequest(ctx, r.ID)
		if final.Status != requests.StatusDelivered {
			t.Fatalf("final %+v", final)
		}
		subjects := strings.Join(mailsTo(t, f.s, "camille@example.fr"), "\n")
		for _, want := range []string{"Demande enregistrée", "en cours d'instruction", "Pièces à fournir", "reçu les pièces",
			"Nouveau message", "acceptée", "en fabrication", "envoyé", "remis"} {
			if !strings.Contains(subjects, want) {
				t.Errorf("no mail %q in:\n%s", want, subjects)
			}
		}
	})
}

// snapshot is what a worker may change: the request, its timeline, its
// mails and its jobs.
func snapshot(t testing.TB, f *reqFixture, id int64) string {
	t.Helper()
	ctx := context.Background()
	r, _ := f.s.FindRequest(ctx, id)
	evs, _ := f.s.ListRequestEvents(ctx, id, true)
	r.UpdatedAt = time.Time{}
	return fmt.Sprintf("%+v events=%d mails=%d jobs=%d", r, len(evs), len(mailsTo(t, f.s, r.Email)),
		countJobs(t, f.s, "produce_card")+countJobs(t, f.s, "track_mail"))
}

func countJobs(t testing.TB, s *store.Store, kind string) int {
	t.Helper()
	var n int
	q := `SELECT count(*) FROM river_job WHERE kind = ?`
	if s.Dialect() == "postgres" {
		q = `SELECT count(*) FROM river_job WHERE kind = $1`
	}
	if err := s.WriteDB().QueryRowContext(context.Background(), q, kind).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestRejectReleasesTheStamp(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		n := f.mustStamp(t)
		r := f.mustLossDraft(t, f.citizen, n, "")
		if _, err := f.a.Submit(ctx, f.citizen, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Reject(ctx, f.agent, r.ID, "Motif"); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("reject before taking the file: %v", err)
		}
		if _, err := f.a.Take(ctx, f.agent, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := f.a.Reject(ctx, f.agent, r.ID, " "); !apperr.Is(err, apperr.Invalid) {
			t.Fatalf("reject without a reason: %v", err)
		}
		rj, err := f.a.Reject(ctx, f.agent, r.ID, "La perte a déjà été déclarée dans la demande DEM-2026-ABCDEF.")
		if err != nil || rj.Status != requests.StatusRejected {
			t.Fatalf("Reject: %+v %v", rj, err)
		}
		if st, _ := f.s.FindStamp(ctx, n); st.State != stamp.Available || st.RequestRef != "" {
			t.Fatalf("stamp after rejection %+v", st)
		}
		tv, _ := f.a.Track(ctx, app.Request{Client: "x"}, r.Reference, "1980-02-03")
		if tv.Rejection == "" || tv.WaitingOn != requests.PartyNone {
			t.Fatalf("rejected view %+v", tv)
		}
		// The released stamp serves another request.
		r2 := f.mustLossDraft(t, f.citizen, n, "")
		if _, err := f.a.Submit(ctx, f.citizen, r2.ID); err != nil {
			t.Fatalf("reuse of a released stamp: %v", err)
		}
	})
}

// A letter held at the post office and not collected comes back and is
// sent again, with a new tracking number; then delivered.
func TestMailHeldReturnedResent(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		carrier := &app.SimulatedCarrier{Transit: 24 * time.Hour, HoldFor: 15 * 24 * time.Hour,
			Outcome: func(_ string, attempt int) app.Outcome {
				if attempt == 1 {
					return app.OutcomeReturned
				}
				return app.OutcomeDelivered
			}}
		f.a = app.New(app.Config{Store: f.s, Clock: f.c, Files: f.files, Jobs: f.q, Carrier: carrier})
		t.Cleanup(func() { f.a.Close() })
		r := f.mustLossDraft(t, f.citizen, f.mustStamp(t), "")
		mustReachAccepted(t, f, r.ID)
		if err := f.a.ProduceCard(ctx, r.ID); err != nil {
			t.Fatal(err)
		}
		first, _ := f.s.FindRequest(ctx, r.ID)
		for _, tc := range []struct {
			after time.Duration
			want  requests.Status
		}{
			{2 * time.Hour, requests.StatusSent},
			{24 * time.Hour, requests.StatusHeld},
			{16 * 24 * time.Hour, requests.StatusSent}, // returned, then re-sent
			{2 * 24 * time.Hour, requests.StatusDelivered},
		} {
			f.c.Set(f.c.Now().Add(tc.after))
			if _, err := f.a.TrackMail(ctx, r.ID); err != nil {
				t.Fatal(err)
			}
			got, _ := f.s.FindRequest(ctx, r.ID)
			if got.Status != tc.want {
				t.Fatalf("after +%s: %s, want %s", tc.after, got.Status, tc.want)
			}
		}
		last, _ := f.s.FindRequest(ctx, r.ID)
		if last.Shipments != 2 || last.TrackingNumber == first.TrackingNumber {
			t.Fatalf("shipments %d, tracking %s then %s", last.Shipments, first.TrackingNumber, last.TrackingNumber)
		}
		evs, _ := f.s.ListRequestEvents(ctx, r.ID, false)
		var labels []string
		for _, e := range evs {
			labels = append(labels, string(e.Event))
		}
		if got := strings.Join(labels, ","); !strings.HasSuffix(got, "accept,start_production,ship,hold,return,resend,deliver") {
			t.Fatalf("timeline %s", got)
		}
	})
}

func mustReachAccepted(t testing.TB, f *reqFixture, id int64) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.a.Submit(ctx, f.citizen, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Take(ctx, f.agent, id); err != nil {
		t.Fatal(err)
	}
	if _, err := f.a.Accept(ctx, f.agent, id); err != nil {
		t.Fatal(err)
	}
}

// Crash between acceptance and production: the produce_card job inserted
// with the acceptance waits in the database; a new instance with workers
// works it once and the request reaches "sent".
func TestProductionAfterRestart(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		f := newReqFixture(t, dsn)
		r := f.mustLossDraft(t, f.citizen, f.mustStamp(t), "")
		mustReachAccepted(t, f, r.ID)
		// "Crash": the instance that accepted goes away, no worker ran.
		f.a.Close()
		f.s.Close()

		s2, err := store.Open(ctx, dsn, store.Options{Clock: f.c})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s2.Close() })
		_, q2 := openAppOn(t, s2, f.c, f.files, true)
		deadline := time.Now().Add(30 * time.Second)
		for {
			got, err := s2.FindRequest(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == requests.StatusSent {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("still %s after restart", got.Status)
			}
			time.Sleep(20 * time.Millisecond)
		}
		// River records a job's completion after its work returns, in the
		// background: wait until every produce_card job is finished (bounded),
		// stop the workers (Stop waits for the work in flight), and only then
		// count — no duplicate can appear after that.
		var rows, done, completed, attempts int
		q := `SELECT count(*), count(*) FILTER (WHERE state IN ('completed', 'discarded', 'cancelled')),
			count(*) FILTER (WHERE state = 'completed'), coalesce(max(attempt), 0)
			FROM river_job WHERE kind = 'produce_card'`
		for wait := time.Now().Add(30 * time.Second); ; {
			if err := s2.WriteDB().QueryRowContext(ctx, q).Scan(&rows, &done, &completed, &attempts); err != nil {
				t.Fatal(err)
			}
			if rows == done || time.Now().After(wait) {
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
		stop, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		if err := q2.Stop(stop); err != nil {
			t.Fatal(err)
		}
		if rows != 1 || completed != 1 || attempts != 1 {
			t.Fatalf("produce_card jobs: %d, completed %d, max attempts %d; want one job, completed after one attempt", rows, completed, attempts)
		}
		evs, _ := s2.ListRequestEvents(ctx, r.ID, true)
		counts := map[requests.Event]int{}
		for _, e := range evs {
			counts[e.Event]++
		}
		if counts[requests.EventStartProduction] != 1 || counts[requests.EventShip] != 1 {
			t.Fatalf("events %v", counts)
		}
	})
}

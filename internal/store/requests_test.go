package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/date"
	"permis/internal/requests"
	"permis/internal/store/storetest"
)

func mustCreateAccount(tb testing.TB, s *Store, role, email string) User {
	tb.Helper()
	u := User{Role: role, Email: email, GivenName: "Camille", FamilyName: "Garnier"}
	if err := s.CreateUser(context.Background(), &u); err != nil {
		tb.Fatalf("CreateUser: %v", err)
	}
	return u
}

func mustCreateDraft(tb testing.TB, s *Store, owner int64, ref string) Request {
	tb.Helper()
	r := Request{Reference: ref, Kind: requests.Loss, OwnerID: owner, FamilyName: "Garnier", GivenNames: "Camille",
		BirthDate: date.Some(date.MustParse("1990-05-17")), Email: "camille@example.fr", Departement: "34"}
	if err := s.CreateRequest(context.Background(), &r); err != nil {
		tb.Fatalf("CreateRequest: %v", err)
	}
	return r
}

func TestRequestDraftOwnerAndTracking(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openRequestsStore(t, dsn)
		owner := mustCreateAccount(t, s, "citizen", "camille@example.fr")
		other := mustCreateAccount(t, s, "citizen", "autre@example.fr")
		r := mustCreateDraft(t, s, owner.ID, "DEM-2026-AAAAAA")
		if r.Status != requests.StatusDraft || r.ID == 0 {
			t.Fatalf("created %+v", r)
		}
		dup := Request{Reference: r.Reference, Kind: requests.Loss, OwnerID: owner.ID}
		if err := s.CreateRequest(ctx, &dup); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("same reference: %v", err)
		}
		answers, dep, yes := `{"categories":["B"]}`, "973", true
		got, err := s.UpdateDraft(ctx, r.ID, owner.ID, DraftPatch{Answers: &answers, Departement: &dep, LossDeclared: &yes})
		if err != nil || got.Answers != answers || got.Departement != "973" || !got.LossDeclared {
			t.Fatalf("UpdateDraft: %+v, %v", got, err)
		}
		if _, err := s.UpdateDraft(ctx, r.ID, other.ID, DraftPatch{Answers: &answers}); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another's draft: %v", err)
		}
		if _, err := s.FindRequestOfOwner(ctx, r.ID, other.ID); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("another's request: %v", err)
		}
		if _, err := s.FindRequestForTracking(ctx, r.Reference, date.MustParse("1990-05-17")); !apperr.Is(err, apperr.NotFound) {
			t.Fatalf("a draft is not tracked: %v", err)
		}
		now := s.now()
		tr, sub, err := s.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventSubmit, SubmittedAt: &now,
			ExpectedDecision: date.Some(date.MustParse("2026-03-28"))})
		if err != nil || tr.To != requests.StatusSubmitted || sub.SubmittedAt == nil || sub.ExpectedDecision.Date != date.MustParse("2026-03-28") {
			t.Fatalf("submit: %+v %+v %v", tr, sub, err)
		}
		if _, err := s.UpdateDraft(ctx, r.ID, owner.ID, DraftPatch{Answers: &answers}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("update after submission: %v", err)
		}
		if _, _, err := s.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventAccept}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("accept a submitted request: %v", err)
		}
		for _, tc := range []struct {
			ref, birth string
			found      bool
		}{{r.Reference, "1990-05-17", true}, {r.Reference, "1990-05-18", false}, {"DEM-2026-BBBBBB", "1990-05-17", false}} {
			_, err := s.FindRequestForTracking(ctx, tc.ref, date.MustParse(tc.birth))
			if (err == nil) != tc.found {
				t.Errorf("tracking %s %s: %v", tc.ref, tc.birth, err)
			}
		}
		mine, err := s.ListRequestsOfOwner(ctx, owner.ID)
		if err != nil || len(mine) != 1 {
			t.Fatalf("mine: %v %v", mine, err)
		}
		theirs, _ := s.ListRequestsOfOwner(ctx, other.ID)
		if len(theirs) != 0 {
			t.Fatalf("other's list: %v", theirs)
		}
	})
}

func TestRequestDocumentsAndQueue(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openRequestsStore(t, dsn)
		owner := mustCreateAccount(t, s, "citizen", "camille@example.fr")
		r := mustCreateDraft(t, s, owner.ID, "DEM-2026-CCCCCC")
		for i, key := range []string{"aa/one.pdf", "bb/two.pdf"} {
			d := RequestDocument{RequestID: r.ID, Document: requests.DocIdentity, Key: key, ContentType: "application/pdf", Size: int64(10 + i)}
			if _, err := s.PutRequestDocument(ctx, &d); err != nil {
				t.Fatal(err)
			}
		}
		live, _ := s.ListRequestDocuments(ctx, r.ID, false)
		all, _ := s.ListRequestDocuments(ctx, r.ID, true)
		if len(live) != 1 || live[0].Key != "bb/two.pdf" || len(all) != 2 || all[0].State != DocReplaced {
			t.Fatalf("live %+v all %+v", live, all)
		}
		if err := s.RequestDocumentAgain(ctx, r.ID, requests.DocAddress, "Justificatif de plus de 6 mois."); err != nil {
			t.Fatal(err)
		}
		live, _ = s.ListRequestDocuments(ctx, r.ID, false)
		if len(live) != 2 || live[1].State != DocRequested || live[1].Key != "" {
			t.Fatalf("requested: %+v", live)
		}
		now := s.now()
		if _, _, err := s.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventSubmit, SubmittedAt: &now}); err != nil {
			t.Fatal(err)
		}
		q, err := s.ListRequestQueue(ctx, RequestFilter{Kinds: []requests.Kind{requests.Loss}, Departements: []string{"34"}})
		if err != nil || len(q) != 1 {
			t.Fatalf("queue: %v %v", q, err)
		}
		if q, _ := s.ListRequestQueue(ctx, RequestFilter{Departements: []string{"75"}}); len(q) != 0 {
			t.Fatalf("queue of 75: %v", q)
		}
		e := RequestEvent{RequestID: r.ID, Kind: "note", Label: "Note", Detail: "privé", Private: true}
		if err := s.AppendRequestEvent(ctx, &e); err != nil {
			t.Fatal(err)
		}
		pub, _ := s.ListRequestEvents(ctx, r.ID, false)
		priv, _ := s.ListRequestEvents(ctx, r.ID, true)
		if len(pub) != 0 || len(priv) != 1 {
			t.Fatalf("events %v %v", pub, priv)
		}
		m := RequestMessage{RequestID: r.ID, Author: "agent", Body: "note", Private: true}
		if err := s.AddRequestMessage(ctx, &m); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.ListRequestMessages(ctx, r.ID, false); len(ms) != 0 {
			t.Fatalf("private note shown: %v", ms)
		}
	})
}

// Two agents on two instances take one file at once: one gets it; after
// the lock lapses, another may take it.
func TestLockRequestOnce(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s1, s2 := openRequestsStore(t, dsn), openRequestsStore(t, dsn)
		owner := mustCreateAccount(t, s1, "citizen", "camille@example.fr")
		r := mustCreateDraft(t, s1, owner.ID, "DEM-2026-DDDDDD")
		now := s1.now()
		if _, err := s1.LockRequest(ctx, r.ID, owner.ID, now, time.Hour); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("lock a draft: %v", err)
		}
		if _, _, err := s1.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventSubmit, SubmittedAt: &now}); err != nil {
			t.Fatal(err)
		}
		const n = 10
		agents := make([]int64, n)
		for i := range agents {
			agents[i] = mustCreateAccount(t, s1, "agent", "agent"+string(rune('a'+i))+"@example.fr").ID
		}
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				s := s1
				if i%2 == 1 {
					s = s2
				}
				_, errs[i] = s.LockRequest(ctx, r.ID, agents[i], now, time.Hour)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			if err == nil {
				won++
			} else if !apperr.Is(err, apperr.Conflict) {
				t.Fatalf("lock: %v", err)
			}
		}
		if won != 1 {
			t.Fatalf("%d agents took the file", won)
		}
		if _, err := s1.LockRequest(ctx, r.ID, agents[0], now.Add(2*time.Hour), time.Hour); err != nil {
			t.Fatalf("lock after expiry: %v", err)
		}
		if _, _, err := s1.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventStartReview, Holder: agents[1]}); !apperr.Is(err, apperr.Conflict) {
			t.Fatalf("transition by a non-holder: %v", err)
		}
		if _, _, err := s1.TransitionRequest(ctx, r.ID, Transition{Event: requests.EventStartReview, Holder: agents[0]}); err != nil {
			t.Fatalf("transition by the holder: %v", err)
		}
	})
}

// A document without a file (an electronic medical opinion joins a request
// as its own document) stores no file key: two of them, on two requests,
// must both be accepted (file_key is unique; "" twice was a conflict).
func TestRequestDocumentsWithoutFile(t *testing.T) {
	storetest.ForEach(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		s := openRequestsStore(t, dsn)
		owner := mustCreateAccount(t, s, "citizen", "camille@example.fr")
		for _, ref := range []string{"DEM-2026-DDDDDD", "DEM-2026-EEEEEE"} {
			r := mustCreateDraft(t, s, owner.ID, ref)
			d := RequestDocument{RequestID: r.ID, Document: requests.DocMedicalOpinion, Name: "Avis médical électronique"}
			replaced, err := s.PutRequestDocument(ctx, &d)
			if err != nil || len(replaced) != 0 {
				t.Fatalf("opinion on %s: %v, replaced %v", ref, err, replaced)
			}
			if live, _ := s.ListRequestDocuments(ctx, r.ID, false); len(live) != 1 || live[0].Key != "" || live[0].State != DocProvided {
				t.Fatalf("documents of %s: %+v", ref, live)
			}
		}
	})
}

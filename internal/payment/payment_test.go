package payment

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"permis/internal/apperr"
	"permis/internal/clock"
)

var secret = []byte("0123456789abcdef-test-secret")

func TestSignature(t *testing.T) {
	now := time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)
	body := []byte(`{"payment_id":"p","reference":"R","amount":2500,"status":"paid"}`)
	good := Sign(secret, now, body)
	for _, tc := range []struct {
		name   string
		header string
		body   []byte
		at     time.Time
		ok     bool
	}{
		{"good", good, body, now, true},
		{"a little later", good, body, now.Add(4 * time.Minute), true},
		{"replayed later", good, body, now.Add(6 * time.Minute), false},
		{"from the future", good, body, now.Add(-6 * time.Minute), false},
		{"body changed", good, []byte(strings.Replace(string(body), "2500", "1", 1)), now, false},
		{"other secret", Sign([]byte("another secret of 16+ bytes"), now, body), body, now, false},
		{"no header", "", body, now, false},
		{"garbage", "t=abc,v1=00", body, now, false},
	} {
		err := Verify(secret, tc.header, tc.body, tc.at)
		if (err == nil) != tc.ok {
			t.Errorf("%s: %v", tc.name, err)
		}
		if err != nil && !apperr.Is(err, apperr.Invalid) {
			t.Errorf("%s: %v is not invalid", tc.name, err)
		}
	}
}

// The whole round trip, as a person's browser and the service see it:
// redirect to the provider's page, pay (or be refused, or give up), a
// signed notification reaches the service, the browser comes back.
func TestTestProviderRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		action string
		want   Status
	}{{"payer", Paid}, {"refuser", Refused}, {"annuler", Cancelled}} {
		t.Run(tc.action, func(t *testing.T) {
			var mu sync.Mutex
			var got []Result
			var p *TestProvider
			mux := http.NewServeMux()
			srv := httptest.NewServer(mux)
			defer srv.Close()
			p, err := NewTestProvider(srv.URL+"/paiement-test", secret, TestProviderOptions{Clock: clock.System{}})
			if err != nil {
				t.Fatal(err)
			}
			mux.Handle("/paiement-test/", p.Handler())
			mux.HandleFunc("POST /notification", func(w http.ResponseWriter, r *http.Request) {
				res, err := p.Callback(r)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				mu.Lock()
				got = append(got, res)
				mu.Unlock()
			})
			mux.HandleFunc("GET /retour", func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "retour "+r.URL.Query().Get("paiement"))
			})

			s, err := p.Start(context.Background(), Purchase{Reference: "DEM-2026-000042", Amount: 2500, Label: "Timbre fiscal — perte du permis",
				ReturnURL: srv.URL + "/retour", CallbackURL: srv.URL + "/notification"})
			if err != nil {
				t.Fatal(err)
			}
			jar, _ := cookiejar.New(nil)
			browser := &http.Client{Jar: jar}
			res, err := browser.Get(s.RedirectURL)
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != 200 || !strings.Contains(string(page), "25,00\u00a0€") || !strings.Contains(string(page), "DEM-2026-000042") {
				t.Fatalf("payment page %d:\n%s", res.StatusCode, page)
			}
			res, err = browser.PostForm(s.RedirectURL, url.Values{"action": {tc.action}})
			if err != nil {
				t.Fatal(err)
			}
			back, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if string(back) != "retour "+s.ID {
				t.Fatalf("the browser came back to %q", back)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0].Status != tc.want || got[0].Reference != "DEM-2026-000042" || got[0].Amount != 2500 || got[0].PaymentID != s.ID {
				t.Fatalf("notifications %+v", got)
			}
			// A payment is decided once.
			res, err = browser.PostForm(s.RedirectURL, url.Values{"action": {"payer"}})
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusGone || len(got) != 1 {
				t.Fatalf("second decision: %d, %d notifications", res.StatusCode, len(got))
			}
		})
	}
}

// A forged notification (no signature, wrong secret) is refused.
func TestForgedNotification(t *testing.T) {
	p, err := NewTestProvider("http://localhost/paiement-test", secret, TestProviderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	body := `{"payment_id":"pay_1","reference":"R","amount":2500,"status":"paid","at":"2026-11-26T10:00:00Z"}`
	for _, header := range []string{"", Sign([]byte("not the shared secret!!"), time.Now(), []byte(body))} {
		r := httptest.NewRequest(http.MethodPost, "/notification", strings.NewReader(body))
		r.Header.Set(SignatureHeader, header)
		if _, err := p.Callback(r); !apperr.Is(err, apperr.Invalid) {
			t.Errorf("forged notification accepted: %v", err)
		}
	}
	r := httptest.NewRequest(http.MethodPost, "/notification", strings.NewReader(body))
	r.Header.Set(SignatureHeader, Sign(secret, time.Now(), []byte(body)))
	if res, err := p.Callback(r); err != nil || res.Status != Paid {
		t.Errorf("genuine notification: %+v %v", res, err)
	}
}

func TestFormatAmount(t *testing.T) {
	for c, want := range map[int]string{2500: "25,00\u00a0€", 1250: "12,50\u00a0€", 5: "0,05\u00a0€", -100: "-1,00\u00a0€"} {
		if got := FormatAmount(c); got != want {
			t.Errorf("FormatAmount(%d) = %q", c, got)
		}
	}
}

func TestTestProviderRefundsOnce(t *testing.T) {
	p, err := NewTestProvider("http://localhost/paiement-test", []byte("0123456789abcdef0123456789abcdef"), TestProviderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var r Refunder = p
	for range 2 { // a retry after a crash refunds once
		if err := r.Refund(context.Background(), "pay_1", 13500); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Refund(context.Background(), "", 100); err == nil {
		t.Error("a refund without a payment id was accepted")
	}
	if got := p.Refunds(); len(got) != 1 || got["pay_1"] != 13500 {
		t.Errorf("Refunds() = %v", got)
	}
}

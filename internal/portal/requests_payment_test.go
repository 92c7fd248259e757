package portal_test

import (
	"net/http"
	"strings"
	"testing"

	"permis/internal/payment"
	"permis/internal/router/routertest"
	"permis/internal/store/storetest"
)

// The provider's notice is authenticated by its signature: an unsigned,
// wrongly signed or stale one is refused with 400 (the provider must not
// retry it) and records nothing.
func TestPaymentNoticeSignature(t *testing.T) {
	e := routertest.Start(t, storetest.SQLiteDSN(t), routertest.Options{Licences: 1})
	body := `{"payment_id":"pay_x","reference":"DEM-2026-AAAAAA/1","amount":2500,"status":"paid","at":"2026-03-16T12:00:00Z"}`
	for _, tc := range []struct {
		name, signature string
	}{
		{"unsigned", ""},
		{"wrong secret", payment.Sign([]byte("un autre secret de seize octets"), e.Clock.Now(), []byte(body))},
		{"garbage", "t=abc,v1=00"},
	} {
		req, err := http.NewRequest(http.MethodPost, e.URL+"/paiement/notification", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		if tc.signature != "" {
			req.Header.Set(payment.SignatureHeader, tc.signature)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", tc.name, resp.StatusCode)
		}
	}
}

// Package securitytest runs attacks against a real `permis serve` process
// (issue 10, "What held — keep it held", and its findings): it builds the
// binary, starts one server per database (SQLite always, PostgreSQL when
// PERMIS_TEST_POSTGRES_URL is set) with the demo flags given explicitly,
// and plays, as an outsider would, open redirects, cross-site requests,
// session theft after sign-out, another citizen's pages, injection
// payloads, rate limits, headers, the metrics listener, the demo
// provider's CORS, a killed database connection and bad command lines.
// docs/security.md lists each threat with the test that proves it held.
//
// The package has tests only; this file carries its documentation.
package securitytest

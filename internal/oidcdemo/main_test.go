package oidcdemo_test

import (
	"flag"
	"log/slog"
	"os"
	"testing"
)

// TestMain silences the OpenID library, which logs every refused request
// on slog's default logger, unless the tests run with -v.
func TestMain(m *testing.M) {
	flag.Parse()
	if !testing.Verbose() {
		slog.SetDefault(slog.New(slog.DiscardHandler))
	}
	os.Exit(m.Run())
}

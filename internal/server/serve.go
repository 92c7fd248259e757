package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ServeOptions tune Serve.
type ServeOptions struct {
	// ShutdownTimeout bounds the draining of in-flight requests once ctx
	// is cancelled; 0 means 10 seconds.
	ShutdownTimeout time.Duration
	// Listening, if set, is called with the bound address once the
	// listener is open (useful with ":0").
	Listening func(addr net.Addr)
}

// Serve listens on srv.Addr and serves srv.Handler until ctx is cancelled,
// then shuts down gracefully: the listener closes at once and in-flight
// requests get ShutdownTimeout to finish, after which the remaining
// connections are closed and an error is returned. Request contexts do not
// derive from ctx, so cancelling ctx does not abort the requests being
// drained. Timeouts left at zero in srv get safe defaults.
func Serve(ctx context.Context, srv *http.Server, logger *slog.Logger, o ServeOptions) error {
	if o.ShutdownTimeout == 0 {
		o.ShutdownTimeout = 10 * time.Second
	}
	if srv.ReadHeaderTimeout == 0 {
		srv.ReadHeaderTimeout = 10 * time.Second
	}
	if srv.IdleTimeout == 0 {
		srv.IdleTimeout = 120 * time.Second
	}
	if srv.ErrorLog == nil {
		srv.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	}
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("server: listen: %w", err)
	}
	logger.Info("serveur HTTP à l'écoute", slog.String("addr", ln.Addr().String()))
	if o.Listening != nil {
		o.Listening(ln.Addr())
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served: // failed without being asked to stop
		return fmt.Errorf("server: serve: %w", err)
	case <-ctx.Done():
	}
	logger.Info("arrêt du serveur HTTP : fin des requêtes en cours", slog.Duration("timeout", o.ShutdownTimeout))
	sctx, cancel := context.WithTimeout(context.Background(), o.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("server: shutdown: %w", err)
	}
	if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("server: serve: %w", err)
	}
	logger.Info("serveur HTTP arrêté")
	return nil
}

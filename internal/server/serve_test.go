package server

import (
	"context"
	"io"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestServeGracefulShutdown(t *testing.T) {
	logger, _ := newTestLogger(t)
	started := make(chan struct{})
	release := make(chan struct{})
	mux := http.NewServeMux()
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
		io.WriteString(w, "fini")
	})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, &http.Server{Addr: "127.0.0.1:0", Handler: mux}, logger,
			ServeOptions{ShutdownTimeout: 5 * time.Second, Listening: func(a net.Addr) { addrc <- a }})
	}()
	addr := (<-addrc).String()

	type result struct {
		body string
		err  error
	}
	resc := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/slow")
		if err != nil {
			resc <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		resc <- result{string(b), err}
	}()
	<-started
	cancel() // shutdown begins while /slow is in flight

	// New connections are refused once the listener is closed.
	deadline := time.Now().Add(2 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("listener still accepting after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-served:
		t.Fatalf("Serve returned %v before the in-flight request finished", err)
	default:
	}
	close(release)
	res := <-resc
	if res.err != nil || res.body != "fini" {
		t.Fatalf("in-flight request: %q, %v", res.body, res.err)
	}
	if err := <-served; err != nil {
		t.Fatalf("Serve: %v", err)
	}
}

func TestServeShutdownTimeout(t *testing.T) {
	logger, _ := newTestLogger(t)
	started := make(chan struct{})
	release := make(chan struct{})
	defer close(release)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /stuck", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan net.Addr, 1)
	served := make(chan error, 1)
	go func() {
		served <- Serve(ctx, &http.Server{Addr: "127.0.0.1:0", Handler: mux}, logger,
			ServeOptions{ShutdownTimeout: 50 * time.Millisecond, Listening: func(a net.Addr) { addrc <- a }})
	}()
	addr := (<-addrc).String()
	go func() {
		if resp, err := http.Get("http://" + addr + "/stuck"); err == nil {
			resp.Body.Close()
		}
	}()
	<-started
	cancel()
	if err := <-served; err == nil {
		t.Fatal("Serve returned nil although a request outlived the shutdown timeout")
	}
}

func TestServeListenError(t *testing.T) {
	logger, _ := newTestLogger(t)
	if err := Serve(context.Background(), &http.Server{Addr: "256.0.0.1:0"}, logger, ServeOptions{}); err == nil {
		t.Fatal("Serve on an invalid address returned nil")
	}
}

package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"permis/internal/access"
	"permis/internal/loadgen"
)

// memoryResult is what the memory benchmark saw of the server process.
type memoryResult struct {
	peakKiB, rssKiB int64
	samples         []int64 // VmRSS every memorySample during the load, KiB: the plateau
	load            loadgen.Result
	exit            string
}

// memorySample is how often the memory benchmark reads VmRSS under load.
const memorySample = 10 * time.Second

// memoryBench starts `permis serve` as a child process on the register,
// drives the points API for the configured duration, reads the process's
// peak resident memory (VmHWM) from /proc, and stops it with SIGTERM.
func (b *bench) memoryBench(ctx context.Context) (Section, error) {
	if b.cfg.Binary == "" {
		return Section{}, errors.New("exécutable permis inconnu")
	}
	token, err := b.app.CreateToken(ctx, "permis bench memory", access.Agent)
	if err != nil {
		return Section{}, err
	}
	srv, err := b.startServe(ctx, "mémoire", nil)
	if err != nil {
		return Section{}, err
	}
	cmd, exited, kill, base, args := srv.cmd, srv.exited, srv.kill, srv.base, srv.args
	b.progressf("mémoire : %d connexions pendant %s", b.cfg.Concurrency, b.cfg.Duration)
	var res memoryResult
	sampled := make(chan []int64)
	stopSampling := make(chan struct{})
	go func() {
		var got []int64
		t := time.NewTicker(memorySample)
		defer t.Stop()
		for {
			select {
			case <-stopSampling:
				sampled <- got
				return
			case <-t.C:
				if _, rss, err := readMemory(cmd.Process.Pid); err == nil {
					got = append(got, rss)
				}
			}
		}
	}()
	res.load, err = b.load(ctx, base, token)
	close(stopSampling)
	res.samples = <-sampled
	if err == nil {
		res.peakKiB, res.rssKiB, err = readMemory(cmd.Process.Pid)
	}
	b.progressDone()
	if err != nil {
		kill()
		return Section{}, err
	}
	res.exit = stopGracefully(cmd, exited)
	shown := []string{"permis"}
	for _, a := range args {
		shown = append(shown, hidePassword(a))
	}
	return memorySection(res, strings.Join(shown, " ")), nil
}

// child is a `permis serve` started by the benchmark on its register.
type child struct {
	cmd    *exec.Cmd
	exited chan error
	base   string   // http://127.0.0.1:port
	args   []string // its command line, after the executable
	kill   func()
}

// startServe starts `permis serve` on the register with extra flags and
// waits until it answers /healthz; what names the benchmark in progress
// lines.
func (b *bench) startServe(ctx context.Context, what string, extra []string) (*child, error) {
	if b.cfg.Binary == "" {
		return nil, errors.New("exécutable permis inconnu")
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	args := append(append([]string{"serve", "--demo=false", "--addr", addr, "--metrics-addr", ""}, b.cfg.ServeArgs...), extra...)
	cmd := exec.Command(b.cfg.Binary, args...)
	logs := &tailBuffer{max: 8 << 10}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, exited: make(chan error, 1), base: "http://" + addr, args: args}
	go func() { c.exited <- cmd.Wait() }()
	c.kill = func() {
		cmd.Process.Kill()
		<-c.exited
	}
	b.progressf("%s : démarrage de permis serve (pid %d)", what, cmd.Process.Pid)
	if err := waitHealthy(ctx, c.base+"/healthz", c.exited); err != nil {
		c.kill()
		return nil, fmt.Errorf("%w ; journal : %s", err, logs.String())
	}
	return c, nil
}

// hidePassword replaces the password of a database URL, for printing.
func hidePassword(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); !ok {
		return s
	}
	u.User = url.UserPassword(u.User.Username(), "xxxxx")
	return u.String()
}

// freeAddr returns a loopback address with a port free right now.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitHealthy polls url until it answers 200, the process exits, or a
// minute passes.
func waitHealthy(ctx context.Context, url string, exited <-chan error) error {
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-exited:
			return fmt.Errorf("permis serve s'est arrêté au démarrage (%v)", err)
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		resp, err := client.Get(url)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
	}
	return errors.New("permis serve ne répond pas sur /healthz après une minute")
}

// readMemory returns VmHWM and VmRSS of a process, in KiB.
func readMemory(pid int) (hwm, rss int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, fmt.Errorf("lecture de la mémoire du processus : %w", err)
	}
	return parseStatusKiB(string(b), "VmHWM"), parseStatusKiB(string(b), "VmRSS"), nil
}

// parseStatusKiB reads a "Key:   1234 kB" line of /proc/PID/status.
func parseStatusKiB(status, key string) int64 {
	v := strings.TrimSuffix(procField(status, key), " kB")
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		return -1
	}
	return n
}

// stopGracefully sends SIGTERM and says how the process ended.
func stopGracefully(cmd *exec.Cmd, exited <-chan error) string {
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return "SIGTERM impossible : " + err.Error()
	}
	select {
	case err := <-exited:
		if err == nil {
			return "arrêt propre sur SIGTERM (code 0)"
		}
		return "arrêt sur SIGTERM : " + err.Error()
	case <-time.After(30 * time.Second):
		cmd.Process.Kill()
		<-exited
		return "pas d'arrêt 30 s après SIGTERM : tué"
	}
}

func memorySection(r memoryResult, command string) Section {
	mb := func(kib int64) string { return strconv.FormatFloat(float64(kib)/1024, 'f', 1, 64) + " Mo" }
	t := Table{Header: []string{"mesure", "valeur"}, Rows: [][]string{
		{"pic de mémoire résidente (VmHWM)", "**" + mb(r.peakKiB) + "**"},
		{"mémoire résidente en fin de charge (VmRSS)", mb(r.rssKiB)},
		{"VmRSS toutes les " + memorySample.String() + " pendant la charge (palier)", samplesMB(r.samples)},
		{"charge", fmt.Sprintf("%s req/s, p50 %s, p99 %s, %d erreurs", frenchNumber(r.load.RPS), millis(r.load.P50), millis(r.load.P99), r.load.Errors)},
		{"arrêt", r.exit},
	}}
	return Section{Title: "Mémoire de permis serve", Table: t, Notes: []string{
		"Processus fils `" + command + "`, chargé comme ci-dessus sur GET …/points, puis arrêté par SIGTERM. Objectif : moins de 256 Mo (1 Mo = 1 048 576 octets).",
	}}
}

// samplesMB lists RSS samples in Mo, "—" for none.
func samplesMB(kib []int64) string {
	if len(kib) == 0 {
		return "—"
	}
	parts := make([]string, len(kib))
	for i, k := range kib {
		parts[i] = strconv.FormatFloat(float64(k)/1024, 'f', 0, 64)
	}
	return strings.Join(parts, " → ") + " Mo"
}

// tailBuffer keeps the last max bytes written to it: the end of the child's
// log, for an error message.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	buf bytes.Buffer
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf.Write(p)
	if over := t.buf.Len() - t.max; over > 0 {
		t.buf.Next(over)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(t.buf.String())
}

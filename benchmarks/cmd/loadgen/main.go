// Command loadgen serves the variants of BenchmarkOverhead, and the fiber
// peer, as real servers on loopback, plain and TLS, and drives each with a
// bounded load: a fixed number of requests over keep-alive connections, -c
// at a time. For each variant, mode and round it prints one line in the Go
// benchmark format, with the requests per second and the server's CPU time
// per request:
//
//	BenchmarkEndToEnd/plain/action/small 20000 30118 req/s 28967 server-cpu-ns/op
//
// which benchstat reads, and cmd/overheadtable turns into the end-to-end
// table (it runs this command itself, or reads its output with -in).
//
// Each server runs in a child process (this same binary with -serve), so
// that its CPU time is its own: the child reads its getrusage(RUSAGE_SELF)
// user+system time before and after the measured requests. Where taskset
// exists and the machine has two cores or more, the server is pinned to
// core 0 and the load generator to core 1.
//
// Only loopback addresses are used. From benchmarks/:
//
//	go run ./cmd/loadgen -n 20000 -c 8 -payload small
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/big"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/apienvelope/apienvelope/benchmarks"
)

const (
	pinnedEnv = "LOADGEN_PINNED"
	coresEnv  = "LOADGEN_CORES"
)

var (
	serve    = flag.Bool("serve", false, "internal: serve one variant (the child process)")
	variant  = flag.String("variant", "", "internal: the variant the child serves")
	certFile = flag.String("cert", "", "internal: the child's TLS certificate")
	keyFile  = flag.String("key", "", "internal: the child's TLS key")

	n        = flag.Int("n", 10000, "measured requests per variant, mode and round")
	rounds   = flag.Int("rounds", 3, "rounds through every variant; each keeps its best")
	warmup   = flag.Int("warmup", 2000, "requests before measuring")
	conc     = flag.Int("c", 8, "concurrent requests (keep-alive connections)")
	payload  = flag.String("payload", "small", "small, medium or large")
	modes    = flag.String("modes", "plain,tls", "plain, tls or both, comma-separated")
	variants = flag.String("variants", "limit,bare,handwritten-std,action,action-jsoniter,action-goccy,wrapped,huma,echo,gin,chi-render,fiber",
		"variants to serve, comma-separated; limit is always included")
	timeout = flag.Duration("timeout", 3*time.Minute, "bound on each variant's run")
	pin     = flag.Bool("pin", true, "pin server and load generator to their own cores with taskset where possible")
	useTLS  = flag.Bool("tls", false, "internal: the child serves TLS")
)

func main() {
	flag.Parse()
	log.SetFlags(0)
	if *serve {
		if err := child(); err != nil {
			log.Fatal(err)
		}
		return
	}
	if err := parent(); err != nil {
		log.Fatal(err)
	}
}

// canPin reports whether the server and the load generator can each have a
// core of their own.
func canPin() bool {
	if !*pin || runtime.NumCPU() < 2 {
		return false
	}
	_, err := exec.LookPath("taskset")
	return err == nil
}

// pinned reports whether this load generator runs pinned, its servers to
// be pinned too.
func pinned() bool { return os.Getenv(pinnedEnv) == "1" }

// trustLoopback lets plain HTTP requests count as HTTPS when they say so
// from loopback, as behind a TLS-terminating proxy.
var trustLoopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}

func caseFor(name string, plain bool) (benchmarks.Case, error) {
	cfg := benchmarks.Config{}
	if plain {
		cfg.TrustedProxies = trustLoopback
	}
	for _, c := range benchmarks.CasesFor(cfg) {
		if c.Payload == name {
			return c, nil
		}
	}
	return benchmarks.Case{}, fmt.Errorf("no payload %q", name)
}

// child serves one variant on loopback. It prints its address, then answers
// each line "cpu" on stdin with its CPU time so far, and exits at EOF.
func child() error {
	c, err := caseFor(*payload, !*useTLS)
	if err != nil {
		return err
	}
	var h http.Handler
	for _, v := range c.Variants {
		if v.Name == *variant {
			h = v.Handler
		}
	}
	if h == nil && *variant != "fiber" {
		return fmt.Errorf("no variant %q", *variant)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if *useTLS {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			return err
		}
		// HTTP/1.1 only, as the load generator speaks it.
		ln = tls.NewListener(ln, &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}})
	}
	if h != nil {
		srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second, ErrorLog: log.New(io.Discard, "", 0)}
		go srv.Serve(ln)
	} else {
		// fiber serves fasthttp, not net/http, on the same listener.
		go c.Fiber().Listener(ln)
	}
	fmt.Printf("ADDR %s\n", ln.Addr())
	sc := bufio.NewScanner(os.Stdin)
	for sc.Scan() {
		if sc.Text() == "cpu" {
			fmt.Printf("CPU %d\n", cpuTime())
		}
	}
	return nil
}

// cpuTime is the user and system time of this process, in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

type server struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Scanner
	url string
}

func (s *server) cpu() (time.Duration, error) {
	if _, err := io.WriteString(s.in, "cpu\n"); err != nil {
		return 0, err
	}
	if !s.out.Scan() {
		return 0, errors.New("the server stopped")
	}
	v, ok := strings.CutPrefix(s.out.Text(), "CPU ")
	if !ok {
		return 0, fmt.Errorf("the server said %q", s.out.Text())
	}
	ns, err := strconv.ParseInt(v, 10, 64)
	return time.Duration(ns), err
}

func (s *server) stop() {
	s.in.Close()
	done := make(chan struct{})
	go func() { s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		s.cmd.Process.Kill()
		<-done
	}
}

func startServer(variant string, tlsMode bool, cert, key string) (*server, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	args := []string{"-serve", "-variant", variant, "-payload", *payload, "-tls=" + strconv.FormatBool(tlsMode), "-cert", cert, "-key", key}
	var cmd *exec.Cmd
	if pinned() {
		cmd = exec.Command("taskset", append([]string{"-c", "0", self}, args...)...)
	} else {
		cmd = exec.Command(self, args...)
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &server{cmd: cmd, in: in, out: bufio.NewScanner(out)}
	if !s.out.Scan() {
		s.stop()
		return nil, fmt.Errorf("%s did not start", variant)
	}
	addr, ok := strings.CutPrefix(s.out.Text(), "ADDR ")
	if !ok {
		s.stop()
		return nil, fmt.Errorf("%s said %q", variant, s.out.Text())
	}
	scheme := "http"
	if tlsMode {
		scheme = "https"
	}
	s.url = scheme + "://" + addr + benchmarks.Path
	return s, nil
}

type measure struct {
	rps float64
	cpu time.Duration // server CPU per request
}

func parent() error {
	if canPin() && os.Getenv(pinnedEnv) == "" {
		// Run the load generator itself on core 1.
		self, err := os.Executable()
		if err != nil {
			return err
		}
		cmd := exec.Command("taskset", append([]string{"-c", "1", self}, os.Args[1:]...)...)
		cmd.Env = append(os.Environ(), pinnedEnv+"=1", coresEnv+"="+strconv.Itoa(runtime.NumCPU()))
		cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
		return cmd.Run()
	}
	c, err := caseFor(*payload, true)
	if err != nil {
		return err
	}
	names := []string{"limit"}
	for _, v := range strings.Split(*variants, ",") {
		if v = strings.TrimSpace(v); v != "" && v != "limit" {
			names = append(names, v)
		}
	}
	dir, err := os.MkdirTemp("", "loadgen")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	cert, key, pool, err := makeCert(dir)
	if err != nil {
		return err
	}
	pinning := "not pinned"
	if pinned() {
		pinning = "server pinned to core 0, load generator to core 1 (taskset)"
	}
	cores := runtime.NumCPU()
	if v, err := strconv.Atoi(os.Getenv(coresEnv)); err == nil {
		cores = v
	}
	// The configuration, as lines of "key: value" that benchstat and
	// cmd/overheadtable read.
	fmt.Printf("e2e-cores: %d\ne2e-pinning: %s\ne2e-go: %s\ne2e-requests: %d\ne2e-warmup: %d\ne2e-connections: %d\ne2e-rounds: %d\n",
		cores, pinning, runtime.Version(), *n, *warmup, *conc, *rounds)
	for _, mode := range strings.Split(*modes, ",") {
		mode = strings.TrimSpace(mode)
		if mode != "plain" && mode != "tls" {
			return fmt.Errorf("unknown mode %q", mode)
		}
		// Rounds go through every variant in turn, so that what else runs
		// on the machine falls on all of them alike.
		for round := range *rounds {
			for _, name := range names {
				m, err := run(name, mode == "tls", c.Request, cert, key, pool)
				if err != nil {
					return fmt.Errorf("%s/%s: %w", mode, name, err)
				}
				log.Printf("%s round %d %s: %.0f req/s, %.1f µs server CPU per request", mode, round+1, name, m.rps, float64(m.cpu)/1e3)
				fmt.Printf("BenchmarkEndToEnd/%s/%s/%s %d %.0f req/s %d server-cpu-ns/op\n", mode, name, *payload, *n, m.rps, m.cpu.Nanoseconds())
			}
		}
	}
	return nil
}

func run(name string, tlsMode bool, body []byte, cert, key string, pool *x509.CertPool) (measure, error) {
	s, err := startServer(name, tlsMode, cert, key)
	if err != nil {
		return measure{}, err
	}
	defer s.stop()
	tr := &http.Transport{
		MaxIdleConns:        *conc,
		MaxIdleConnsPerHost: *conc,
		MaxConnsPerHost:     *conc,
		IdleConnTimeout:     time.Minute,
		TLSClientConfig:     &tls.Config{RootCAs: pool, ServerName: "127.0.0.1"},
		TLSNextProto:        map[string]func(string, *tls.Conn) http.RoundTripper{},
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	if err := load(ctx, client, s.url, body, *warmup); err != nil {
		return measure{}, err
	}
	before, err := s.cpu()
	if err != nil {
		return measure{}, err
	}
	start := time.Now()
	if err := load(ctx, client, s.url, body, *n); err != nil {
		return measure{}, err
	}
	elapsed := time.Since(start)
	after, err := s.cpu()
	if err != nil {
		return measure{}, err
	}
	return measure{rps: float64(*n) / elapsed.Seconds(), cpu: (after - before) / time.Duration(*n)}, nil
}

// load sends total requests, conc at a time, and checks every answer.
func load(ctx context.Context, client *http.Client, url string, body []byte, total int) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, *conc)
	for range *conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 512<<10)
			for next.Add(1) <= int64(total) {
				if err := ctx.Err(); err != nil {
					errs <- err
					return
				}
				req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
				if err != nil {
					errs <- err
					return
				}
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-Proto", "https") // believed from loopback in plain mode only
				resp, err := client.Do(req)
				if err != nil {
					errs <- err
					return
				}
				b := bytes.NewBuffer(buf[:0])
				_, err = b.ReadFrom(resp.Body)
				resp.Body.Close()
				if err != nil {
					errs <- err
					return
				}
				if resp.StatusCode != http.StatusOK || !bytes.Contains(b.Bytes()[:min(b.Len(), 64)], []byte(`"status":"success"`)) && !bytes.HasPrefix(b.Bytes(), []byte(`{"message_id"`)) && !bytes.HasPrefix(b.Bytes(), []byte(`{"id"`)) && !bytes.HasPrefix(b.Bytes(), []byte(`[{"id"`)) {
					errs <- fmt.Errorf("answer %d: %.120s", resp.StatusCode, b.Bytes())
					return
				}
				buf = b.Bytes()[:0]
			}
		}()
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// makeCert writes a self-signed certificate for 127.0.0.1 into dir.
func makeCert(dir string) (certFile, keyFile string, pool *x509.CertPool, err error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", "", nil, err
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "loadgen"},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return "", "", nil, err
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		return "", "", nil, err
	}
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return "", "", nil, err
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder}), 0o600); err != nil {
		return "", "", nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return "", "", nil, err
	}
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	return certFile, keyFile, pool, nil
}

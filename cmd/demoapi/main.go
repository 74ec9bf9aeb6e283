package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/apienvelope/apienvelope/cmd/demoapi/demo"
	"github.com/apienvelope/apienvelope/middleware"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Stdout)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return
	case err != nil:
		fmt.Fprintln(os.Stderr, "demoapi:", err)
		stop()
		os.Exit(1)
	}
}

// shutdownTimeout bounds the graceful shutdown: requests still running
// then are cut off.
const shutdownTimeout = 10 * time.Second

// run is the demo: it parses args, listens, prints how to call it, and
// serves until ctx is done, then shuts down gracefully. Everything it says
// goes to stdout, the log included.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	out := &syncWriter{w: stdout} // the log and run's own lines come from several goroutines
	fs := flag.NewFlagSet("demoapi", flag.ContinueOnError)
	fs.SetOutput(out)
	addr := fs.String("addr", "localhost:8443", "HTTPS listen `address`")
	httpAddr := fs.String("http-addr", "localhost:8080", "plain-HTTP listen `address`; it redirects to HTTPS (308); empty disables it")
	certFile := fs.String("cert", "", "TLS certificate PEM `file` (with -key); default: a self-signed certificate made at start")
	keyFile := fs.String("key", "", "TLS private key PEM `file` (with -cert)")
	apiKey := fs.String("api-key", "", "the `key` clients send as X-Server-API-Key; default: a random key, printed at start")
	trusted := fs.String("trusted-proxies", "", "comma-separated `CIDRs` of proxies believed when they say, with X-Forwarded-Proto or Forwarded, that a plain-HTTP request came to them over HTTPS")
	maintenance := fs.Bool("maintenance", false, "start in maintenance mode: every request gets 503 service-unavailable")
	dev := fs.Bool("dev", false, "development mode: panic messages and stacks in 500 answers, and the debug/panic action")
	debug := fs.Bool("debug", false, "serve the debug actions also without -dev: debug/panic, for probes that check what a 500 shows in production mode, and debug/memory, the heap in use, for the attack run")
	readTimeout := fs.Duration("read-timeout", 30*time.Second, "the longest a request may take to arrive, body included; its answer may take 30s more")
	maxConns := fs.Int("max-conns", 8000, "the most connections each listener keeps open at once; more get 503 service-unavailable (keep twice this below ulimit -n)")
	maxConnsPerClient := fs.Int("max-conns-per-client", 256, "the most connections each listener keeps open at once from one client address (an IPv6 /64)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: demoapi [flags]\n\nServes a Postal-compatible mail-sending API (send/message, send/raw,\nmessages/message, messages/deliveries, messages/list) from memory.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q; see -h", fs.Args())
	}
	proxies, err := parseCIDRs(*trusted)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(out, nil))

	cert, certPath, err := loadCertificate(*certFile, *keyFile)
	if err != nil {
		return err
	}
	if certPath != "" {
		defer os.Remove(certPath)
	}
	key := *apiKey
	if key == "" {
		key = demo.RandomToken(24)
	}

	// Listen before building the handler: the redirect needs the HTTPS
	// port, which the system picks when -addr ends in :0.
	tlsLn, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	defer tlsLn.Close()
	httpsPort := tlsLn.Addr().(*net.TCPAddr).Port
	var plainLn net.Listener
	if *httpAddr != "" {
		if plainLn, err = net.Listen("tcp", *httpAddr); err != nil {
			return err
		}
		defer plainLn.Close()
	}

	api := demo.New(demo.Config{
		APIKey:         key,
		HTTPSPort:      httpsPort,
		TrustedProxies: proxies,
		Maintenance:    *maintenance,
		Dev:            *dev,
		Debug:          *debug,
		Logger:         logger,
	})
	limits := middleware.ServerOptions{
		ReadTimeout:       *readTimeout,
		MaxConns:          *maxConns,
		MaxConnsPerClient: *maxConnsPerClient,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	tlsSrv := middleware.NewServer(api, limits)
	tlsSrv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	servers := []*http.Server{tlsSrv}
	errc := make(chan error, 2)
	go func() { errc <- tlsSrv.ServeTLS(tlsLn, "", "") }()
	if plainLn != nil {
		plainSrv := middleware.NewServer(api, limits)
		servers = append(servers, plainSrv)
		go func() { errc <- plainSrv.Serve(plainLn) }()
	}

	onToggleSignal(ctx, func() {
		on := !api.Maintenance()
		api.SetMaintenance(on)
		logger.Info("maintenance mode", "on", on)
	})
	printBanner(out, bannerInfo{
		httpsURL:    "https://" + displayHost(*addr, tlsLn.Addr()),
		plainURL:    plainURL(*httpAddr, plainLn),
		apiKey:      key,
		certPath:    certPath,
		ownCert:     *certFile != "",
		maintenance: *maintenance,
		dev:         *dev,
		debug:       *debug,
	})

	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	logger.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	for _, s := range servers {
		if err := s.Shutdown(shutdownCtx); err != nil && serveErr == nil {
			serveErr = err
		}
	}
	if errors.Is(serveErr, http.ErrServerClosed) {
		serveErr = nil
	}
	return serveErr
}

// loadCertificate loads -cert and -key, or makes a self-signed certificate
// and writes it to a temporary file, whose path it returns, for clients to
// trust.
func loadCertificate(certFile, keyFile string) (tls.Certificate, string, error) {
	if certFile != "" || keyFile != "" {
		if certFile == "" || keyFile == "" {
			return tls.Certificate{}, "", errors.New("-cert and -key must be given together")
		}
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		return cert, "", err
	}
	certPEM, keyPEM, err := demo.SelfSignedPEM()
	if err != nil {
		return tls.Certificate{}, "", err
	}
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		return tls.Certificate{}, "", err
	}
	// Only the certificate is written, never the key: clients need nothing
	// else to trust it.
	f, err := os.CreateTemp("", "demoapi-*.pem")
	if err != nil {
		return cert, "", nil // clients can still use curl -k
	}
	_, werr := f.Write(certPEM)
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(f.Name())
		return cert, "", nil
	}
	return cert, f.Name(), nil
}

// parseCIDRs parses -trusted-proxies. A bare address counts as a /32 or
// /128, which is what people mean by it.
func parseCIDRs(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if !strings.Contains(part, "/") {
			a, err := netip.ParseAddr(part)
			if err != nil {
				return nil, fmt.Errorf("-trusted-proxies: %q is not a CIDR or an address", part)
			}
			out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(part)
		if err != nil {
			return nil, fmt.Errorf("-trusted-proxies: %q is not a CIDR", part)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// displayHost is the host:port to tell people: the host they asked for,
// unless it was empty or a wildcard, and the port actually bound.
func displayHost(flagAddr string, bound net.Addr) string {
	host, _, _ := net.SplitHostPort(flagAddr)
	_, port, _ := net.SplitHostPort(bound.String())
	if ip, err := netip.ParseAddr(host); host == "" || (err == nil && ip.IsUnspecified()) {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}

func plainURL(flagAddr string, ln net.Listener) string {
	if ln == nil {
		return ""
	}
	return "http://" + displayHost(flagAddr, ln.Addr())
}

type bannerInfo struct {
	httpsURL, plainURL, apiKey, certPath string
	ownCert, maintenance, dev, debug     bool
}

// printBanner tells how to call the demo, with a curl line to paste.
func printBanner(w io.Writer, b bannerInfo) {
	fmt.Fprintf(w, "demoapi: a Postal-compatible mail API, in memory\n")
	fmt.Fprintf(w, "  HTTPS:   %s/api/v1/<controller>/<action>\n", b.httpsURL)
	fmt.Fprintf(w, "  Docs:    %s/api/docs/v1/ (a browser), %s/api/docs/v1/openapi.json\n", b.httpsURL, b.httpsURL)
	if b.plainURL != "" {
		fmt.Fprintf(w, "  HTTP:    %s (redirects to HTTPS)\n", b.plainURL)
	}
	fmt.Fprintf(w, "  API key: %s (send it as X-Server-API-Key)\n", b.apiKey)
	trust := "--cacert <your CA file>"
	switch {
	case b.certPath != "":
		fmt.Fprintf(w, "  TLS:     self-signed certificate for localhost, written to %s\n", b.certPath)
		trust = "--cacert " + b.certPath
	case !b.ownCert:
		fmt.Fprintf(w, "  TLS:     self-signed certificate for localhost (use curl -k)\n")
		trust = "-k"
	}
	if b.maintenance {
		fmt.Fprintf(w, "  Maintenance mode is on: every request gets 503.\n")
	}
	switch {
	case b.dev:
		fmt.Fprintf(w, "  Development mode: 500 answers show panics and stacks; debug/panic and debug/memory exist.\n")
	case b.debug:
		fmt.Fprintf(w, "  debug/panic and debug/memory exist; 500 answers show nothing of the panic (production mode).\n")
	}
	fmt.Fprintf(w, "  "+toggleSignalHint+"\n", os.Getpid())
	fmt.Fprintf(w, "Try:\n  curl %s -H 'X-Server-API-Key: %s' -H 'Content-Type: application/json' \\\n", trust, b.apiKey)
	fmt.Fprintf(w, "    -d '{\"to\":[\"ann@example.com\"],\"from\":\"demo@example.com\",\"subject\":\"Hi\",\"plain_body\":\"Hello\"}' \\\n")
	fmt.Fprintf(w, "    %s/api/v1/send/message\n", b.httpsURL)
}

// syncWriter serialises writes from the log and from run.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

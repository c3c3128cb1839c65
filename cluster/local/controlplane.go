// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"k8s.io/client-go/rest"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// DefaultStartTimeout bounds the start of each component.
const DefaultStartTimeout = 2 * time.Minute

// Options configure a control plane.
type Options struct {
	// ControllerManager also starts kube-controller-manager with the
	// garbage collector and namespace controllers, so that owned objects
	// are collected and namespaces can be deleted.
	ControllerManager bool

	// Controllers are further kube-controller-manager controllers, e.g.
	// deployment-controller for Crossplane's Deployment package runtime.
	Controllers []string

	// Dir holds data, certificates, the kubeconfig and the process logs.
	// Empty means a new temporary directory that Stop removes.
	Dir string

	// Tools are the binaries. A zero value means FindTools.
	Tools Tools

	// Progress receives one line per step and the output of a tools build.
	// Nil means os.Stderr; use io.Discard for silence.
	Progress io.Writer

	// StartTimeout bounds the start of each component. Zero means
	// DefaultStartTimeout.
	StartTimeout time.Duration
}

// A ControlPlane is etcd, kube-apiserver and optionally
// kube-controller-manager, serving on loopback ports.
type ControlPlane struct {
	// Dir holds data, certificates, the kubeconfig and logs/.
	Dir string
	// Kubeconfig is the path of an admin kubeconfig (bearer token in
	// system:masters, server certificate verified against its CA).
	Kubeconfig string
	// Config is the same admin access for Go clients.
	Config *rest.Config

	// EtcdURL, APIServerURL and ControllerManagerURL are where the
	// components serve; ControllerManagerURL is empty without one.
	EtcdURL              string
	APIServerURL         string
	ControllerManagerURL string

	// Etcd, APIServer and ControllerManager are the processes;
	// ControllerManager is nil without one.
	Etcd              *Process
	APIServer         *Process
	ControllerManager *Process

	// Tools are the binaries the control plane runs.
	Tools Tools

	pki       pki
	progress  io.Writer
	timeout   time.Duration
	removeDir bool

	// controllers are the further kube-controller-manager controllers.
	controllers []string

	stopOnce sync.Once
	stopErr  error
}

// pki is the key material of a control plane.
type pki struct {
	caPEM       []byte
	servingCert string
	servingKey  string
	saKey       string
	saPub       string
	tokenFile   string
	token       string
}

// Start starts a control plane: etcd, then kube-apiserver, then, if asked,
// kube-controller-manager, each on free loopback ports and each waited for
// until ready. On error it stops whatever it started.
func Start(ctx context.Context, o Options) (*ControlPlane, error) {
	c := &ControlPlane{Dir: o.Dir, Tools: o.Tools, controllers: o.Controllers, progress: o.Progress, timeout: o.StartTimeout}
	if c.progress == nil {
		c.progress = os.Stderr
	}
	if c.timeout == 0 {
		c.timeout = DefaultStartTimeout
	}
	if c.Tools.BinDir == "" {
		t, err := FindTools(ctx, c.progress, ToolsKube)
		if err != nil {
			return nil, err
		}
		c.Tools = t
	} else if err := c.Tools.check(ToolsKube); err != nil {
		return nil, err
	}

	if c.Dir == "" {
		d, err := MkdirTemp("cp-")
		if err != nil {
			return nil, errors.Wrap(err, "cannot create control plane directory")
		}
		c.Dir, c.removeDir = d, true
	}

	if err := c.start(ctx, o.ControllerManager); err != nil {
		if serr := c.Stop(); serr != nil {
			return nil, errors.Join(err, serr)
		}
		return nil, err
	}
	register(c)
	return c, nil
}

func (c *ControlPlane) start(ctx context.Context, withControllerManager bool) error {
	begin := time.Now()
	if err := c.writePKI(); err != nil {
		return err
	}
	if err := c.startEtcd(ctx); err != nil {
		return err
	}
	if err := c.startAPIServer(ctx); err != nil {
		return err
	}
	if withControllerManager {
		if err := c.startControllerManager(ctx); err != nil {
			return err
		}
	}
	c.logf("control plane ready in %s: KUBECONFIG=%s", since(begin), c.Kubeconfig)
	return nil
}

func (c *ControlPlane) logf(format string, args ...any) {
	fmt.Fprintf(c.progress, format+"\n", args...) //nolint:errcheck // progress is best effort
}

func (c *ControlPlane) logDir() string { return filepath.Join(c.Dir, "logs") }

func (c *ControlPlane) writePKI() error {
	dir := filepath.Join(c.Dir, "pki")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return errors.Wrap(err, "cannot create pki directory")
	}
	ca, err := NewCA("egresskit-local-ca")
	if err != nil {
		return err
	}
	serving, err := ca.Issue(CertOptions{
		CommonName:  "kube-apiserver",
		DNSNames:    []string{"localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1), net.IPv4(10, 0, 0, 1)},
		Usages:      []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	})
	if err != nil {
		return err
	}
	saKey, saPub, err := newSigningKey()
	if err != nil {
		return err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return errors.Wrap(err, "cannot generate admin token")
	}
	token := hex.EncodeToString(raw)

	c.pki = pki{
		caPEM:       ca.CertPEM,
		servingCert: filepath.Join(dir, "serving.crt"),
		servingKey:  filepath.Join(dir, "serving.key"),
		saKey:       filepath.Join(dir, "sa.key"),
		saPub:       filepath.Join(dir, "sa.pub"),
		tokenFile:   filepath.Join(dir, "tokens.csv"),
		token:       token,
	}
	files := map[string][]byte{
		filepath.Join(dir, "ca.crt"): ca.CertPEM,
		c.pki.servingCert:            serving.CertPEM,
		c.pki.servingKey:             serving.KeyPEM,
		c.pki.saKey:                  saKey,
		c.pki.saPub:                  saPub,
		// token,user,uid,"groups"
		c.pki.tokenFile: fmt.Appendf(nil, "%s,egresskit-admin,egresskit-admin,\"system:masters\"\n", token),
	}
	for path, data := range files {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			return errors.Wrapf(err, "cannot write %s", filepath.Base(path))
		}
	}
	return nil
}

func (c *ControlPlane) startEtcd(ctx context.Context) error {
	begin := time.Now()
	c.logf("starting etcd...")
	p, ports, err := startWithPorts(ctx, c.timeout, c.logf, 2, func(ports []int) (ProcessOptions, Probe) {
		client := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
		peer := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
		return ProcessOptions{
			Name: BinEtcd,
			Path: c.Tools.Path(BinEtcd),
			Args: []string{
				"--name=default",
				"--data-dir=" + filepath.Join(c.Dir, "etcd"),
				"--listen-client-urls=" + client,
				"--advertise-client-urls=" + client,
				"--listen-peer-urls=" + peer,
				"--initial-advertise-peer-urls=" + peer,
				"--initial-cluster=default=" + peer,
				"--unsafe-no-fsync",
			},
			LogDir: c.logDir(),
		}, HTTPProbe(nil, client+"/health")
	})
	if err != nil {
		return errors.Wrap(err, "cannot start etcd")
	}
	c.Etcd, c.EtcdURL = p, fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	c.logf("etcd ready in %s at %s", since(begin), c.EtcdURL)
	return nil
}

func (c *ControlPlane) startAPIServer(ctx context.Context) error {
	begin := time.Now()
	c.logf("starting kube-apiserver...")
	var cfg *rest.Config
	p, ports, err := startWithPorts(ctx, c.timeout, c.logf, 1, func(ports []int) (ProcessOptions, Probe) {
		url := fmt.Sprintf("https://127.0.0.1:%d", ports[0])
		cfg = c.restConfig(url)
		return ProcessOptions{
			Name: BinKubeAPIServer,
			Path: c.Tools.Path(BinKubeAPIServer),
			Args: []string{
				"--etcd-servers=" + c.EtcdURL,
				"--bind-address=127.0.0.1",
				"--advertise-address=127.0.0.1",
				fmt.Sprintf("--secure-port=%d", ports[0]),
				"--cert-dir=" + filepath.Join(c.Dir, "apiserver"),
				"--tls-cert-file=" + c.pki.servingCert,
				"--tls-private-key-file=" + c.pki.servingKey,
				"--service-cluster-ip-range=10.0.0.0/24",
				"--service-account-issuer=https://kubernetes.default.svc",
				"--service-account-key-file=" + c.pki.saPub,
				"--service-account-signing-key-file=" + c.pki.saKey,
				"--token-auth-file=" + c.pki.tokenFile,
				"--authorization-mode=RBAC",
				// No kubelet serves the kubernetes Service, and a loopback
				// address is no valid endpoint anyway.
				"--endpoint-reconciler-type=none",
			},
			LogDir: c.logDir(),
		}, apiServerProbe(cfg)
	})
	if err != nil {
		return errors.Wrap(err, "cannot start kube-apiserver")
	}
	c.APIServer, c.APIServerURL = p, fmt.Sprintf("https://127.0.0.1:%d", ports[0])
	c.Config = cfg
	c.Kubeconfig = filepath.Join(c.Dir, "kubeconfig")
	if err := writeKubeconfig(c.Kubeconfig, c.APIServerURL, c.pki.caPEM, c.pki.token); err != nil {
		return err
	}
	c.logf("kube-apiserver ready in %s at %s", since(begin), c.APIServerURL)
	return nil
}

func apiServerProbe(cfg *rest.Config) Probe {
	hc, err := rest.HTTPClientFor(cfg)
	if err != nil {
		return func(context.Context) error { return errors.Wrap(err, "cannot build API server client") }
	}
	return HTTPProbe(hc, cfg.Host+"/readyz")
}

func (c *ControlPlane) startControllerManager(ctx context.Context) error {
	begin := time.Now()
	c.logf("starting kube-controller-manager (garbage collector, namespace)...")
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(c.pki.caPEM)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}}
	p, ports, err := startWithPorts(ctx, c.timeout, c.logf, 1, func(ports []int) (ProcessOptions, Probe) {
		return ProcessOptions{
			Name: BinControllerManager,
			Path: c.Tools.Path(BinControllerManager),
			Args: []string{
				"--kubeconfig=" + c.Kubeconfig,
				"--controllers=" + strings.Join(append([]string{"garbagecollector", "namespace"}, c.controllers...), ","),
				"--leader-elect=false",
				"--bind-address=127.0.0.1",
				fmt.Sprintf("--secure-port=%d", ports[0]),
				"--cert-dir=" + filepath.Join(c.Dir, "controller-manager"),
				"--tls-cert-file=" + c.pki.servingCert,
				"--tls-private-key-file=" + c.pki.servingKey,
			},
			LogDir: c.logDir(),
		}, HTTPProbe(hc, fmt.Sprintf("https://127.0.0.1:%d/healthz", ports[0]))
	})
	if err != nil {
		return errors.Wrap(err, "cannot start kube-controller-manager")
	}
	c.ControllerManager, c.ControllerManagerURL = p, fmt.Sprintf("https://127.0.0.1:%d", ports[0])
	c.logf("kube-controller-manager ready in %s at %s", since(begin), c.ControllerManagerURL)
	return nil
}

// startWithPorts starts a process on n fresh ports and waits until its probe
// passes. When the process dies because another one took a port in the
// meantime, it tries again with new ports.
func startWithPorts(ctx context.Context, timeout time.Duration, logf func(string, ...any), n int, build func(ports []int) (ProcessOptions, Probe)) (*Process, []int, error) {
	const attempts = 3
	for attempt := 1; ; attempt++ {
		ports, err := FreePorts(n)
		if err != nil {
			return nil, nil, err
		}
		o, probe := build(ports)
		p, err := StartProcess(o)
		if err != nil {
			return nil, nil, err
		}
		err = p.WaitReady(ctx, timeout, probe)
		if err == nil {
			return p, ports, nil
		}
		_ = p.Kill()
		if attempt < attempts && strings.Contains(p.Tail(tailLines), "address already in use") {
			logf("%s: a port was taken, retrying with new ports", o.Name)
			continue
		}
		return nil, nil, err
	}
}

func (c *ControlPlane) restConfig(host string) *rest.Config {
	return &rest.Config{
		Host:            host,
		BearerToken:     c.pki.token,
		TLSClientConfig: rest.TLSClientConfig{CAData: c.pki.caPEM},
		QPS:             100,
		Burst:           200,
	}
}

// Processes returns the running components, oldest first.
func (c *ControlPlane) Processes() []*Process {
	var ps []*Process
	for _, p := range []*Process{c.Etcd, c.APIServer, c.ControllerManager} {
		if p != nil {
			ps = append(ps, p)
		}
	}
	return ps
}

// Logs returns the last n lines of each component's log, for failure
// reports.
func (c *ControlPlane) Logs(n int) string {
	var b strings.Builder
	for _, p := range c.Processes() {
		fmt.Fprintf(&b, "--- %s (%s):\n%s\n", p.Name(), p.LogPath(), p.Tail(n))
	}
	return b.String()
}

// Stop stops the components, newest first, and removes Dir if Start created
// it. It is safe to call more than once and from several goroutines; later
// calls wait for the first and return its result.
func (c *ControlPlane) Stop() error {
	c.stopOnce.Do(func() {
		ps := c.Processes()
		var errs []error
		for _, p := range slices.Backward(ps) {
			errs = append(errs, p.Stop())
		}
		if c.removeDir {
			errs = append(errs, os.RemoveAll(c.Dir))
		}
		c.stopErr = errors.Join(errs...)
		unregister(c)
	})
	return c.stopErr
}

func since(t time.Time) time.Duration {
	return time.Since(t).Round(10 * time.Millisecond)
}

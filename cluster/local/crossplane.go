// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"

	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// DefaultCrossplaneNamespace is the namespace Crossplane core uses.
const DefaultCrossplaneNamespace = "crossplane-system"

// CrossplaneOptions configure Crossplane core.
type CrossplaneOptions struct {
	// Namespace is Crossplane's own namespace; it is created if missing.
	// Empty means DefaultCrossplaneNamespace.
	Namespace string

	// Tools are the binaries. A zero value means FindTools.
	Tools Tools

	// Progress receives one line per step. Nil means the control plane's.
	Progress io.Writer

	// StartTimeout bounds `core init` and the start of `core start`. Zero
	// means DefaultStartTimeout.
	StartTimeout time.Duration

	// PackageRuntime is core's --package-runtime, e.g.
	// "Provider=Deployment;Function=External". Empty means External.
	PackageRuntime string

	// Args are added to `crossplane core start`, e.g. --debug or
	// --poll-interval=10s.
	Args []string
}

// Crossplane is Crossplane core running as a process against a control
// plane, with webhooks off and the External package runtime, so that
// functions and providers run as local processes too.
type Crossplane struct {
	// Namespace is Crossplane's own namespace.
	Namespace string
	// Dir holds the TLS material, the package cache and the logs.
	Dir string
	// FunctionTLS is the mTLS material core uses to call functions; start
	// functions with FunctionTLS.ServerDir.
	FunctionTLS FunctionTLS
	// CRDs are the names of Crossplane's CRDs, all Established.
	CRDs []string
	// HealthURL is core's health endpoint; MetricsURL its metrics.
	HealthURL  string
	MetricsURL string
	// Process is `crossplane core start`.
	Process *Process

	stopOnce sync.Once
	stopErr  error
}

// StartCrossplane installs Crossplane's CRDs with `crossplane core init`,
// retried until it completes, starts `crossplane core start` and waits until
// it is healthy and its CRDs are Established. Its files go under
// cp.Dir/crossplane.
func StartCrossplane(ctx context.Context, cp *ControlPlane, o CrossplaneOptions) (*Crossplane, error) {
	if o.Namespace == "" {
		o.Namespace = DefaultCrossplaneNamespace
	}
	if o.Progress == nil {
		o.Progress = cp.progress
	}
	if o.StartTimeout == 0 {
		o.StartTimeout = DefaultStartTimeout
	}
	if o.PackageRuntime == "" {
		o.PackageRuntime = "External"
	}
	if o.Tools.BinDir == "" {
		t, err := FindTools(ctx, o.Progress, ToolsCrossplane)
		if err != nil {
			return nil, err
		}
		o.Tools = t
	} else if err := o.Tools.check(ToolsCrossplane); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(o.Progress, format+"\n", args...) //nolint:errcheck // progress is best effort
	}

	begin := time.Now()
	x := &Crossplane{Namespace: o.Namespace, Dir: filepath.Join(cp.Dir, "crossplane")}
	tls, err := WriteFunctionTLS(filepath.Join(x.Dir, "tls"))
	if err != nil {
		return nil, err
	}
	x.FunctionTLS = tls
	if x.CRDs, err = CRDNames(o.Tools.CrossplaneCRDs); err != nil {
		return nil, err
	}

	cl, err := cp.Client()
	if err != nil {
		return nil, err
	}
	ns := &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: o.Namespace}}
	if err := cl.Create(ctx, ns); err != nil && !kerrors.IsAlreadyExists(err) {
		return nil, errors.Wrapf(err, "cannot create namespace %s", o.Namespace)
	}

	env := []string{
		"KUBECONFIG=" + cp.Kubeconfig,
		"POD_NAMESPACE=" + o.Namespace,
		"ENABLE_WEBHOOKS=false",
	}
	logDir := filepath.Join(x.Dir, "logs")

	logf("installing Crossplane CRDs (crossplane core init)...")
	if err := coreInit(ctx, o, env, logDir, logf); err != nil {
		return nil, err
	}

	logf("starting Crossplane core...")
	xpkg := filepath.Join(x.Dir, "xpkg")
	if err := os.MkdirAll(xpkg, 0o750); err != nil {
		return nil, errors.Wrap(err, "cannot create package cache directory")
	}
	p, ports, err := startWithPorts(ctx, o.StartTimeout, logf, 2, func(ports []int) (ProcessOptions, Probe) {
		return ProcessOptions{
			Name: BinCrossplane,
			Path: o.Tools.Path(BinCrossplane),
			Args: append([]string{
				"core", "start",
				"--enable-webhooks=false",
				"--package-runtime=" + o.PackageRuntime,
				"--tls-client-certs-dir=" + tls.ClientDir,
				"--xpkg-cache-dir=" + xpkg,
				fmt.Sprintf("--metrics-port=%d", ports[0]),
				fmt.Sprintf("--health-probe-port=%d", ports[1]),
			}, o.Args...),
			Env:    env,
			LogDir: logDir,
		}, HTTPProbe(nil, fmt.Sprintf("http://127.0.0.1:%d/healthz", ports[1]))
	})
	if err != nil {
		return nil, errors.Wrap(err, "cannot start Crossplane core")
	}
	x.Process = p
	x.MetricsURL = fmt.Sprintf("http://127.0.0.1:%d/metrics", ports[0])
	x.HealthURL = fmt.Sprintf("http://127.0.0.1:%d/healthz", ports[1])
	register(x)

	if err := WaitForCRDs(ctx, cl, o.StartTimeout, x.CRDs...); err != nil {
		return nil, errors.Join(errors.Wrap(err, "cannot start Crossplane core"), x.Stop())
	}
	logf("Crossplane core ready in %s (%d CRDs Established)", since(begin), len(x.CRDs))
	return x, nil
}

// coreInit runs `crossplane core init` until it succeeds. Its first run may
// fail while the CRDs it has just applied are not yet served; in a cluster
// the kubelet would restart it.
func coreInit(ctx context.Context, o CrossplaneOptions, env []string, logDir string, logf func(string, ...any)) error {
	// core init walks CRDS_PATH without following a symlink at its root,
	// and .cache/tools/crossplane-crds is one.
	crds, err := filepath.EvalSymlinks(o.Tools.CrossplaneCRDs)
	if err != nil {
		return errors.Wrap(err, "cannot resolve Crossplane CRD directory")
	}
	env = append(env,
		"CRDS_PATH="+crds,
		"TLS_CA_SECRET_NAME=crossplane-root-ca",
		"TLS_CLIENT_SECRET_NAME=crossplane-tls-client",
	)
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()
	for attempt := 1; ; attempt++ {
		p, err := StartProcess(ProcessOptions{
			Name:   "crossplane-init",
			Path:   o.Tools.Path(BinCrossplane),
			Args:   []string{"core", "init"},
			Env:    env,
			LogDir: logDir,
		})
		if err != nil {
			return err
		}
		select {
		case <-p.Done():
		case <-ctx.Done():
			_ = p.Kill()
			return errors.Errorf("cannot install Crossplane CRDs: crossplane core init did not complete in %s; last lines of %s:\n%s",
				o.StartTimeout, p.LogPath(), p.Tail(tailLines))
		}
		if p.Wait() == nil {
			return nil
		}
		logf("crossplane core init attempt %d failed (%v): %s; retrying", attempt, p.Wait(), p.Tail(1))
		select {
		case <-ctx.Done():
			return errors.Wrap(p.exitError(), "cannot install Crossplane CRDs")
		case <-time.After(time.Second):
		}
	}
}

// Healthy returns nil when core answers its health probe.
func (x *Crossplane) Healthy(ctx context.Context) error {
	if !x.Process.Running() {
		return x.Process.exitError()
	}
	return HTTPProbe(nil, x.HealthURL)(ctx)
}

// Stop stops Crossplane core. It is safe to call more than once.
func (x *Crossplane) Stop() error {
	x.stopOnce.Do(func() {
		x.stopErr = x.Process.Stop()
		unregister(x)
	})
	return x.stopErr
}

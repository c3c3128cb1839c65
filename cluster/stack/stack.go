// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// CRDDir holds the provider's CRDs, relative to the repository root.
const CRDDir = "package/provider/crds"

// DefaultSecretKey is the secret access key ec2sim checks signatures with,
// and every account's secret, unless Options say otherwise.
const DefaultSecretKey = "egresskit-local-secret-access-key"

// Options configure a stack.
type Options struct {
	// Progress receives one line per step. Nil means os.Stderr.
	Progress io.Writer

	// Binaries are the commands to run. Zero means Build them.
	Binaries Binaries

	// Durations of ec2sim's NAT gateway lifecycle.
	Durations ec2sim.Durations

	// SecretKey is the secret access key ec2sim verifies signatures with.
	// Empty means DefaultSecretKey.
	SecretKey string

	// Poll is the provider's --poll. Zero keeps the provider's default.
	Poll time.Duration

	// NATInventoryInterval is the provider's --nat-inventory-interval. Zero
	// keeps the provider's default.
	NATInventoryInterval time.Duration

	// Debug runs the provider with --debug.
	Debug bool

	// Metrics serves the provider's metrics on a free port.
	Metrics bool

	// ProviderArgs are further provider flags, e.g.
	// --nat-inventory-interval=0, which the zero NATInventoryInterval
	// cannot say.
	ProviderArgs []string

	// PodIdentity gives the provider the environment EKS Pod Identity
	// injects: ec2sim's Pod Identity endpoint and the token file
	// Stack.PodIdentityTokenFile, which a test writes.
	PodIdentity bool
}

// A Stack is a control plane with the provider's CRDs, an ec2sim and the
// provider.
type Stack struct {
	ControlPlane *local.ControlPlane
	// Client is an admin client of the control plane, without a cache.
	Client   client.Client
	Scheme   *runtime.Scheme
	EC2Sim   *EC2Sim
	Provider *Provider
	Binaries Binaries
	// SecretKey is the secret access key of every account of ec2sim.
	SecretKey string
	// Dir holds the built binaries and the logs of ec2sim and the provider.
	Dir string
	// PodIdentityTokenFile is the Pod Identity token file of the provider,
	// when Options.PodIdentity is set.
	PodIdentityTokenFile string

	progress io.Writer
}

// Start builds the binaries unless given, then starts a control plane with
// kube-controller-manager, installs the provider's CRDs, and starts ec2sim
// and the provider. On error it stops whatever it started.
func Start(ctx context.Context, o Options) (*Stack, error) {
	s := &Stack{Binaries: o.Binaries, SecretKey: o.SecretKey, progress: o.Progress}
	if s.progress == nil {
		s.progress = os.Stderr
	}
	if s.SecretKey == "" {
		s.SecretKey = DefaultSecretKey
	}
	if err := s.start(ctx, o); err != nil {
		return nil, errors.Join(err, s.Stop())
	}
	return s, nil
}

func (s *Stack) start(ctx context.Context, o Options) error {
	dir, err := local.MkdirTemp("stack-")
	if err != nil {
		return errors.Wrap(err, "cannot create stack directory")
	}
	s.Dir = dir
	if s.Binaries.Provider == "" || s.Binaries.EC2Sim == "" {
		if s.Binaries, err = Build(ctx, filepath.Join(dir, "bin"), s.progress); err != nil {
			return err
		}
	}
	if s.Scheme, err = NewScheme(); err != nil {
		return err
	}

	s.logf("starting the control plane (etcd, kube-apiserver, kube-controller-manager)...")
	if s.ControlPlane, err = local.Start(ctx, local.Options{ControllerManager: true, Progress: s.progress}); err != nil {
		return err
	}
	if s.Client, err = client.New(s.ControlPlane.Config, client.Options{Scheme: s.Scheme}); err != nil {
		return errors.Wrap(err, "cannot create API server client")
	}
	root, err := local.RepoRoot()
	if err != nil {
		return err
	}
	names, err := local.InstallCRDs(ctx, s.Client, time.Minute, filepath.Join(root, CRDDir))
	if err != nil {
		return err
	}
	s.logf("installed %d CRDs from %s", len(names), CRDDir)

	d := o.Durations
	s.logf("starting ec2sim (pending %s, deleting %s, retention %s)...", orDefault(d.Pending, ec2sim.DefaultPending), orDefault(d.Deleting, ec2sim.DefaultDeleting), orDefault(d.Retention, ec2sim.DefaultRetention))
	if s.EC2Sim, err = StartEC2Sim(ctx, EC2SimOptions{Binary: s.Binaries.EC2Sim, Durations: d, SecretKey: s.SecretKey, LogDir: s.logDir()}); err != nil {
		return err
	}
	s.logf("ec2sim serves EC2 at %s", s.EC2Sim.URL)

	s.logf("starting the provider (--poll %s, --nat-inventory-interval %s)...", orDefault(o.Poll, time.Minute), orDefault(o.NATInventoryInterval, 5*time.Second))
	if s.Provider, err = StartProvider(ctx, ProviderOptions{
		Binary:               s.Binaries.Provider,
		Kubeconfig:           s.ControlPlane.Kubeconfig,
		Poll:                 o.Poll,
		NATInventoryInterval: o.NATInventoryInterval,
		Debug:                o.Debug,
		Metrics:              o.Metrics,
		Args:                 o.ProviderArgs,
		Env:                  s.podIdentityEnv(o.PodIdentity),
		LogDir:               s.logDir(),
	}); err != nil {
		return err
	}
	s.logf("provider ready; its log is %s", s.Provider.Process().LogPath())
	return nil
}

// podIdentityEnv is the environment EKS Pod Identity gives a pod, with
// ec2sim as the agent, when on.
func (s *Stack) podIdentityEnv(on bool) []string {
	if !on {
		return nil
	}
	s.PodIdentityTokenFile = filepath.Join(s.Dir, "pod-identity-token")
	return []string{
		"AWS_CONTAINER_CREDENTIALS_FULL_URI=" + s.EC2Sim.URL + ec2sim.PathPodIdentityCredentials,
		"AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=" + s.PodIdentityTokenFile,
	}
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

func (s *Stack) logf(format string, args ...any) {
	fmt.Fprintf(s.progress, format+"\n", args...) //nolint:errcheck // progress is best effort
}

func (s *Stack) logDir() string { return filepath.Join(s.Dir, "logs") }

// Stop stops the provider, ec2sim and the control plane, and removes Dir.
func (s *Stack) Stop() error {
	var errs []error
	if s.Provider != nil {
		errs = append(errs, s.Provider.Stop())
	}
	if s.EC2Sim != nil {
		errs = append(errs, s.EC2Sim.Process.Stop())
	}
	if s.ControlPlane != nil {
		errs = append(errs, s.ControlPlane.Stop())
	}
	if s.Dir != "" {
		errs = append(errs, os.RemoveAll(s.Dir))
	}
	return errors.Join(errs...)
}

// Logs returns the last n lines of the logs of the provider and ec2sim.
func (s *Stack) Logs(n int) string {
	var ps []*local.Process
	if s.Provider != nil {
		ps = append(ps, s.Provider.Process())
	}
	if s.EC2Sim != nil {
		ps = append(ps, s.EC2Sim.Process)
	}
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "--- %s (%s):\n%s\n", p.Name(), p.LogPath(), p.Tail(n))
	}
	return b.String()
}

// Credentials returns the credentials of an ec2sim account of its own, named
// by account: ec2sim keeps the resources of each access key apart.
func (s *Stack) Credentials(account string) Credentials {
	sum := sha256.Sum256([]byte(account))
	return Credentials{AccessKeyID: "AKIA" + strings.ToUpper(hex.EncodeToString(sum[:8])), SecretAccessKey: s.SecretKey}
}

// EC2Client returns an EC2 client of ec2sim in DefaultRegion.
func (s *Stack) EC2Client(c Credentials) *ec2.Client {
	return NewEC2Client(s.EC2Sim.URL, DefaultRegion, c)
}

// PrepareNamespace prepares namespace name, as PrepareNamespace does, for an
// ec2sim account of its own, and returns the account's credentials.
func (s *Stack) PrepareNamespace(ctx context.Context, name string) (Credentials, error) {
	c := s.Credentials(name)
	return c, PrepareNamespace(ctx, s.Client, NamespaceOptions{Name: name, Endpoint: s.EC2Sim.URL, Credentials: c})
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// ProviderOptions configure a provider process.
type ProviderOptions struct {
	// Binary is the provider command. Required.
	Binary string

	// Kubeconfig is the control plane the provider reconciles. Required.
	Kubeconfig string

	// Poll is the provider's --poll: how often each managed resource is
	// observed in EC2. Zero keeps the provider's default (1m).
	Poll time.Duration

	// NATInventoryInterval is the provider's --nat-inventory-interval: how
	// often the NAT gateways of each provider configuration and region are
	// listed, which bounds how soon a deleted gateway is noticed. Zero keeps
	// the provider's default (5s).
	NATInventoryInterval time.Duration

	// Debug turns on debug logging.
	Debug bool

	// Metrics serves Prometheus metrics on a free loopback port; otherwise
	// the metrics endpoint is off.
	Metrics bool

	// Args are further provider flags.
	Args []string

	// Env are further environment variables, e.g. AWS_SDK_UA_APP_ID to
	// name the provider's EC2 requests.
	Env []string

	// LogDir holds provider.log.
	LogDir string
}

// A Provider is the provider running as a process out of cluster, as
// `make run` runs it.
type Provider struct {
	mu   sync.Mutex
	proc *local.Process

	// HealthURL serves /healthz and /readyz.
	HealthURL string
	// MetricsURL serves /metrics; empty when Metrics is off.
	MetricsURL string
}

// StartProvider starts the provider and waits until its readiness probe
// passes.
func StartProvider(ctx context.Context, o ProviderOptions) (*Provider, error) {
	ports, err := local.FreePorts(2)
	if err != nil {
		return nil, err
	}
	p := &Provider{HealthURL: fmt.Sprintf("http://127.0.0.1:%d", ports[0])}
	args := []string{"--health-probe-bind-address=" + strings.TrimPrefix(p.HealthURL, "http://"), "--metrics-bind-address=0"}
	if o.Metrics {
		p.MetricsURL = fmt.Sprintf("http://127.0.0.1:%d", ports[1])
		args[1] = "--metrics-bind-address=" + strings.TrimPrefix(p.MetricsURL, "http://")
	}
	if o.Poll != 0 {
		args = append(args, "--poll="+o.Poll.String())
	}
	if o.NATInventoryInterval != 0 {
		args = append(args, "--nat-inventory-interval="+o.NATInventoryInterval.String())
	}
	if o.Debug {
		args = append(args, "--debug")
	}
	args = append(args, o.Args...)

	err = p.start(ctx, local.ProcessOptions{
		Name:   "provider",
		Path:   o.Binary,
		Args:   args,
		Env:    append([]string{"KUBECONFIG=" + o.Kubeconfig}, o.Env...),
		LogDir: o.LogDir,
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (p *Provider) start(ctx context.Context, o local.ProcessOptions) error {
	proc, err := local.StartProcess(o)
	if err != nil {
		return err
	}
	p.mu.Lock()
	p.proc = proc
	p.mu.Unlock()
	if err := proc.WaitReady(ctx, time.Minute, local.HTTPProbe(nil, p.HealthURL+"/readyz")); err != nil {
		_ = proc.Kill()
		return errors.Wrap(err, "cannot start the provider")
	}
	return nil
}

// Process returns the provider process; Restart starts a new one.
func (p *Provider) Process() *local.Process {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.proc
}

// Kill kills the provider as kill -9 does and returns once it has exited.
func (p *Provider) Kill() error { return p.Process().Kill() }

// Stop stops the provider with SIGTERM, then SIGKILL after a grace period.
func (p *Provider) Stop() error { return p.Process().Stop() }

// Restart starts the provider again, with the same command line and log
// file, once the running one has exited, and waits until it is ready. Kill
// or Stop it first.
func (p *Provider) Restart(ctx context.Context) error {
	old := p.Process()
	if old.Running() {
		return errors.Errorf("cannot restart the provider: pid %d is still running", old.Pid())
	}
	return p.start(ctx, old.Options())
}

// Tail returns the last n lines of the provider's log.
func (p *Provider) Tail(n int) string { return p.Process().Tail(n) }

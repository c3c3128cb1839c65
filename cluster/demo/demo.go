// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	corev1 "k8s.io/api/core/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// The examples the demo applies.
const (
	exampleProviderConfig = "examples/provider/providerconfig.yaml"
	exampleNATGateway     = "examples/provider/ec2/natgateway-public.yaml"
)

// config is what the demo can be told.
type config struct {
	// durations of ec2sim's NAT gateway lifecycle.
	durations ec2sim.Durations
	// poll is the provider's --poll.
	poll time.Duration
	// inventory is the provider's --nat-inventory-interval: how often it
	// lists the account's NAT gateways, which bounds how soon a gateway
	// deleted out of band is noticed.
	inventory time.Duration
	// timeout bounds each wait.
	timeout time.Duration
}

// defaultConfig is AWS's NAT gateway lifecycle scaled down: minutes become
// seconds and an hour of retention a minute.
func defaultConfig() config {
	return config{
		durations: ec2sim.Durations{Pending: 4 * time.Second, Deleting: 4 * time.Second, Retention: time.Minute},
		poll:      10 * time.Second,
		inventory: 10 * time.Second,
		timeout:   3 * time.Minute,
	}
}

// A demo is one run of the story.
type demo struct {
	out   io.Writer
	cfg   config
	s     *stack.Stack
	ec2   *ec2.Client
	gw    *v1alpha1.NATGateway
	table *printer
	seen  map[string]bool // events printed, by reason and message
	prom  *stack.Prometheus
}

// run tells the story on out and stops everything it started.
func run(ctx context.Context, out io.Writer, cfg config) (err error) {
	d := &demo{out: out, cfg: cfg, seen: map[string]bool{}}
	d.stepf("Starting a local control plane (etcd, kube-apiserver, kube-controller-manager), ec2sim and the provider")
	d.s, err = stack.Start(ctx, stack.Options{Progress: indent{out}, Durations: cfg.durations, Poll: cfg.poll, NATInventoryInterval: cfg.inventory, Metrics: true,
		// State metrics as often as Prometheus scrapes, so the not-Ready
		// alert follows the healing closely.
		ProviderArgs: []string{"--poll-state-metric=" + scrapeInterval.String()}})
	if err != nil {
		return err
	}
	defer func() {
		if d.prom != nil {
			err = errors.Join(err, d.prom.Process.Stop())
		}
		if d.s != nil {
			err = errors.Join(err, d.s.Stop())
		}
	}()
	d.sayf("ec2sim: pending %s, deleting %s, deleted gateways listed for %s (on AWS: a few minutes each, and an hour)",
		cfg.durations.Pending, cfg.durations.Deleting, cfg.durations.Retention)
	d.sayf("provider: --poll %s, --nat-inventory-interval %s: it lists the account's NAT gateways every %s, so a gateway deleted out of band is noticed within %s",
		cfg.poll, cfg.inventory, cfg.inventory, cfg.inventory)

	for _, fn := range []func(context.Context) error{d.startPrometheus, d.apply, d.waitReady, d.deleteOutOfBand, d.showPrometheus, d.cleanup} {
		if err := fn(ctx); err != nil {
			if d.gw != nil {
				fmt.Fprintf(out, "\n%s", d.s.Describe(context.WithoutCancel(ctx), d.gw)) //nolint:errcheck // diagnostics are best effort
			}
			return err
		}
	}
	d.stepf("Stopping Prometheus, the provider, ec2sim and the control plane")
	p, s := d.prom, d.s
	d.prom, d.s = nil, nil
	if err := errors.Join(p.Process.Stop(), s.Stop()); err != nil {
		return err
	}
	d.stepf("Done: the NAT gateway was deleted behind Crossplane's back and came back by itself")
	return nil
}

func (d *demo) stepf(format string, args ...any) {
	fmt.Fprintf(d.out, "\n==> "+format+"\n", args...) //nolint:errcheck // output is best effort
}

func (d *demo) sayf(format string, args ...any) {
	fmt.Fprintf(d.out, "    "+format+"\n", args...) //nolint:errcheck // output is best effort
}

// indent indents progress lines under a step.
type indent struct{ w io.Writer }

func (i indent) Write(p []byte) (int, error) {
	_, err := fmt.Fprintf(i.w, "    %s", p)
	return len(p), err
}

// apply seeds the network a gateway needs, then applies the examples.
func (d *demo) apply(ctx context.Context) error {
	d.stepf("Creating a VPC, a public subnet and an Elastic IP in ec2sim, as they would exist in an AWS account")
	creds := d.s.Credentials("demo")
	d.ec2 = d.s.EC2Client(creds)
	net, err := stack.SeedNetwork(ctx, d.ec2, "demo", 1)
	if err != nil {
		return err
	}
	eips, err := stack.AllocateAddresses(ctx, d.ec2, "demo", 1)
	if err != nil {
		return err
	}
	d.sayf("VPC %s, public subnet %s (%s), Elastic IP %s", net.VpcID, net.Zones[0].PublicSubnetID, net.Zones[0].Name, eips[0])

	d.stepf("Applying %s and %s", exampleProviderConfig, exampleNATGateway)
	objs, err := stack.ReadObjects(d.s.Scheme, exampleProviderConfig)
	if err != nil {
		return err
	}
	gws, err := stack.ReadObjects(d.s.Scheme, exampleNATGateway)
	if err != nil {
		return err
	}
	for _, o := range append(objs, gws...) {
		switch o := o.(type) {
		case *corev1.Secret:
			o.StringData[stack.CredentialsKey] = creds.Profile()
			d.sayf("Secret %s/%s: the credentials profile of the ec2sim account", o.Namespace, o.Name)
		case *apisv1alpha1.ProviderConfig:
			o.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: d.s.EC2Sim.URL}
			d.sayf("ProviderConfig %s/%s: spec.endpoint.url %s", o.Namespace, o.Name, d.s.EC2Sim.URL)
		case *v1alpha1.NATGateway:
			o.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ProviderConfigKind, Name: "default"}
			o.Spec.ForProvider.SubnetID = aws.String(net.Zones[0].PublicSubnetID)
			o.Spec.ForProvider.AllocationID = aws.String(eips[0])
			o.Spec.ForProvider.SecondaryAllocationIDs = nil
			d.gw = o
			d.sayf("NATGateway %s/%s: the example with the subnet and Elastic IP above, without its secondary address, through ProviderConfig default", o.Namespace, o.Name)
		}
		if err := d.s.Client.Create(ctx, o); err != nil {
			return errors.Wrapf(err, "cannot apply %s %s", stack.Kind(o), o.GetName())
		}
	}
	if d.gw == nil {
		return errors.Errorf("%s holds no NATGateway", exampleNATGateway)
	}
	d.table, err = newPrinter(d.s.ControlPlane.Config, fmt.Sprintf("/apis/%s/namespaces/%s/natgateways/%s", v1alpha1.SchemeGroupVersion, d.gw.Namespace, d.gw.Name))
	return err
}

// waitReady shows the NATGateway until it is Ready.
func (d *demo) waitReady(ctx context.Context) error {
	d.stepf("Waiting for the NATGateway to become Ready (kubectl get natgateway -o wide, as it changes)")
	w := d.newWatch(time.Now(), "")
	return w.until(ctx, d.cfg.timeout, func(c map[string]string) bool {
		return c["READY"] == "True" && c["STATE"] == v1alpha1.NATGatewayStateAvailable
	})
}

// cleanup deletes the NATGateway and waits until the provider deleted its
// gateway.
func (d *demo) cleanup(ctx context.Context) error {
	d.stepf("Cleaning up: deleting the NATGateway; the provider deletes its gateway in EC2 first")
	if err := d.s.Client.Delete(ctx, d.gw); err != nil {
		return errors.Wrap(err, "cannot delete the NATGateway")
	}
	id := meta.GetExternalName(d.gw)
	if err := d.s.WaitGone(ctx, d.gw, d.cfg.timeout); err != nil {
		return err
	}
	out, err := d.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}})
	if err != nil {
		return errors.Wrapf(err, "cannot describe %s", id)
	}
	d.sayf("NATGateway gone; EC2 reports %s %s", id, out.NatGateways[0].State)
	return nil
}

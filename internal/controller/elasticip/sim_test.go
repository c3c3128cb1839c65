// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim/ec2simtest"
)

// TestAgainstEC2Sim drives the external client through the life of an
// address against the EC2 simulator, with the unmodified SDK client: the
// requests, filters and error codes are the wire protocol's.
func TestAgainstEC2Sim(t *testing.T) {
	ctx := context.Background()
	sim, api := ec2simtest.Start(t, ec2sim.Options{Durations: ec2sim.Durations{Pending: time.Hour, Deleting: time.Hour, Retention: 2 * time.Hour}}, region)
	advance := func(d time.Duration) {
		t.Helper()
		if _, err := sim.SetClock(ctx, ec2sim.ClockUpdate{Advance: d}); err != nil {
			t.Fatal(err)
		}
	}
	rec := &recorder{}
	counter := prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."})
	e := newExternal(api, rec, counter)
	owned := func() []string {
		t.Helper()
		out, err := api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]string, 0, len(out.Addresses))
		for _, a := range out.Addresses {
			ids = append(ids, aws.ToString(a.AllocationId))
		}
		return ids
	}
	observe := func(cr *v1alpha1.ElasticIP) managed.ExternalObservation {
		t.Helper()
		o, err := e.Observe(ctx, cr)
		if err != nil {
			t.Fatalf("Observe: %v", err)
		}
		return o
	}

	cr := elasticIP(withTags(map[string]string{"team": "net"}))

	// Allocate, tagged.
	if o := observe(cr); o.ResourceExists {
		t.Fatal("Observe before Create: the address must not exist")
	}
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create: %v", err)
	}
	first := meta.GetExternalName(cr)
	if o := observe(cr); !o.ResourceExists || !o.ResourceUpToDate {
		t.Fatalf("Observe after Create: got %+v, want an up-to-date address", o)
	}

	// A lost external name is recovered by the ownership tag: no second
	// address.
	meta.SetExternalName(cr, "")
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create again: %v", err)
	}
	if got := meta.GetExternalName(cr); got != first || len(owned()) != 1 {
		t.Fatalf("Create after a lost external name: adopted %q and EC2 holds %v; want %q only", got, owned(), first)
	}

	// Tag drift is found and fixed.
	cr.Spec.ForProvider.Tags = map[string]string{"team": "platform"}
	if o := observe(cr); o.ResourceUpToDate {
		t.Fatal("Observe after a tag change: want not up to date")
	}
	if _, err := e.Update(ctx, cr); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if o := observe(cr); !o.ResourceUpToDate || cr.Status.AtProvider.Tags["team"] != "platform" {
		t.Fatalf("Observe after Update: got %+v with tags %v", o, cr.Status.AtProvider.Tags)
	}

	// A NAT gateway holds the address: deletion waits.
	vpc, err := api.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	sn, err := api.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.0.1.0/24")})
	if err != nil {
		t.Fatal(err)
	}
	gw, err := api.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sn.Subnet.SubnetId, AllocationId: aws.String(first)})
	if err != nil {
		t.Fatal(err)
	}
	advance(2 * time.Hour)
	withDeletionTimestamp()(cr)
	if o := observe(cr); !o.ResourceExists || associated(cr.Status.AtProvider) == "" {
		t.Fatalf("Observe while held: got %+v, association %q; want an existing, associated address", o, associated(cr.Status.AtProvider))
	}
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete while held: %v", err)
	}
	if c := cr.GetCondition(TypeReleased); c.Reason != ReasonStillAssociated {
		t.Fatalf("Delete while held: Released condition %+v, want reason %s", c, ReasonStillAssociated)
	}
	// Were the association missed, EC2's answer makes Delete wait too.
	cr.Status.AtProvider.AssociationID, cr.Status.AtProvider.NetworkInterfaceID = nil, nil
	cr.Status.SetConditions(xpv2.Available())
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete on AuthFailure: %v", err)
	}
	if c := cr.GetCondition(TypeReleased); c.Reason != ReasonStillAssociated || len(owned()) != 1 {
		t.Fatalf("Delete on AuthFailure: Released condition %+v and addresses %v; want a wait and the address kept", c, owned())
	}

	// Once the gateway is deleted, the address is released.
	if _, err := api.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: gw.NatGateway.NatGatewayId}); err != nil {
		t.Fatal(err)
	}
	advance(2 * time.Hour)
	if o := observe(cr); !o.ResourceExists || associated(cr.Status.AtProvider) != "" {
		t.Fatalf("Observe after the gateway is gone: got %+v, association %q", o, associated(cr.Status.AtProvider))
	}
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if o := observe(cr); o.ResourceExists || len(owned()) != 0 {
		t.Fatalf("Observe after Delete: got %+v with addresses %v; want none", o, owned())
	}

	// An address released outside Crossplane is allocated again and the
	// healing is recorded.
	cr = elasticIP()
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create: %v", err)
	}
	old := meta.GetExternalName(cr)
	if _, err := api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(old)}); err != nil {
		t.Fatal(err)
	}
	if o := observe(cr); o.ResourceExists {
		t.Fatal("Observe after an out-of-band release: want the address gone")
	}
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create after release: %v", err)
	}
	h, err := healing.Get(cr)
	if err != nil || h == nil || h.Last.PreviousID != old || h.Last.NewID != meta.GetExternalName(cr) || h.Last.NewID == old {
		t.Fatalf("healing record after reallocation: %+v, %v; want %s replaced", h, err, old)
	}
	if got := testutil.ToFloat64(counter); got != 1 {
		t.Errorf("reallocations counted: got %v, want 1", got)
	}
	if len(messages(rec.events, event.TypeWarning)) != 1 {
		t.Errorf("Warning events: got %v, want one naming %s", messages(rec.events, event.TypeWarning), old)
	}
	if o := observe(cr); !o.ResourceExists || cr.Status.AtProvider.Healing == nil {
		t.Fatalf("Observe after reallocation: got %+v, healing %+v", o, cr.Status.AtProvider.Healing)
	}
}

// TestLostAllocationAgainstEC2Sim loses the answer of an AllocateAddress
// that EC2 applied, then deletes the ElasticIP before its allocation ID was
// ever recorded: the next Create adopts the address rather than allocating a
// second, and a deleted ElasticIP keeps its finalizer until the unrecorded
// address is released.
func TestLostAllocationAgainstEC2Sim(t *testing.T) {
	ctx := context.Background()
	lost := []ec2sim.Fault{{Action: "AllocateAddress", ErrorRate: 1, ErrorAfterApply: true, Times: 1}}
	sim, api := ec2simtest.Start(t, ec2sim.Options{}, region)
	e := newExternal(api, &recorder{}, prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."}))
	addresses := func() int {
		t.Helper()
		out, err := api.DescribeAddresses(ctx, &ec2.DescribeAddressesInput{})
		if err != nil {
			t.Fatal(err)
		}
		return len(out.Addresses)
	}

	// A lost answer: Create finds the address EC2 allocated and adopts it
	// rather than allocating a second.
	if err := sim.SetFaults(ctx, lost); err != nil {
		t.Fatal(err)
	}
	cr := elasticIP()
	if _, err := e.Create(ctx, cr); err != nil {
		t.Fatalf("Create with a lost answer: %v", err)
	}
	if got := addresses(); got != 1 || meta.GetExternalName(cr) == "" {
		t.Fatalf("after a lost answer: %d addresses, external name %q; want one address, recorded", got, meta.GetExternalName(cr))
	}

	// A second address tagged for the ElasticIP, which names the first, is
	// released rather than left billed.
	if _, err := api.AllocateAddress(ctx, generateAllocateInput(cr)); err != nil {
		t.Fatal(err)
	}
	if o, err := e.Observe(ctx, cr); err != nil || o.ResourceUpToDate {
		t.Fatalf("Observe with a second tagged address: %+v, %v; want not up to date", o, err)
	}
	if _, err := e.Update(ctx, cr); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if o, err := e.Observe(ctx, cr); err != nil || !o.ResourceUpToDate || addresses() != 1 {
		t.Fatalf("Observe after Update: %+v, %v with %d addresses; want the named one only", o, err, addresses())
	}
	if _, err := api.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(meta.GetExternalName(cr))}); err != nil {
		t.Fatal(err)
	}

	// A lost answer that Create cannot look behind, then the ElasticIP is
	// deleted.
	if err := sim.SetFaults(ctx, lost); err != nil {
		t.Fatal(err)
	}
	cr = elasticIP()
	blind := newExternal(&searchFailsAfterAllocate{API: api}, &recorder{}, prometheus.NewCounter(prometheus.CounterOpts{Name: "test_blind_reallocations_total", Help: "Reallocations counted by a test."}))
	if _, err := blind.Create(ctx, cr); err == nil {
		t.Fatal("Create with a lost answer and a failed search: want an error")
	}
	withDeletionTimestamp()(cr)
	o, err := e.Observe(ctx, cr)
	if err != nil || !o.ResourceExists {
		t.Fatalf("Observe of a deleted ElasticIP whose address was never recorded: got %+v, %v; want it to exist", o, err)
	}
	if _, err := e.Delete(ctx, cr); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	if o, err := e.Observe(ctx, cr); err != nil || o.ResourceExists || addresses() != 0 {
		t.Fatalf("Observe after Delete: got %+v, %v with %d addresses; want none left", o, err, addresses())
	}
}

// searchFailsAfterAllocate is api whose first search for addresses after an
// allocation fails, as when the connection drops.
type searchFailsAfterAllocate struct {
	ec2client.API

	allocated bool
}

func (s *searchFailsAfterAllocate) AllocateAddress(ctx context.Context, in *ec2.AllocateAddressInput, opts ...func(*ec2.Options)) (*ec2.AllocateAddressOutput, error) {
	s.allocated = true
	return s.API.AllocateAddress(ctx, in, opts...)
}

func (s *searchFailsAfterAllocate) DescribeAddresses(ctx context.Context, in *ec2.DescribeAddressesInput, opts ...func(*ec2.Options)) (*ec2.DescribeAddressesOutput, error) {
	if s.allocated {
		s.allocated = false
		return nil, errors.New("connection reset by peer")
	}
	return s.API.DescribeAddresses(ctx, in, opts...)
}

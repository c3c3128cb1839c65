// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// observation is what the lifecycle tests look at after each step.
type observation struct {
	State          string
	FailureCode    string
	FailureMessage string
	HasDeleteTime  bool
	// AddressAssociated is whether DescribeAddresses shows the primary
	// Elastic IP associated, with a network interface and private address.
	AddressAssociated bool
	RouteState        string
}

func TestLifecycle(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	eip := s.eip()
	id := s.publicNat(subnetID, eip)
	rt, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	rtbID := *rt.RouteTable.RouteTableId
	if _, err := s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rtbID), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(id)}); err != nil {
		t.Fatalf("CreateRoute: %v", err)
	}

	observe := func() observation {
		var o observation
		if n, err := s.nat(id); err != nil {
			o.State = "error:" + code(err)
		} else {
			o.State, o.FailureCode, o.FailureMessage = string(n.State), aws.ToString(n.FailureCode), aws.ToString(n.FailureMessage)
			o.HasDeleteTime = n.DeleteTime != nil
		}
		a := s.address(eip)
		o.AddressAssociated = a.AssociationId != nil && a.NetworkInterfaceId != nil && a.PrivateIpAddress != nil
		out, err := s.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{RouteTableIds: []string{rtbID}})
		if err != nil {
			t.Fatalf("DescribeRouteTables: %v", err)
		}
		for _, r := range out.RouteTables[0].Routes {
			if aws.ToString(r.NatGatewayId) == id {
				o.RouteState = string(r.State)
			}
		}
		return o
	}

	steps := []struct {
		reason string
		do     func()
		want   observation
	}{
		{
			reason: "A new gateway is pending and already holds its address.",
			do:     func() {},
			want:   observation{State: "pending", AddressAssociated: true, RouteState: "active"},
		},
		{
			reason: "Just before the pending period ends it is still pending.",
			do:     func() { s.advance(slow.Pending - time.Second) },
			want:   observation{State: "pending", AddressAssociated: true, RouteState: "active"},
		},
		{
			reason: "After the pending period it is available.",
			do:     func() { s.advance(time.Second) },
			want:   observation{State: "available", AddressAssociated: true, RouteState: "active"},
		},
		{
			reason: "Deleting keeps the address associated and the route active.",
			do: func() {
				if _, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil {
					t.Fatal(err)
				}
			},
			want: observation{State: "deleting", AddressAssociated: true, RouteState: "active"},
		},
		{
			reason: "Deleted: the address is released and the route is a blackhole.",
			do:     func() { s.advance(slow.Deleting) },
			want:   observation{State: "deleted", HasDeleteTime: true, RouteState: "blackhole"},
		},
		{
			reason: "Still listed just before the retention period ends.",
			do:     func() { s.advance(slow.Retention - time.Second) },
			want:   observation{State: "deleted", HasDeleteTime: true, RouteState: "blackhole"},
		},
		{
			reason: "Purged after the retention period: NatGatewayNotFound, and the route stays a blackhole.",
			do:     func() { s.advance(time.Second) },
			want:   observation{State: "error:NatGatewayNotFound", RouteState: "blackhole"},
		},
	}
	for i, st := range steps {
		st.do()
		if diff := cmp.Diff(st.want, observe()); diff != "" {
			t.Errorf("step %d: %s\n-want +got:\n%s", i, st.reason, diff)
		}
	}
}

func TestLifecycleFailsOnAddressInUse(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	_, subnetID := s.network()
	eip := s.eip()
	first := s.publicNat(subnetID, eip)
	// The second gateway is created (AWS finds the conflict later) ...
	second := s.publicNat(subnetID, eip)
	if got := s.natState(second); got != "pending" {
		t.Fatalf("second gateway: got %q, want pending", got)
	}
	s.advance(slow.Pending)
	// ... and fails when its pending period ends.
	n, err := s.nat(second)
	if err != nil {
		t.Fatal(err)
	}
	type failed struct {
		State, Code, Message, AddressStatus, AddressMessage string
	}
	want := failed{State: "failed", Code: "Resource.AlreadyAssociated", Message: "Elastic IP address " + eip + " is already associated",
		AddressStatus: "failed", AddressMessage: "Elastic IP address " + eip + " is already associated"}
	got := failed{State: string(n.State), Code: aws.ToString(n.FailureCode), Message: aws.ToString(n.FailureMessage),
		AddressStatus: string(n.NatGatewayAddresses[0].Status), AddressMessage: aws.ToString(n.NatGatewayAddresses[0].FailureMessage)}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("failed gateway: -want +got:\n%s", diff)
	}
	if n.DeleteTime == nil {
		t.Errorf("failed gateway has no deleteTime")
	}
	// The first gateway keeps the address.
	if got := s.natState(first); got != "available" {
		t.Errorf("first gateway: got %q, want available", got)
	}
	if a := s.address(eip); aws.ToString(a.AssociationId) == "" {
		t.Errorf("address lost its association to the first gateway")
	}
	// A failed gateway is listed for the retention period, then purged.
	s.advance(slow.Retention)
	if got := s.natState(second); got != "error:NatGatewayNotFound" {
		t.Errorf("failed gateway after retention: got %q, want error:NatGatewayNotFound", got)
	}
}

func TestReleaseAddressInUse(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	ctx := context.Background()
	_, subnetID := s.network()
	eip := s.eip()
	id := s.publicNat(subnetID, eip)
	release := func() string {
		_, err := s.ec2.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{AllocationId: aws.String(eip)})
		return code(err)
	}
	steps := []struct {
		reason string
		do     func()
		want   string
	}{
		{reason: "An address a pending gateway holds cannot be released.", do: func() {}, want: "AuthFailure"},
		{reason: "Nor while the gateway is deleting.", do: func() {
			if _, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil {
				t.Fatal(err)
			}
		}, want: "AuthFailure"},
		{reason: "Once the gateway is deleted the address can be released.", do: func() { s.advance(slow.Deleting) }, want: ""},
		{reason: "A released address is gone.", do: func() {}, want: "InvalidAllocationID.NotFound"},
	}
	for i, st := range steps {
		st.do()
		if diff := cmp.Diff(st.want, release()); diff != "" {
			t.Errorf("step %d: %s\n-want +got:\n%s", i, st.reason, diff)
		}
	}
}

func TestIdempotency(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	ctx := context.Background()
	_, subnetID := s.network()
	eip, other := s.eip(), s.eip()
	in := func(token, allocation string) *ec2.CreateNatGatewayInput {
		return &ec2.CreateNatGatewayInput{ClientToken: aws.String(token), SubnetId: aws.String(subnetID), AllocationId: aws.String(allocation)}
	}
	first, err := s.ec2.CreateNatGateway(ctx, in("token-1", eip))
	if err != nil {
		t.Fatal(err)
	}
	id := *first.NatGateway.NatGatewayId
	type result struct {
		ID, State, Token, Code string
	}
	create := func(token, allocation string) result {
		out, err := s.ec2.CreateNatGateway(ctx, in(token, allocation))
		if err != nil {
			return result{Code: code(err)}
		}
		return result{ID: *out.NatGateway.NatGatewayId, State: string(out.NatGateway.State), Token: aws.ToString(out.ClientToken)}
	}
	steps := []struct {
		reason string
		do     func()
		token  string
		alloc  string
		want   result
	}{
		{reason: "The same token and parameters return the same gateway.", do: func() {}, token: "token-1", alloc: eip,
			want: result{ID: id, State: "pending", Token: "token-1"}},
		{reason: "The same token with other parameters gets IdempotentParameterMismatch.", do: func() {}, token: "token-1", alloc: other,
			want: result{Code: "IdempotentParameterMismatch"}},
		{reason: "The retry answers the current state.", do: func() { s.advance(slow.Pending) }, token: "token-1", alloc: eip,
			want: result{ID: id, State: "available", Token: "token-1"}},
		{reason: "Even a deleted gateway is returned for its token.", do: func() {
			if _, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil {
				t.Fatal(err)
			}
			s.advance(slow.Deleting)
		}, token: "token-1", alloc: eip, want: result{ID: id, State: "deleted", Token: "token-1"}},
		{reason: "A token is per account and region: another token makes another gateway.", do: func() {}, token: "token-2", alloc: eip,
			want: result{State: "pending", Token: "token-2"}},
	}
	for i, st := range steps {
		st.do()
		got := create(st.token, st.alloc)
		if st.want.ID == "" && got.ID != "" {
			if got.ID == id {
				t.Errorf("step %d: %s\ngot the first gateway again", i, st.reason)
			}
			got.ID = ""
		}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("step %d: %s\n-want +got:\n%s", i, st.reason, diff)
		}
	}

	// Another account may use the same token for its own gateway.
	otherAccount := newClient(s.http.URL, "AKIDOTHERACCOUNT", testSecret, testRegion)
	_, err = otherAccount.CreateNatGateway(ctx, in("token-1", eip))
	if diff := cmp.Diff("InvalidSubnetID.NotFound", code(err)); diff != "" {
		t.Errorf("another account sees no subnet of this one: -want +got:\n%s", diff)
	}

	// After the purge, the token is forgotten with its gateway.
	s.advance(slow.Retention)
	got := create("token-1", eip)
	if got.Code != "" || got.ID == id {
		t.Errorf("token after purge: got %+v, want a new gateway", got)
	}
}

func TestAvailableWaiter(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: ec2sim.Durations{Pending: 50 * time.Millisecond}})
	_, subnetID := s.network()
	id := s.publicNat(subnetID, s.eip())
	w := ec2.NewNatGatewayAvailableWaiter(s.ec2, func(o *ec2.NatGatewayAvailableWaiterOptions) {
		o.MinDelay, o.MaxDelay = 20*time.Millisecond, 50*time.Millisecond
	})
	if err := w.Wait(context.Background(), &ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}, 10*time.Second); err != nil {
		t.Errorf("NatGatewayAvailableWaiter: %v", err)
	}
	if got := s.natState(id); got != string(types.NatGatewayStateAvailable) {
		t.Errorf("state after the waiter: got %q, want available", got)
	}
}

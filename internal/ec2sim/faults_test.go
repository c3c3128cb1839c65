// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func httpStatus(err error) int {
	if re, ok := errors.AsType[*http.ResponseError](err); ok {
		return re.HTTPStatusCode()
	}
	return 0
}

func TestInjectedErrorBeforeApply(t *testing.T) {
	s := newSim(t, ec2sim.Options{Faults: []ec2sim.Fault{{Action: "CreateVpc", ErrorRate: 1, Times: 1}}})
	ctx := context.Background()
	_, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")})
	if code(err) != "InternalError" || httpStatus(err) != 500 {
		t.Errorf("first CreateVpc: got %q (HTTP %d), want InternalError (500)", code(err), httpStatus(err))
	}
	st, _ := s.srv.State(ctx, testAccessKey, testRegion)
	if len(st.Regions) != 0 {
		t.Errorf("an error injected before apply must not create a VPC: %+v", st.Regions)
	}
	if _, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
		t.Errorf("second CreateVpc (fault used up): %v", err)
	}
	calls, _ := s.srv.Calls(ctx)
	want := ec2sim.CallStats{Calls: 2, Injected: 1, Errors: map[string]int64{"InternalError": 1}}
	if diff := cmp.Diff(want, calls["CreateVpc"]); diff != "" {
		t.Errorf("CreateVpc calls: -want +got:\n%s", diff)
	}
}

func TestInjectedErrorAfterApplyAndIdempotentRetry(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	ctx := context.Background()
	_, subnetID := s.network()
	eip := s.eip()
	if err := s.srv.SetFaults(ctx, []ec2sim.Fault{{Action: "CreateNatGateway", ErrorRate: 1, ErrorCode: "RequestLimitExceeded", ErrorAfterApply: true, Times: 1}}); err != nil {
		t.Fatal(err)
	}
	in := &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(eip), ClientToken: aws.String("lost-response")}
	_, err := s.ec2.CreateNatGateway(ctx, in)
	if code(err) != "RequestLimitExceeded" || httpStatus(err) != 503 {
		t.Fatalf("CreateNatGateway: got %q (HTTP %d), want RequestLimitExceeded (503)", code(err), httpStatus(err))
	}
	// The gateway was created although the client saw an error ...
	st, _ := s.srv.State(ctx, testAccessKey, testRegion)
	if len(st.Regions[0].NatGateways) != 1 {
		t.Fatalf("gateways after a lost response: %d, want 1", len(st.Regions[0].NatGateways))
	}
	created := st.Regions[0].NatGateways[0].ID
	// ... and the retry with the same token finds it.
	out, err := s.ec2.CreateNatGateway(ctx, in)
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if *out.NatGateway.NatGatewayId != created {
		t.Errorf("retry returned %s, want %s", *out.NatGateway.NatGatewayId, created)
	}
}

func TestInjectedErrorRate(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true, Seed: 7, Faults: []ec2sim.Fault{{Action: "*", ErrorRate: 0.5, ErrorCode: "Unavailable"}}})
	failed := 0
	for range 200 {
		_, err := s.ec2.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{})
		switch code(err) {
		case "":
		case "Unavailable":
			if httpStatus(err) != 503 {
				t.Fatalf("Unavailable with HTTP %d, want 503", httpStatus(err))
			}
			failed++
		default:
			t.Fatalf("unexpected error %v", err)
		}
	}
	if failed < 60 || failed > 140 {
		t.Errorf("failed %d of 200 at rate 0.5, want about 100", failed)
	}
}

func TestLatency(t *testing.T) {
	s := newSim(t, ec2sim.Options{Faults: []ec2sim.Fault{{Action: "DescribeVpcs", Latency: 150 * time.Millisecond}}})
	start := time.Now()
	if _, err := s.ec2.DescribeVpcs(context.Background(), &ec2.DescribeVpcsInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("DescribeVpcs took %v, want at least 150ms", d)
	}
	start = time.Now()
	if _, err := s.ec2.DescribeSubnets(context.Background(), &ec2.DescribeSubnetsInput{}); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d >= 150*time.Millisecond {
		t.Errorf("DescribeSubnets (no fault) took %v", d)
	}
}

func TestHoldAfterApply(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow})
	ctx := context.Background()
	_, subnetID := s.network()
	eip := s.eip()
	if err := s.srv.SetFaults(ctx, []ec2sim.Fault{{Action: "CreateNatGateway", Hold: time.Hour, Times: 1}}); err != nil {
		t.Fatal(err)
	}
	// The client gives up while the response is held ...
	short, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
	defer cancel()
	in := &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(eip), ClientToken: aws.String("held")}
	if _, err := s.ec2.CreateNatGateway(short, in); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("held CreateNatGateway: got %v, want a deadline error", err)
	}
	// ... but the gateway exists.
	st, _ := s.srv.State(ctx, testAccessKey, testRegion)
	if len(st.Regions[0].NatGateways) != 1 {
		t.Fatalf("gateways after a held response: %d, want 1", len(st.Regions[0].NatGateways))
	}
	if out, err := s.ec2.CreateNatGateway(ctx, in); err != nil || *out.NatGateway.NatGatewayId != st.Regions[0].NatGateways[0].ID {
		t.Errorf("retry after the held call: %v", err)
	}

	// Setting the faults again releases a held response at once.
	if err := s.srv.SetFaults(ctx, []ec2sim.Fault{{Action: "DescribeVpcs", Hold: time.Hour}}); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := s.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{})
		done <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := s.srv.SetFaults(ctx, nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("released DescribeVpcs: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("DescribeVpcs still held after the faults were cleared")
	}
}

func TestEventualConsistency(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: ec2sim.Durations{Pending: time.Hour, Consistency: 10 * time.Second}})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	id := s.publicNat(subnetID, s.eip())
	rt, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID)})
	if err != nil {
		t.Fatal(err)
	}
	type seen struct {
		ByID, Listed, Route, Delete string
	}
	observe := func() seen {
		var o seen
		o.ByID = s.natState(id)
		out, err := s.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{Filter: []types.Filter{{Name: aws.String("state"), Values: []string{"pending"}}}})
		if err != nil {
			t.Fatal(err)
		}
		o.Listed = "absent"
		if len(out.NatGateways) == 1 {
			o.Listed = "listed"
		}
		_, err = s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: rt.RouteTable.RouteTableId, DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(id)})
		o.Route = code(err)
		_, err = s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id), DryRun: aws.Bool(true)})
		o.Delete = code(err)
		return o
	}
	if diff := cmp.Diff(seen{ByID: "error:NatGatewayNotFound", Listed: "absent", Route: "InvalidNatGatewayID.NotFound", Delete: "NatGatewayNotFound"}, observe()); diff != "" {
		t.Errorf("inside the window: -want +got:\n%s", diff)
	}
	s.advance(10 * time.Second)
	if diff := cmp.Diff(seen{ByID: "pending", Listed: "listed", Route: "", Delete: "DryRunOperation"}, observe()); diff != "" {
		t.Errorf("after the window: -want +got:\n%s", diff)
	}
}

func TestInvalidFaults(t *testing.T) {
	cases := map[string]struct {
		reason string
		fault  ec2sim.Fault
	}{
		"NoAction":      {reason: "A fault names an action.", fault: ec2sim.Fault{ErrorRate: 1}},
		"UnknownAction": {reason: "A fault names an action of the simulator.", fault: ec2sim.Fault{Action: "RunInstances", ErrorRate: 1}},
		"Rate":          {reason: "The rate is a probability.", fault: ec2sim.Fault{Action: "*", ErrorRate: 2}},
		"Negative":      {reason: "Durations are not negative.", fault: ec2sim.Fault{Action: "*", Latency: -time.Second}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := ec2sim.New(ec2sim.Options{Faults: []ec2sim.Fault{tc.fault}}); err == nil {
				t.Errorf("%s\nNew accepted %+v", tc.reason, tc.fault)
			}
		})
	}
}

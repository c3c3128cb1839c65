// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

// describeTables checks that DescribeRouteTables is asked for the test's
// table and answers tables.
func describeTables(t *testing.T, tables ...types.RouteTable) func(context.Context, *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
	t.Helper()
	return func(_ context.Context, in *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
		if diff := cmp.Diff(&ec2.DescribeRouteTablesInput{RouteTableIds: []string{tableID}}, in, sdkOpts); diff != "" {
			t.Errorf("DescribeRouteTables(...): -want input, +got input:\n%s", diff)
		}
		return &ec2.DescribeRouteTablesOutput{RouteTables: tables}, nil
	}
}

func describeTablesError(err error) func(context.Context, *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
	return func(context.Context, *ec2.DescribeRouteTablesInput) (*ec2.DescribeRouteTablesOutput, error) {
		return nil, err
	}
}

// describeNAT checks that DescribeNatGateways is asked for id and answers
// it in state, or not at all when state is empty.
func describeNAT(t *testing.T, id string, state types.NatGatewayState) func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
	t.Helper()
	return func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		if diff := cmp.Diff(&ec2.DescribeNatGatewaysInput{NatGatewayIds: []string{id}}, in, sdkOpts); diff != "" {
			t.Errorf("DescribeNatGateways(...): -want input, +got input:\n%s", diff)
		}
		if state == "" {
			return &ec2.DescribeNatGatewaysOutput{}, nil
		}
		return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{{NatGatewayId: aws.String(id), State: state}}}, nil
	}
}

// observed is the observation of a route to nat in state, with the target's
// state.
func observed(nat, state, targetState string) v1alpha1.RouteObservation {
	o := v1alpha1.RouteObservation{
		RouteTableID: aws.String(tableID),
		Destination:  aws.String(dest),
		State:        aws.String(state),
		Origin:       aws.String("CreateRoute"),
		NATGatewayID: aws.String(nat),
	}
	if targetState != "" {
		o.TargetState = aws.String(targetState)
	}
	return o
}

func TestObserve(t *testing.T) {
	unavailable := func(msg string) func(*v1alpha1.Route) {
		return withConditions(xpv2.Unavailable().WithMessage(msg))
	}
	toIGW := types.Route{DestinationCidrBlock: aws.String(dest), GatewayId: aws.String(igw), State: types.RouteStateActive, Origin: types.RouteOriginCreateRoute}
	igwObs := v1alpha1.RouteObservation{RouteTableID: aws.String(tableID), Destination: aws.String(dest), State: aws.String("active"), Origin: aws.String("CreateRoute"), GatewayID: aws.String(igw)}

	type want struct {
		o   managed.ExternalObservation
		cr  *v1alpha1.Route
		err error
		msg string
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		cr     *v1alpha1.Route
		want   want
	}{
		"NoDestination": {
			reason: "A Route without exactly one destination is bad input and a clear error.",
			ec2:    &fake.EC2{},
			cr:     route(withDestination(nil, nil, nil)),
			want:   want{cr: route(withDestination(nil, nil, nil)), err: cmpopts.AnyError, msg: "set exactly one destination"},
		},
		"ExternalNameOfAnotherRoute": {
			reason: "An external name that names another route than the spec is a clear error, never another route managed.",
			ec2:    &fake.EC2{},
			cr:     route(withExternalName(tableID + "_10.1.0.0/16")),
			want:   want{cr: route(withExternalName(tableID + "_10.1.0.0/16")), err: cmpopts.AnyError, msg: `external name "` + tableID + `_10.1.0.0/16" does not name the route`},
		},
		"DescribeTablesError": {
			reason: "An error describing the route table is returned.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTablesError(errBoom)},
			cr:     route(withExternalName(extName)),
			want:   want{cr: route(withExternalName(extName)), err: errBoom},
		},
		"TableNotFound": {
			reason: "A route table EC2 does not know is an error that names the table.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTablesError(apiError("InvalidRouteTableID.NotFound"))},
			cr:     route(withExternalName(extName)),
			want:   want{cr: route(withExternalName(extName)), err: cmpopts.AnyError, msg: "route table " + tableID + " does not exist"},
		},
		"TableNotListed": {
			reason: "A route table missing from EC2's answer is an error that names the table.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t)},
			cr:     route(withExternalName(extName)),
			want:   want{cr: route(withExternalName(extName)), err: cmpopts.AnyError, msg: "route table " + tableID + " does not exist"},
		},
		"TableNotFoundWhileDeleting": {
			reason: "While the Route is being deleted, a table that is gone took the route with it: the route does not exist.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTablesError(apiError("InvalidRouteTableID.NotFound"))},
			cr:     route(withExternalName(extName), withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withExternalName(extName), withDeletionTimestamp())},
		},
		"RouteMissing": {
			reason: "A table without a route for the destination means the route does not exist, so it is created.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table())},
			cr:     route(withExternalName(extName)),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withExternalName(extName))},
		},
		"Ready": {
			reason: "An active route to its NAT gateway, which is available, exists, is up to date and is ready; the target's state is reported.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withAtProvider(observed(natNew, "active", "available")), withConditions(xpv2.Available())),
			},
		},
		"TargetPending": {
			reason: "A route to a NAT gateway that is still pending is up to date but not ready, and says what it waits for.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStatePending),
			},
			cr: route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withAtProvider(observed(natNew, "active", "pending")), unavailable("waiting for "+natNew+" to become available: it is pending")),
			},
		},
		"TargetNotListed": {
			reason: "A route to a NAT gateway EC2 does not list yet is not ready.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
				MockDescribeNatGateways: describeNAT(t, natNew, ""),
			},
			cr: route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withAtProvider(observed(natNew, "active", "")), unavailable("waiting for "+natNew+" to become available: it is not listed by EC2")),
			},
		},
		"DescribeNATError": {
			reason: "An error describing the target is returned.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
				MockDescribeNatGateways: func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
					return nil, errBoom
				},
			},
			cr:   route(withExternalName(extName)),
			want: want{cr: route(withExternalName(extName), withAtProvider(observed(natNew, "active", ""))), err: errBoom},
		},
		"OtherTarget": {
			reason: "A route that points at another NAT gateway is not up to date, so Update points it at its target; the old target is not described.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateActive)))},
			cr:     route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				cr: route(withExternalName(extName), withAtProvider(observed(natOld, "active", "")), unavailable("route to "+dest+" points at "+natOld+" (active); pointing it at "+natNew)),
			},
		},
		"OtherTargetGateway": {
			reason: "A route for the destination that points at an internet gateway is not up to date.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table(toIGW))},
			cr:     route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				cr: route(withExternalName(extName), withAtProvider(igwObs), unavailable("route to "+dest+" points at "+igw+" (active); pointing it at "+natNew)),
			},
		},
		"BlackholeOldTarget": {
			reason: "A blackhole route to a replaced gateway is not up to date, so Update points it at the replacement.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateBlackhole)))},
			cr:     route(withExternalName(extName)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				cr: route(withExternalName(extName), withAtProvider(observed(natOld, "blackhole", "")), unavailable("route to "+dest+" points at "+natOld+" (blackhole); pointing it at "+natNew)),
			},
		},
		"BlackholeTargetGone": {
			reason: "A blackhole route that already points at its deleted target cannot be fixed by pointing it there again: it waits, not ready, saying why.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateBlackhole))),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateDeleted),
			},
			cr: route(withExternalName(extName)),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withAtProvider(observed(natNew, "blackhole", "deleted")),
					unavailable("route to "+dest+" is a blackhole: its target "+natNew+" is deleted; the route follows its NATGateway once the gateway is replaced, or set another natGatewayId")),
			},
		},
		"BlackholeTargetAvailable": {
			reason: "A blackhole route whose target is available is not up to date, so Update points it at the target again.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateBlackhole))),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withExternalName(extName)),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: false},
				cr: route(withExternalName(extName), withAtProvider(observed(natNew, "blackhole", "available")),
					unavailable("route to "+dest+" is a blackhole although "+natNew+" is available; pointing it at "+natNew+" again")),
			},
		},
		"Deleting": {
			reason: "While the Route is being deleted a present route exists, so Delete is called; readiness and target are not evaluated.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateBlackhole)))},
			cr:     route(withExternalName(extName), withDeletionTimestamp()),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true},
				cr: route(withExternalName(extName), withDeletionTimestamp(), withAtProvider(observed(natOld, "blackhole", ""))),
			},
		},
		"DeletingRouteGone": {
			reason: "While the Route is being deleted a route that is gone does not exist, so the finalizer is removed.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table())},
			cr:     route(withExternalName(extName), withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withExternalName(extName), withDeletionTimestamp())},
		},
		"ImportedWithoutTarget": {
			reason: "An imported Route that names no target reports the route as it is, ready when its NAT gateway is available.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateActive))),
				MockDescribeNatGateways: describeNAT(t, natOld, types.NatGatewayStateAvailable),
			},
			cr: route(withExternalName(extName), withNAT(nil)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withNAT(nil), withAtProvider(observed(natOld, "active", "available")), withConditions(xpv2.Available())),
			},
		},
		"ImportedGatewayRoute": {
			reason: "An imported Route that names no target and points at an internet gateway is ready while active.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table(toIGW))},
			cr:     route(withExternalName(extName), withNAT(nil)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withExternalName(extName), withNAT(nil), withAtProvider(igwObs), withConditions(xpv2.Available())),
			},
		},
		"CanonicalDestination": {
			reason: "EC2 stores a CIDR block with its host bits cleared: the route is found under its canonical form.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(types.Route{DestinationCidrBlock: aws.String("100.68.0.0/18"), NatGatewayId: aws.String(natNew), State: types.RouteStateActive, Origin: types.RouteOriginCreateRoute})),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withDestination(aws.String("100.68.0.18/18"), nil, nil), withExternalName(tableID+"_100.68.0.18/18")),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withDestination(aws.String("100.68.0.18/18"), nil, nil), withExternalName(tableID+"_100.68.0.18/18"), withConditions(xpv2.Available()), withAtProvider(func() v1alpha1.RouteObservation {
					o := observed(natNew, "active", "available")
					o.Destination = aws.String("100.68.0.0/18")
					return o
				}())),
			},
		},
		"IPv6Destination": {
			reason: "A route for an IPv6 destination is found by destinationIpv6CidrBlock.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(
					natRoute(natOld, types.RouteStateActive),
					types.Route{DestinationIpv6CidrBlock: aws.String("::/0"), NatGatewayId: aws.String(natNew), State: types.RouteStateActive, Origin: types.RouteOriginCreateRoute},
				)),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withDestination(nil, aws.String(ipv6Dest), nil), withExternalName(tableID+"_"+ipv6Dest)),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withDestination(nil, aws.String(ipv6Dest), nil), withExternalName(tableID+"_"+ipv6Dest), withConditions(xpv2.Available()), withAtProvider(func() v1alpha1.RouteObservation {
					o := observed(natNew, "active", "available")
					o.Destination = aws.String(ipv6Dest)
					return o
				}())),
			},
		},
		"PrefixListDestination": {
			reason: "A route for a prefix list is found by destinationPrefixListId.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, table(
					types.Route{DestinationPrefixListId: aws.String(plDest), NatGatewayId: aws.String(natNew), State: types.RouteStateActive, Origin: types.RouteOriginCreateRoute},
				)),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withDestination(nil, nil, aws.String(plDest)), withExternalName(tableID+"_"+plDest)),
			want: want{
				o: managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withDestination(nil, nil, aws.String(plDest)), withExternalName(tableID+"_"+plDest), withConditions(xpv2.Available()), withAtProvider(func() v1alpha1.RouteObservation {
					o := observed(natNew, "active", "available")
					o.Destination = aws.String(plDest)
					return o
				}())),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := (&external{client: tc.ec2}).Observe(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Observe(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.o, got, cmpopts.IgnoreFields(managed.ExternalObservation{}, "Diff")); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want, +got:\n%s", tc.reason, diff)
			}
			if !got.ResourceUpToDate && got.ResourceExists && !isDeleting(tc.cr) && got.Diff == "" {
				t.Errorf("\n%s\nObserve(...): a route that is not up to date has no Diff", tc.reason)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, test.EquateConditions()); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want managed resource, +got managed resource:\n%s", tc.reason, diff)
			}
		})
	}
}

func isDeleting(cr *v1alpha1.Route) bool {
	return cr.GetDeletionTimestamp() != nil
}

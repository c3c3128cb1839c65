// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"strings"
	"testing"
	"time"

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
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestObserveOwnership(t *testing.T) {
	active := table(natRoute(natNew, types.RouteStateActive))
	// first claimed the route before the tests' Route did.
	first := another("first", withClaim(claimedAtT0.Add(-time.Minute)))
	younger := another("younger", withClaim(claimedAtT0.Add(time.Minute)))
	elsewhere := "the route to " + dest + " in route table " + tableID + " belongs to Route other/first, which claimed it first: this Route leaves it alone, and deleting this Route does not touch it; delete this Route, or delete other/first to hand the route over"
	byNone := "the route to " + dest + " in route table " + tableID + " exists and no Route owns it (it was made outside Crossplane, or by a Route that left it): this Route leaves it alone; annotate this Route egresskit.io/adopt-route=true to take it over"
	ownedObs := withAtProvider(observed(natNew, "active", "available"))

	type want struct {
		o   managed.ExternalObservation
		cr  *v1alpha1.Route
		err error
		msg string
	}
	cases := map[string]struct {
		reason string
		ec2    *fake.EC2
		cache  *cache
		cr     *v1alpha1.Route
		want   want
	}{
		"SecondRoute": {
			reason: "A Route for a route another Route claimed first does not manage it: it is not synced, and Ready says which Route owns it.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cache:  &cache{routes: []v1alpha1.Route{first}},
			cr:     route(),
			want: want{
				cr:  route(withConditions(xpv2.Unavailable().WithMessage(elsewhere))),
				err: cmpopts.AnyError,
				msg: elsewhere,
			},
		},
		"SecondRouteWhileMissing": {
			reason: "A Route for a route another Route claimed and has not created yet creates nothing and names the owner.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table())},
			cache:  &cache{routes: []v1alpha1.Route{first}},
			cr:     route(withoutClaim()),
			want: want{
				cr:  route(withoutClaim(), withConditions(xpv2.Unavailable().WithMessage(elsewhere))),
				err: cmpopts.AnyError,
				msg: elsewhere,
			},
		},
		"FirstClaimOwns": {
			reason: "Of two Routes that both claimed the route, the first to claim owns it and manages it as usual.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, active),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cache: &cache{routes: []v1alpha1.Route{younger}},
			cr:    route(),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(ownedObs, withConditions(xpv2.Available())),
			},
		},
		"StaleSelfInCache": {
			reason: "The cache's copy of the Route itself, which may lack its claim, is not another Route.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, active),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cache: &cache{routes: []v1alpha1.Route{*route(withoutClaim())}},
			cr:    route(),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(ownedObs, withConditions(xpv2.Available())),
			},
		},
		"DeletingSecondRoute": {
			reason: "A Route deleted while another owns its route has nothing of its own: the finalizer goes and the route stays.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cache:  &cache{routes: []v1alpha1.Route{first}},
			cr:     route(withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withDeletionTimestamp())},
		},
		"RouteMadeOutside": {
			reason: "A route that exists and that no Route claims is not taken over silently: the error says how to adopt it.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cr:     route(withoutClaim()),
			want: want{
				cr:  route(withoutClaim(), withConditions(xpv2.Unavailable().WithMessage(byNone))),
				err: cmpopts.AnyError,
				msg: byNone,
			},
		},
		"DeletingWithRouteMadeOutside": {
			reason: "Deleting a Route that never owned the existing route leaves the route in place.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cr:     route(withoutClaim(), withDeletionTimestamp()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withoutClaim(), withDeletionTimestamp())},
		},
		"AdoptAnnotation": {
			reason: "A Route annotated to adopt an existing route no Route owns reports it missing and claims it, for the reconciler to write the claim before Create.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cr:     route(withoutClaim(), withAdopt()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withClaim(t0), withAdopt())},
		},
		"AdoptAnnotationOwnedElsewhere": {
			reason: "The adopt annotation takes over no route another Route owns.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cache:  &cache{routes: []v1alpha1.Route{first}},
			cr:     route(withoutClaim(), withAdopt()),
			want: want{
				cr:  route(withoutClaim(), withAdopt(), withConditions(xpv2.Unavailable().WithMessage(elsewhere))),
				err: cmpopts.AnyError,
				msg: elsewhere,
			},
		},
		"AdoptByPolicy": {
			reason: "A Route whose management policies leave out Create manages the existing route it names.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, active),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cr: route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete), ownedObs, withConditions(xpv2.Available())),
			},
		},
		"ObserveOnlyIgnoresOwner": {
			reason: "An observe-only Route changes nothing, so it reports the route whichever Route owns it.",
			ec2: &fake.EC2{
				MockDescribeRouteTables: describeTables(t, active),
				MockDescribeNatGateways: describeNAT(t, natNew, types.NatGatewayStateAvailable),
			},
			cache: &cache{err: errBoom},
			cr:    route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true},
				cr: route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve), ownedObs, withConditions(xpv2.Available())),
			},
		},
		"MissingUnclaimed": {
			reason: "A missing route that no Route claims does not exist, and Observe claims it, for the reconciler to write the claim before Create creates it.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table())},
			cr:     route(withoutClaim()),
			want:   want{o: managed.ExternalObservation{ResourceExists: false}, cr: route(withClaim(t0))},
		},
		"MissingWithoutCreate": {
			reason: "A Route whose management policies leave out Create claims no missing route.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, table())},
			cr:     route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete)),
			want: want{
				o:  managed.ExternalObservation{ResourceExists: false},
				cr: route(withoutClaim(), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate, xpv2.ManagementActionDelete)),
			},
		},
		"ListError": {
			reason: "An error reading the Routes of the route is returned.",
			ec2:    &fake.EC2{MockDescribeRouteTables: describeTables(t, active)},
			cache:  &cache{err: errBoom},
			cr:     route(),
			want:   want{cr: route(), err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := newExternal(tc.ec2, tc.cache).Observe(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Observe(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.o, got, cmpopts.IgnoreFields(managed.ExternalObservation{}, "Diff")); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, test.EquateConditions()); diff != "" {
				t.Errorf("\n%s\nObserve(...): -want Route, +got Route:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestOwner(t *testing.T) {
	at := claimedAtT0
	cases := map[string]struct {
		reason string
		routes []v1alpha1.Route
		want   string
	}{
		"None": {
			reason: "Routes without a claim own nothing.",
			routes: []v1alpha1.Route{another("a", withoutClaim()), another("b", withoutClaim())},
		},
		"FirstClaim": {
			reason: "The first claim wins, whatever the order of the list.",
			routes: []v1alpha1.Route{another("late", withClaim(at.Add(time.Second))), another("early", withClaim(at)), another("none", withoutClaim())},
			want:   "early",
		},
		"TieByName": {
			reason: "Claims made at the same time are ordered by namespace and name, so every reader picks the same owner.",
			routes: []v1alpha1.Route{another("b", withClaim(at)), another("a", withClaim(at))},
			want:   "a",
		},
		"PolicyClaimsAtCreation": {
			reason: "A Route that manages an existing route by its management policies claims it as of its creation.",
			routes: []v1alpha1.Route{
				another("claimed", withClaim(at)),
				another("policy", withoutClaim(), withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionDelete), withCreated(at.Add(-time.Hour))),
			},
			want: "policy",
		},
		"ObserveOnlyNeverClaims": {
			reason: "An observe-only Route never owns the route.",
			routes: []v1alpha1.Route{another("watcher", withoutClaim(), withPolicies(xpv2.ManagementActionObserve), withCreated(at.Add(-time.Hour))), another("claimed", withClaim(at))},
			want:   "claimed",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := ""
			if o := owner(tc.routes); o != nil {
				got = o.GetName()
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nowner(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCreateClaims(t *testing.T) {
	create := &ec2.CreateRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(natNew)}
	claim := map[string]string{v1alpha1.AnnotationKeyRouteClaimed: t0.Format(time.RFC3339Nano)}
	adoptClaim := map[string]string{v1alpha1.AnnotationKeyRouteClaimed: t0.Format(time.RFC3339Nano), v1alpha1.AnnotationKeyAdoptRoute: "true"}
	byNone := "the route to " + dest + " in route table " + tableID + " exists and no Route owns it"

	type want struct {
		in      *ec2.CreateRouteInput
		patched []map[string]string
		err     error
		msg     string
	}
	cases := map[string]struct {
		reason    string
		createErr error
		patchErr  error
		cr        *v1alpha1.Route
		want      want
	}{
		"ClaimThenCreate": {
			reason: "A Route records its claim before EC2 is asked to create the route, so a crash or a lost answer after the create leaves the route known as its own.",
			cr:     route(withoutClaim()),
			want:   want{in: create, patched: []map[string]string{claim}},
		},
		"EarlierClaim": {
			reason:    "A Route that claimed the route in an earlier attempt does not claim again, and a route that attempt made counts as created.",
			cr:        route(),
			createErr: apiError("RouteAlreadyExists"),
			want:      want{in: create},
		},
		"MadeByAnotherMeanwhile": {
			reason:    "A route that exists although the Route just claimed it was made by someone else since Observe found none: the claim is withdrawn and the error says so.",
			createErr: apiError("RouteAlreadyExists"),
			cr:        route(withoutClaim()),
			want:      want{in: create, patched: []map[string]string{claim, nil}, err: cmpopts.AnyError, msg: byNone},
		},
		"AdoptExisting": {
			reason:    "A Route annotated to adopt takes over the route it finds, and keeps its claim.",
			createErr: apiError("RouteAlreadyExists"),
			cr:        route(withoutClaim(), withAdopt()),
			want:      want{in: create, patched: []map[string]string{adoptClaim}},
		},
		"ClaimError": {
			reason:   "A claim that cannot be recorded is an error, and EC2 is not asked to create the route.",
			patchErr: errBoom,
			cr:       route(withoutClaim()),
			want:     want{patched: []map[string]string{claim}, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *ec2.CreateRouteInput
			api := &fake.EC2{MockCreateRoute: func(_ context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
				got = in
				return &ec2.CreateRouteOutput{}, tc.createErr
			}}
			c := &cache{patchErr: tc.patchErr}
			_, err := newExternal(api, c).Create(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Create(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.in, got, sdkOpts); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want CreateRoute input, +got CreateRoute input:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.patched, c.patched, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want annotations patched, +got annotations patched:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestTwoRoutesAgainstEC2Sim runs two Routes for one route table and
// destination against the EC2 simulator: the first creates and owns the
// route, the second is refused with the owner's name, and deleting the
// second leaves the owner's route active.
func TestTwoRoutesAgainstEC2Sim(t *testing.T) {
	ctx := context.Background()
	n := newSimNetwork(t, ec2sim.Durations{Pending: time.Second, Deleting: time.Hour, Retention: 2 * time.Hour})
	gwA, gwB := n.natGateway(), n.natGateway()
	n.advance(time.Minute)
	inTable := func(cr *v1alpha1.Route) { cr.Spec.ForProvider.RouteTableID = n.table }
	c := &cache{}
	e := newExternal(n.api, c)

	owner := route(inTable, withoutClaim(), withNAT(aws.String(gwA)))
	if o, err := e.Observe(ctx, owner); err != nil || o.ResourceExists {
		t.Fatalf("Observe of the first Route before Create: %+v, %v; want a missing route", o, err)
	}
	if _, err := e.Create(ctx, owner); err != nil {
		t.Fatalf("Create of the first Route: %v", err)
	}
	c.routes = []v1alpha1.Route{*owner.DeepCopy()}

	second := another("second", inTable, withoutClaim(), withNAT(aws.String(gwB)))
	_, err := e.Observe(ctx, &second)
	if err == nil || !strings.Contains(err.Error(), "belongs to Route default/"+owner.GetName()) {
		t.Fatalf("Observe of the second Route: %v; want an error naming the owner", err)
	}
	if got := second.GetCondition(xpv2.TypeReady); got.Status == "True" {
		t.Errorf("Ready of the second Route: %+v; want not ready", got)
	}
	if o, err := e.Observe(ctx, owner); err != nil || !o.ResourceExists || !o.ResourceUpToDate || owner.GetCondition(xpv2.TypeReady).Status != "True" {
		t.Fatalf("Observe of the owner: %+v, %v, Ready %+v; want its route, ready", o, err, owner.GetCondition(xpv2.TypeReady))
	}

	withDeletionTimestamp()(&second)
	if o, err := e.Observe(ctx, &second); err != nil || o.ResourceExists {
		t.Fatalf("Observe of the deleted second Route: %+v, %v; want nothing of its own, so the finalizer goes", o, err)
	}
	if got := n.routes()[dest]; got != gwA+" active" {
		t.Errorf("the owner's route after the second Route is deleted: %q, want %s active", got, gwA)
	}
}

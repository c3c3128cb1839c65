// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

var errBoom = errors.New("boom")

const (
	region   = "us-east-1"
	tableID  = "rtb-0a1b2c3d4e5f60010"
	dest     = "0.0.0.0/0"
	natOld   = "nat-0a1b2c3d4e5f60001"
	natNew   = "nat-0a1b2c3d4e5f60002"
	igw      = "igw-0a1b2c3d4e5f60001"
	extName  = tableID + "_" + dest
	vpcCIDR  = "10.0.0.0/16"
	ipv6Dest = "::/0"
	plDest   = "pl-0a1b2c3d4e5f60001"
)

// t0 is a fixed time for timestamps the tests compare.
var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// sdkOpts compare AWS SDK values, which carry unexported fields.
var sdkOpts = cmpopts.IgnoreUnexported(
	ec2.CreateRouteInput{}, ec2.ReplaceRouteInput{}, ec2.DeleteRouteInput{},
	ec2.DescribeRouteTablesInput{}, ec2.DescribeNatGatewaysInput{},
)

// routeUID is the UID of the tests' Route.
const routeUID = "5b0c7d8e-1f2a-4b3c-9d4e-5f6a7b8c9d01"

// claimedAt is when the tests' Route claimed its route.
var claimedAtT0 = t0.Add(-time.Hour)

// route returns the tests' Route, which claimed its route at claimedAtT0,
// modified by m.
func route(m ...func(*v1alpha1.Route)) *v1alpha1.Route {
	cr := &v1alpha1.Route{ObjectMeta: metav1.ObjectMeta{Name: "private-a-default", Namespace: "default", UID: routeUID, Annotations: map[string]string{
		v1alpha1.AnnotationKeyRouteClaimed: claimedAtT0.Format(time.RFC3339Nano),
	}}}
	cr.Spec.ForProvider = v1alpha1.RouteParameters{
		Region:               region,
		RouteTableID:         tableID,
		DestinationCidrBlock: aws.String(dest),
		NATGatewayID:         aws.String(natNew),
	}
	for _, f := range m {
		f(cr)
	}
	return cr
}

func withExternalName(n string) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { meta.SetExternalName(cr, n) }
}

func withNAT(id *string) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.Spec.ForProvider.NATGatewayID = id }
}

func withDestination(cidr, ipv6, pl *string) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) {
		cr.Spec.ForProvider.DestinationCidrBlock = cidr
		cr.Spec.ForProvider.DestinationIPv6CidrBlock = ipv6
		cr.Spec.ForProvider.DestinationPrefixListID = pl
	}
}

func withAtProvider(o v1alpha1.RouteObservation) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.Status.AtProvider = o }
}

func withConditions(c ...xpv2.Condition) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.SetConditions(c...) }
}

func withDeletionTimestamp() func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) {
		now := metav1.NewTime(t0)
		cr.SetDeletionTimestamp(&now)
	}
}

// withoutClaim removes the Route's claim on its route.
func withoutClaim() func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { meta.RemoveAnnotations(cr, v1alpha1.AnnotationKeyRouteClaimed) }
}

// withClaim sets when the Route claimed its route.
func withClaim(at time.Time) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) {
		meta.AddAnnotations(cr, map[string]string{v1alpha1.AnnotationKeyRouteClaimed: at.Format(time.RFC3339Nano)})
	}
}

// withCreated sets when the Route was created.
func withCreated(at time.Time) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.CreationTimestamp = metav1.NewTime(at) }
}

// withAdopt tells the Route to adopt an existing route.
func withAdopt() func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) {
		meta.AddAnnotations(cr, map[string]string{v1alpha1.AnnotationKeyAdoptRoute: "true"})
	}
}

// another returns another Route, other/name, for the same route, modified by
// m.
func another(name string, m ...func(*v1alpha1.Route)) v1alpha1.Route {
	cr := route(m...)
	cr.Namespace, cr.Name, cr.UID = "other", name, ktypes.UID("uid-"+name)
	return *cr
}

// cache is the API server's cache of Routes for the tests: List answers its
// routes, or err, and Patch records what it was sent.
type cache struct {
	routes   []v1alpha1.Route
	err      error
	patchErr error
	patched  []map[string]string
}

func (c *cache) client() *test.MockClient {
	return &test.MockClient{
		MockList: func(_ context.Context, l client.ObjectList, _ ...client.ListOption) error {
			if c.err != nil {
				return c.err
			}
			rl := l.(*v1alpha1.RouteList)
			for i := range c.routes {
				rl.Items = append(rl.Items, *c.routes[i].DeepCopy())
			}
			return nil
		},
		MockPatch: func(_ context.Context, o client.Object, _ client.Patch, _ ...client.PatchOption) error {
			c.patched = append(c.patched, maps.Clone(o.GetAnnotations()))
			return c.patchErr
		},
	}
}

// newExternal returns an external client with api and the Routes of c (none
// when c is nil), at t0.
func newExternal(api ec2client.API, c *cache) *external {
	if c == nil {
		c = &cache{}
	}
	return &external{client: api, kube: c.client(), now: func() time.Time { return t0 }}
}

// natRoute is a route to NAT gateway id in state.
func natRoute(id string, state types.RouteState) types.Route {
	return types.Route{DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(id), State: state, Origin: types.RouteOriginCreateRoute}
}

// table is a route table with its local route and routes.
func table(routes ...types.Route) types.RouteTable {
	local := types.Route{DestinationCidrBlock: aws.String(vpcCIDR), GatewayId: aws.String("local"), State: types.RouteStateActive, Origin: types.RouteOriginCreateRouteTable}
	return types.RouteTable{RouteTableId: aws.String(tableID), Routes: append([]types.Route{local}, routes...)}
}

// apiError is an EC2 error with code.
func apiError(code string) error {
	return &smithy.GenericAPIError{Code: code, Message: code}
}

// checkErr compares err with want (errors.Is semantics) and, when msg is
// set, checks that err says it.
func checkErr(t *testing.T, reason, call string, want, err error, msg string) {
	t.Helper()
	if diff := cmp.Diff(want, err, cmpopts.EquateErrors()); diff != "" {
		t.Errorf("\n%s\n%s: -want error, +got error:\n%s", reason, call, diff)
	}
	if msg != "" && (err == nil || !strings.Contains(err.Error(), msg)) {
		t.Errorf("\n%s\n%s: error %v does not say %q", reason, call, err, msg)
	}
}

func TestConnect(t *testing.T) {
	api := &fake.EC2{}
	type want struct {
		region string
		ok     bool
		err    error
	}
	cases := map[string]struct {
		reason  string
		usage   resource.ModernTracker
		factory *controllertest.ClientFactory
		want    want
	}{
		"TrackError": {
			reason:  "An error tracking the ProviderConfig usage is returned before a client is made.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return errBoom }),
			factory: &controllertest.ClientFactory{API: api},
			want:    want{err: errBoom},
		},
		"ClientError": {
			reason:  "An error getting the EC2 client is returned.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			factory: &controllertest.ClientFactory{Err: errBoom},
			want:    want{region: region, err: errBoom},
		},
		"Success": {
			reason:  "A client for the Route's region is returned.",
			usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			factory: &controllertest.ClientFactory{API: api},
			want:    want{region: region, ok: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c := &connector{usage: tc.usage, clients: tc.factory}
			got, err := c.Connect(context.Background(), route())
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nConnect(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.region, tc.factory.Region); diff != "" {
				t.Errorf("\n%s\nConnect(...): -want region, +got region:\n%s", tc.reason, diff)
			}
			e, ok := got.(*external)
			if ok != tc.want.ok {
				t.Fatalf("\n%s\nConnect(...): got an external client: %t, want %t", tc.reason, ok, tc.want.ok)
			}
			if ok && e.client != api {
				t.Errorf("\n%s\nConnect(...): the external client does not use the factory's EC2 client", tc.reason)
			}
		})
	}
}

func TestSetupGated(t *testing.T) {
	g := &controllertest.Gate{}
	if err := SetupGated(nil, controller.Options{Gate: g}, managedopts.Dependencies{Clients: &controllertest.ClientFactory{}}); err != nil {
		t.Fatalf("SetupGated(...): %v", err)
	}
	want := []schema.GroupVersionKind{v1alpha1.RouteGroupVersionKind, v1alpha1.NATGatewayGroupVersionKind}
	if diff := cmp.Diff(want, g.GVKs); diff != "" {
		t.Errorf("SetupGated(...): the controller must wait for the Route and NATGateway CRDs it watches: -want, +got:\n%s", diff)
	}
}

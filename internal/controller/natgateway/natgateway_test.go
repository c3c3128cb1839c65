// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

var errBoom = errors.New("boom")

// Identifiers used by the tests.
const (
	testUID      = "0e4b5a5c-8b9e-4d47-9d5e-2f1f8f3e6a10"
	otherUID     = "7c2d9e41-5b3a-4f6e-8a1d-3e9f0b2c4d5a"
	natID        = "nat-0a1b2c3d4e5f60718"
	newNatID     = "nat-0f1e2d3c4b5a69788"
	otherNatID   = "nat-0123456789abcdef0"
	subnetID     = "subnet-0abc1234def567890"
	vpcID        = "vpc-0a1b2c3d4e5f67890"
	allocID      = "eipalloc-0a1b2c3d4e5f60001"
	newAllocID   = "eipalloc-0a1b2c3d4e5f60002"
	secAllocA    = "eipalloc-0a1b2c3d4e5f6000a"
	secAllocB    = "eipalloc-0a1b2c3d4e5f6000b"
	assocPrimary = "eipassoc-0a1b2c3d4e5f60001"
	assocA       = "eipassoc-0a1b2c3d4e5f6000a"
	assocB       = "eipassoc-0a1b2c3d4e5f6000b"
)

// t0 is the time the tests' gateways were created.
var t0 = time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)

// apiError is an EC2 API error with the given code.
func apiError(code string) error {
	return &smithy.GenericAPIError{Code: code, Message: code + " in test"}
}

// natGateway returns a public zonal NATGateway named egress-a in namespace
// default, modified by m.
func natGateway(m ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	cr := &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Name: "egress-a", Namespace: "default", UID: testUID},
		Spec: v1alpha1.NATGatewaySpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{
				ProviderConfigReference: &xpv2.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "default"},
			},
			ForProvider: v1alpha1.NATGatewayParameters{
				Region:       "us-east-1",
				SubnetID:     aws.String(subnetID),
				AllocationID: aws.String(allocID),
			},
		},
	}
	for _, f := range m {
		f(cr)
	}
	return cr
}

func withExternalName(id string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { meta.SetExternalName(cr, id) }
}

func withAnnotation(k, v string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { meta.AddAnnotations(cr, map[string]string{k: v}) }
}

func withDeletionTimestamp() func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) {
		ts := metav1.NewTime(t0)
		cr.SetDeletionTimestamp(&ts)
	}
}

func withOnFailed(p string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.OnFailed = aws.String(p) }
}

func withTags(t map[string]string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.Tags = t }
}

func withAllocation(id string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.AllocationID = aws.String(id) }
}

func withSecondaryAllocations(ids ...string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.SecondaryAllocationIDs = ids }
}

func withSecondaryPrivateIPs(ips ...string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.SecondaryPrivateIPAddresses = ips }
}

func withSecondaryPrivateIPCount(n int32) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.SecondaryPrivateIPAddressCount = aws.Int32(n) }
}

// private makes the NATGateway a private zonal one.
func private() func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) {
		cr.Spec.ForProvider.ConnectivityType = aws.String(v1alpha1.ConnectivityTypePrivate)
		cr.Spec.ForProvider.AllocationID = nil
	}
}

// regional makes the NATGateway a regional one in vpcID.
func regional() func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) {
		cr.Spec.ForProvider.AvailabilityMode = aws.String(v1alpha1.AvailabilityModeRegional)
		cr.Spec.ForProvider.VpcID = aws.String(vpcID)
		cr.Spec.ForProvider.SubnetID = nil
		cr.Spec.ForProvider.AllocationID = nil
	}
}

func withAtProvider(o v1alpha1.NATGatewayObservation) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.Status.AtProvider = o }
}

func withConditions(c ...xpv2.Condition) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { cr.SetConditions(c...) }
}

// ownership returns the ownership tags of the default NATGateway.
func ownership() map[string]string {
	return map[string]string{
		"crossplane-kind":                "natgateway.ec2.aws.m.egresskit.io",
		"crossplane-name":                "egress-a",
		"crossplane-namespace":           "default",
		"crossplane-providerconfig":      "default",
		"crossplane-providerconfig-kind": "ClusterProviderConfig",
		ec2client.TagUID:                 testUID,
	}
}

// merge returns the union of maps, later ones winning.
func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		maps.Copy(out, m)
	}
	return out
}

// gateway returns an available public zonal gateway natID as EC2 describes
// it, with the ownership tags and its primary address, modified by m.
func gateway(m ...func(*types.NatGateway)) types.NatGateway {
	gw := types.NatGateway{
		NatGatewayId:     aws.String(natID),
		State:            types.NatGatewayStateAvailable,
		SubnetId:         aws.String(subnetID),
		VpcId:            aws.String(vpcID),
		ConnectivityType: types.ConnectivityTypePublic,
		AvailabilityMode: types.AvailabilityModeZonal,
		CreateTime:       aws.Time(t0),
		Tags:             ec2client.Tags(ownership()),
		NatGatewayAddresses: []types.NatGatewayAddress{{
			AllocationId:       aws.String(allocID),
			AssociationId:      aws.String(assocPrimary),
			NetworkInterfaceId: aws.String("eni-0a1b2c3d4e5f60001"),
			PrivateIp:          aws.String("10.0.1.10"),
			PublicIp:           aws.String("203.0.113.10"),
			IsPrimary:          aws.Bool(true),
			Status:             types.NatGatewayAddressStatusSucceeded,
		}},
	}
	for _, f := range m {
		f(&gw)
	}
	return gw
}

func gwID(id string) func(*types.NatGateway) {
	return func(gw *types.NatGateway) { gw.NatGatewayId = aws.String(id) }
}

func gwState(s types.NatGatewayState) func(*types.NatGateway) {
	return func(gw *types.NatGateway) { gw.State = s }
}

func gwCreated(t time.Time) func(*types.NatGateway) {
	return func(gw *types.NatGateway) { gw.CreateTime = aws.Time(t) }
}

func gwFailure(code, message string) func(*types.NatGateway) {
	return func(gw *types.NatGateway) {
		gw.State = types.NatGatewayStateFailed
		gw.FailureCode = aws.String(code)
		gw.FailureMessage = aws.String(message)
	}
}

func gwTags(t map[string]string) func(*types.NatGateway) {
	return func(gw *types.NatGateway) { gw.Tags = ec2client.Tags(t) }
}

func gwAddress(a types.NatGatewayAddress) func(*types.NatGateway) {
	return func(gw *types.NatGateway) { gw.NatGatewayAddresses = append(gw.NatGatewayAddresses, a) }
}

// gwPrivate makes the gateway a private one with primary address 10.0.1.10.
func gwPrivate() func(*types.NatGateway) {
	return func(gw *types.NatGateway) {
		gw.ConnectivityType = types.ConnectivityTypePrivate
		gw.NatGatewayAddresses = []types.NatGatewayAddress{{
			NetworkInterfaceId: aws.String("eni-0a1b2c3d4e5f60001"),
			PrivateIp:          aws.String("10.0.1.10"),
			IsPrimary:          aws.Bool(true),
			Status:             types.NatGatewayAddressStatusSucceeded,
		}}
	}
}

func secondaryEIP(alloc, assoc string, s types.NatGatewayAddressStatus) types.NatGatewayAddress {
	return types.NatGatewayAddress{AllocationId: aws.String(alloc), AssociationId: aws.String(assoc), IsPrimary: aws.Bool(false), Status: s}
}

func secondaryIP(ip string, s types.NatGatewayAddressStatus) types.NatGatewayAddress {
	return types.NatGatewayAddress{PrivateIp: aws.String(ip), IsPrimary: aws.Bool(false), Status: s}
}

// observed returns what Observe writes to status for gw.
func observed(gw types.NatGateway) v1alpha1.NATGatewayObservation {
	return generateObservation(gw)
}

// A recorder records events.
type recorder struct {
	events []event.Event
}

func (r *recorder) Event(_ runtime.Object, e event.Event) { r.events = append(r.events, e) }

func (r *recorder) WithAnnotations(_ ...string) event.Recorder { return r }

// newExternal returns an external client of api at now.
func newExternal(api ec2client.API, now time.Time) (*external, *recorder) {
	rec := &recorder{}
	return &external{
		client:      api,
		record:      rec,
		recreations: newRecreationsCounter(),
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		now:         func() time.Time { return now },
	}, rec
}

// equateErrors treats two errors as equal when one wraps the other, as
// cmpopts.EquateErrors does for errBoom returned by a fake, or when they read
// the same, for errors the code under test makes itself.
func equateErrors() cmp.Option {
	return cmp.FilterValues(func(x, y any) bool {
		_, xok := x.(error)
		_, yok := y.(error)
		return xok && yok
	}, cmp.Comparer(func(x, y any) bool {
		xe, _ := x.(error)
		ye, _ := y.(error)
		return errors.Is(xe, ye) || errors.Is(ye, xe) || xe.Error() == ye.Error()
	}))
}

// crOpts compare NATGateways, ignoring condition transition times.
var crOpts = []cmp.Option{
	cmpopts.EquateEmpty(),
	cmpopts.IgnoreFields(xpv2.Condition{}, "LastTransitionTime"),
}

func TestConnect(t *testing.T) {
	api := &fake.EC2{}
	type want struct {
		region string
		err    error
	}
	cases := map[string]struct {
		reason    string
		usage     resource.ModernTracker
		clientFor func(region string) (ec2client.API, error)
		want      want
	}{
		"TrackUsageError": {
			reason: "An error tracking the ProviderConfig usage is returned before any client is made.",
			usage:  resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return errBoom }),
			want:   want{err: errBoom},
		},
		"ClientFactoryError": {
			reason:    "An error getting the EC2 client is returned.",
			usage:     resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			clientFor: func(string) (ec2client.API, error) { return nil, errBoom },
			want:      want{region: "us-east-1", err: errBoom},
		},
		"Success": {
			reason:    "Connect returns an external client for the NATGateway's region.",
			usage:     resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
			clientFor: func(string) (ec2client.API, error) { return api, nil },
			want:      want{region: "us-east-1"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var region string
			clients := ec2client.ClientFactoryFn(func(_ context.Context, _ resource.ModernManaged, r string) (ec2client.API, error) {
				region = r
				return tc.clientFor(r)
			})
			c := &connector{usage: tc.usage, clients: clients, record: &recorder{}, recreations: newRecreationsCounter(), now: time.Now}
			got, err := c.Connect(context.Background(), natGateway())
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\nc.Connect(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.region, region); diff != "" {
				t.Errorf("\n%s\nc.Connect(...): -want region, +got region:\n%s", tc.reason, diff)
			}
			if tc.want.err != nil {
				return
			}
			e, ok := got.(*external)
			if !ok {
				t.Fatalf("\n%s\nc.Connect(...): want *external, got %T", tc.reason, got)
			}
			if e.client != api {
				t.Errorf("\n%s\nc.Connect(...): the external client does not use the factory's EC2 client", tc.reason)
			}
		})
	}
}

func TestSetupGated(t *testing.T) {
	g := &controllertest.Gate{}
	if err := SetupGated(nil, controller.Options{Gate: g}, managedopts.Dependencies{Clients: &controllertest.ClientFactory{}}); err != nil {
		t.Fatalf("SetupGated(...): %v", err)
	}
	want := []schema.GroupVersionKind{v1alpha1.NATGatewayGroupVersionKind, v1alpha1.ElasticIPGroupVersionKind}
	if diff := cmp.Diff(want, g.GVKs); diff != "" {
		t.Errorf("SetupGated(...) waits for: -want, +got:\n%s", diff)
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	ktypes "k8s.io/apimachinery/pkg/types"
	"k8s.io/client-go/util/workqueue"
	"sigs.k8s.io/controller-runtime/pkg/event"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpevent "github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/natinventory"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// clusterKey is the inventory key of the default NATGateway, whose fake EC2
// client names no account.
var clusterKey = natinventory.Key{Region: "us-east-1"}

// A fakeInventory serves the gateways of one snapshot, and records what it
// is asked.
type fakeInventory struct {
	MockGet   func(k natinventory.Key, api ec2client.API, id string) (types.NatGateway, bool)
	MockTouch func(k natinventory.Key, id string)
	MockPeek  func(id string) (types.NatGateway, bool)
}

func (f *fakeInventory) Peek(id string) (types.NatGateway, bool) {
	if f.MockPeek == nil {
		return types.NatGateway{}, false
	}
	return f.MockPeek(id)
}

func (f *fakeInventory) Get(k natinventory.Key, api ec2client.API, id string) (types.NatGateway, bool) {
	return f.MockGet(k, api, id)
}

func (f *fakeInventory) Touch(k natinventory.Key, id string) {
	f.MockTouch(k, id)
}

// an inventoryCall is one Get.
type inventoryCall struct {
	Key natinventory.Key
	ID  string
}

// serving returns an inventory that serves gws, recording the Gets in calls
// and checking that they pass api.
func serving(t *testing.T, api ec2client.API, calls *[]inventoryCall, gws ...types.NatGateway) *fakeInventory {
	t.Helper()
	return &fakeInventory{MockGet: func(k natinventory.Key, got ec2client.API, id string) (types.NatGateway, bool) {
		if got != api {
			t.Errorf("inventory Get(...): must list with the external client's EC2 client")
		}
		*calls = append(*calls, inventoryCall{Key: k, ID: id})
		for _, gw := range gws {
			if *gw.NatGatewayId == id {
				return gw, true
			}
		}
		return types.NatGateway{}, false
	}}
}

func TestObserveInventory(t *testing.T) {
	deletedEvent := xpevent.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; creating a new one"))
	associating := gateway(gwAddress(secondaryEIP(secAllocA, assocA, types.NatGatewayAddressStatusAssociating)))
	get := []inventoryCall{{Key: clusterKey, ID: natID}}

	type want struct {
		cr       *v1alpha1.NATGateway
		exists   bool
		upToDate bool
		found    *found
		events   []xpevent.Event
		gets     []inventoryCall
	}
	cases := map[string]struct {
		reason   string
		ec2      *fake.EC2
		snapshot []types.NatGateway
		cr       *v1alpha1.NATGateway
		want     want
	}{
		"ServedAvailable": {
			reason:   "An available gateway in a fresh snapshot is observed without an EC2 call.",
			ec2:      &fake.EC2{},
			snapshot: []types.NatGateway{gateway()},
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists: true, upToDate: true, gets: get,
			},
		},
		"ServedDeleted": {
			reason:   "A gateway a fresh snapshot shows deleted does not exist, as when described: the reconciler creates another.",
			ec2:      &fake.EC2{},
			snapshot: []types.NatGateway{gateway(gwState(types.NatGatewayStateDeleted))},
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []xpevent.Event{deletedEvent},
				gets:   get,
			},
		},
		"ServedFailed": {
			reason:   "A failed gateway in a fresh snapshot is reported with its failure, as when described.",
			ec2:      &fake.EC2{},
			snapshot: []types.NatGateway{gateway(gwFailure("InternalError", "try again"))},
			cr:       natGateway(withExternalName(natID), withOnFailed(v1alpha1.OnFailedReport)),
			want: want{
				cr: natGateway(withExternalName(natID), withOnFailed(v1alpha1.OnFailedReport),
					withAtProvider(observed(gateway(gwFailure("InternalError", "try again")))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" failed: InternalError: try again; spec.onFailed is Report, so it is not replaced"))),
				exists: true, upToDate: true, gets: get,
			},
		},
		"NotInSnapshot": {
			reason:   "A gateway the snapshot lacks (made since, or imported without tags) is described.",
			ec2:      describeReturns(gateway()),
			snapshot: nil,
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists: true, upToDate: true, gets: get,
			},
		},
		"NotInSnapshotConfirmedGone": {
			reason:   "Only a describe proves a gateway is gone: one the snapshot lacks and EC2 answers NatGatewayNotFound for does not exist.",
			ec2:      describeFails(apiError(ec2client.CodeNatGatewayNotFound)),
			snapshot: nil,
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr:    natGateway(withExternalName(natID)),
				found: &found{id: natID, state: v1alpha1.FoundStateNotFound},
				gets:  get,
			},
		},
		"PendingIsDescribed": {
			reason:   "A gateway in transition is described, so it is followed as closely as the short poll interval allows.",
			ec2:      describeReturns(gateway()),
			snapshot: []types.NatGateway{gateway(gwState(types.NatGatewayStatePending))},
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr:     natGateway(withExternalName(natID), withAtProvider(observed(gateway())), withConditions(xpv2.Available())),
				exists: true, upToDate: true, gets: get,
			},
		},
		"DeletingIsDescribed": {
			reason:   "A deleting gateway is described, so its replacement follows as soon as EC2 reports it deleted.",
			ec2:      describeReturns(gateway(gwState(types.NatGatewayStateDeleted))),
			snapshot: []types.NatGateway{gateway(gwState(types.NatGatewayStateDeleting))},
			cr:       natGateway(withExternalName(natID)),
			want: want{
				cr: natGateway(withExternalName(natID), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleted)))),
					withConditions(xpv2.Unavailable().WithMessage("NAT gateway "+natID+" is deleted"))),
				found:  &found{id: natID, state: v1alpha1.FoundStateDeleted},
				events: []xpevent.Event{deletedEvent},
				gets:   get,
			},
		},
		"AddressChangingIsDescribed": {
			reason:   "An available gateway with an address being associated is described.",
			ec2:      describeReturns(associating),
			snapshot: []types.NatGateway{associating},
			cr:       natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA)),
			want: want{
				cr:     natGateway(withExternalName(natID), withSecondaryAllocations(secAllocA), withAtProvider(observed(associating)), withConditions(xpv2.Available())),
				exists: true, gets: get,
			},
		},
		"NamespacedConfig": {
			reason:   "A NATGateway of a namespaced ProviderConfig asks for the gateways of its client's account and region, as one of a ClusterProviderConfig does.",
			ec2:      &fake.EC2{},
			snapshot: []types.NatGateway{gateway(gwTags(merge(ownership(), map[string]string{"crossplane-providerconfig-kind": "ProviderConfig"})))},
			cr:       natGateway(withExternalName(natID), withProviderConfig("ProviderConfig", "default")),
			want: want{
				cr: natGateway(withExternalName(natID), withProviderConfig("ProviderConfig", "default"),
					withAtProvider(observed(gateway(gwTags(merge(ownership(), map[string]string{"crossplane-providerconfig-kind": "ProviderConfig"}))))),
					withConditions(xpv2.Available())),
				exists: true, upToDate: true,
				gets: get,
			},
		},
		"NoExternalName": {
			reason: "A NATGateway without a gateway asks neither the inventory nor EC2.",
			ec2:    &fake.EC2{},
			cr:     natGateway(),
			want:   want{cr: natGateway()},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var gets []inventoryCall
			e, rec := newExternal(tc.ec2, time.Now())
			e.inventory = serving(t, tc.ec2, &gets, tc.snapshot...)
			got, err := e.Observe(context.Background(), tc.cr)
			if err != nil {
				t.Fatalf("\n%s\ne.Observe(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, crOpts...); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want NATGateway, +got NATGateway:\n%s", tc.reason, diff)
			}
			wantObs := managed.ExternalObservation{ResourceExists: tc.want.exists, ResourceUpToDate: tc.want.upToDate}
			if diff := cmp.Diff(wantObs, got, cmpopts.IgnoreFields(managed.ExternalObservation{}, "Diff")); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want observation, +got observation:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.found, e.found, cmp.AllowUnexported(found{})); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want found, +got found:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.events, rec.events, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want events, +got events:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.gets, gets, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\ne.Observe(...): -want inventory calls, +got inventory calls:\n%s", tc.reason, diff)
			}
		})
	}
}

// TestObserveSnapshotAsDescribe observes the same gateway from a snapshot and
// from a describe: every settled state must give the same answer.
func TestObserveSnapshotAsDescribe(t *testing.T) {
	cases := map[string]struct {
		reason string
		gw     types.NatGateway
		cr     *v1alpha1.NATGateway
	}{
		"Available": {
			reason: "An available gateway that matches the spec.",
			gw:     gateway(),
			cr:     natGateway(withExternalName(natID)),
		},
		"TagDrift": {
			reason: "An available gateway whose tags drifted is not up to date either way.",
			gw:     gateway(gwTags(merge(ownership(), map[string]string{"team": "other"}))),
			cr:     natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"})),
		},
		"Deleted": {
			reason: "A deleted gateway does not exist either way.",
			gw:     gateway(gwState(types.NatGatewayStateDeleted)),
			cr:     natGateway(withExternalName(natID)),
		},
		"DeletedWhileDeleting": {
			reason: "A deleted gateway lets the finalizer go either way.",
			gw:     gateway(gwState(types.NatGatewayStateDeleted)),
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp()),
		},
		"FailedBackoffElapsed": {
			reason: "A failed gateway past its backoff is replaced either way.",
			gw:     gateway(gwFailure("InternalError", "try again")),
			cr:     natGateway(withExternalName(natID)),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			now := t0.Add(time.Hour)
			described, drec := newExternal(describeReturns(tc.gw), now)
			dcr := tc.cr.DeepCopy()
			dobs, derr := described.Observe(context.Background(), dcr)

			var gets []inventoryCall
			// A deleted NATGateway lists the gateways tagged for it from EC2
			// either way.
			api := &fake.EC2{MockDescribeNatGateways: purgedAndOwned().MockDescribeNatGateways}
			served, srec := newExternal(api, now)
			served.inventory = serving(t, api, &gets, tc.gw)
			scr := tc.cr.DeepCopy()
			sobs, serr := served.Observe(context.Background(), scr)

			if diff := cmp.Diff(derr, serr, equateErrors()); diff != "" {
				t.Errorf("\n%s\nObserve: -described error, +served error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(dobs, sobs); diff != "" {
				t.Errorf("\n%s\nObserve: -described observation, +served observation:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(dcr, scr, crOpts...); diff != "" {
				t.Errorf("\n%s\nObserve: -described NATGateway, +served NATGateway:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(described.found, served.found, cmp.AllowUnexported(found{})); diff != "" {
				t.Errorf("\n%s\nObserve: -described found, +served found:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(drec.events, srec.events, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nObserve: -described events, +served events:\n%s", tc.reason, diff)
			}
			if len(gets) != 1 {
				t.Errorf("\n%s\nObserve: want one inventory Get, got %d", tc.reason, len(gets))
			}
		})
	}
}

func TestTouch(t *testing.T) {
	type want struct {
		touched []inventoryCall
		err     error
	}
	cases := map[string]struct {
		reason string
		m      *mutations
		call   func(context.Context, *external, *v1alpha1.NATGateway) error
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"Create": {
			reason: "A created gateway is touched, so no snapshot taken before serves it.",
			m:      &mutations{},
			call: func(ctx context.Context, e *external, cr *v1alpha1.NATGateway) error {
				_, err := e.Create(ctx, cr)
				return err
			},
			cr:   natGateway(),
			want: want{touched: []inventoryCall{{Key: clusterKey, ID: newNatID}}},
		},
		"Update": {
			reason: "A gateway whose tags were updated is touched.",
			m:      &mutations{},
			call: func(ctx context.Context, e *external, cr *v1alpha1.NATGateway) error {
				_, err := e.Update(ctx, cr)
				return err
			},
			cr:   natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway()))),
			want: want{touched: []inventoryCall{{Key: clusterKey, ID: natID}}},
		},
		"UpdateFails": {
			reason: "A failed update may still have changed something: the gateway is touched.",
			m:      &mutations{errs: map[string]error{"CreateTags": errBoom}},
			call: func(ctx context.Context, e *external, cr *v1alpha1.NATGateway) error {
				_, err := e.Update(ctx, cr)
				return err
			},
			cr:   natGateway(withExternalName(natID), withTags(map[string]string{"team": "net"}), withAtProvider(observed(gateway()))),
			want: want{touched: []inventoryCall{{Key: clusterKey, ID: natID}}, err: errBoom},
		},
		"Delete": {
			reason: "A gateway asked to delete is touched.",
			m:      &mutations{},
			call: func(ctx context.Context, e *external, cr *v1alpha1.NATGateway) error {
				_, err := e.Delete(ctx, cr)
				return err
			},
			cr:   natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway()))),
			want: want{touched: []inventoryCall{{Key: clusterKey, ID: natID}}},
		},
		"DeleteWithoutGateway": {
			reason: "Without an external name there is nothing to touch.",
			m:      &mutations{},
			call: func(ctx context.Context, e *external, cr *v1alpha1.NATGateway) error {
				_, err := e.Delete(ctx, cr)
				return err
			},
			cr: natGateway(withDeletionTimestamp()),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			api := tc.m.fake()
			api.MockDescribeNatGateways = func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
				return &ec2.DescribeNatGatewaysOutput{}, nil
			}
			e, _ := newExternal(api, t0)
			var touched []inventoryCall
			e.inventory = &fakeInventory{MockTouch: func(k natinventory.Key, id string) {
				touched = append(touched, inventoryCall{Key: k, ID: id})
			}}
			err := tc.call(context.Background(), e, tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\n-want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.touched, touched, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\n-want touched, +got touched:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestEnqueueOwner(t *testing.T) {
	cases := map[string]struct {
		reason string
		change natinventory.Change
		want   reconcile.Request
		urgent bool
	}{
		"Deleted": {
			reason: "The NATGateway named by a deleted gateway's ownership tags is enqueued, as urgent.",
			change: natinventory.Change{Owner: natinventory.Owner{Namespace: "team", Name: "egress-b"}, ID: natID, State: types.NatGatewayStateDeleted},
			want:   reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "team", Name: "egress-b"}},
			urgent: true,
		},
		"Vanished": {
			reason: "The NATGateway of a gateway that vanished is enqueued, as urgent.",
			change: natinventory.Change{Owner: natinventory.Owner{Namespace: "default", Name: "egress-a"}, ID: natID},
			want:   reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}},
			urgent: true,
		},
		"Drifted": {
			reason: "The NATGateway of an available gateway whose tags changed is enqueued as routine work.",
			change: natinventory.Change{Owner: natinventory.Owner{Namespace: "default", Name: "egress-a"}, ID: natID, State: types.NatGatewayStateAvailable},
			want:   reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			q := workqueue.NewTypedRateLimitingQueue(workqueue.DefaultTypedControllerRateLimiter[reconcile.Request]())
			defer q.ShutDown()
			u := newUrgency()
			enqueueOwner(u).Generic(context.Background(), event.TypedGenericEvent[natinventory.Change]{Object: tc.change}, q)
			if got := u.take(tc.want.NamespacedName); got != tc.urgent {
				t.Errorf("\n%s\nenqueueOwner: urgent %t, want %t", tc.reason, got, tc.urgent)
			}
			if q.Len() != 1 {
				t.Fatalf("\n%s\nenqueueOwner: want 1 request queued, got %d", tc.reason, q.Len())
			}
			got, _ := q.Get()
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nenqueueOwner: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestSetupInventoryInterval(t *testing.T) {
	err := Setup(nil, controller.Options{}, managedopts.Dependencies{Clients: &controllertest.ClientFactory{}, NATInventoryInterval: -time.Second})
	want := "cannot set up the NAT gateway inventory: interval -1s is negative; use 0 to turn it off"
	if err == nil || err.Error() != want {
		t.Errorf("Setup(...) with a negative inventory interval: want error %q, got %v", want, err)
	}
}

func withProviderConfig(kind, name string) func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) {
		if name == "" {
			cr.Spec.ProviderConfigReference = nil
			return
		}
		cr.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: kind, Name: name}
	}
}

func TestInventoryKey(t *testing.T) {
	team := ec2client.Scope{Region: "us-east-1", Config: "ProviderConfig team/aws", Account: "111122223333"}
	cluster := ec2client.Scope{Region: "us-east-1", Config: "ClusterProviderConfig default", Account: "111122223333"}
	cases := map[string]struct {
		reason string
		scope  ec2client.Scope
		want   natinventory.Key
	}{
		"NamespacedConfig": {
			reason: "A ProviderConfig's client lists the gateways of the account it acts as.",
			scope:  team,
			want:   natinventory.Key{Account: "111122223333", Region: "us-east-1"},
		},
		"ClusterConfigOfTheSameAccount": {
			reason: "A ClusterProviderConfig reaching the same account shares the key, so both share one listing.",
			scope:  cluster,
			want:   natinventory.Key{Account: "111122223333", Region: "us-east-1"},
		},
		"OtherAccount": {
			reason: "Another account never shares a listing.",
			scope:  ec2client.Scope{Region: "us-east-1", Config: "ClusterProviderConfig b", Account: "444455556666"},
			want:   natinventory.Key{Account: "444455556666", Region: "us-east-1"},
		},
		"Unresolved": {
			reason: "Credentials whose account could not be resolved are keyed by their access key, as the EC2 API budget is.",
			scope:  ec2client.Scope{Region: "eu-west-1", Config: "ClusterProviderConfig moto", AccessKeyID: "AKIAEGRESSKIT", Endpoint: "http://127.0.0.1:5000"},
			want:   natinventory.Key{Account: "AKIAEGRESSKIT", Endpoint: "http://127.0.0.1:5000", Region: "eu-west-1"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e := &external{client: ec2client.Explaining(&fake.EC2{}, tc.scope)}
			if diff := cmp.Diff(tc.want, e.inventoryKey(tc.scope.Region)); diff != "" {
				t.Errorf("\n%s\ne.inventoryKey(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

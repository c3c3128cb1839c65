// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/runtime"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/controller"
	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/feature"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis"
	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
	"github.com/egresskit/provider-aws-egress/internal/controller/managedopts"
)

// A kube records the writes crossplane-runtime's managed reconciler makes
// to the API server, serving cr to its reads.
type kube struct {
	cr      *v1alpha1.NATGateway
	updates []*v1alpha1.NATGateway
	status  []*v1alpha1.NATGateway
}

func (k *kube) client() *test.MockClient {
	c := test.NewMockClient()
	c.MockGet = func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
		k.cr.DeepCopyInto(obj.(*v1alpha1.NATGateway))
		return nil
	}
	c.MockUpdate = func(_ context.Context, obj client.Object, _ ...client.UpdateOption) error {
		k.updates = append(k.updates, obj.(*v1alpha1.NATGateway).DeepCopy())
		return nil
	}
	c.MockStatusUpdate = func(_ context.Context, obj client.Object, _ ...client.SubResourceUpdateOption) error {
		k.status = append(k.status, obj.(*v1alpha1.NATGateway).DeepCopy())
		return nil
	}
	return c
}

// reconcileOnce runs one reconcile of cr with the controller's options
// against api, and returns what it wrote and the events it emitted.
func reconcileOnce(t *testing.T, cr *v1alpha1.NATGateway, api ec2client.API, features *feature.Flags, now time.Time) (*kube, *recorder) {
	t.Helper()
	k := &kube{cr: cr}
	return k, reconcileInto(t, k, api, features, now)
}

// reconcileInto is reconcileOnce of k's NATGateway, recording the writes in
// k as they are made.
func reconcileInto(t *testing.T, k *kube, api ec2client.API, features *feature.Flags, now time.Time) *recorder {
	t.Helper()
	s := runtime.NewScheme()
	if err := apis.AddToScheme(s); err != nil {
		t.Fatalf("apis.AddToScheme(...): %v", err)
	}
	kc := k.client()
	rec := &recorder{}
	conn := &connector{
		usage:       resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
		clients:     ec2client.ClientFactoryFn(func(context.Context, resource.ModernManaged, string) (ec2client.API, error) { return api, nil }),
		record:      rec,
		recreations: newRecreationsCounter(),
		backoff:     backoff{base: DefaultFailedBackoffBase, max: DefaultFailedBackoffMax},
		now:         func() time.Time { return now },
	}
	o := controller.Options{Logger: logging.NewNopLogger(), PollInterval: time.Minute, Features: features}
	r := newReconciler(&rfake.Manager{Client: kc, Scheme: s}, append(lifecycleOptions(kc, conn), managedopts.Standard(o, managed.ControllerName(v1alpha1.NATGatewayGroupKind), rec)...)...)
	if _, err := r.Reconcile(context.Background(), reconcile.Request{NamespacedName: ktypes.NamespacedName{Namespace: "default", Name: "egress-a"}}); err != nil {
		t.Fatalf("r.Reconcile(...): %v", err)
	}
	return rec
}

func withFinalizer() func(*v1alpha1.NATGateway) {
	return func(cr *v1alpha1.NATGateway) { meta.AddFinalizer(cr, "finalizer.managedresource.crossplane.io") }
}

// TestReconcileHealsDeletedGateway runs the managed reconciler with the
// controller's options over a gateway deleted outside Crossplane, and checks
// what reaches the API server: the new external name and the healing record,
// written together by the reconciler's critical annotation update.
func TestReconcileHealsDeletedGateway(t *testing.T) {
	now := t0.Add(time.Hour)
	var tokens []string
	api := &fake.EC2{
		MockDescribeNatGateways: func(_ context.Context, in *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
			if len(in.NatGatewayIds) > 0 {
				return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{gateway(gwState(types.NatGatewayStateDeleted))}}, nil
			}
			return &ec2.DescribeNatGatewaysOutput{}, nil
		},
		MockCreateNatGateway: func(_ context.Context, in *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
			tokens = append(tokens, aws.ToString(in.ClientToken))
			return &ec2.CreateNatGatewayOutput{NatGateway: &types.NatGateway{NatGatewayId: aws.String(newNatID), State: types.NatGatewayStatePending}}, nil
		},
	}
	cases := map[string]struct {
		reason string
		cr     *v1alpha1.NATGateway
	}{
		"Deleted": {
			reason: "A deleted gateway is replaced in one reconcile.",
			cr:     natGateway(withExternalName(natID), withFinalizer()),
		},
		"AfterCrash": {
			reason: "A crash after an earlier Create left external-create-pending newer than succeeded: the reconciler is not wedged, and the same token is sent.",
			cr: natGateway(withExternalName(natID), withFinalizer(),
				withAnnotation(meta.AnnotationKeyExternalCreateSucceeded, t0.Format(time.RFC3339)),
				withAnnotation(meta.AnnotationKeyExternalCreatePending, t0.Add(time.Minute).Format(time.RFC3339))),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tokens = nil
			k, rec := reconcileOnce(t, tc.cr, api, &feature.Flags{}, now)

			if diff := cmp.Diff([]string{clientToken(testUID, natID)}, tokens); diff != "" {
				t.Errorf("\n%s\nCreateNatGateway tokens: -want, +got:\n%s", tc.reason, diff)
			}
			if len(k.updates) != 2 {
				t.Fatalf("\n%s\nwant two updates (external-create-pending, then the critical annotations), got %d", tc.reason, len(k.updates))
			}
			written := k.updates[1]
			if diff := cmp.Diff(newNatID, meta.GetExternalName(written)); diff != "" {
				t.Errorf("\n%s\nexternal name written: -want, +got:\n%s", tc.reason, diff)
			}
			h, err := healing.Get(written)
			if err != nil {
				t.Fatalf("\n%s\nhealing.Get(...): %v", tc.reason, err)
			}
			want := healingRecord(natID, v1alpha1.FoundStateDeleted, now)
			want.Last.NewID = newNatID
			if diff := cmp.Diff(want, h); diff != "" {
				t.Errorf("\n%s\nhealing record written: -want, +got:\n%s", tc.reason, diff)
			}
			reasons := map[event.Reason]int{}
			for _, e := range rec.events {
				reasons[e.Reason]++
			}
			if reasons[reasonGatewayDeleted] != 1 || reasons[reasonRecreated] != 1 {
				t.Errorf("\n%s\nwant one %s and one %s event, got %v", tc.reason, reasonGatewayDeleted, reasonRecreated, rec.events)
			}
		})
	}
}

// TestReconcileCreatesWithOneWrite checks that the first reconcile of a new
// NATGateway writes it once before CreateNatGateway, with the finalizer and
// the external-create-pending annotation together, once after, with the new
// external name, and leaves the status to the reconcile that follows.
func TestReconcileCreatesWithOneWrite(t *testing.T) {
	k := &kube{cr: natGateway()}
	written := -1
	api := &fake.EC2{
		MockDescribeNatGateways: func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
			return &ec2.DescribeNatGatewaysOutput{}, nil
		},
		MockCreateNatGateway: func(context.Context, *ec2.CreateNatGatewayInput) (*ec2.CreateNatGatewayOutput, error) {
			written = len(k.updates)
			return &ec2.CreateNatGatewayOutput{NatGateway: &types.NatGateway{NatGatewayId: aws.String(newNatID), State: types.NatGatewayStatePending}}, nil
		},
	}
	reconcileInto(t, k, api, &feature.Flags{}, t0)

	if written != 1 {
		t.Fatalf("want one update before CreateNatGateway, got %d", written)
	}
	if first := k.updates[0]; !meta.FinalizerExists(first, managed.FinalizerName) || meta.GetExternalCreatePending(first).IsZero() {
		t.Errorf("the update before CreateNatGateway must hold the finalizer and external-create-pending; finalizers %v, annotations %v", first.GetFinalizers(), first.GetAnnotations())
	}
	if len(k.updates) != 2 || meta.GetExternalName(k.updates[1]) != newNatID {
		t.Errorf("want one update after CreateNatGateway, with external name %s; got %d updates", newNatID, len(k.updates))
	}
	if len(k.status) != 0 {
		t.Errorf("the status written right after Create says only that the gateway is being created; want it left to the next reconcile, got %d status updates", len(k.status))
	}
}

// TestReconcileWithoutCreate checks that a NATGateway whose management
// policies do not allow Create, and whose gateway was deleted, calls no EC2
// API that changes anything and writes no spec or annotation.
func TestReconcileWithoutCreate(t *testing.T) {
	f := &feature.Flags{}
	f.Enable(feature.EnableBetaManagementPolicies)
	cases := map[string]struct {
		reason   string
		policies xpv2.ManagementPolicies
		synced   corev1.ConditionStatus
	}{
		"ObserveOnly": {
			reason:   "An observe-only NATGateway reports that its gateway does not exist.",
			policies: xpv2.ManagementPolicies{xpv2.ManagementActionObserve},
			synced:   corev1.ConditionFalse,
		},
		"ObserveAndUpdate": {
			reason:   "A NATGateway that may update but not create leaves the deleted gateway alone.",
			policies: xpv2.ManagementPolicies{xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate},
			synced:   corev1.ConditionTrue,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m := &mutations{}
			api := m.fake()
			api.MockDescribeNatGateways = func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
				return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{gateway(gwState(types.NatGatewayStateDeleted), gwTags(nil))}}, nil
			}
			cr := natGateway(withExternalName(natID), withFinalizer(), withTags(map[string]string{"team": "net"}), func(cr *v1alpha1.NATGateway) {
				cr.SetManagementPolicies(tc.policies)
			})
			k, rec := reconcileOnce(t, cr, api, f, t0)

			want := []event.Event{event.Warning(reasonGatewayDeleted, errors.New("NAT gateway "+natID+" was deleted outside Crossplane; the management policies do not allow creating a new one"))}
			if diff := cmp.Diff(want, eventsOf(rec, reasonGatewayDeleted)); diff != "" {
				t.Errorf("\n%s\n%s events: -want, +got:\n%s", tc.reason, reasonGatewayDeleted, diff)
			}
			if diff := cmp.Diff([]mutation(nil), m.log, sdkOpts...); diff != "" {
				t.Errorf("\n%s\nEC2 calls that change something: -want, +got:\n%s", tc.reason, diff)
			}
			if len(k.updates) != 0 {
				t.Errorf("\n%s\nthe NATGateway must not be written; got %d updates", tc.reason, len(k.updates))
			}
			if len(k.status) != 1 {
				t.Fatalf("\n%s\nwant one status update, got %d", tc.reason, len(k.status))
			}
			if got := k.status[0].GetCondition(xpv2.TypeSynced); got.Status != tc.synced {
				t.Errorf("\n%s\nSynced: want %s, got %+v", tc.reason, tc.synced, got)
			}
		})
	}
}

// eventsOf returns the events rec recorded with reason r.
func eventsOf(rec *recorder, r event.Reason) []event.Event {
	var out []event.Event
	for _, e := range rec.events {
		if e.Reason == r {
			out = append(out, e)
		}
	}
	return out
}

// TestReconcileWaitsForDeletion checks that the finalizer stays while EC2
// deletes the gateway, and that DeleteNatGateway is not called again.
func TestReconcileWaitsForDeletion(t *testing.T) {
	api := &fake.EC2{MockDescribeNatGateways: func(context.Context, *ec2.DescribeNatGatewaysInput) (*ec2.DescribeNatGatewaysOutput, error) {
		return &ec2.DescribeNatGatewaysOutput{NatGateways: []types.NatGateway{gateway(gwState(types.NatGatewayStateDeleting))}}, nil
	}}
	cr := natGateway(withExternalName(natID), withFinalizer(), withDeletionTimestamp())
	k, _ := reconcileOnce(t, cr, api, &feature.Flags{}, t0)

	if len(k.updates) != 0 {
		t.Errorf("the finalizer must stay while the gateway is deleting; got %d updates", len(k.updates))
	}
	if len(k.status) != 1 {
		t.Fatalf("want one status update, got %d", len(k.status))
	}
	if diff := cmp.Diff([]string{"finalizer.managedresource.crossplane.io"}, k.status[0].GetFinalizers(), cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("finalizers: -want, +got:\n%s", diff)
	}
	// The fake fails DeleteNatGateway, so a second delete request would
	// show as a reconcile error.
	if got := k.status[0].GetCondition(xpv2.TypeSynced); got.Status != "True" {
		t.Errorf("a deleting gateway must not be asked to delete again; Synced is %+v", got)
	}
}

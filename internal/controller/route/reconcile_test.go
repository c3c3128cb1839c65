// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"k8s.io/apimachinery/pkg/runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
)

// These tests run crossplane-runtime's managed reconciler with this
// package's initializer, reference resolver and external client, a mock
// Kubernetes client and the fake EC2, to check what reaches EC2 and the API
// server.

const finalizer = "finalizer.managedresource.crossplane.io"

func withPolicies(p ...xpv2.ManagementAction) func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { cr.SetManagementPolicies(p) }
}

func withFinalizer() func(*v1alpha1.Route) {
	return func(cr *v1alpha1.Route) { meta.AddFinalizer(cr, finalizer) }
}

// writes records what the reconciler wrote to the API server.
type writes struct {
	updates []*v1alpha1.Route
	patches []*v1alpha1.Route
	status  *v1alpha1.Route
}

// reconcileOnce runs one reconcile of stored, a Route, with gw as the
// NATGateway and others as the other Routes of the same route the API server
// holds.
func reconcileOnce(t *testing.T, stored *v1alpha1.Route, gw *v1alpha1.NATGateway, api *fake.EC2, others ...v1alpha1.Route) *writes {
	t.Helper()
	w := &writes{}
	reconcileInto(t, w, stored, gw, api, others...)
	return w
}

// reconcileInto is reconcileOnce, recording the writes in w.
func reconcileInto(t *testing.T, w *writes, stored *v1alpha1.Route, gw *v1alpha1.NATGateway, api *fake.EC2, others ...v1alpha1.Route) {
	t.Helper()
	s := runtime.NewScheme()
	if err := v1alpha1.SchemeBuilder.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	kube := &test.MockClient{
		MockGet: test.NewMockGetFn(nil, func(obj client.Object) error {
			switch o := obj.(type) {
			case *v1alpha1.Route:
				stored.DeepCopyInto(o)
			case *v1alpha1.NATGateway:
				gw.DeepCopyInto(o)
			}
			return nil
		}),
		MockUpdate: test.NewMockUpdateFn(nil, func(obj client.Object) error {
			w.updates = append(w.updates, obj.DeepCopyObject().(*v1alpha1.Route))
			return nil
		}),
		MockPatch: test.NewMockPatchFn(nil, func(obj client.Object) error {
			w.patches = append(w.patches, obj.DeepCopyObject().(*v1alpha1.Route))
			return nil
		}),
		MockStatusUpdate: test.NewMockSubResourceUpdateFn(nil, func(obj client.Object) error {
			w.status = obj.DeepCopyObject().(*v1alpha1.Route)
			return nil
		}),
		MockList: test.NewMockListFn(nil, func(obj client.ObjectList) error {
			obj.(*v1alpha1.RouteList).Items = others
			return nil
		}),
	}
	mgr := &rfake.Manager{Client: kube, Scheme: s}
	c := &connector{
		usage:   resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
		clients: &controllertest.ClientFactory{API: api},
		kube:    kube,
	}
	r := newReconciler(mgr, append(lifecycleOptions(kube, c), managed.WithManagementPolicies())...)
	if _, err := r.Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(stored)}); err != nil {
		t.Fatalf("Reconcile(...): %v", err)
	}
}

func TestReconcileFollowsReplacedGateway(t *testing.T) {
	stored := route(withExternalName(extName), withNAT(aws.String(natOld)), withNATRef("egress-a"), withPolicies(xpv2.ManagementActionAll), withFinalizer())
	var replaced *ec2.ReplaceRouteInput
	api := &fake.EC2{
		MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateBlackhole))),
		MockReplaceRoute: func(_ context.Context, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error) {
			replaced = in
			return &ec2.ReplaceRouteOutput{}, nil
		},
	}
	w := reconcileOnce(t, stored, natGateway(withNATID(natNew)), api)

	want := &ec2.ReplaceRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(natNew)}
	if diff := cmp.Diff(want, replaced, sdkOpts); diff != "" {
		t.Errorf("Reconcile(...): the blackhole route must point at the replacement gateway in the same reconcile: -want ReplaceRoute input, +got:\n%s", diff)
	}
	if len(w.updates) != 1 || len(w.patches) != 0 || aws.ToString(w.updates[0].Spec.ForProvider.NATGatewayID) != natNew {
		t.Errorf("Reconcile(...): natGatewayId must be written once, set to the replacement %s; updates: %d, patches: %d", natNew, len(w.updates), len(w.patches))
	}
	if w.status == nil || w.status.GetCondition(xpv2.TypeSynced).Reason != xpv2.ReasonReconcileSuccess {
		t.Errorf("Reconcile(...): want Synced ReconcileSuccess, got status %+v", w.status)
	}
}

// TestReconcileInitializeThenCreate checks that a new Route is written once
// before CreateRoute, with its finalizer, external name, resolved
// natGatewayId, claim and external-create-pending annotation together, and
// once after, with external-create-succeeded: the status is left to the
// reconcile that follows.
func TestReconcileInitializeThenCreate(t *testing.T) {
	stored := route(withoutClaim(), withPolicies(xpv2.ManagementActionAll))
	var created *ec2.CreateRouteInput
	var before *writes
	w := &writes{}
	api := &fake.EC2{
		MockDescribeRouteTables: describeTables(t, table()),
		MockCreateRoute: func(_ context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
			created = in
			before = &writes{updates: slices.Clone(w.updates), patches: slices.Clone(w.patches)}
			return &ec2.CreateRouteOutput{Return: aws.Bool(true)}, nil
		},
	}
	reconcileInto(t, w, stored, natGateway(), api)

	want := &ec2.CreateRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(natNew)}
	if diff := cmp.Diff(want, created, sdkOpts); diff != "" {
		t.Fatalf("Reconcile(...): -want CreateRoute input, +got:\n%s", diff)
	}
	if len(before.updates) != 1 || len(before.patches) != 0 {
		t.Fatalf("Reconcile(...): want one update before CreateRoute, got %d updates and %d patches", len(before.updates), len(before.patches))
	}
	first := before.updates[0]
	_, claimed := first.GetAnnotations()[v1alpha1.AnnotationKeyRouteClaimed]
	switch {
	case !meta.FinalizerExists(first, finalizer):
		t.Error("Reconcile(...): the write before CreateRoute has no finalizer")
	case meta.GetExternalName(first) != extName:
		t.Errorf("Reconcile(...): the write before CreateRoute has external name %q, want %q", meta.GetExternalName(first), extName)
	case aws.ToString(first.Spec.ForProvider.NATGatewayID) != natNew:
		t.Errorf("Reconcile(...): the write before CreateRoute has natGatewayId %q, want %q", aws.ToString(first.Spec.ForProvider.NATGatewayID), natNew)
	case !claimed:
		t.Error("Reconcile(...): the write before CreateRoute has no claim")
	case meta.GetExternalCreatePending(first).IsZero():
		t.Error("Reconcile(...): the write before CreateRoute has no external-create-pending annotation")
	}
	if len(w.updates) != 2 || len(w.patches) != 0 || meta.GetExternalCreateSucceeded(w.updates[1]).IsZero() {
		t.Errorf("Reconcile(...): want one more update, with external-create-succeeded, after CreateRoute; got %d updates and %d patches", len(w.updates), len(w.patches))
	}
	if w.status != nil {
		t.Errorf("Reconcile(...): the status written right after CreateRoute says only that the route is being created; want it left to the next reconcile, got %+v", w.status.Status.Conditions)
	}
}

func TestReconcilePolicies(t *testing.T) {
	cases := map[string]struct {
		reason string
		stored *v1alpha1.Route
		others []v1alpha1.Route
		ec2    func(t *testing.T) *fake.EC2
		ready  xpv2.Condition
	}{
		"DeletingSecondRouteNeverDeletes": {
			reason: "Deleting a Route whose route another Route claimed first leaves the owner's route in place.",
			stored: route(withExternalName(extName), withoutClaim(), withPolicies(xpv2.ManagementActionAll), withFinalizer(), withDeletionTimestamp()),
			others: []v1alpha1.Route{another("first")},
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
					MockDeleteRoute:         controllertest.Refuse[*ec2.DeleteRouteInput, *ec2.DeleteRouteOutput](t, "DeleteRoute"),
				}
			},
		},
		"SecondRouteNeverReplaces": {
			reason: "A Route whose route another Route owns and points elsewhere replaces nothing.",
			stored: route(withExternalName(extName), withClaim(t0), withPolicies(xpv2.ManagementActionAll), withFinalizer()),
			others: []v1alpha1.Route{another("first")},
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateActive))),
					MockReplaceRoute:        controllertest.Refuse[*ec2.ReplaceRouteInput, *ec2.ReplaceRouteOutput](t, "ReplaceRoute"),
					MockCreateRoute:         controllertest.Refuse[*ec2.CreateRouteInput, *ec2.CreateRouteOutput](t, "CreateRoute"),
				}
			},
		},
		"ObserveOnlyMissingNeverCreates": {
			reason: "An observe-only Route whose route is missing creates nothing.",
			stored: route(withExternalName(extName), withPolicies(xpv2.ManagementActionObserve)),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeRouteTables: describeTables(t, table()),
					MockCreateRoute:         controllertest.Refuse[*ec2.CreateRouteInput, *ec2.CreateRouteOutput](t, "CreateRoute"),
				}
			},
		},
		"ObserveOnlyDriftNeverReplaces": {
			reason: "An observe-only Route whose route points elsewhere reports it and replaces nothing.",
			stored: route(withExternalName(extName), withPolicies(xpv2.ManagementActionObserve)),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeRouteTables: describeTables(t, table(natRoute(natOld, types.RouteStateActive))),
					MockReplaceRoute:        controllertest.Refuse[*ec2.ReplaceRouteInput, *ec2.ReplaceRouteOutput](t, "ReplaceRoute"),
				}
			},
			ready: xpv2.Unavailable().WithMessage("route to " + dest + " points at " + natOld + " (active); pointing it at " + natNew),
		},
		"ObserveOnlyDeletingNeverDeletes": {
			reason: "Deleting an observe-only Route orphans the route.",
			stored: route(withExternalName(extName), withPolicies(xpv2.ManagementActionObserve), withFinalizer(), withDeletionTimestamp()),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{MockDeleteRoute: controllertest.Refuse[*ec2.DeleteRouteInput, *ec2.DeleteRouteOutput](t, "DeleteRoute")}
			},
		},
		"DeletingDeletesOwnRoute": {
			reason: "Deleting a Route deletes its route, and only its route.",
			stored: route(withExternalName(extName), withPolicies(xpv2.ManagementActionAll), withFinalizer(), withDeletionTimestamp()),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeRouteTables: describeTables(t, table(natRoute(natNew, types.RouteStateActive))),
					MockDeleteRoute: func(_ context.Context, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error) {
						want := &ec2.DeleteRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest)}
						if diff := cmp.Diff(want, in, sdkOpts); diff != "" {
							t.Errorf("DeleteRoute(...): -want input, +got input:\n%s", diff)
						}
						return &ec2.DeleteRouteOutput{}, nil
					},
				}
			},
			ready: xpv2.Deleting(),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := reconcileOnce(t, tc.stored, natGateway(), tc.ec2(t), tc.others...)
			if tc.ready.Type == "" {
				return
			}
			if w.status == nil {
				t.Fatalf("\n%s\nReconcile(...): status was not written", tc.reason)
			}
			if diff := cmp.Diff(tc.ready, w.status.GetCondition(xpv2.TypeReady)); diff != "" {
				t.Errorf("\n%s\nReconcile(...): written Ready condition: -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(xpv2.ReconcileSuccess(), w.status.GetCondition(xpv2.TypeSynced)); diff != "" {
				t.Errorf("\n%s\nReconcile(...): written Synced condition: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
	"github.com/egresskit/provider-aws-egress/internal/controller/controllertest"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// These tests run crossplane-runtime's managed reconciler with this
// package's external client, a mock Kubernetes client and the fake EC2, to
// check what reaches the API server.

const finalizer = "finalizer.managedresource.crossplane.io"

func withPolicies(p ...xpv2.ManagementAction) func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { cr.SetManagementPolicies(p) }
}

func withFinalizer() func(*v1alpha1.ElasticIP) {
	return func(cr *v1alpha1.ElasticIP) { meta.AddFinalizer(cr, finalizer) }
}

// writes records what the reconciler wrote to the API server.
type writes struct {
	updates []*v1alpha1.ElasticIP
	status  *v1alpha1.ElasticIP
}

func reconciler(t *testing.T, stored *v1alpha1.ElasticIP, api *fake.EC2, w *writes) *coalesce.Reconciler {
	t.Helper()
	s := runtime.NewScheme()
	if err := v1alpha1.SchemeBuilder.AddToScheme(s); err != nil {
		t.Fatal(err)
	}
	kube := &test.MockClient{
		MockGet: test.NewMockGetFn(nil, func(obj client.Object) error {
			stored.DeepCopyInto(obj.(*v1alpha1.ElasticIP))
			return nil
		}),
		MockUpdate: test.NewMockUpdateFn(nil, func(obj client.Object) error {
			w.updates = append(w.updates, obj.DeepCopyObject().(*v1alpha1.ElasticIP))
			return nil
		}),
		MockStatusUpdate: test.NewMockSubResourceUpdateFn(nil, func(obj client.Object) error {
			w.status = obj.DeepCopyObject().(*v1alpha1.ElasticIP)
			return nil
		}),
	}
	c := &connector{
		usage:         resource.ModernTrackerFn(func(context.Context, resource.ModernManaged) error { return nil }),
		clients:       &controllertest.ClientFactory{API: api},
		record:        event.NewNopRecorder(),
		reallocations: prometheus.NewCounter(prometheus.CounterOpts{Name: "test_reallocations_total", Help: "Reallocations counted by a test."}),
	}
	opts := append(lifecycleOptions(kube, c), managed.WithManagementPolicies())
	return newReconciler(&rfake.Manager{Client: kube, Scheme: s}, opts...)
}

func TestReconcileDeletingWhileHeld(t *testing.T) {
	stored := elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionAll), withFinalizer(), withDeletionTimestamp())
	api := &fake.EC2{
		MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld, withAssociation)),
		MockReleaseAddress:    controllertest.Refuse[*ec2.ReleaseAddressInput, *ec2.ReleaseAddressOutput](t, "ReleaseAddress"),
	}
	w := &writes{}
	got, err := reconciler(t, stored, api, w).Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(stored)})
	if err != nil {
		t.Fatalf("Reconcile(...): %v", err)
	}
	//nolint:staticcheck // crossplane-runtime v2.4.0 answers Requeue: true while the deletion waits.
	if diff := cmp.Diff(reconcile.Result{Requeue: true}, got); diff != "" {
		t.Errorf("Reconcile(...): -want result, +got result:\n%s", diff)
	}
	if w.status == nil {
		t.Fatal("Reconcile(...): status was not written")
	}
	want := []xpv2.Condition{
		xpv2.Deleting(),
		xpv2.ReconcileSuccess(),
		stillAssociated("address " + allocOld + " is still associated with " + eni + " (a NAT gateway holds its address until the gateway is deleted); it is released once the association ends"),
	}
	for _, c := range want {
		if diff := cmp.Diff(c, w.status.GetCondition(c.Type)); diff != "" {
			t.Errorf("Reconcile(...): written %s condition: -want, +got:\n%s", c.Type, diff)
		}
	}
	if len(stored.GetFinalizers()) != 1 || len(w.updates) != 0 {
		t.Errorf("Reconcile(...): the finalizer must stay while the address is held; updates written: %d", len(w.updates))
	}
}

func TestReconcileObserveOnly(t *testing.T) {
	cases := map[string]struct {
		reason string
		stored *v1alpha1.ElasticIP
		ec2    func(t *testing.T) *fake.EC2
		synced xpv2.Condition
	}{
		"ImportedAddressReleasedNeverAllocates": {
			reason: "An observe-only ElasticIP whose address is gone reports that it does not exist and allocates nothing.",
			stored: elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionObserve)),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound")),
					MockAllocateAddress:   controllertest.Refuse[*ec2.AllocateAddressInput, *ec2.AllocateAddressOutput](t, "AllocateAddress"),
				}
			},
			synced: xpv2.ReconcileError(errBoom),
		},
		"ImportedAddressDriftNeverUpdates": {
			reason: "An observe-only ElasticIP whose tags differ reports the address without writing tags.",
			stored: elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionObserve), withTags(map[string]string{"team": "net"})),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeAddresses: describeAddresses(t, allocOld, address(allocOld)),
					MockCreateTags:        controllertest.Refuse[*ec2.CreateTagsInput, *ec2.CreateTagsOutput](t, "CreateTags"),
				}
			},
			synced: xpv2.ReconcileSuccess(),
		},
		"DeletingNeverReleases": {
			reason: "Deleting an observe-only ElasticIP orphans the address: it is never released.",
			stored: elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionObserve), withFinalizer(), withDeletionTimestamp()),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{MockReleaseAddress: controllertest.Refuse[*ec2.ReleaseAddressInput, *ec2.ReleaseAddressOutput](t, "ReleaseAddress")}
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := &writes{}
			_, err := reconciler(t, tc.stored, tc.ec2(t), w).Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(tc.stored)})
			if err != nil {
				t.Fatalf("\n%s\nReconcile(...): %v", tc.reason, err)
			}
			if tc.synced.Type == "" {
				return
			}
			if w.status == nil {
				t.Fatalf("\n%s\nReconcile(...): status was not written", tc.reason)
			}
			got := w.status.GetCondition(xpv2.TypeSynced)
			if got.Status != tc.synced.Status || got.Reason != tc.synced.Reason {
				t.Errorf("\n%s\nReconcile(...): Synced is %s/%s (%s), want %s/%s", tc.reason, got.Status, got.Reason, got.Message, tc.synced.Status, tc.synced.Reason)
			}
			for _, u := range w.updates {
				if meta.GetExternalName(u) != allocOld {
					t.Errorf("\n%s\nReconcile(...): wrote external name %q", tc.reason, meta.GetExternalName(u))
				}
			}
		})
	}
}

func TestReconcileReallocationRecordReachesAPIServer(t *testing.T) {
	stored := elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionAll), withFinalizer())
	described := 0
	api := &fake.EC2{
		MockDescribeAddresses: func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
			described++
			if described <= 2 {
				// Observe lists the tagged addresses, then describes the
				// named one: EC2 knows neither.
				return describeAddressesError(apiError("InvalidAllocationID.NotFound"))(ctx, in)
			}
			return describeOwned(t)(ctx, in)
		},
		MockAllocateAddress: func(context.Context, *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
			return &ec2.AllocateAddressOutput{AllocationId: aws.String(allocNew)}, nil
		},
	}
	w := &writes{}
	if _, err := reconciler(t, stored, api, w).Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(stored)}); err != nil {
		t.Fatalf("Reconcile(...): %v", err)
	}
	if len(w.updates) == 0 {
		t.Fatal("Reconcile(...): nothing was written")
	}
	last := w.updates[len(w.updates)-1]
	if diff := cmp.Diff(allocNew, meta.GetExternalName(last)); diff != "" {
		t.Errorf("Reconcile(...): written external name: -want, +got:\n%s", diff)
	}
	h, err := healing.Get(last)
	if err != nil {
		t.Fatalf("healing.Get(written): %v", err)
	}
	if h == nil || h.Recreations != 1 || h.Last == nil || h.Last.PreviousID != allocOld || h.Last.NewID != allocNew || h.Last.FoundState != v1alpha1.FoundStateNotFound {
		t.Errorf("Reconcile(...): written healing record = %+v, want one recreation from %s to %s (not-found)", h, allocOld, allocNew)
	}
}

// TestReconcileAllocatedMomentsAgo checks how the reconciler treats an
// address allocated moments ago that EC2 does not list: one EC2 never listed
// is waited for, soon observed again and never allocated twice; one EC2
// listed and no longer lists was released, and is allocated again at once.
func TestReconcileAllocatedMomentsAgo(t *testing.T) {
	justCreated := withCreatedAt(time.Now().Add(-5 * time.Second))
	type want struct {
		result       reconcile.Result
		externalName string
		// ready is the Ready condition written; none when the status is
		// left to the reconcile that follows a creation.
		ready *xpv2.Condition
	}
	cases := map[string]struct {
		reason string
		stored *v1alpha1.ElasticIP
		ec2    func(t *testing.T) *fake.EC2
		want   want
	}{
		"NotListedYetWaits": {
			reason: "An address EC2 has not listed since its allocation is waited for: nothing is allocated, the ElasticIP is not ready and is observed again within 5s.",
			stored: elasticIP(withExternalName(allocNew), withPolicies(xpv2.ManagementActionAll), withFinalizer(), justCreated),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeAddresses: describeAddressesError(apiError("InvalidAllocationID.NotFound")),
					MockAllocateAddress:   controllertest.Refuse[*ec2.AllocateAddressInput, *ec2.AllocateAddressOutput](t, "AllocateAddress"),
				}
			},
			want: want{
				result: reconcile.Result{RequeueAfter: 5 * time.Second},
				ready:  ptr.To(xpv2.Unavailable().WithMessage("waiting for EC2 to list address " + allocNew + ", allocated moments ago")),
			},
		},
		"ReleasedRightAfterAllocation": {
			reason: "An address EC2 listed after its allocation and released moments later is allocated again in the same reconcile, without waiting out a grace period; the reconcile right after writes the status.",
			stored: elasticIP(withExternalName(allocOld), withPolicies(xpv2.ManagementActionAll), withFinalizer(), justCreated,
				withAtProvider(v1alpha1.ElasticIPObservation{AllocationID: aws.String(allocOld)})),
			ec2: func(t *testing.T) *fake.EC2 {
				t.Helper()
				return &fake.EC2{
					MockDescribeAddresses: func(ctx context.Context, in *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
						if len(in.AllocationIds) > 0 {
							return describeAddressesError(apiError("InvalidAllocationID.NotFound"))(ctx, in)
						}
						return describeOwned(t)(ctx, in)
					},
					MockAllocateAddress: func(context.Context, *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
						return &ec2.AllocateAddressOutput{AllocationId: aws.String(allocNew)}, nil
					},
				}
			},
			want: want{
				//nolint:staticcheck // crossplane-runtime v2.4.0 answers Requeue: true after a creation.
				result:       reconcile.Result{Requeue: true},
				externalName: allocNew,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			w := &writes{}
			got, err := reconciler(t, tc.stored, tc.ec2(t), w).Reconcile(context.Background(), reconcile.Request{NamespacedName: client.ObjectKeyFromObject(tc.stored)})
			if err != nil {
				t.Fatalf("\n%s\nReconcile(...): %v", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.result, got); diff != "" {
				t.Errorf("\n%s\nReconcile(...): -want result, +got result:\n%s", tc.reason, diff)
			}
			var written string
			if len(w.updates) > 0 {
				written = meta.GetExternalName(w.updates[len(w.updates)-1])
			}
			if diff := cmp.Diff(tc.want.externalName, written); diff != "" {
				t.Errorf("\n%s\nReconcile(...): written external name: -want, +got:\n%s", tc.reason, diff)
			}
			var ready *xpv2.Condition
			if w.status != nil {
				ready = ptr.To(w.status.GetCondition(xpv2.TypeReady))
			}
			if diff := cmp.Diff(tc.want.ready, ready, test.EquateConditions()); diff != "" {
				t.Errorf("\n%s\nReconcile(...): written Ready condition: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

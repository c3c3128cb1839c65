// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package follow

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
)

var errBoom = errors.New("boom")

func route(m ...func(*v1alpha1.Route)) *v1alpha1.Route {
	r := &v1alpha1.Route{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "team"}}
	for _, f := range m {
		f(r)
	}
	return r
}

func withNAT(id string) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.Spec.ForProvider.NATGatewayID = ptr.To(id) }
}

func withNATRef(name string, p *xpv2.Policy) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) {
		r.Spec.ForProvider.NATGatewayIDRef = &xpv2.NamespacedReference{Name: name, Policy: p}
	}
}

// getNAT answers a Get of the referenced NATGateway with one whose external
// name is id.
func getNAT(id string) test.MockGetFn {
	return func(_ context.Context, _ client.ObjectKey, obj client.Object) error {
		n, ok := obj.(*v1alpha1.NATGateway)
		if !ok {
			return errBoom
		}
		n.SetName("gw")
		n.SetNamespace("team")
		meta.SetExternalName(n, id)
		return nil
	}
}

func TestResolveReferences(t *testing.T) {
	type want struct {
		mg      resource.Managed
		patched bool
		err     error
	}
	cases := map[string]struct {
		reason string
		mg     resource.Managed
		get    test.MockGetFn
		want   want
	}{
		"FollowsReplacedGateway": {
			reason: "A resolved value that is already set is resolved again and updated when the referenced gateway was replaced.",
			mg:     route(withNAT("nat-00000000000000001"), withNATRef("gw", nil)),
			get:    getNAT("nat-00000000000000002"),
			want: want{
				mg:      route(withNAT("nat-00000000000000002"), withNATRef("gw", nil)),
				patched: true,
			},
		},
		"UnchangedIsNotWritten": {
			reason: "When the referenced gateway has the same ID the resource is not written.",
			mg:     route(withNAT("nat-00000000000000001"), withNATRef("gw", nil)),
			get:    getNAT("nat-00000000000000001"),
			want: want{
				mg: route(withNAT("nat-00000000000000001"), withNATRef("gw", nil)),
			},
		},
		"IfNotPresentKeepsValue": {
			reason: "An explicit IfNotPresent policy keeps a value once it is set.",
			mg:     route(withNAT("nat-00000000000000001"), withNATRef("gw", &xpv2.Policy{Resolve: ptr.To(ResolvePolicyIfNotPresent)})),
			get:    getNAT("nat-00000000000000002"),
			want: want{
				mg: route(withNAT("nat-00000000000000001"), withNATRef("gw", &xpv2.Policy{Resolve: ptr.To(ResolvePolicyIfNotPresent)})),
			},
		},
		"NoReferenceKeepsValue": {
			reason: "A value set directly, without a reference, is left alone.",
			mg:     route(withNAT("nat-00000000000000001")),
			get:    getNAT("nat-00000000000000002"),
			want: want{
				mg: route(withNAT("nat-00000000000000001")),
			},
		},
		"ResolveError": {
			reason: "An error reading the referenced resource is returned.",
			mg:     route(withNAT("nat-00000000000000001"), withNATRef("gw", nil)),
			get:    test.NewMockGetFn(errBoom),
			want: want{
				mg:  route(withNATRef("gw", nil)),
				err: errBoom,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			patched := false
			c := &test.MockClient{
				MockGet: tc.get,
				MockPatch: func(_ context.Context, _ client.Object, _ client.Patch, _ ...client.PatchOption) error {
					patched = true
					return nil
				},
			}
			err := NewReferenceResolver(c).ResolveReferences(context.Background(), tc.mg)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nResolveReferences(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.mg, tc.mg, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("\n%s\nResolveReferences(...): -want, +got:\n%s", tc.reason, diff)
			}
			if patched != tc.want.patched {
				t.Errorf("\n%s\nResolveReferences(...): patched = %t, want %t", tc.reason, patched, tc.want.patched)
			}
		})
	}
}

func TestClearReferencedValues(t *testing.T) {
	n := &v1alpha1.NATGateway{}
	n.Spec.ForProvider.AllocationID = ptr.To("eipalloc-0000000001")
	n.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "eip"}
	n.Spec.ForProvider.SecondaryAllocationIDs = []string{"eipalloc-0000000002"}
	n.Spec.ForProvider.SecondaryAllocationIDRefs = []xpv2.NamespacedReference{{Name: "eip2"}}
	n.Spec.ForProvider.SubnetID = ptr.To("subnet-00000001")

	ClearReferencedValues(n)

	want := &v1alpha1.NATGateway{}
	want.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "eip"}
	want.Spec.ForProvider.SecondaryAllocationIDRefs = []xpv2.NamespacedReference{{Name: "eip2"}}
	want.Spec.ForProvider.SubnetID = ptr.To("subnet-00000001")
	if diff := cmp.Diff(want, n); diff != "" {
		t.Errorf("ClearReferencedValues(...): -want, +got:\n%s", diff)
	}
}

func TestResolveReferencesOfNewResource(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cases := map[string]struct {
		reason  string
		mg      *v1alpha1.Route
		written bool
	}{
		"ComposedMomentsAgo": {
			reason: "A Route created moments ago and never reconciled waits for its NATGateway without writing an error.",
			mg:     route(withNATRef("gw", nil), createdAt(now.Add(-time.Second))),
		},
		"WaitedLongEnough": {
			reason:  "A Route created long ago reports that its reference does not resolve.",
			mg:      route(withNATRef("gw", nil), createdAt(now.Add(-time.Hour))),
			written: true,
		},
		"ReconciledBefore": {
			reason:  "A Route that was reconciled before reports that its reference does not resolve.",
			mg:      route(withNATRef("gw", nil), createdAt(now.Add(-time.Second)), func(r *v1alpha1.Route) { r.SetConditions(xpv2.ReconcileSuccess()) }),
			written: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			written := false
			c := &test.MockClient{
				MockGet: test.NewMockGetFn(errBoom),
				MockStatusUpdate: func(context.Context, client.Object, ...client.SubResourceUpdateOption) error {
					written = true
					return nil
				},
			}
			rr := &ReferenceResolver{client: c, now: func() time.Time { return now }}
			status := coalesce.WithManager(&rfake.Manager{Client: c}).GetClient().Status()
			// The managed reconciler writes a reconcile error when the
			// references do not resolve.
			r := coalesce.NewReconciler(reconcile.Func(func(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
				if err := rr.ResolveReferences(ctx, tc.mg); err == nil {
					t.Fatal("ResolveReferences(...): want an error")
				}
				tc.mg.SetConditions(xpv2.ReconcileError(errBoom))
				return reconcile.Result{}, status.Update(ctx, tc.mg)
			}))
			if _, err := r.Reconcile(context.Background(), reconcile.Request{}); err != nil {
				t.Fatalf("Reconcile(...): %v", err)
			}
			if written != tc.written {
				t.Errorf("\n%s\nstatus written: %t, want %t", tc.reason, written, tc.written)
			}
		})
	}
}

func createdAt(at time.Time) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.SetCreationTimestamp(metav1.NewTime(at)) }
}

func TestResolveReferencesDeferred(t *testing.T) {
	mg := route(withNAT("nat-00000000000000001"), withNATRef("gw", nil))
	patched := false
	c := &test.MockClient{
		MockGet: getNAT("nat-00000000000000002"),
		MockPatch: func(context.Context, client.Object, client.Patch, ...client.PatchOption) error {
			patched = true
			return nil
		},
	}
	r := coalesce.NewReconciler(reconcile.Func(func(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
		return reconcile.Result{}, NewReferenceResolver(c).ResolveReferences(ctx, mg)
	}))
	if _, err := r.Reconcile(context.Background(), reconcile.Request{}); err != nil {
		t.Fatalf("Reconcile(...): %v", err)
	}
	if diff := cmp.Diff(route(withNAT("nat-00000000000000002"), withNATRef("gw", nil)), mg, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ResolveReferences(...): -want, +got:\n%s", diff)
	}
	if patched {
		t.Error("ResolveReferences(...): in a coalescing reconcile the resolved value is left to the reconcile's own update, but it was patched")
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package coalesce

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
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	rfake "github.com/crossplane/crossplane-runtime/v2/pkg/resource/fake"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

var errBoom = errors.New("boom")

func route(m ...func(*v1alpha1.Route)) *v1alpha1.Route {
	r := &v1alpha1.Route{ObjectMeta: metav1.ObjectMeta{Name: "r", Namespace: "team"}}
	for _, f := range m {
		f(r)
	}
	return r
}

func withFinalizer() func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { meta.AddFinalizer(r, managed.FinalizerName) }
}

func withObserved(state string) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.Status.AtProvider.State = ptr.To(state) }
}

func withConditions(c ...xpv2.Condition) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.SetConditions(c...) }
}

func withPolicies(p ...xpv2.ManagementAction) func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.SetManagementPolicies(p) }
}

func withDeletionTimestamp() func(*v1alpha1.Route) {
	return func(r *v1alpha1.Route) { r.SetDeletionTimestamp(&metav1.Time{Time: time.Unix(1, 0)}) }
}

// inReconcile returns a context with rec as its reconcile's record.
func inReconcile(rec *record) context.Context {
	return context.WithValue(context.Background(), recordKey{}, rec)
}

func TestAddFinalizer(t *testing.T) {
	type want struct {
		obj     *v1alpha1.Route
		updates int
		err     error
	}
	cases := map[string]struct {
		reason    string
		rec       *record
		obj       *v1alpha1.Route
		updateErr error
		want      want
	}{
		"OutsideAReconcile": {
			reason: "Outside a Reconciler's reconcile a missing finalizer is written at once, keeping the status Observe found.",
			obj:    route(withObserved("active")),
			want:   want{obj: route(withFinalizer(), withObserved("active")), updates: 1},
		},
		"OutsideAReconcileFinalizerPresent": {
			reason: "Outside a Reconciler's reconcile a finalizer already there is not written again.",
			obj:    route(withFinalizer()),
			want:   want{obj: route(withFinalizer())},
		},
		"Unchanged": {
			reason: "A reconcile whose hooks changed nothing writes nothing once the finalizer is there.",
			rec:    &record{},
			obj:    route(withFinalizer(), withObserved("active")),
			want:   want{obj: route(withFinalizer(), withObserved("active"))},
		},
		"ChangedInMemory": {
			reason: "What a hook changed in memory is written in one update, which keeps the status Observe found.",
			rec:    &record{changed: true},
			obj:    route(withFinalizer(), withObserved("active")),
			want:   want{obj: route(withFinalizer(), withObserved("active")), updates: 1},
		},
		"FinalizerMissing": {
			reason: "A missing finalizer is written when the reconcile creates nothing.",
			rec:    &record{},
			obj:    route(),
			want:   want{obj: route(withFinalizer()), updates: 1},
		},
		"Creating": {
			reason: "A reconcile that goes on to create writes nothing here: its external-create-pending update writes the finalizer and the rest.",
			rec:    &record{changed: true, creating: true},
			obj:    route(),
			want:   want{obj: route(withFinalizer())},
		},
		"UpdateError": {
			reason:    "An error writing the resource is returned.",
			rec:       &record{changed: true},
			obj:       route(withFinalizer(), withObserved("active")),
			updateErr: errBoom,
			want:      want{obj: route(withFinalizer(), withObserved("active")), updates: 1, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			updates := 0
			c := &test.MockClient{
				MockUpdate: func(_ context.Context, obj client.Object, _ ...client.UpdateOption) error {
					updates++
					// The API server answers with the stored status.
					obj.(*v1alpha1.Route).Status = v1alpha1.RouteStatus{}
					return tc.updateErr
				},
			}
			ctx := context.Background()
			if tc.rec != nil {
				ctx = inReconcile(tc.rec)
			}
			err := NewFinalizer(c).AddFinalizer(ctx, tc.obj)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nAddFinalizer(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.obj, tc.obj); diff != "" {
				t.Errorf("\n%s\nAddFinalizer(...): -want, +got:\n%s", tc.reason, diff)
			}
			if updates != tc.want.updates {
				t.Errorf("\n%s\nAddFinalizer(...): %d updates, want %d", tc.reason, updates, tc.want.updates)
			}
		})
	}
}

func TestDefer(t *testing.T) {
	cases := map[string]struct {
		reason  string
		rec     *record
		want    bool
		changed bool
	}{
		"OutsideAReconcile": {
			reason: "A hook outside a Reconciler's reconcile writes its change itself.",
		},
		"InAReconcile": {
			reason:  "A hook in a Reconciler's reconcile leaves its change to the reconcile, which records it.",
			rec:     &record{},
			want:    true,
			changed: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ctx := context.Background()
			if tc.rec != nil {
				ctx = inReconcile(tc.rec)
			}
			if got := Defer(ctx); got != tc.want {
				t.Errorf("\n%s\nDefer(...): got %t, want %t", tc.reason, got, tc.want)
			}
			if tc.rec != nil && tc.rec.changed != tc.changed {
				t.Errorf("\n%s\nDefer(...): recorded change %t, want %t", tc.reason, tc.rec.changed, tc.changed)
			}
		})
	}
}

func TestStatusUpdate(t *testing.T) {
	cases := map[string]struct {
		reason  string
		rec     *record
		obj     *v1alpha1.Route
		written bool
	}{
		"RightAfterCreate": {
			reason: "The status written right after Create, which says only that the resource is being created, is skipped.",
			rec:    &record{created: true},
			obj:    route(withConditions(xpv2.Creating(), xpv2.ReconcileSuccess())),
		},
		"ErrorAfterCreate": {
			reason:  "A status that reports an error after Create is written.",
			rec:     &record{created: true},
			obj:     route(withConditions(xpv2.Creating(), xpv2.ReconcileError(errBoom))),
			written: true,
		},
		"Unresolved": {
			reason: "The status of a new resource whose references do not resolve yet is skipped.",
			rec:    &record{unresolved: true},
			obj:    route(withConditions(xpv2.ReconcileError(errBoom))),
		},
		"UnresolvedThenSynced": {
			reason:  "A status that reports no error is written, whatever the references did.",
			rec:     &record{unresolved: true},
			obj:     route(withConditions(xpv2.Available(), xpv2.ReconcileSuccess())),
			written: true,
		},
		"NothingCreated": {
			reason:  "The status of a reconcile that created nothing is written.",
			rec:     &record{},
			obj:     route(withConditions(xpv2.Creating(), xpv2.ReconcileSuccess())),
			written: true,
		},
		"OutsideAReconcile": {
			reason:  "A status written outside a Reconciler's reconcile is written.",
			obj:     route(withConditions(xpv2.Creating(), xpv2.ReconcileSuccess())),
			written: true,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			written := false
			c := &test.MockClient{MockStatusUpdate: func(context.Context, client.Object, ...client.SubResourceUpdateOption) error {
				written = true
				return nil
			}}
			ctx := context.Background()
			if tc.rec != nil {
				ctx = inReconcile(tc.rec)
			}
			if err := WithManager(&rfake.Manager{Client: c}).GetClient().Status().Update(ctx, tc.obj); err != nil {
				t.Fatalf("\n%s\nStatus().Update(...): %v", tc.reason, err)
			}
			if written != tc.written {
				t.Errorf("\n%s\nStatus().Update(...): written %t, want %t", tc.reason, written, tc.written)
			}
		})
	}
}

func TestExternalClient(t *testing.T) {
	type want struct {
		Creating bool
		Created  bool
	}
	cases := map[string]struct {
		reason  string
		obj     *v1alpha1.Route
		exists  bool
		observe error
		create  error
		want    want
	}{
		"Missing": {
			reason: "A missing external resource is created, and Create succeeded.",
			obj:    route(),
			want:   want{Creating: true, Created: true},
		},
		"Exists": {
			reason: "An existing external resource is not created.",
			obj:    route(),
			exists: true,
			want:   want{Created: true},
		},
		"ObserveError": {
			reason:  "A reconcile whose Observe failed creates nothing.",
			obj:     route(),
			observe: errBoom,
			want:    want{Created: true},
		},
		"Deleting": {
			reason: "A resource being deleted creates nothing.",
			obj:    route(withDeletionTimestamp()),
			want:   want{Created: true},
		},
		"WithoutCreatePolicy": {
			reason: "A resource whose management policies leave out Create creates nothing.",
			obj:    route(withPolicies(xpv2.ManagementActionObserve, xpv2.ManagementActionUpdate)),
			want:   want{Created: true},
		},
		"CreateError": {
			reason: "A failed Create is not recorded as a creation.",
			obj:    route(),
			create: errBoom,
			want:   want{Creating: true},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			inner := managed.TypedExternalConnectorFn[*v1alpha1.Route](func(context.Context, *v1alpha1.Route) (managed.TypedExternalClient[*v1alpha1.Route], error) {
				return &managed.TypedExternalClientFns[*v1alpha1.Route]{
					ObserveFn: func(context.Context, *v1alpha1.Route) (managed.ExternalObservation, error) {
						return managed.ExternalObservation{ResourceExists: tc.exists}, tc.observe
					},
					CreateFn: func(context.Context, *v1alpha1.Route) (managed.ExternalCreation, error) {
						return managed.ExternalCreation{}, tc.create
					},
				}, nil
			})
			rec := &record{}
			ctx := inReconcile(rec)
			ec, err := connector[*v1alpha1.Route]{inner: inner}.Connect(ctx, tc.obj)
			if err != nil {
				t.Fatalf("\n%s\nConnect(...): %v", tc.reason, err)
			}
			_, _ = ec.Observe(ctx, tc.obj)
			_, _ = ec.Create(ctx, tc.obj)
			if diff := cmp.Diff(tc.want, want{Creating: rec.creating, Created: rec.created}); diff != "" {
				t.Errorf("\n%s\nrecord: -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestReconcilerGivesEachReconcileARecord(t *testing.T) {
	var seen []*record
	inner := reconcile.Func(func(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
		seen = append(seen, from(ctx))
		return reconcile.Result{}, nil
	})
	r := NewReconciler(inner)
	for range 2 {
		if _, err := r.Reconcile(context.Background(), reconcile.Request{}); err != nil {
			t.Fatalf("Reconcile(...): %v", err)
		}
	}
	if len(seen) != 2 || seen[0] == nil || seen[1] == nil || seen[0] == seen[1] {
		t.Errorf("Reconcile(...): want a record of its own for each reconcile, got %v", seen)
	}
}

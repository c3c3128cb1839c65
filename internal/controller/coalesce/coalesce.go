// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

// Package coalesce cuts the writes a reconcile of crossplane-runtime's
// managed reconciler makes to a managed resource, each of which costs the
// resource's composite two tokens of Crossplane's watch circuit breaker.
//
// Without it, a reconcile that creates an external resource writes the
// resource up to five times before Create: the external name an initializer
// sets, the values its references resolve to, the finalizer, the Route's
// claim, and the external-create-pending annotation. The last is a full
// update of the resource, so here the others are only made in memory and it
// writes them all; a reconcile that creates nothing writes them, if they
// changed, in one update where the finalizer is added. The status written
// right after Create, which says only that the resource is being created,
// is skipped too: the reconciler requeues at once and the next reconcile
// writes what it observes.
package coalesce

import (
	"context"
	"slices"

	"sigs.k8s.io/controller-runtime/pkg/reconcile"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

type recordKey struct{}

// A record is what the hooks of one reconcile tell each other.
type record struct {
	// changed tells that a hook changed the metadata or spec in memory and
	// left the write to the reconcile.
	changed bool
	// creating tells that Observe found no external resource and that the
	// reconcile goes on to create it.
	creating bool
	// created tells that Create succeeded.
	created bool
	// unresolved tells that the references of a resource composed moments
	// ago do not resolve yet.
	unresolved bool
}

func from(ctx context.Context) *record {
	r, _ := ctx.Value(recordKey{}).(*record)
	return r
}

// Defer tells a hook that changed the metadata or spec of a managed
// resource in memory whether to leave the write to the reconcile of ctx. It
// does when a Reconciler runs the reconcile: the update that adds the
// finalizer, or the one that sets external-create-pending, writes the
// change.
func Defer(ctx context.Context) bool {
	r := from(ctx)
	if r == nil {
		return false
	}
	r.changed = true
	return true
}

// Unresolved tells the reconcile of ctx that the references of its
// resource, composed moments ago and never reconciled, do not resolve yet:
// what they reference is being created with it. The reconcile writes no
// status then. The controllers watch what their resources reference, so the
// resource is reconciled again once that has the value it needs.
func Unresolved(ctx context.Context) {
	if r := from(ctx); r != nil {
		r.unresolved = true
	}
}

// A Reconciler gives each reconcile of a managed reconciler the record its
// hooks share.
type Reconciler struct {
	inner reconcile.Reconciler
}

// NewReconciler returns a Reconciler that runs the reconciles of inner.
func NewReconciler(inner reconcile.Reconciler) *Reconciler {
	return &Reconciler{inner: inner}
}

// Reconcile runs a reconcile of req with a new record.
func (r *Reconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	return r.inner.Reconcile(context.WithValue(ctx, recordKey{}, &record{}), req)
}

// allowsCreate reports whether mg's management policies let the reconciler
// create its external resource. An empty list pauses the resource, whose
// reconcile never gets this far.
func allowsCreate(mg resource.Managed) bool {
	p := mg.GetManagementPolicies()
	return len(p) == 0 || slices.Contains(p, xpv2.ManagementActionAll) || slices.Contains(p, xpv2.ManagementActionCreate)
}

// creates reports whether a reconcile that observed o for mg creates the
// external resource.
func creates(mg resource.Managed, exists bool) bool {
	return !exists && !meta.WasDeleted(mg) && allowsCreate(mg)
}

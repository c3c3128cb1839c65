// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package coalesce

import (
	"context"

	"sigs.k8s.io/controller-runtime/pkg/client"
	"sigs.k8s.io/controller-runtime/pkg/manager"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

// WithManager returns mgr as the managed reconciler should see it: its
// client skips the status update a reconcile makes right after Create when
// that update says only that the external resource is being created, and
// the one that says the references of a new resource do not resolve yet
// (see Unresolved). The reconciler requeues at once in both cases, and a
// later reconcile writes the status it observes instead.
func WithManager(mgr manager.Manager) manager.Manager {
	return reconcilerManager{Manager: mgr, client: statusClient{Client: mgr.GetClient()}}
}

type reconcilerManager struct {
	manager.Manager

	client client.Client
}

func (m reconcilerManager) GetClient() client.Client { return m.client }

type statusClient struct {
	client.Client
}

func (c statusClient) Status() client.SubResourceWriter {
	return statusWriter{SubResourceWriter: c.Client.Status()}
}

type statusWriter struct {
	client.SubResourceWriter
}

// Update writes the status of obj, unless it is the one written right after
// Create or after references that do not resolve yet.
func (w statusWriter) Update(ctx context.Context, obj client.Object, opts ...client.SubResourceUpdateOption) error {
	r := from(ctx)
	switch {
	case r == nil:
	case r.created && onlyCreating(obj), r.unresolved && reconcileError(obj):
		return nil
	}
	return w.SubResourceWriter.Update(ctx, obj, opts...)
}

// reconcileError reports whether o's Synced condition is a reconcile error.
func reconcileError(o client.Object) bool {
	c, ok := o.(resource.Conditioned)
	return ok && c.GetCondition(xpv2.TypeSynced).Reason == xpv2.ReasonReconcileError
}

// onlyCreating reports whether o's conditions say that its external
// resource is being created and that the reconcile succeeded.
func onlyCreating(o client.Object) bool {
	c, ok := o.(resource.Conditioned)
	if !ok {
		return false
	}
	return c.GetCondition(xpv2.TypeReady).Reason == xpv2.ReasonCreating && c.GetCondition(xpv2.TypeSynced).Reason == xpv2.ReasonReconcileSuccess
}

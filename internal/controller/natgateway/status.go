// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"

	"github.com/aws/aws-sdk-go-v2/aws"
	ctrl "sigs.k8s.io/controller-runtime"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/coalesce"
)

// The managed reconciler writes a NATGateway's metadata with full updates,
// and each of them replaces the status in memory with the stored one
// (crossplane-runtime#791). The helpers here keep what Observe found across
// those updates (coalesce.Finalizer does for the finalizer's), write the
// status only when it changed, and keep the stored status from describing
// another gateway than the one the external name names.

// newIDUpdater writes the critical annotations after Create, among them the
// new gateway's external name. It first writes a status that says nothing
// about the new gateway but that it is being created, so no reader ever
// sees the new ID with the old gateway's state or Ready condition, and it
// keeps that status in memory across the update.
type newIDUpdater struct {
	managed.CriticalAnnotationUpdater

	client client.Client
}

// UpdateCriticalAnnotations writes the status for the new external name,
// then the annotations.
func (u newIDUpdater) UpdateCriticalAnnotations(ctx context.Context, o client.Object) error {
	if cr, ok := o.(*v1alpha1.NATGateway); ok && describesOther(cr) {
		cr.Status.AtProvider = v1alpha1.NATGatewayObservation{Healing: cr.Status.AtProvider.Healing}
		cr.SetConditions(xpv2.Creating())
		// The response holds the stored metadata, with the old external
		// name: the new annotations are set again.
		a := maps.Clone(cr.GetAnnotations())
		// Best effort: the annotations, which record the new gateway, must
		// be written even when this write fails.
		_ = u.client.Status().Update(ctx, cr)
		meta.AddAnnotations(cr, a)
	}
	return coalesce.KeepStatus(o, func() error { return u.CriticalAnnotationUpdater.UpdateCriticalAnnotations(ctx, o) })
}

// describesOther reports whether the status of cr describes a gateway other
// than the one its external name names.
func describesOther(cr *v1alpha1.NATGateway) bool {
	id := aws.ToString(cr.Status.AtProvider.NATGatewayID)
	return id != "" && id != meta.GetExternalName(cr)
}

// reconcilerManager is the manager as the managed reconciler sees it: its
// client writes a NATGateway's status only when it changed.
type reconcilerManager struct {
	ctrl.Manager

	client client.Client
}

// GetClient returns the client that skips unchanged status writes.
func (m reconcilerManager) GetClient() client.Client { return m.client }

// withUnchangedStatusSkipped returns mgr with a client that does not write
// a NATGateway's status when the stored version of the object already holds
// it: the API server would store nothing new, yet the request would count
// against the provider's API rate limit at every poll.
func withUnchangedStatusSkipped(mgr ctrl.Manager) ctrl.Manager {
	return reconcilerManager{Manager: mgr, client: unchangedStatusSkipper{Client: mgr.GetClient()}}
}

// unchangedStatusSkipper is a client whose status writer skips unchanged
// NATGateway statuses.
type unchangedStatusSkipper struct {
	client.Client
}

// Status returns the skipping status writer.
func (c unchangedStatusSkipper) Status() client.SubResourceWriter {
	return statusWriter{SubResourceWriter: c.Client.Status(), reader: c.Client}
}

// statusWriter skips a NATGateway status update when the cached object of
// the same resource version holds the same status.
type statusWriter struct {
	client.SubResourceWriter

	reader client.Reader
}

// Update writes the status of obj unless it is unchanged.
func (w statusWriter) Update(ctx context.Context, obj client.Object, opts ...client.SubResourceUpdateOption) error {
	if cr, ok := obj.(*v1alpha1.NATGateway); ok && len(opts) == 0 && w.unchanged(ctx, cr) {
		return nil
	}
	return w.SubResourceWriter.Update(ctx, obj, opts...)
}

// unchanged reports whether the stored cr, as the cache holds it at the
// same resource version, has the status of cr as the API server would store
// it: serialized, so that times EC2 reports to the nanosecond compare as
// the seconds they are stored as.
func (w statusWriter) unchanged(ctx context.Context, cr *v1alpha1.NATGateway) bool {
	stored := &v1alpha1.NATGateway{}
	if err := w.reader.Get(ctx, client.ObjectKeyFromObject(cr), stored); err != nil || stored.ResourceVersion != cr.ResourceVersion {
		return false
	}
	a, err := json.Marshal(stored.Status)
	if err != nil {
		return false
	}
	b, err := json.Marshal(cr.Status)
	return err == nil && bytes.Equal(a, b)
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/controller/healing"
)

// Reasons of the events the controller emits.
const (
	reasonGatewayDeleted event.Reason = "GatewayDeleted"
	reasonGatewayFailed  event.Reason = "GatewayFailed"
	reasonRecreated      event.Reason = "Recreated"
	reasonAdopted        event.Reason = "Adopted"
	reasonReplacing      event.Reason = "Replacing"
	reasonDuplicates     event.Reason = "DuplicateGateways"
)

// Observe reports whether the gateway named by the external name exists and
// matches the spec, and sets the Ready condition. It calls no EC2 API that
// changes anything.
//
// A gateway EC2 reports deleted, or no longer knows, does not exist, so the
// reconciler creates it again; so does a failed gateway once its backoff has
// elapsed, unless spec.onFailed is Report. While the NATGateway itself is
// being deleted, any gateway that is not yet deleted or failed exists, so the
// finalizer stays until EC2 is done; so does any live gateway tagged for it that it
// does not name (see observeLeftovers).
func (e *external) Observe(ctx context.Context, cr *v1alpha1.NATGateway) (managed.ExternalObservation, error) {
	o, err := e.observe(ctx, cr)
	if err != nil || !meta.WasDeleted(cr) {
		return o, err
	}
	return e.observeLeftovers(ctx, cr, o)
}

// observe reports on the gateway named by the external name.
func (e *external) observe(ctx context.Context, cr *v1alpha1.NATGateway) (managed.ExternalObservation, error) {
	e.found = nil
	defer e.trackHealing(cr)
	deleting := meta.WasDeleted(cr)

	h, err := healing.Get(cr)
	if err != nil && !deleting {
		return managed.ExternalObservation{}, err
	}

	id := meta.GetExternalName(cr)
	if id == "" {
		return e.observeNothing(cr, h, deleting)
	}

	gw, err := e.gateway(ctx, cr, id)
	if err != nil {
		return managed.ExternalObservation{}, errors.Wrapf(err, "cannot describe NAT gateway %s", id)
	}
	if gw == nil && !deleting && createdRecently(cr, e.now()) {
		// EC2 is eventually consistent: a gateway created moments ago may
		// not be listed yet, and creating another now would duplicate it.
		cr.Status.AtProvider = v1alpha1.NATGatewayObservation{Healing: h}
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("waiting for EC2 to list NAT gateway %s, created moments ago", id)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	if gw == nil {
		return e.observeNothing(cr, h, deleting)
	}

	cr.Status.AtProvider = generateObservation(*gw)
	cr.Status.AtProvider.Healing = h

	switch gw.State {
	case types.NatGatewayStateDeleted:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("NAT gateway %s is deleted", id)))
		e.found = &found{id: id, state: v1alpha1.FoundStateDeleted}
		if computeDrift(cr).replace {
			e.found.state = v1alpha1.FoundStateReplaced
		} else if !deleting {
			e.record.Event(cr, event.Warning(reasonGatewayDeleted, errors.Errorf("NAT gateway %s was deleted outside Crossplane; %s", id, creatingNew(cr))))
		}
		return managed.ExternalObservation{ResourceExists: false}, nil

	case types.NatGatewayStateDeleting:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("NAT gateway %s is deleting", id)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil

	case types.NatGatewayStatePending:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("NAT gateway %s is pending", id)))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil

	case types.NatGatewayStateFailed:
		return e.observeFailed(cr, h, deleting)

	case types.NatGatewayStateAvailable:
		cr.SetConditions(xpv2.Available())
		if deleting {
			return managed.ExternalObservation{ResourceExists: true}, nil
		}
		d := computeDrift(cr)
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: d.upToDate(), Diff: d.diff()}, nil
	}

	cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("NAT gateway %s is in unknown state %q", id, gw.State)))
	return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
}

// createdRecently reports whether the reconciler created cr's gateway less
// than creationGracePeriod before now.
func createdRecently(cr *v1alpha1.NATGateway, now time.Time) bool {
	t := meta.GetExternalCreateSucceeded(cr)
	return !t.IsZero() && now.Sub(t) < creationGracePeriod
}

// observeFailed reports a failed gateway: it exists, unless it is to be
// replaced now, which needs spec.onFailed Recreate, a management policy that
// allows Create and an elapsed backoff.
func (e *external) observeFailed(cr *v1alpha1.NATGateway, h *v1alpha1.Healing, deleting bool) (managed.ExternalObservation, error) {
	id := meta.GetExternalName(cr)
	obs := cr.Status.AtProvider
	failure := fmt.Sprintf("NAT gateway %s failed: %s: %s", id, aws.ToString(obs.FailureCode), aws.ToString(obs.FailureMessage))

	if deleting {
		// A failed gateway holds nothing, and EC2 removes it by itself:
		// DeleteNatGateway changes nothing, so waiting for it to go would
		// hold the finalizer for about an hour.
		cr.SetConditions(xpv2.Unavailable().WithMessage(failure))
		return managed.ExternalObservation{ResourceExists: false}, nil
	}
	if aws.ToString(cr.Spec.OnFailed) == v1alpha1.OnFailedReport {
		cr.SetConditions(xpv2.Unavailable().WithMessage(failure + "; spec.onFailed is Report, so it is not replaced"))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	if !allows(cr, xpv2.ManagementActionCreate) {
		// EC2 still lists the failed gateway and nothing may replace it, so
		// it is reported as it is rather than as gone.
		cr.SetConditions(xpv2.Unavailable().WithMessage(failure + "; the management policies do not allow replacing it"))
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	cr.SetConditions(xpv2.Unavailable().WithMessage(failure + "; it is replaced with exponential backoff"))

	if e.now().Before(e.backoff.replaceAt(cr, h)) {
		return managed.ExternalObservation{ResourceExists: true, ResourceUpToDate: true}, nil
	}
	e.record.Event(cr, event.Warning(reasonGatewayFailed, errors.New(failure+"; "+creatingNew(cr))))
	e.found = &found{id: id, state: v1alpha1.FoundStateFailed}
	return managed.ExternalObservation{ResourceExists: false}, nil
}

// creatingNew tells what follows for a gateway of cr that is gone or failed:
// a new one is created, unless the management policies forbid it.
func creatingNew(cr *v1alpha1.NATGateway) string {
	if allows(cr, xpv2.ManagementActionCreate) {
		return "creating a new one"
	}
	return "the management policies do not allow creating a new one"
}

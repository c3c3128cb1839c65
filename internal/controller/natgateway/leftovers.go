// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// observeLeftovers completes o, the observation of a NATGateway being
// deleted, with the gateways made for it that its external name does not
// name: one EC2 made while the provider was down, or whose answer was lost,
// or a replacement created after the named gateway was found gone. Each is
// found by the UID tag its create request carried (the ClientToken cannot be
// looked up, but pins every retry of one creation to the gateway tagged this
// way), and each keeps the NATGateway existing, so the managed reconciler
// calls Delete, which deletes the live ones, and keeps the finalizer until
// EC2 reports each of them deleted.
// They are looked for once the named gateway, if any, no longer exists.
//
// A create that was under way when the provider stopped (the reconciler's
// create-pending annotation without a result) may have made a gateway that
// EC2 does not list yet: the NATGateway exists for creationGracePeriod after
// that attempt, and the listing is repeated.
func (e *external) observeLeftovers(ctx context.Context, cr *v1alpha1.NATGateway, o managed.ExternalObservation) (managed.ExternalObservation, error) {
	if o.ResourceExists {
		// Delete deletes the named gateway first; the others are looked
		// for once it is gone.
		return o, nil
	}
	gws, err := e.owned(ctx, cr, meta.GetExternalName(cr), types.NatGatewayStatePending, types.NatGatewayStateAvailable, types.NatGatewayStateDeleting)
	if err != nil {
		return managed.ExternalObservation{}, err
	}
	e.leftovers = make([]string, 0, len(gws))
	ids := make([]string, 0, len(gws))
	for _, gw := range gws {
		ids = append(ids, aws.ToString(gw.NatGatewayId))
		if live(gw.State) {
			e.leftovers = append(e.leftovers, aws.ToString(gw.NatGatewayId))
		}
	}
	switch {
	case len(ids) > 0:
		cr.SetConditions(xpv2.Unavailable().WithMessage(fmt.Sprintf("deleting NAT gateway %s, made for this resource and never recorded, before the finalizer is removed", strings.Join(ids, ", "))))
	case createInterrupted(cr, e.now()):
		cr.SetConditions(xpv2.Unavailable().WithMessage("waiting for EC2 to list the NAT gateway a create interrupted moments ago may have made, so that it is deleted too"))
	default:
		return o, nil
	}
	o.ResourceExists = true
	return o, nil
}

// createInterrupted reports whether the reconciler began creating cr's
// gateway less than creationGracePeriod before now and recorded no result.
func createInterrupted(cr *v1alpha1.NATGateway, now time.Time) bool {
	return meta.ExternalCreateIncomplete(cr) && now.Sub(meta.GetExternalCreatePending(cr)) < creationGracePeriod
}

// deleteLeftovers deletes the gateways observeLeftovers found.
func (e *external) deleteLeftovers(ctx context.Context) error {
	for _, id := range e.leftovers {
		_, err := e.client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
		if err != nil && !ec2client.IsNATGatewayNotFound(err) {
			return errors.Wrapf(err, "cannot delete NAT gateway %s, made for this resource and never recorded", id)
		}
	}
	return nil
}

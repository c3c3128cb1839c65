// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Create claims the route for cr, then creates it. A route that already
// exists counts as created when cr adopts it, or when cr claimed it before
// this attempt or this attempt's first CreateRoute had an uncertain answer:
// an earlier CreateRoute, whose answer was lost, made it. A
// route someone else made since Observe found none is not cr's: the claim is
// withdrawn and the error says so. The next Observe points a route cr owns
// at its target if it points elsewhere.
func (e *external) Create(ctx context.Context, cr *v1alpha1.Route) (managed.ExternalCreation, error) {
	in, err := generateCreateRouteInput(cr.Spec.ForProvider)
	if err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, "cannot create route")
	}
	fresh, err := e.claim(ctx, cr, e.now())
	if err != nil {
		return managed.ExternalCreation{}, err
	}
	_, err = e.client.CreateRoute(ctx, in)
	if ec2client.Uncertain(err) {
		// The client does not repeat CreateRoute after an uncertain answer:
		// EC2 may have made the route. Create repeats it once, and a route
		// that then exists is the one the first attempt made.
		if _, err = e.client.CreateRoute(ctx, in); ec2client.IsErrorCode(err, ec2client.CodeRouteAlreadyExists) {
			fresh = false
		}
	}
	switch {
	case err == nil:
		return managed.ExternalCreation{}, nil
	case ec2client.IsErrorCode(err, ec2client.CodeRouteAlreadyExists) && (!fresh || adopts(cr)):
		return managed.ExternalCreation{}, nil
	case ec2client.IsErrorCode(err, ec2client.CodeRouteAlreadyExists):
		if werr := e.withdraw(ctx, cr); werr != nil {
			return managed.ExternalCreation{}, werr
		}
		return managed.ExternalCreation{}, ownedByNone(cr)
	}
	return managed.ExternalCreation{}, e.wrapTargetError(ctx, cr, err, "cannot create route", aws.ToString(in.NatGatewayId))
}

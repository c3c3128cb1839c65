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

// Create creates the route. A route that already exists for the destination
// counts as created: the next Observe points it at its target if it points
// elsewhere.
func (e *external) Create(ctx context.Context, cr *v1alpha1.Route) (managed.ExternalCreation, error) {
	in, err := generateCreateRouteInput(cr.Spec.ForProvider)
	if err != nil {
		return managed.ExternalCreation{}, errors.Wrap(err, "cannot create route")
	}
	_, err = e.client.CreateRoute(ctx, in)
	if err == nil || ec2client.IsErrorCode(err, ec2client.CodeRouteAlreadyExists) {
		return managed.ExternalCreation{}, nil
	}
	return managed.ExternalCreation{}, wrapTargetError(err, "cannot create route", aws.ToString(in.NatGatewayId))
}

// wrapTargetError wraps err with msg, and says when EC2 does not know the NAT
// gateway yet: right after a gateway is created EC2 may answer
// InvalidNatGatewayID.NotFound for a while, and a later attempt succeeds.
func wrapTargetError(err error, msg, natGatewayID string) error {
	if ec2client.IsErrorCode(err, ec2client.CodeInvalidNatGatewayIDNotFound) {
		return errors.Wrapf(err, "%s: EC2 does not know NAT gateway %s yet, as happens shortly after a gateway is created; the next reconcile retries", msg, natGatewayID)
	}
	return errors.Wrap(err, msg)
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

// Update points the route at its target with ReplaceRoute, which replaces
// whatever target the route had. The route table and the destination never
// change: they identify the route.
func (e *external) Update(ctx context.Context, cr *v1alpha1.Route) (managed.ExternalUpdate, error) {
	in, err := generateReplaceRouteInput(cr.Spec.ForProvider)
	if err != nil {
		return managed.ExternalUpdate{}, errors.Wrap(err, "cannot replace route")
	}
	if _, err := e.client.ReplaceRoute(ctx, in); err != nil {
		return managed.ExternalUpdate{}, e.wrapTargetError(ctx, cr, err, "cannot replace route", aws.ToString(in.NatGatewayId))
	}
	return managed.ExternalUpdate{}, nil
}

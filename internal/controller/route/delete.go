// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Delete deletes the route for the Route's destination and no other route
// of the table. The reconciler calls it only while Observe finds the route.
// A route or table EC2 no longer knows is deleted.
func (e *external) Delete(ctx context.Context, cr *v1alpha1.Route) (managed.ExternalDelete, error) {
	in, err := generateDeleteRouteInput(cr.Spec.ForProvider)
	if err != nil {
		return managed.ExternalDelete{}, errors.Wrap(err, "cannot delete route")
	}
	_, err = e.client.DeleteRoute(ctx, in)
	if ec2client.IsRouteNotFound(err) || ec2client.IsErrorCode(err, ec2client.CodeInvalidRouteTableIDNotFound) {
		return managed.ExternalDelete{}, nil
	}
	return managed.ExternalDelete{}, errors.Wrap(err, "cannot delete route")
}

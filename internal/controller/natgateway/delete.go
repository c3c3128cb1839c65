// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// Delete asks EC2 to delete the gateway, once: a gateway Observe found
// deleting is left alone. A gateway EC2 no longer knows is deleted. The
// finalizer stays until Observe reports the gateway deleted or gone. Delete
// also deletes the gateways Observe found made for the NATGateway and never
// recorded.
func (e *external) Delete(ctx context.Context, cr *v1alpha1.NATGateway) (managed.ExternalDelete, error) {
	// A snapshot taken before this change must not serve the gateway.
	defer e.touch(cr)
	if err := e.deleteLeftovers(ctx); err != nil {
		return managed.ExternalDelete{}, err
	}
	id := meta.GetExternalName(cr)
	switch aws.ToString(cr.Status.AtProvider.State) {
	case v1alpha1.NATGatewayStateDeleting, v1alpha1.NATGatewayStateDeleted:
		return managed.ExternalDelete{}, nil
	}
	if id == "" {
		return managed.ExternalDelete{}, nil
	}
	_, err := e.client.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
	if ec2client.IsNATGatewayNotFound(err) {
		return managed.ExternalDelete{}, nil
	}
	return managed.ExternalDelete{}, errors.Wrapf(err, "cannot delete NAT gateway %s", id)
}

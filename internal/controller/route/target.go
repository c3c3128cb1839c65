// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// wrapTargetError wraps err, a refused CreateRoute or ReplaceRoute of cr,
// with msg. EC2 answers InvalidNatGatewayID.NotFound for a gateway it does
// not know: for a while after the gateway is created, as its API is
// eventually consistent, and for good when there is no such gateway. Only
// within that window does the error say the gateway is not known yet; after
// it, the refusal says the gateway does not exist.
func (e *external) wrapTargetError(ctx context.Context, cr *v1alpha1.Route, err error, msg, natGatewayID string) error {
	if !ec2client.IsErrorCode(err, ec2client.CodeInvalidNatGatewayIDNotFound, ec2client.CodeInvalidGatewayIDNotFound) {
		return errors.Wrap(err, msg)
	}
	if e.createdRecently(ctx, cr, natGatewayID) {
		return errors.Errorf("%s: EC2 does not know NAT gateway %s yet (%s), as happens shortly after a gateway is created; the next reconcile retries",
			msg, natGatewayID, ec2client.ErrorCode(err))
	}
	return errors.Wrap(err, msg)
}

// createdRecently reports whether NAT gateway id was created within EC2's
// consistency window, as EC2 lists it or as the NATGateway that cr
// references recorded it. A gateway EC2 lists as pending or available is
// known, whenever it was made: the route's side of EC2 lags behind.
func (e *external) createdRecently(ctx context.Context, cr *v1alpha1.Route, id string) bool {
	now := e.now
	gw, err := ec2client.DescribeNATGateway(ctx, e.client, id)
	if err == nil && gw != nil {
		return gw.State == types.NatGatewayStatePending || gw.State == types.NatGatewayStateAvailable ||
			now().Sub(aws.ToTime(gw.CreateTime)) < ec2client.NATGatewayConsistencyWindow
	}
	ref := cr.Spec.ForProvider.NATGatewayIDRef
	if ref == nil || e.kube == nil {
		return false
	}
	ng := &v1alpha1.NATGateway{}
	if err := e.kube.Get(ctx, client.ObjectKey{Namespace: cr.GetNamespace(), Name: ref.Name}, ng); err != nil {
		return false
	}
	created := meta.GetExternalCreateSucceeded(ng)
	return meta.GetExternalName(ng) == id && !created.IsZero() && now().Sub(created) < ec2client.NATGatewayConsistencyWindow
}

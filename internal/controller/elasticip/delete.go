// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/ec2"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// TypeReleased is the condition that tells why the address of an ElasticIP
// being deleted is not released yet. It is a condition of its own because
// the managed reconciler sets Ready to Deleting, without a message, after
// every Delete.
const TypeReleased xpv2.ConditionType = "Released"

// ReasonStillAssociated means something, usually a NAT gateway, still holds
// the address.
const ReasonStillAssociated xpv2.ConditionReason = "StillAssociated"

// Delete releases the address. While something holds it (a NAT gateway keeps
// its address until the gateway is deleted, and EC2 then refuses the release
// with AuthFailure or InvalidIPAddress.InUse) it waits instead of failing:
// it sets the Released condition to say why and returns, and the reconciler
// calls it again. An address EC2 no longer knows is released.
func (e *external) Delete(ctx context.Context, cr *v1alpha1.ElasticIP) (managed.ExternalDelete, error) {
	id := meta.GetExternalName(cr)
	if holder := associated(cr.Status.AtProvider); holder != "" {
		cr.SetConditions(stillAssociated(fmt.Sprintf("address %s is still associated with %s (a NAT gateway holds its address until the gateway is deleted); it is released once the association ends", id, holder)))
		return managed.ExternalDelete{}, nil
	}

	_, err := e.client.ReleaseAddress(ctx, &ec2.ReleaseAddressInput{
		AllocationId:       &id,
		NetworkBorderGroup: cr.Status.AtProvider.NetworkBorderGroup,
	})
	switch {
	case err == nil, ec2client.IsAddressNotFound(err):
		return managed.ExternalDelete{}, nil
	case ec2client.IsErrorCode(err, ec2client.CodeAuthFailure, ec2client.CodeInvalidIPAddressInUse):
		cr.SetConditions(stillAssociated(fmt.Sprintf("address %s is still in use (EC2 answered %s; a NAT gateway holds its address until the gateway is deleted); it is released once the association ends", id, ec2client.ErrorCode(err))))
		return managed.ExternalDelete{}, nil
	}
	return managed.ExternalDelete{}, errors.Wrapf(err, "cannot release address %s", id)
}

// stillAssociated is the Released condition of an address that something
// still holds.
func stillAssociated(msg string) xpv2.Condition {
	return xpv2.Condition{
		Type:               TypeReleased,
		Status:             corev1.ConditionFalse,
		LastTransitionTime: metav1.Now(),
		Reason:             ReasonStillAssociated,
		Message:            msg,
	}
}

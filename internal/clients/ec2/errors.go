// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"slices"

	"github.com/aws/smithy-go"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// EC2 error codes the provider acts on.
const (
	CodeNatGatewayNotFound          = "NatGatewayNotFound"
	CodeInvalidNatGatewayIDNotFound = "InvalidNatGatewayID.NotFound"
	CodeIdempotentParameterMismatch = "IdempotentParameterMismatch"
	CodeInvalidAllocationIDNotFound = "InvalidAllocationID.NotFound"
	CodeInvalidAddressNotFound      = "InvalidAddress.NotFound"
	CodeInvalidAddressIDNotFound    = "InvalidAddressID.NotFound"
	CodeInvalidRouteNotFound        = "InvalidRoute.NotFound"
	CodeInvalidRouteTableIDNotFound = "InvalidRouteTableID.NotFound"
	CodeRouteAlreadyExists          = "RouteAlreadyExists"
	CodeAuthFailure                 = "AuthFailure"
	CodeInvalidIPAddressInUse       = "InvalidIPAddress.InUse"
)

// ErrorCode returns the EC2 error code of err, or "" when err is not an EC2
// API error.
func ErrorCode(err error) string {
	var apiErr smithy.APIError
	if errors.As(err, &apiErr) {
		return apiErr.ErrorCode()
	}
	return ""
}

// IsErrorCode reports whether err is an EC2 API error with one of codes.
func IsErrorCode(err error, codes ...string) bool {
	c := ErrorCode(err)
	return c != "" && slices.Contains(codes, c)
}

// IsNATGatewayNotFound reports whether err says a NAT gateway does not exist,
// which is what EC2 answers once a deleted or failed gateway is purged.
func IsNATGatewayNotFound(err error) bool {
	return IsErrorCode(err, CodeNatGatewayNotFound, CodeInvalidNatGatewayIDNotFound)
}

// IsAddressNotFound reports whether err says an Elastic IP address does not
// exist.
func IsAddressNotFound(err error) bool {
	return IsErrorCode(err, CodeInvalidAllocationIDNotFound, CodeInvalidAddressNotFound, CodeInvalidAddressIDNotFound)
}

// IsRouteNotFound reports whether err says a route does not exist.
func IsRouteNotFound(err error) bool {
	return IsErrorCode(err, CodeInvalidRouteNotFound)
}

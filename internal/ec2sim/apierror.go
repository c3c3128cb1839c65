// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim

import (
	"fmt"
	"net/http"
)

// An APIError is an EC2 error answered in the EC2 error envelope.
type APIError struct {
	// Status is the HTTP status code.
	Status int
	// Code is the EC2 error code, for example NatGatewayNotFound.
	Code string
	// Message is the human readable message.
	Message string
}

// Error returns the code and message.
func (e *APIError) Error() string {
	return e.Code + ": " + e.Message
}

func clientError(code, format string, a ...any) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: code, Message: fmt.Sprintf(format, a...)}
}

// Error codes and statuses documented for EC2.
const (
	codeAuthFailure                 = "AuthFailure"
	codeDryRunOperation             = "DryRunOperation"
	codeIdempotentParameterMismatch = "IdempotentParameterMismatch"
	codeIncorrectState              = "IncorrectState"
	codeInternalError               = "InternalError"
	codeInvalidAction               = "InvalidAction"
	codeInvalidParameter            = "InvalidParameter"
	codeInvalidParameterCombination = "InvalidParameterCombination"
	codeInvalidParameterValue       = "InvalidParameterValue"
	codeMissingAction               = "MissingAction"
	codeMissingParameter            = "MissingParameter"
	codeNoSuchVersion               = "NoSuchVersion"
	codeRequestLimitExceeded        = "RequestLimitExceeded"
	codeUnknownParameter            = "UnknownParameter"
	codeUnsupportedOperation        = "UnsupportedOperation"
	codeInvalidNextToken            = "InvalidNextToken"
	codeInvalidID                   = "InvalidID"
	codeTagLimitExceeded            = "TagLimitExceeded"

	codeNatGatewayNotFound           = "NatGatewayNotFound"
	codeNatGatewayMalformed          = "NatGatewayMalformed"
	codeNatGatewayLimitExceeded      = "NatGatewayLimitExceeded"
	codeInvalidNatGatewayIDNotFound  = "InvalidNatGatewayID.NotFound"
	codeInvalidGatewayIDNotFound     = "InvalidGatewayID.NotFound"
	codeInvalidPrefixListIDNotFound  = "InvalidPrefixListID.NotFound"
	codeInvalidSubnet                = "InvalidSubnet"
	codeInvalidSubnetConflict        = "InvalidSubnet.Conflict"
	codeInvalidSubnetRange           = "InvalidSubnet.Range"
	codeInvalidSubnetIDNotFound      = "InvalidSubnetID.NotFound"
	codeInvalidSubnetIDMalformed     = "InvalidSubnetID.Malformed"
	codeInvalidVpcIDNotFound         = "InvalidVpcID.NotFound"
	codeInvalidVpcIDMalformed        = "InvalidVpcID.Malformed"
	codeInvalidVpcRange              = "InvalidVpc.Range"
	codeInvalidElasticIPIDMalformed  = "InvalidElasticIpID.Malformed"
	codeInvalidElasticIPIDNotFound   = "InvalidElasticIpID.NotFound"
	codeInvalidAllocationIDNotFound  = "InvalidAllocationID.NotFound"
	codeInvalidAllocationIDMalformed = "InvalidAllocationID.Malformed"
	codeInvalidAddressNotFound       = "InvalidAddress.NotFound"
	codeInvalidAssociationIDNotFound = "InvalidAssociationID.NotFound"
	codeAddressLimitExceeded         = "AddressLimitExceeded"
	codeInvalidIPAddressInUse        = "InvalidIPAddress.InUse"
	codeOperationInProgress          = "OperationInProgress"
	codeResourceAlreadyAssociated    = "Resource.AlreadyAssociated"
	codeInvalidRouteTableIDNotFound  = "InvalidRouteTableID.NotFound"
	codeInvalidRouteTableIDMalformed = "InvalidRouteTableId.Malformed"
	codeInvalidRouteNotFound         = "InvalidRoute.NotFound"
	codeInvalidRouteMalformed        = "InvalidRoute.Malformed"
	codeRouteAlreadyExists           = "RouteAlreadyExists"
)

func errDryRun() *APIError {
	return &APIError{Status: http.StatusPreconditionFailed, Code: codeDryRunOperation, Message: "Request would have succeeded, but DryRun flag is set."}
}

func errThrottled() *APIError {
	return &APIError{Status: http.StatusServiceUnavailable, Code: codeRequestLimitExceeded, Message: "Request limit exceeded."}
}

func errInternal(msg string) *APIError {
	return &APIError{Status: http.StatusInternalServerError, Code: codeInternalError, Message: msg}
}

func errMissing(param string) *APIError {
	return clientError(codeMissingParameter, "The request must include the %s parameter. Add the required parameter and retry the request.", param)
}

func errInvalidValue(param, value, expected string) *APIError {
	return clientError(codeInvalidParameterValue, "Value (%s) for parameter %s is invalid. %s", value, param, expected)
}

func errCombination(format string, a ...any) *APIError {
	return clientError(codeInvalidParameterCombination, format, a...)
}

// statusForCode is the HTTP status used when an error code is injected as a
// fault.
func statusForCode(code string) int {
	switch code {
	case codeRequestLimitExceeded, "ServiceUnavailable", "Unavailable":
		return http.StatusServiceUnavailable
	case codeInternalError, "InternalFailure":
		return http.StatusInternalServerError
	case codeDryRunOperation:
		return http.StatusPreconditionFailed
	}
	return http.StatusBadRequest
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// Error codes the provider explains but does not otherwise act on.
const (
	CodeInvalidParameterValue        = "InvalidParameterValue"
	CodeInvalidSubnetIDNotFound      = "InvalidSubnetID.NotFound"
	CodeInvalidVpcIDNotFound         = "InvalidVpcID.NotFound"
	CodeInvalidElasticIPIDNotFound   = "InvalidElasticIpID.NotFound"
	CodeResourceAlreadyAssociated    = "Resource.AlreadyAssociated"
	CodeNatGatewayLimitExceeded      = "NatGatewayLimitExceeded"
	CodeAddressLimitExceeded         = "AddressLimitExceeded"
	CodeUnauthorizedOperation        = "UnauthorizedOperation"
	CodeRequestLimitExceeded         = "RequestLimitExceeded"
	CodeInvalidSubnet                = "InvalidSubnet"
	CodeInvalidSubnetIDMalformed     = "InvalidSubnetID.Malformed"
	CodeInvalidVpcIDMalformed        = "InvalidVpcID.Malformed"
	CodeInvalidElasticIPIDMalformed  = "InvalidElasticIpID.Malformed"
	CodeInvalidAllocationIDMalformed = "InvalidAllocationID.Malformed"
	CodeInvalidGatewayIDNotFound     = "InvalidGatewayID.NotFound"
	CodeInvalidPrefixListIDNotFound  = "InvalidPrefixListID.NotFound"
	CodeInvalidRouteTableIDMalformed = "InvalidRouteTableId.Malformed"
	CodeGatewayNotAttached           = "Gateway.NotAttached"
	CodeUnsupportedOperation         = "UnsupportedOperation"
	CodeSignatureDoesNotMatch        = "SignatureDoesNotMatch"
)

// Spec fields that EC2 refusals concern.
const (
	FieldRegion                      = "spec.forProvider.region"
	FieldSubnetID                    = "spec.forProvider.subnetId"
	FieldVpcID                       = "spec.forProvider.vpcId"
	FieldAllocationID                = "spec.forProvider.allocationId"
	FieldSecondaryAllocationIDs      = "spec.forProvider.secondaryAllocationIds"
	FieldPrivateIPAddress            = "spec.forProvider.privateIpAddress"
	FieldSecondaryPrivateIPAddresses = "spec.forProvider.secondaryPrivateIpAddresses"
	FieldAvailabilityZoneAddresses   = "spec.forProvider.availabilityZoneAddresses"
	FieldRouteTableID                = "spec.forProvider.routeTableId"
	FieldDestinationCidrBlock        = "spec.forProvider.destinationCidrBlock"
	FieldDestinationIPv6CidrBlock    = "spec.forProvider.destinationIpv6CidrBlock"
	FieldDestinationPrefixListID     = "spec.forProvider.destinationPrefixListId"
	FieldNATGatewayID                = "spec.forProvider.natGatewayId"
	FieldAddress                     = "spec.forProvider.address"
	FieldPublicIPv4Pool              = "spec.forProvider.publicIpv4Pool"
	FieldNetworkBorderGroup          = "spec.forProvider.networkBorderGroup"
	FieldTags                        = "spec.forProvider.tags"
	FieldProviderConfigRef           = "spec.providerConfigRef"
)

// A Scope is where an EC2 client sends its requests, as a person names it.
type Scope struct {
	// Region the client calls.
	Region string
	// Config names the provider configuration: "ProviderConfig team/aws".
	Config string
	// Endpoint is the EC2 endpoint of the configuration; empty for AWS.
	Endpoint string
	// Account is the AWS account ID, when the configuration names it (the
	// role ARN of a web identity).
	Account string
	// AccessKeyID identifies the account's credentials, when they are keys.
	AccessKeyID string
	// Anonymous is set when the configuration gives no credentials, so
	// requests are not signed.
	Anonymous bool
}

// String names the region and the account of s: "region us-east-1, the
// account of access key AKIA… (ProviderConfig team/aws)".
func (s Scope) String() string {
	parts := []string{"region " + s.Region}
	switch {
	case s.Account != "" && s.Config != "":
		parts = append(parts, fmt.Sprintf("account %s (%s)", s.Account, s.Config))
	case s.AccessKeyID != "" && s.Config != "":
		parts = append(parts, fmt.Sprintf("the account of access key %s (%s)", s.AccessKeyID, s.Config))
	case s.Config != "":
		parts = append(parts, "the account of "+s.Config)
	}
	if s.Endpoint != "" {
		parts = append(parts, "at "+s.Endpoint)
	}
	return strings.Join(parts, ", ")
}

// Principal names whose EC2 request budget and NAT gateway listing a client
// of s shares: the account ID or, when it is unknown, the access key ID or
// the credentials source.
func (s Scope) Principal() string {
	if s.Account != "" {
		return s.Account
	}
	return s.AccessKeyID
}

// A RefusalError is an EC2 error told as one sentence: the operation, the EC2
// code, the spec field it concerns and how to fix it. It unwraps to the
// error it tells, so IsErrorCode still classifies it.
type RefusalError struct {
	// Operation EC2 refused, for example CreateNatGateway.
	Operation string
	// Code EC2 answered; empty when no answer came.
	Code string
	// Field is the spec field the refusal concerns; empty when none does.
	Field string

	sentence string
	err      error
}

// Error returns the sentence.
func (r *RefusalError) Error() string { return r.sentence }

// Unwrap returns the error the refusal tells.
func (r *RefusalError) Unwrap() error { return r.err }

// A Param is a spec field and the value a request sent for it.
type Param struct {
	Field string
	Value string
}

// A refused is one refused EC2 call as the translation sees it.
type refused struct {
	op     string
	code   string
	msg    string // EC2's own message
	scope  Scope
	params []Param
}

// value returns the value sent for field, or "".
func (r refused) value(field string) string {
	for _, p := range r.params {
		if p.Field == field {
			return p.Value
		}
	}
	return ""
}

// named returns the first of fields whose value EC2's message names, else
// the first of fields that was sent, else fields[0].
func (r refused) named(fields ...string) string {
	for _, f := range fields {
		for v := range strings.SplitSeq(r.value(f), ",") {
			if v != "" && strings.Contains(r.msg, v) {
				return f
			}
		}
	}
	for _, f := range fields {
		if r.value(f) != "" {
			return f
		}
	}
	return fields[0]
}

// An explanation says which spec field a refusal concerns and, in words,
// what is wrong and how to fix it.
type explanation func(r refused) (field, text string)

// explanationKey selects an explanation: an operation's own, or one for the
// code in every operation (op "").
type explanationKey struct {
	op   string
	code string
}

// explanations of the refusals a user can fix in the spec or the provider
// configuration, keyed by operation and code.
var explanations = map[explanationKey]explanation{ //nolint:gochecknoglobals // A fixed table, read only.
	{"", CodeInvalidSubnetIDNotFound}: func(r refused) (string, string) {
		return FieldSubnetID, fmt.Sprintf("%s has no subnet %s; set %s to a subnet of region %s, or %s to the subnet's region",
			r.scope, r.value(FieldSubnetID), FieldSubnetID, r.scope.Region, FieldRegion)
	},
	{"", CodeInvalidSubnet}:            malformed(FieldSubnetID, "subnet-0123456789abcdef0"),
	{"", CodeInvalidSubnetIDMalformed}: malformed(FieldSubnetID, "subnet-0123456789abcdef0"),
	{"", CodeInvalidVpcIDNotFound}: func(r refused) (string, string) {
		return FieldVpcID, fmt.Sprintf("%s has no VPC %s; set %s to a VPC of region %s, or %s to the VPC's region",
			r.scope, r.value(FieldVpcID), FieldVpcID, r.scope.Region, FieldRegion)
	},
	{"", CodeInvalidVpcIDMalformed}:        malformed(FieldVpcID, "vpc-0123456789abcdef0"),
	{"", CodeInvalidElasticIPIDNotFound}:   unknownAllocation,
	{"", CodeInvalidAllocationIDNotFound}:  unknownAllocation,
	{"", CodeInvalidElasticIPIDMalformed}:  malformed(FieldAllocationID, "eipalloc-0123456789abcdef0"),
	{"", CodeInvalidAllocationIDMalformed}: malformed(FieldAllocationID, "eipalloc-0123456789abcdef0"),
	{"", CodeResourceAlreadyAssociated}: func(r refused) (string, string) {
		f := r.named(FieldAllocationID, FieldSecondaryAllocationIDs)
		return f, fmt.Sprintf("the Elastic IP address %s of %s is associated with something else; disassociate it, or name a free address", r.value(f), f)
	},
	{"", CodeInvalidIPAddressInUse}: func(r refused) (string, string) {
		f := r.named(FieldPrivateIPAddress, FieldSecondaryPrivateIPAddresses)
		return f, fmt.Sprintf("the private address %s of %s is already in use in the subnet; choose a free address of the subnet, or leave %s unset for EC2 to pick one", r.value(f), f, f)
	},
	{"CreateNatGateway", CodeInvalidParameterValue}:               invalidNATGatewayValue,
	{"AssignPrivateNatGatewayAddress", CodeInvalidParameterValue}: invalidNATGatewayValue,
	{"", CodeNatGatewayLimitExceeded}: func(r refused) (string, string) {
		return FieldSubnetID, fmt.Sprintf("%s holds as many NAT gateways in the zone of subnet %s as its quota allows; delete one, ask AWS for a higher quota, or choose a subnet of another zone",
			r.scope, r.value(FieldSubnetID))
	},
	{"", CodeAddressLimitExceeded}: func(r refused) (string, string) {
		return FieldRegion, fmt.Sprintf("%s holds as many Elastic IP addresses as its quota allows; release one or ask AWS for a higher quota", r.scope)
	},
	{"", CodeGatewayNotAttached}: func(r refused) (string, string) {
		return FieldSubnetID, fmt.Sprintf("the VPC of subnet %s has no internet gateway; attach one, or make the NAT gateway private", r.value(FieldSubnetID))
	},
	{"", CodeInvalidRouteTableIDNotFound}: func(r refused) (string, string) {
		return FieldRouteTableID, fmt.Sprintf("%s has no route table %s; set %s to a route table of region %s, or %s to the table's region",
			r.scope, r.value(FieldRouteTableID), FieldRouteTableID, r.scope.Region, FieldRegion)
	},
	{"", CodeInvalidRouteTableIDMalformed}: malformed(FieldRouteTableID, "rtb-0123456789abcdef0"),
	{"", CodeInvalidNatGatewayIDNotFound}:  unknownTarget,
	{"", CodeInvalidGatewayIDNotFound}:     unknownTarget,
	{"", CodeInvalidPrefixListIDNotFound}: func(r refused) (string, string) {
		return FieldDestinationPrefixListID, fmt.Sprintf("%s has no prefix list %s; set %s to a managed prefix list of region %s",
			r.scope, r.value(FieldDestinationPrefixListID), FieldDestinationPrefixListID, r.scope.Region)
	},
	{"CreateRoute", CodeInvalidParameterValue}:  invalidRoute,
	{"ReplaceRoute", CodeInvalidParameterValue}: invalidRoute,
	{"CreateRoute", CodeUnsupportedOperation}:   invalidRoute,
	{"ReplaceRoute", CodeUnsupportedOperation}:  invalidRoute,
	{"AllocateAddress", CodeInvalidParameterValue}: func(r refused) (string, string) {
		f := r.named(FieldAddress, FieldPublicIPv4Pool, FieldNetworkBorderGroup)
		return f, fmt.Sprintf("EC2 cannot allocate %s %s in %s (%s); correct %s or remove it", f, r.value(f), r.scope, r.msg, f)
	},
	{"ReleaseAddress", CodeAuthFailure}: func(r refused) (string, string) {
		return "", "the address is still associated, as it is while the NAT gateway that held it is deleted; the next reconcile retries"
	},
	{"ReleaseAddress", CodeInvalidIPAddressInUse}: func(r refused) (string, string) {
		return "", "the address is still associated; the next reconcile retries once it is disassociated"
	},
	{"", CodeAuthFailure}:           wrongCredentials,
	{"", CodeSignatureDoesNotMatch}: wrongCredentials,
	{"", CodeInvalidClientTokenID}:  wrongCredentials,
	{"", CodeUnauthorizedOperation}: func(r refused) (string, string) {
		return FieldProviderConfigRef, fmt.Sprintf("the credentials of %s may not call %s; allow ec2:%s in their IAM policy", r.scope, r.op, r.op)
	},
	{"", CodeRequestLimitExceeded}: func(r refused) (string, string) {
		return "", fmt.Sprintf("%s throttles the provider's requests; the next reconcile retries", r.scope)
	},
}

// explain tells err, returned by operation op of a client in scope s for a
// request that sent params, as a RefusalError. It returns nil for nil, and err
// itself for what is not EC2's doing (a canceled context).
func explain(err error, op string, s Scope, params ...Param) error {
	if err == nil {
		return nil
	}
	var done *RefusalError
	if errors.As(err, &done) {
		return err
	}
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) {
		return explainNoAnswer(err, op, s)
	}
	r := refused{op: op, code: apiErr.ErrorCode(), msg: apiErr.ErrorMessage(), scope: s, params: params}
	e, ok := explanations[explanationKey{op, r.code}]
	if !ok {
		e, ok = explanations[explanationKey{"", r.code}]
	}
	if !ok {
		// EC2's own message, without the SDK's request ID and status.
		return &RefusalError{Operation: op, Code: r.code, err: err,
			sentence: fmt.Sprintf("EC2 refused %s with %s in %s: %s", op, r.code, s, strings.TrimSuffix(r.msg, "."))}
	}
	field, text := e(r)
	return &RefusalError{Operation: op, Code: r.code, Field: field, err: err,
		sentence: fmt.Sprintf("EC2 refused %s with %s: %s", op, r.code, text)}
}

// explainNoAnswer tells an error that came without an answer from EC2.
func explainNoAnswer(err error, op string, s Scope) error {
	if errors.Is(err, context.Canceled) {
		return err
	}
	where := s.Endpoint
	fix := "check the network path from the provider to EC2"
	if where == "" {
		where = "the EC2 endpoint of region " + s.Region
		fix += ", and that " + FieldRegion + " is a region of AWS"
	} else {
		fix = "check spec.endpoint.url of " + s.Config + ", or remove it to use AWS"
	}
	var send *smithyhttp.RequestSendError
	switch {
	case errors.As(err, &send):
		return &RefusalError{Operation: op, Field: FieldProviderConfigRef, err: err,
			sentence: fmt.Sprintf("%s does not answer %s (%s); %s", where, op, rootCause(err), fix)}
	case errors.Is(err, context.DeadlineExceeded):
		return &RefusalError{Operation: op, Field: FieldProviderConfigRef, err: err,
			sentence: fmt.Sprintf("%s did not answer %s in time; %s", where, op, fix)}
	}
	return err
}

// rootCause returns the innermost error's text: "connection refused" rather
// than the chain of the dial.
func rootCause(err error) string {
	for {
		u := errors.Unwrap(err)
		if u == nil {
			return err.Error()
		}
		err = u
	}
}

// malformed explains an ID EC2 cannot parse.
func malformed(field, example string) explanation {
	return func(r refused) (string, string) {
		return field, fmt.Sprintf("%s %q is not an ID of that kind; write it like %s", field, r.value(field), example)
	}
}

func unknownAllocation(r refused) (string, string) {
	f := r.named(FieldAllocationID, FieldSecondaryAllocationIDs, FieldAvailabilityZoneAddresses)
	return f, fmt.Sprintf("%s has no Elastic IP address with allocation ID %s; set %s to an address of region %s, or %s to the address's region",
		r.scope, r.value(f), f, r.scope.Region, FieldRegion)
}

func unknownTarget(r refused) (string, string) {
	return FieldNATGatewayID, fmt.Sprintf("%s has no NAT gateway %s; set %s to a gateway of region %s, or reference a NATGateway with natGatewayIdRef",
		r.scope, r.value(FieldNATGatewayID), FieldNATGatewayID, r.scope.Region)
}

func wrongCredentials(r refused) (string, string) {
	if r.scope.Anonymous {
		return FieldProviderConfigRef, fmt.Sprintf("EC2 in %s does not accept requests without credentials; give %s credentials in spec.credentials, or set %s to another provider configuration",
			r.scope, r.scope.Config, FieldProviderConfigRef)
	}
	return FieldProviderConfigRef, fmt.Sprintf("EC2 in %s does not accept the credentials; correct the access key ID and secret access key in the Secret of %s, or set %s to another provider configuration",
		r.scope, r.scope.Config, FieldProviderConfigRef)
}

// invalidNATGatewayValue explains an InvalidParameterValue of a NAT gateway
// request by the address field EC2's message names.
func invalidNATGatewayValue(r refused) (string, string) {
	if strings.Contains(r.msg, "PrivateIpAddress") || strings.Contains(r.msg, "subnet's address range") {
		f := r.named(FieldPrivateIPAddress, FieldSecondaryPrivateIPAddresses)
		return f, fmt.Sprintf("%s %s is not an address of subnet %s; choose one inside the subnet's CIDR block, or leave %s unset for EC2 to pick one",
			f, r.value(f), r.value(FieldSubnetID), f)
	}
	f := r.named(FieldSubnetID, FieldAllocationID, FieldSecondaryAllocationIDs, FieldSecondaryPrivateIPAddresses, FieldVpcID)
	return f, fmt.Sprintf("%s: %s; correct %s", f, strings.TrimSuffix(r.msg, "."), f)
}

// invalidRoute explains a refused route by the field EC2's message names:
// a destination inside the VPC, an IPv6 destination, or a target in another
// VPC.
func invalidRoute(r refused) (string, string) {
	switch {
	case r.value(FieldDestinationIPv6CidrBlock) != "":
		return FieldDestinationIPv6CidrBlock, fmt.Sprintf("EC2 does not route IPv6 destination %s of %s through NAT gateway %s (%s); route IPv4 traffic with %s, or send IPv6 through an egress-only internet gateway",
			r.value(FieldDestinationIPv6CidrBlock), FieldDestinationIPv6CidrBlock, r.value(FieldNATGatewayID), strings.TrimSuffix(r.msg, "."), FieldDestinationCidrBlock)
	case strings.Contains(r.msg, "different networks"):
		return FieldNATGatewayID, fmt.Sprintf("NAT gateway %s of %s is in another VPC than route table %s; set %s to a gateway of the table's VPC",
			r.value(FieldNATGatewayID), FieldNATGatewayID, r.value(FieldRouteTableID), FieldNATGatewayID)
	case strings.Contains(r.msg, "CIDR block") && strings.Contains(r.msg, "VPC"):
		return FieldDestinationCidrBlock, fmt.Sprintf("destination %s of %s lies inside the VPC of route table %s, whose traffic stays local and cannot go through a NAT gateway; set %s to a destination outside the VPC, such as 0.0.0.0/0",
			r.value(FieldDestinationCidrBlock), FieldDestinationCidrBlock, r.value(FieldRouteTableID), FieldDestinationCidrBlock)
	}
	f := r.named(FieldDestinationCidrBlock, FieldDestinationPrefixListID, FieldNATGatewayID)
	return f, fmt.Sprintf("%s: %s; correct %s", f, strings.TrimSuffix(r.msg, "."), f)
}

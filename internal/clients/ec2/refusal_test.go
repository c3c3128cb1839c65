// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// sdkError is err as the SDK returns it: inside a response error with a
// status and request ID, inside an operation error.
func sdkError(op, code, msg string) error {
	return &smithy.OperationError{ServiceID: "EC2", OperationName: op, Err: &awshttp.ResponseError{
		RequestID: "578dc5b2-d2b1-4906-8bd0-650a6826e2fc",
		ResponseError: &smithyhttp.ResponseError{
			Response: &smithyhttp.Response{Response: &http.Response{StatusCode: http.StatusBadRequest}},
			Err:      &smithy.GenericAPIError{Code: code, Message: msg},
		},
	}}
}

func TestExplain(t *testing.T) {
	scope := Scope{Region: "us-west-2", Config: "ProviderConfig team/aws", AccessKeyID: "AKIAEXAMPLE"}
	subnet := Param{FieldSubnetID, "subnet-0123456789abcdef0"}
	eip := Param{FieldAllocationID, "eipalloc-0123456789abcdef0"}
	route := routeParams(aws.String("rtb-0123456789abcdef0"), aws.String("10.0.1.0/24"), nil, nil, aws.String("nat-0123456789abcdef0"))

	type want struct {
		Field    string
		Sentence string
	}
	cases := map[string]struct {
		reason string
		op     string
		scope  *Scope
		err    error
		params []Param
		want   want
	}{
		"UnknownSubnet": {
			reason: "An unknown subnet names the field, the region it was looked for in, and both fixes.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidSubnetIDNotFound, "The subnet ID 'subnet-0123456789abcdef0' does not exist"),
			params: []Param{subnet, eip},
			want: want{FieldSubnetID, "EC2 refused CreateNatGateway with InvalidSubnetID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no subnet subnet-0123456789abcdef0; " +
				"set spec.forProvider.subnetId to a subnet of region us-west-2, or spec.forProvider.region to the subnet's region"},
		},
		"UnknownVpc": {
			reason: "An unknown VPC of a regional gateway names vpcId.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidVpcIDNotFound, "The vpc ID 'vpc-0123456789abcdef0' does not exist"),
			params: []Param{{FieldVpcID, "vpc-0123456789abcdef0"}},
			want: want{FieldVpcID, "EC2 refused CreateNatGateway with InvalidVpcID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no VPC vpc-0123456789abcdef0; " +
				"set spec.forProvider.vpcId to a VPC of region us-west-2, or spec.forProvider.region to the VPC's region"},
		},
		"UnknownSecondaryAllocation": {
			reason: "The allocation ID EC2 names decides the field: here a secondary one.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidElasticIPIDNotFound, "The elasticIp ID 'eipalloc-0fedcba9876543210' does not exist"),
			params: []Param{subnet, eip, {FieldSecondaryAllocationIDs, "eipalloc-0aaaaaaaaaaaaaaaa,eipalloc-0fedcba9876543210"}},
			want: want{FieldSecondaryAllocationIDs, "EC2 refused CreateNatGateway with InvalidElasticIpID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no Elastic IP address with allocation ID eipalloc-0aaaaaaaaaaaaaaaa,eipalloc-0fedcba9876543210; " +
				"set spec.forProvider.secondaryAllocationIds to an address of region us-west-2, or spec.forProvider.region to the address's region"},
		},
		"UnknownAllocation": {
			reason: "An unknown primary allocation names allocationId.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidElasticIPIDNotFound, "The elasticIp ID 'eipalloc-0123456789abcdef0' does not exist"),
			params: []Param{subnet, eip},
			want: want{FieldAllocationID, "EC2 refused CreateNatGateway with InvalidElasticIpID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no Elastic IP address with allocation ID eipalloc-0123456789abcdef0; " +
				"set spec.forProvider.allocationId to an address of region us-west-2, or spec.forProvider.region to the address's region"},
		},
		"AddressOutsideSubnet": {
			reason: "A private address outside the subnet names privateIpAddress and the subnet.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidParameterValue, "Value (10.9.9.9) for parameter PrivateIpAddress is invalid. The address does not fall within the subnet's address range."),
			params: []Param{subnet, {FieldPrivateIPAddress, "10.9.9.9"}},
			want: want{FieldPrivateIPAddress, "EC2 refused CreateNatGateway with InvalidParameterValue: spec.forProvider.privateIpAddress 10.9.9.9 is not an address of subnet subnet-0123456789abcdef0; " +
				"choose one inside the subnet's CIDR block, or leave spec.forProvider.privateIpAddress unset for EC2 to pick one"},
		},
		"AddressInUse": {
			reason: "A private address in use names the field that holds it.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeInvalidIPAddressInUse, "The specified address 10.0.1.5 is already in use."),
			params: []Param{subnet, {FieldPrivateIPAddress, "10.0.1.4"}, {FieldSecondaryPrivateIPAddresses, "10.0.1.5"}},
			want: want{FieldSecondaryPrivateIPAddresses, "EC2 refused CreateNatGateway with InvalidIPAddress.InUse: the private address 10.0.1.5 of spec.forProvider.secondaryPrivateIpAddresses is already in use in the subnet; " +
				"choose a free address of the subnet, or leave spec.forProvider.secondaryPrivateIpAddresses unset for EC2 to pick one"},
		},
		"UnknownPrefixList": {
			reason: "An unknown prefix list names destinationPrefixListId and the region.",
			op:     "CreateRoute",
			err:    sdkError("CreateRoute", CodeInvalidPrefixListIDNotFound, "The prefix list ID 'pl-0123456789abcdef0' does not exist"),
			params: routeParams(aws.String("rtb-0123456789abcdef0"), nil, nil, aws.String("pl-0123456789abcdef0"), aws.String("nat-0123456789abcdef0")),
			want: want{FieldDestinationPrefixListID, "EC2 refused CreateRoute with InvalidPrefixListID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no prefix list pl-0123456789abcdef0; " +
				"set spec.forProvider.destinationPrefixListId to a managed prefix list of region us-west-2"},
		},
		"DestinationInVPC": {
			reason: "A destination inside the VPC cannot go through a NAT gateway.",
			op:     "CreateRoute",
			err:    sdkError("CreateRoute", CodeInvalidParameterValue, "The destination CIDR block 10.0.1.0/24 is equal to or more specific than one of this VPC's CIDR blocks. This route can target only an interface or an instance."),
			params: route,
			want: want{FieldDestinationCidrBlock, "EC2 refused CreateRoute with InvalidParameterValue: destination 10.0.1.0/24 of spec.forProvider.destinationCidrBlock lies inside the VPC of route table rtb-0123456789abcdef0, " +
				"whose traffic stays local and cannot go through a NAT gateway; set spec.forProvider.destinationCidrBlock to a destination outside the VPC, such as 0.0.0.0/0"},
		},
		"IPv6Destination": {
			reason: "An IPv6 destination through a NAT gateway names destinationIpv6CidrBlock.",
			op:     "CreateRoute",
			err:    sdkError("CreateRoute", CodeInvalidParameterValue, "Value (::/0) for parameter destinationIpv6CidrBlock is invalid. The VPC of route table rtb-0123456789abcdef0 has no IPv6 CIDR block."),
			params: routeParams(aws.String("rtb-0123456789abcdef0"), nil, aws.String("::/0"), nil, aws.String("nat-0123456789abcdef0")),
			want: want{FieldDestinationIPv6CidrBlock, "EC2 refused CreateRoute with InvalidParameterValue: EC2 does not route IPv6 destination ::/0 of spec.forProvider.destinationIpv6CidrBlock through NAT gateway nat-0123456789abcdef0 " +
				"(Value (::/0) for parameter destinationIpv6CidrBlock is invalid. The VPC of route table rtb-0123456789abcdef0 has no IPv6 CIDR block); route IPv4 traffic with spec.forProvider.destinationCidrBlock, or send IPv6 through an egress-only internet gateway"},
		},
		"TargetInOtherVPC": {
			reason: "A gateway of another VPC names natGatewayId.",
			op:     "ReplaceRoute",
			err:    sdkError("ReplaceRoute", CodeInvalidParameterValue, "route table rtb-0123456789abcdef0 and network gateway nat-0123456789abcdef0 belong to different networks"),
			params: route,
			want: want{FieldNATGatewayID, "EC2 refused ReplaceRoute with InvalidParameterValue: NAT gateway nat-0123456789abcdef0 of spec.forProvider.natGatewayId is in another VPC than route table rtb-0123456789abcdef0; " +
				"set spec.forProvider.natGatewayId to a gateway of the table's VPC"},
		},
		"UnknownTarget": {
			reason: "A gateway EC2 does not know names natGatewayId and the region.",
			op:     "CreateRoute",
			err:    sdkError("CreateRoute", CodeInvalidNatGatewayIDNotFound, "The natGateway ID 'nat-0123456789abcdef0' does not exist"),
			params: route,
			want: want{FieldNATGatewayID, "EC2 refused CreateRoute with InvalidNatGatewayID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no NAT gateway nat-0123456789abcdef0; " +
				"set spec.forProvider.natGatewayId to a gateway of region us-west-2, or reference a NATGateway with natGatewayIdRef"},
		},
		"UnknownRouteTable": {
			reason: "An unknown route table names routeTableId and the region.",
			op:     "CreateRoute",
			err:    sdkError("CreateRoute", CodeInvalidRouteTableIDNotFound, "The routeTable ID 'rtb-0123456789abcdef0' does not exist"),
			params: route,
			want: want{FieldRouteTableID, "EC2 refused CreateRoute with InvalidRouteTableID.NotFound: region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) has no route table rtb-0123456789abcdef0; " +
				"set spec.forProvider.routeTableId to a route table of region us-west-2, or spec.forProvider.region to the table's region"},
		},
		"WrongCredentials": {
			reason: "AuthFailure names the provider configuration and its Secret, whatever the operation.",
			op:     "DescribeNatGateways",
			err:    sdkError("DescribeNatGateways", CodeAuthFailure, "AWS was not able to validate the provided access credentials"),
			want: want{FieldProviderConfigRef, "EC2 refused DescribeNatGateways with AuthFailure: EC2 in region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) does not accept the credentials; " +
				"correct the access key ID and secret access key in the Secret of ProviderConfig team/aws, or set spec.providerConfigRef to another provider configuration"},
		},
		"NoCredentials": {
			reason: "AuthFailure of a configuration without credentials says they are missing, not wrong.",
			op:     "DescribeAddresses",
			scope:  &Scope{Region: "us-west-2", Config: "ClusterProviderConfig open", Anonymous: true},
			err:    sdkError("DescribeAddresses", CodeAuthFailure, "AWS was not able to validate the provided access credentials"),
			want: want{FieldProviderConfigRef, "EC2 refused DescribeAddresses with AuthFailure: EC2 in region us-west-2, the account of ClusterProviderConfig open does not accept requests without credentials; " +
				"give ClusterProviderConfig open credentials in spec.credentials, or set spec.providerConfigRef to another provider configuration"},
		},
		"ReleaseHeldAddress": {
			reason: "AuthFailure of ReleaseAddress means the address is still held, not wrong credentials.",
			op:     "ReleaseAddress",
			err:    sdkError("ReleaseAddress", CodeAuthFailure, "You do not have permission to access the specified resource."),
			params: []Param{eip},
			want:   want{"", "EC2 refused ReleaseAddress with AuthFailure: the address is still associated, as it is while the NAT gateway that held it is deleted; the next reconcile retries"},
		},
		"Unauthorized": {
			reason: "UnauthorizedOperation names the permission to grant.",
			op:     "CreateNatGateway",
			err:    sdkError("CreateNatGateway", CodeUnauthorizedOperation, "You are not authorized to perform this operation."),
			want: want{FieldProviderConfigRef, "EC2 refused CreateNatGateway with UnauthorizedOperation: the credentials of region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws) may not call CreateNatGateway; " +
				"allow ec2:CreateNatGateway in their IAM policy"},
		},
		"Unexplained": {
			reason: "A code without an explanation still loses the SDK's dump and keeps EC2's message.",
			op:     "CreateTags",
			err:    sdkError("CreateTags", "TagLimitExceeded", "The maximum number of Tags for a resource has been reached."),
			want:   want{"", "EC2 refused CreateTags with TagLimitExceeded in region us-west-2, the account of access key AKIAEXAMPLE (ProviderConfig team/aws): The maximum number of Tags for a resource has been reached"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			s := scope
			if tc.scope != nil {
				s = *tc.scope
			}
			err := explain(tc.err, tc.op, s, tc.params...)
			var r *RefusalError
			if !errors.As(err, &r) {
				t.Fatalf("\n%s\nexplain(...): %v, want a *RefusalError", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want, want{r.Field, err.Error()}); diff != "" {
				t.Errorf("\n%s\nexplain(...): -want, +got:\n%s", tc.reason, diff)
			}
			if !IsErrorCode(err, ErrorCode(tc.err)) {
				t.Errorf("\n%s\nIsErrorCode(explain(...), %s) = false: the refusal must still carry the code", tc.reason, ErrorCode(tc.err))
			}
			for _, dump := range []string{"operation error", "StatusCode", "RequestID", "578dc5b2"} {
				if strings.Contains(err.Error(), dump) {
					t.Errorf("\n%s\nexplain(...) = %q, which holds the SDK's %q", tc.reason, err, dump)
				}
			}
		})
	}
}

// TestExplainingClient proves the clients of a factory explain what EC2
// refuses, and what an endpoint that does not answer makes of a call.
func TestExplainingClient(t *testing.T) {
	closed, err := (&net.ListenConfig{}).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	deadURL := "http://" + closed.Addr().String()
	_ = closed.Close()

	refusing := newEndpoint().script("CreateNatGateway", response{status: http.StatusBadRequest, body: ec2ErrorBody(CodeInvalidSubnetIDNotFound)})
	srv := httptest.NewServer(refusing)
	t.Cleanup(srv.Close)

	cases := map[string]struct {
		reason   string
		endpoint string
		want     string
	}{
		"Refused": {
			reason:   "EC2's refusal reaches the caller as one sentence with the code and the field.",
			endpoint: srv.URL,
			want: "EC2 refused CreateNatGateway with InvalidSubnetID.NotFound: region eu-west-1, the account of access key " + testAccessKeyID +
				" (ProviderConfig team/aws), at " + srv.URL + " has no subnet subnet-0123456789abcdef0; set spec.forProvider.subnetId to a subnet of region eu-west-1, or spec.forProvider.region to the subnet's region",
		},
		"NoAnswer": {
			reason:   "An endpoint that does not answer is named, with the fix in the provider configuration.",
			endpoint: deadURL,
			want:     deadURL + " does not answer CreateNatGateway (connection refused); check spec.endpoint.url of ProviderConfig team/aws, or remove it to use AWS",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(tc.endpoint)), credentialsSecret("1")).client())
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if err != nil {
				t.Fatal(err)
			}
			_, err = api.CreateNatGateway(context.Background(), &ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-0123456789abcdef0"), AllocationId: aws.String("eipalloc-0123456789abcdef0")})
			if diff := cmp.Diff(tc.want, errString(err)); diff != "" {
				t.Errorf("\n%s\nCreateNatGateway(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if s := ScopeOf(api, ""); s.Region != "eu-west-1" || s.AccessKeyID != testAccessKeyID {
				t.Errorf("\n%s\nScopeOf(...) = %+v, want region eu-west-1 and access key %s", tc.reason, s, testAccessKeyID)
			}
		})
	}
}

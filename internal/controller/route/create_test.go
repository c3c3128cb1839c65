// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossplane/crossplane-runtime/v2/pkg/reconciler/managed"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

func TestCreate(t *testing.T) {
	create := &ec2.CreateRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(natNew)}

	type want struct {
		in  *ec2.CreateRouteInput
		err error
		msg string
	}
	cases := map[string]struct {
		reason    string
		createErr error
		cr        *v1alpha1.Route
		want      want
	}{
		"Create": {
			reason: "The route is created in its table, for its destination, to its NAT gateway.",
			cr:     route(withExternalName(extName)),
			want:   want{in: create},
		},
		"CreateIPv6": {
			reason: "An IPv6 route is created with destinationIpv6CidrBlock.",
			cr:     route(withDestination(nil, aws.String(ipv6Dest), nil)),
			want: want{in: &ec2.CreateRouteInput{
				RouteTableId: aws.String(tableID), DestinationIpv6CidrBlock: aws.String(ipv6Dest), NatGatewayId: aws.String(natNew),
			}},
		},
		"NoTarget": {
			reason: "A Route whose target is not set yet is a clear error and EC2 is not called.",
			cr:     route(withNAT(nil)),
			want:   want{err: errNoTarget},
		},
		"NoDestination": {
			reason: "A Route without a destination is a clear error and EC2 is not called.",
			cr:     route(withDestination(nil, nil, nil)),
			want:   want{err: cmpopts.AnyError, msg: "set exactly one destination"},
		},
		"AlreadyExists": {
			reason:    "A route that already exists for the destination counts as created; Observe then points it at the target.",
			createErr: apiError("RouteAlreadyExists"),
			cr:        route(),
			want:      want{in: create},
		},
		"CreateError": {
			reason:    "Any other error creating the route is returned.",
			createErr: errBoom,
			cr:        route(),
			want:      want{in: create, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *ec2.CreateRouteInput
			api := &fake.EC2{MockCreateRoute: func(_ context.Context, in *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
				got = in
				return &ec2.CreateRouteOutput{Return: aws.Bool(tc.createErr == nil)}, tc.createErr
			}}
			c, err := newExternal(api, nil).Create(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Create(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(managed.ExternalCreation{}, c); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want, +got:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.in, got, sdkOpts); diff != "" {
				t.Errorf("\n%s\nCreate(...): -want CreateRoute input, +got CreateRoute input:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestCreateAfterUncertainAnswer(t *testing.T) {
	serverError := &smithy.GenericAPIError{Code: "InternalError", Message: "An internal error has occurred", Fault: smithy.FaultServer}
	cases := map[string]struct {
		reason  string
		answers []error
		want    error
		calls   int
	}{
		"MadeByTheFirstAttempt": {
			reason:  "After a server error EC2 may have made the route: a repeat that finds it made counts as created, not as another's route.",
			answers: []error{serverError, apiError("RouteAlreadyExists")},
			calls:   2,
		},
		"MadeByTheRepeat": {
			reason:  "After a server error the repeat makes the route.",
			answers: []error{serverError, nil},
			calls:   2,
		},
		"Refused": {
			reason:  "A refusal is not repeated.",
			answers: []error{apiError("InvalidParameterValue")},
			want:    apiError("InvalidParameterValue"),
			calls:   1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			calls := 0
			api := &fake.EC2{MockCreateRoute: func(context.Context, *ec2.CreateRouteInput) (*ec2.CreateRouteOutput, error) {
				err := tc.answers[calls]
				calls++
				return &ec2.CreateRouteOutput{}, err
			}}
			_, err := newExternal(api, nil).Create(context.Background(), route())
			if (err == nil) != (tc.want == nil) {
				t.Errorf("\n%s\nCreate(...): got error %v, want %v", tc.reason, err, tc.want)
			}
			if calls != tc.calls {
				t.Errorf("\n%s\nCreate(...): %d CreateRoute calls, want %d", tc.reason, calls, tc.calls)
			}
		})
	}
}

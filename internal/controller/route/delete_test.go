// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package route

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

func TestDelete(t *testing.T) {
	del := &ec2.DeleteRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest)}

	type want struct {
		in  *ec2.DeleteRouteInput
		err error
		msg string
	}
	cases := map[string]struct {
		reason    string
		deleteErr error
		cr        *v1alpha1.Route
		want      want
	}{
		"DeleteOwnDestination": {
			reason: "Only the route for the Route's destination is deleted: the request names its table and destination and nothing else.",
			cr:     route(withExternalName(extName), withDeletionTimestamp()),
			want:   want{in: del},
		},
		"DeleteIPv6": {
			reason: "An IPv6 route is deleted by destinationIpv6CidrBlock.",
			cr:     route(withDestination(nil, aws.String(ipv6Dest), nil), withDeletionTimestamp()),
			want:   want{in: &ec2.DeleteRouteInput{RouteTableId: aws.String(tableID), DestinationIpv6CidrBlock: aws.String(ipv6Dest)}},
		},
		"RouteNotFoundIsDone": {
			reason:    "A route EC2 no longer knows is deleted.",
			deleteErr: apiError("InvalidRoute.NotFound"),
			cr:        route(withDeletionTimestamp()),
			want:      want{in: del},
		},
		"TableNotFoundIsDone": {
			reason:    "A route whose table is gone is deleted.",
			deleteErr: apiError("InvalidRouteTableID.NotFound"),
			cr:        route(withDeletionTimestamp()),
			want:      want{in: del},
		},
		"NoDestination": {
			reason: "A Route without a destination is a clear error and nothing is deleted.",
			cr:     route(withDestination(nil, nil, nil), withDeletionTimestamp()),
			want:   want{err: cmpopts.AnyError, msg: "set exactly one destination"},
		},
		"DeleteError": {
			reason:    "Any other error deleting the route is returned.",
			deleteErr: errBoom,
			cr:        route(withDeletionTimestamp()),
			want:      want{in: del, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *ec2.DeleteRouteInput
			api := &fake.EC2{MockDeleteRoute: func(_ context.Context, in *ec2.DeleteRouteInput) (*ec2.DeleteRouteOutput, error) {
				got = in
				return &ec2.DeleteRouteOutput{}, tc.deleteErr
			}}
			_, err := (&external{client: api}).Delete(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Delete(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.in, got, sdkOpts); diff != "" {
				t.Errorf("\n%s\nDelete(...): -want DeleteRoute input, +got DeleteRoute input:\n%s", tc.reason, diff)
			}
		})
	}
}

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

func TestUpdate(t *testing.T) {
	replace := &ec2.ReplaceRouteInput{RouteTableId: aws.String(tableID), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(natNew)}

	type want struct {
		in  *ec2.ReplaceRouteInput
		err error
		msg string
	}
	cases := map[string]struct {
		reason     string
		replaceErr error
		cr         *v1alpha1.Route
		want       want
	}{
		"Replace": {
			reason: "The route of the destination is pointed at the desired NAT gateway with ReplaceRoute.",
			cr:     route(withExternalName(extName)),
			want:   want{in: replace},
		},
		"ReplacePrefixList": {
			reason: "A prefix-list route is replaced by destinationPrefixListId.",
			cr:     route(withDestination(nil, nil, aws.String(plDest))),
			want: want{in: &ec2.ReplaceRouteInput{
				RouteTableId: aws.String(tableID), DestinationPrefixListId: aws.String(plDest), NatGatewayId: aws.String(natNew),
			}},
		},
		"NoTarget": {
			reason: "A Route whose target is not set is a clear error and EC2 is not called.",
			cr:     route(withNAT(aws.String(""))),
			want:   want{err: errNoTarget},
		},
		"TargetNotVisibleYet": {
			reason:     "EC2 may not know a NAT gateway right after it was created: the error says so and the next reconcile retries.",
			replaceErr: apiError("InvalidNatGatewayID.NotFound"),
			cr:         route(),
			want:       want{in: replace, err: cmpopts.AnyError, msg: "EC2 does not know NAT gateway " + natNew + " yet"},
		},
		"ReplaceError": {
			reason:     "Any other error replacing the route is returned.",
			replaceErr: errBoom,
			cr:         route(),
			want:       want{in: replace, err: errBoom},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *ec2.ReplaceRouteInput
			api := &fake.EC2{MockReplaceRoute: func(_ context.Context, in *ec2.ReplaceRouteInput) (*ec2.ReplaceRouteOutput, error) {
				got = in
				return &ec2.ReplaceRouteOutput{}, tc.replaceErr
			}}
			_, err := (&external{client: api}).Update(context.Background(), tc.cr)
			checkErr(t, tc.reason, "Update(...)", tc.want.err, err, tc.want.msg)
			if diff := cmp.Diff(tc.want.in, got, sdkOpts); diff != "" {
				t.Errorf("\n%s\nUpdate(...): -want ReplaceRoute input, +got ReplaceRoute input:\n%s", tc.reason, diff)
			}
		})
	}
}

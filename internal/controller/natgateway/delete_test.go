// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

func TestDelete(t *testing.T) {
	deleteCall := []mutation{{Op: "DeleteNatGateway", In: &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(natID)}}}
	type want struct {
		mutations []mutation
		err       error
	}
	cases := map[string]struct {
		reason string
		m      *mutations
		cr     *v1alpha1.NATGateway
		want   want
	}{
		"Available": {
			reason: "An available gateway is deleted with one DeleteNatGateway call.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway()))),
			want:   want{mutations: deleteCall},
		},
		"Failed": {
			reason: "A failed gateway is deleted too, rather than left to EC2's clean-up.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway(gwFailure("InternalError", "try again"))))),
			want:   want{mutations: deleteCall},
		},
		"AlreadyDeleting": {
			reason: "A gateway Observe found deleting is not asked to delete again; the finalizer waits for Observe to report it deleted.",
			m:      &mutations{},
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway(gwState(types.NatGatewayStateDeleting))))),
		},
		"NotFound": {
			reason: "A gateway EC2 no longer knows is deleted.",
			m:      &mutations{errs: map[string]error{"DeleteNatGateway": apiError(ec2client.CodeNatGatewayNotFound)}},
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway()))),
			want:   want{mutations: deleteCall},
		},
		"Error": {
			reason: "Any other error deleting the gateway is returned.",
			m:      &mutations{errs: map[string]error{"DeleteNatGateway": errBoom}},
			cr:     natGateway(withExternalName(natID), withDeletionTimestamp(), withAtProvider(observed(gateway()))),
			want:   want{mutations: deleteCall, err: errBoom},
		},
		"NoExternalName": {
			reason: "Without an external name there is no gateway to delete.",
			m:      &mutations{},
			cr:     natGateway(withDeletionTimestamp()),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			e, _ := newExternal(tc.m.fake(), t0)
			_, err := e.Delete(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, equateErrors()); diff != "" {
				t.Errorf("\n%s\ne.Delete(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.mutations, tc.m.log, sdkOpts...); diff != "" {
				t.Errorf("\n%s\ne.Delete(...): -want EC2 calls, +got EC2 calls:\n%s", tc.reason, diff)
			}
		})
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/crossplane/crossplane-runtime/v2/pkg/event"
	"github.com/crossplane/crossplane-runtime/v2/pkg/test"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

func TestDelete(t *testing.T) {
	free := v1alpha1.ElasticIPObservation{AllocationID: aws.String(allocOld), NetworkBorderGroup: aws.String(region)}
	held := free
	held.AssociationID = aws.String(assocID)
	held.NetworkInterfaceID = aws.String(eni)
	release := &ec2.ReleaseAddressInput{AllocationId: aws.String(allocOld), NetworkBorderGroup: aws.String(region)}

	type want struct {
		release *ec2.ReleaseAddressInput
		cr      *v1alpha1.ElasticIP
		err     error
	}
	cases := map[string]struct {
		reason     string
		releaseErr error
		leftover   []string
		cr         *v1alpha1.ElasticIP
		want       want
	}{
		"ReleaseUnrecorded": {
			reason:   "An address Observe found tagged for an ElasticIP without an external name is released; no other.",
			leftover: []string{allocNew},
			cr:       elasticIP(withDeletionTimestamp()),
			want: want{
				release: &ec2.ReleaseAddressInput{AllocationId: aws.String(allocNew)},
				cr:      elasticIP(withDeletionTimestamp()),
			},
		},
		"LeftoverInUse": {
			reason:     "A leftover address that something holds is waited for, and the Released condition names it.",
			releaseErr: apiError("AuthFailure"),
			leftover:   []string{allocNew},
			cr:         elasticIP(withDeletionTimestamp()),
			want: want{
				release: &ec2.ReleaseAddressInput{AllocationId: aws.String(allocNew)},
				cr: elasticIP(withDeletionTimestamp(), withConditions(stillAssociated(
					"address "+allocNew+", also tagged for this ElasticIP, is still in use (EC2 answered AuthFailure); it is released once the association ends"))),
			},
		},
		"NamedGone": {
			reason: "An external name Observe found no address for is not released again.",
			cr:     elasticIP(withExternalName(allocOld), withDeletionTimestamp()),
			want:   want{cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp())},
		},
		"Release": {
			reason: "An address nothing holds is released in its network border group.",
			cr:     elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			want: want{
				release: release,
				cr:      elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			},
		},
		"NotFoundIsDone": {
			reason:     "An address EC2 no longer knows is released.",
			releaseErr: apiError("InvalidAllocationID.NotFound"),
			cr:         elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			want: want{
				release: release,
				cr:      elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			},
		},
		"WaitWhileAssociated": {
			reason: "An address Observe found associated is not released: Delete waits without error and the Released condition says what holds it.",
			cr:     elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(held)),
			want: want{
				cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(held), withConditions(stillAssociated(
					"address "+allocOld+" is still associated with "+eni+" (a NAT gateway holds its address until the gateway is deleted); it is released once the association ends"))),
			},
		},
		"WaitOnAuthFailure": {
			reason:     "EC2 refuses to release an address a NAT gateway holds with AuthFailure: Delete waits without error and says why.",
			releaseErr: apiError("AuthFailure"),
			cr:         elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			want: want{
				release: release,
				cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free), withConditions(stillAssociated(
					"address "+allocOld+" is still in use (EC2 answered AuthFailure; a NAT gateway holds its address until the gateway is deleted); it is released once the association ends"))),
			},
		},
		"WaitOnInUse": {
			reason:     "EC2 refuses to release an associated address with InvalidIPAddress.InUse: Delete waits without error and says why.",
			releaseErr: apiError("InvalidIPAddress.InUse"),
			cr:         elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			want: want{
				release: release,
				cr: elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free), withConditions(stillAssociated(
					"address "+allocOld+" is still in use (EC2 answered InvalidIPAddress.InUse; a NAT gateway holds its address until the gateway is deleted); it is released once the association ends"))),
			},
		},
		"ReleaseError": {
			reason:     "Any other error releasing the address is returned.",
			releaseErr: errBoom,
			cr:         elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
			want: want{
				release: release,
				cr:      elasticIP(withExternalName(allocOld), withDeletionTimestamp(), withAtProvider(free)),
				err:     errBoom,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *ec2.ReleaseAddressInput
			api := &fake.EC2{MockReleaseAddress: func(_ context.Context, in *ec2.ReleaseAddressInput) (*ec2.ReleaseAddressOutput, error) {
				got = in
				return &ec2.ReleaseAddressOutput{}, tc.releaseErr
			}}
			e := newExternal(api, event.NewNopRecorder(), nil)
			e.leftover = tc.leftover
			_, err := e.Delete(context.Background(), tc.cr)
			if diff := cmp.Diff(tc.want.err, err, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("\n%s\nDelete(...): -want error, +got error:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.release, got, sdkOpts); diff != "" {
				t.Errorf("\n%s\nDelete(...): -want ReleaseAddress input, +got ReleaseAddress input:\n%s", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cr, tc.cr, test.EquateConditions()); diff != "" {
				t.Errorf("\n%s\nDelete(...): -want managed resource, +got managed resource:\n%s", tc.reason, diff)
			}
		})
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/clients/ec2/fake"
)

func TestAllocate(t *testing.T) {
	serverError := &smithy.GenericAPIError{Code: "InternalError", Message: "An internal error has occurred", Fault: smithy.FaultServer}

	type want struct {
		id          string
		err         string
		allocations int
		searches    int
	}
	cases := map[string]struct {
		reason  string
		answers []error
		owned   [][]types.Address
		want    want
	}{
		"Allocated": {
			reason:  "An answered allocation is the address, with no search.",
			answers: []error{nil},
			want:    want{id: allocNew, allocations: 1},
		},
		"LostAnswerFound": {
			reason:  "After a server error the address EC2 allocated, found by its ownership tag, is adopted rather than a second allocated.",
			answers: []error{serverError},
			owned:   [][]types.Address{{address(allocOther)}},
			want:    want{id: allocOther, allocations: 1, searches: 1},
		},
		"LostAnswerNotFound": {
			reason:  "After a server error with no address tagged as the ElasticIP's, EC2 is asked again.",
			answers: []error{serverError, nil},
			owned:   [][]types.Address{nil},
			want:    want{id: allocNew, allocations: 2, searches: 1},
		},
		"Refused": {
			reason:  "A refusal is not repeated: EC2 allocated nothing.",
			answers: []error{apiError("AddressLimitExceeded")},
			want:    want{err: "cannot allocate address: api error AddressLimitExceeded: AddressLimitExceeded", allocations: 1},
		},
		"Uncertain": {
			reason:  "Server errors are repeated as often as the SDK's retryer would, each after a search, then reported.",
			answers: []error{serverError, serverError, serverError},
			owned:   [][]types.Address{nil, nil, nil},
			want:    want{err: "cannot allocate address: api error InternalError: An internal error has occurred", allocations: 3, searches: 3},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := want{}
			api := &fake.EC2{
				MockAllocateAddress: func(context.Context, *ec2.AllocateAddressInput) (*ec2.AllocateAddressOutput, error) {
					err := tc.answers[got.allocations]
					got.allocations++
					if err != nil {
						return nil, err
					}
					return &ec2.AllocateAddressOutput{AllocationId: aws.String(allocNew)}, nil
				},
				MockDescribeAddresses: func(context.Context, *ec2.DescribeAddressesInput) (*ec2.DescribeAddressesOutput, error) {
					as := tc.owned[got.searches]
					got.searches++
					return &ec2.DescribeAddressesOutput{Addresses: as}, nil
				},
			}
			id, err := newExternal(api, &recorder{}, nil).allocate(context.Background(), elasticIP())
			got.id = id
			if err != nil {
				got.err = err.Error()
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\nallocate(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

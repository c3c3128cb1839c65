// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package elasticip

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
)

func TestGenerateObservation(t *testing.T) {
	cases := map[string]struct {
		reason string
		a      types.Address
		want   v1alpha1.ElasticIPObservation
	}{
		"Full": {
			reason: "Every reported field of an associated address reaches the observation.",
			a: types.Address{
				AllocationId: aws.String(allocOld), PublicIp: aws.String(publicIP), Domain: types.DomainTypeVpc,
				PublicIpv4Pool: aws.String("amazon"), NetworkBorderGroup: aws.String(region),
				AssociationId: aws.String(assocID), NetworkInterfaceId: aws.String(eni), PrivateIpAddress: aws.String("10.0.1.10"),
				Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("net")}},
			},
			want: v1alpha1.ElasticIPObservation{
				AllocationID: aws.String(allocOld), PublicIP: aws.String(publicIP), Domain: aws.String("vpc"),
				PublicIPv4Pool: aws.String("amazon"), NetworkBorderGroup: aws.String(region),
				AssociationID: aws.String(assocID), NetworkInterfaceID: aws.String(eni), PrivateIPAddress: aws.String("10.0.1.10"),
				Tags: map[string]string{"team": "net"},
			},
		},
		"Sparse": {
			reason: "Fields EC2 leaves out stay unset rather than empty.",
			a:      types.Address{AllocationId: aws.String(allocOld)},
			want:   v1alpha1.ElasticIPObservation{AllocationID: aws.String(allocOld)},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, generateObservation(tc.a)); diff != "" {
				t.Errorf("\n%s\ngenerateObservation(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestAssociated(t *testing.T) {
	cases := map[string]struct {
		reason string
		o      v1alpha1.ElasticIPObservation
		want   string
	}{
		"Free":                 {reason: "Nothing holds an address without an association.", want: ""},
		"NetworkInterface":     {reason: "The network interface names what holds the address.", o: v1alpha1.ElasticIPObservation{AssociationID: aws.String(assocID), NetworkInterfaceID: aws.String(eni)}, want: eni},
		"AssociationOnly":      {reason: "Without a network interface the association ID names it.", o: v1alpha1.ElasticIPObservation{AssociationID: aws.String(assocID)}, want: assocID},
		"EmptyStringsAreUnset": {reason: "Empty strings are no association.", o: v1alpha1.ElasticIPObservation{AssociationID: aws.String(""), NetworkInterfaceID: aws.String("")}, want: ""},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, associated(tc.o)); diff != "" {
				t.Errorf("\n%s\nassociated(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

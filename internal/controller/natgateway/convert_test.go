// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

func TestGenerateCreateInput(t *testing.T) {
	const token = "egk-aed5991edff3e037b1af96e139a8d35d4c073a87"
	tags := map[string]string{"team": "net"}
	tagSpecs := ec2client.TagSpecifications(types.ResourceTypeNatgateway, tags)
	cases := map[string]struct {
		reason string
		cr     *v1alpha1.NATGateway
		want   *ec2.CreateNatGatewayInput
	}{
		"PublicZonal": {
			reason: "A public zonal gateway sends its subnet, primary and secondary Elastic IP addresses and private addresses, and nothing else.",
			cr: natGateway(
				withSecondaryAllocations(secAllocA, secAllocB),
				withSecondaryPrivateIPs("10.0.1.20", "10.0.1.21"),
				func(cr *v1alpha1.NATGateway) {
					cr.Spec.ForProvider.PrivateIPAddress = aws.String("10.0.1.10")
					cr.Spec.ForProvider.ConnectivityType = aws.String(v1alpha1.ConnectivityTypePublic)
				}),
			want: &ec2.CreateNatGatewayInput{
				ClientToken:                 aws.String(token),
				ConnectivityType:            types.ConnectivityTypePublic,
				SubnetId:                    aws.String(subnetID),
				AllocationId:                aws.String(allocID),
				PrivateIpAddress:            aws.String("10.0.1.10"),
				SecondaryAllocationIds:      []string{secAllocA, secAllocB},
				SecondaryPrivateIpAddresses: []string{"10.0.1.20", "10.0.1.21"},
				TagSpecifications:           tagSpecs,
			},
		},
		"ZonalNeverSendsVpcID": {
			reason: "A zonal gateway never sends a VpcId, even one found in the spec or the status: EC2 rejects VpcId on a zonal gateway.",
			cr: natGateway(
				func(cr *v1alpha1.NATGateway) { cr.Spec.ForProvider.VpcID = aws.String(vpcID) },
				withAtProvider(v1alpha1.NATGatewayObservation{VpcID: aws.String(vpcID), AvailabilityMode: aws.String("zonal")})),
			want: &ec2.CreateNatGatewayInput{
				ClientToken:       aws.String(token),
				SubnetId:          aws.String(subnetID),
				AllocationId:      aws.String(allocID),
				TagSpecifications: tagSpecs,
			},
		},
		"Private": {
			reason: "A private gateway never sends Elastic IP addresses; it sends its secondary private address count.",
			cr: natGateway(private(), withSecondaryPrivateIPCount(2), func(cr *v1alpha1.NATGateway) {
				cr.Spec.ForProvider.SecondaryAllocationIDs = []string{secAllocA}
			}),
			want: &ec2.CreateNatGatewayInput{
				ClientToken:                    aws.String(token),
				ConnectivityType:               types.ConnectivityTypePrivate,
				SubnetId:                       aws.String(subnetID),
				SecondaryPrivateIpAddressCount: aws.Int32(2),
				TagSpecifications:              tagSpecs,
			},
		},
		"Regional": {
			reason: "A regional gateway sends its VPC and zone addresses, and never a subnet.",
			cr: natGateway(regional(), func(cr *v1alpha1.NATGateway) {
				cr.Spec.ForProvider.SubnetID = aws.String(subnetID)
				cr.Spec.ForProvider.AvailabilityZoneAddresses = []v1alpha1.AvailabilityZoneAddress{
					{AvailabilityZone: aws.String("us-east-1a"), AllocationIDs: []string{secAllocA}},
					{AvailabilityZoneID: aws.String("use1-az2"), AllocationIDs: []string{secAllocB}},
				}
			}),
			want: &ec2.CreateNatGatewayInput{
				ClientToken:      aws.String(token),
				AvailabilityMode: types.AvailabilityModeRegional,
				VpcId:            aws.String(vpcID),
				AvailabilityZoneAddresses: []types.AvailabilityZoneAddress{
					{AvailabilityZone: aws.String("us-east-1a"), AllocationIds: []string{secAllocA}},
					{AvailabilityZoneId: aws.String("use1-az2"), AllocationIds: []string{secAllocB}},
				},
				TagSpecifications: tagSpecs,
			},
		},
		"RegionalAutomatic": {
			reason: "A regional gateway without zone addresses leaves zones and addresses to EC2.",
			cr:     natGateway(regional()),
			want: &ec2.CreateNatGatewayInput{
				ClientToken:       aws.String(token),
				AvailabilityMode:  types.AvailabilityModeRegional,
				VpcId:             aws.String(vpcID),
				TagSpecifications: tagSpecs,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := generateCreateInput(tc.cr, token, tags)
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateEmpty(), cmpopts.IgnoreUnexported(ec2.CreateNatGatewayInput{}, types.AvailabilityZoneAddress{}, types.TagSpecification{}, types.Tag{})); diff != "" {
				t.Errorf("\n%s\ngenerateCreateInput(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestGenerateObservation(t *testing.T) {
	deleted := t0.Add(time.Hour)
	cases := map[string]struct {
		reason string
		gw     types.NatGateway
		want   v1alpha1.NATGatewayObservation
	}{
		"Zonal": {
			reason: "Every field EC2 reports about a zonal gateway and its addresses reaches the observation.",
			gw: gateway(gwFailure("Resource.AlreadyAssociated", "Elastic IP address "+allocID+" is already associated"), func(gw *types.NatGateway) {
				gw.DeleteTime = aws.Time(deleted)
				gw.NatGatewayAddresses[0].FailureMessage = aws.String("is already associated")
			}),
			want: v1alpha1.NATGatewayObservation{
				NATGatewayID:     aws.String(natID),
				State:            aws.String("failed"),
				VpcID:            aws.String(vpcID),
				SubnetID:         aws.String(subnetID),
				ConnectivityType: aws.String("public"),
				AvailabilityMode: aws.String("zonal"),
				FailureCode:      aws.String("Resource.AlreadyAssociated"),
				FailureMessage:   aws.String("Elastic IP address " + allocID + " is already associated"),
				CreateTime:       &metav1.Time{Time: t0},
				DeleteTime:       &metav1.Time{Time: deleted},
				Tags:             ownership(),
				Addresses: []v1alpha1.NATGatewayAddress{{
					AllocationID:       aws.String(allocID),
					AssociationID:      aws.String(assocPrimary),
					NetworkInterfaceID: aws.String("eni-0a1b2c3d4e5f60001"),
					PrivateIP:          aws.String("10.0.1.10"),
					PublicIP:           aws.String("203.0.113.10"),
					IsPrimary:          aws.Bool(true),
					Status:             aws.String("succeeded"),
					FailureMessage:     aws.String("is already associated"),
				}},
			},
		},
		"Regional": {
			reason: "A regional gateway reports its zone settings, route table and per-zone addresses.",
			gw: types.NatGateway{
				NatGatewayId:       aws.String(natID),
				State:              types.NatGatewayStatePending,
				VpcId:              aws.String(vpcID),
				ConnectivityType:   types.ConnectivityTypePublic,
				AvailabilityMode:   types.AvailabilityModeRegional,
				AutoProvisionZones: types.AutoProvisionZonesStateEnabled,
				AutoScalingIps:     types.AutoScalingIpsStateEnabled,
				RouteTableId:       aws.String("rtb-0a1b2c3d4e5f60001"),
				NatGatewayAddresses: []types.NatGatewayAddress{{
					AllocationId:       aws.String(secAllocA),
					AvailabilityZone:   aws.String("us-east-1a"),
					AvailabilityZoneId: aws.String("use1-az1"),
					Status:             types.NatGatewayAddressStatusAssociating,
				}},
			},
			want: v1alpha1.NATGatewayObservation{
				NATGatewayID:       aws.String(natID),
				State:              aws.String("pending"),
				VpcID:              aws.String(vpcID),
				ConnectivityType:   aws.String("public"),
				AvailabilityMode:   aws.String("regional"),
				AutoProvisionZones: aws.String("enabled"),
				AutoScalingIPs:     aws.String("enabled"),
				RouteTableID:       aws.String("rtb-0a1b2c3d4e5f60001"),
				Addresses: []v1alpha1.NATGatewayAddress{{
					AllocationID:       aws.String(secAllocA),
					AvailabilityZone:   aws.String("us-east-1a"),
					AvailabilityZoneID: aws.String("use1-az1"),
					Status:             aws.String("associating"),
				}},
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := generateObservation(tc.gw)
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\ngenerateObservation(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestPrimaryAddress(t *testing.T) {
	a := v1alpha1.NATGatewayAddress{AllocationID: aws.String(allocID)}
	b := v1alpha1.NATGatewayAddress{AllocationID: aws.String(secAllocA)}
	cases := map[string]struct {
		reason string
		as     []v1alpha1.NATGatewayAddress
		want   *string
	}{
		"Marked": {
			reason: "The address EC2 marks primary is the primary.",
			as:     []v1alpha1.NATGatewayAddress{{AllocationID: aws.String(secAllocA), IsPrimary: aws.Bool(false)}, {AllocationID: aws.String(allocID), IsPrimary: aws.Bool(true)}},
			want:   aws.String(allocID),
		},
		"Unmarked": {
			reason: "When no address is marked (some endpoints omit the mark), the first is the primary.",
			as:     []v1alpha1.NATGatewayAddress{a, b},
			want:   aws.String(allocID),
		},
		"AllSecondary": {
			reason: "When every address is marked secondary there is no primary.",
			as:     []v1alpha1.NATGatewayAddress{{AllocationID: aws.String(secAllocA), IsPrimary: aws.Bool(false)}},
		},
		"None": {
			reason: "A gateway without addresses has no primary.",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got *string
			if p := primaryAddress(tc.as); p != nil {
				got = p.AllocationID
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nprimaryAddress(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDesiredTags(t *testing.T) {
	cr := natGateway(withTags(map[string]string{"team": "net", "crossplane-name": "spoofed"}))
	want := merge(map[string]string{"team": "net"}, ownership())
	if diff := cmp.Diff(want, desiredTags(cr)); diff != "" {
		t.Errorf("desiredTags(...): the user's tags and the ownership tags, ownership winning, even without type metadata: -want, +got:\n%s", diff)
	}
	if !cr.GroupVersionKind().Empty() {
		t.Errorf("desiredTags(...) must not change the NATGateway's type metadata")
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	ec2client "github.com/egresskit/provider-aws-egress/internal/clients/ec2"
)

// generateObservation converts a NAT gateway as EC2 describes it to the
// observation in status.atProvider. The healing record is not part of it.
func generateObservation(gw types.NatGateway) v1alpha1.NATGatewayObservation {
	o := v1alpha1.NATGatewayObservation{
		NATGatewayID:       nonEmpty(aws.ToString(gw.NatGatewayId)),
		State:              nonEmpty(string(gw.State)),
		VpcID:              nonEmpty(aws.ToString(gw.VpcId)),
		SubnetID:           nonEmpty(aws.ToString(gw.SubnetId)),
		ConnectivityType:   nonEmpty(string(gw.ConnectivityType)),
		AvailabilityMode:   nonEmpty(string(gw.AvailabilityMode)),
		AutoProvisionZones: nonEmpty(string(gw.AutoProvisionZones)),
		AutoScalingIPs:     nonEmpty(string(gw.AutoScalingIps)),
		RouteTableID:       nonEmpty(aws.ToString(gw.RouteTableId)),
		FailureCode:        nonEmpty(aws.ToString(gw.FailureCode)),
		FailureMessage:     nonEmpty(aws.ToString(gw.FailureMessage)),
		CreateTime:         timeOf(gw.CreateTime),
		DeleteTime:         timeOf(gw.DeleteTime),
		Tags:               ec2client.TagMap(gw.Tags),
	}
	o.Addresses = generateAddresses(gw.NatGatewayAddresses)
	return o
}

// generateAddresses converts the addresses of a NAT gateway.
func generateAddresses(in []types.NatGatewayAddress) []v1alpha1.NATGatewayAddress {
	if len(in) == 0 {
		return nil
	}
	out := make([]v1alpha1.NATGatewayAddress, 0, len(in))
	for _, a := range in {
		out = append(out, generateAddress(a))
	}
	return out
}

func generateAddress(a types.NatGatewayAddress) v1alpha1.NATGatewayAddress {
	var primary *bool
	if a.IsPrimary != nil {
		primary = aws.Bool(*a.IsPrimary)
	}
	return v1alpha1.NATGatewayAddress{
		AllocationID:       nonEmpty(aws.ToString(a.AllocationId)),
		AssociationID:      nonEmpty(aws.ToString(a.AssociationId)),
		NetworkInterfaceID: nonEmpty(aws.ToString(a.NetworkInterfaceId)),
		PrivateIP:          nonEmpty(aws.ToString(a.PrivateIp)),
		PublicIP:           nonEmpty(aws.ToString(a.PublicIp)),
		IsPrimary:          primary,
		Status:             nonEmpty(string(a.Status)),
		FailureMessage:     nonEmpty(aws.ToString(a.FailureMessage)),
		AvailabilityZone:   nonEmpty(aws.ToString(a.AvailabilityZone)),
		AvailabilityZoneID: nonEmpty(aws.ToString(a.AvailabilityZoneId)),
	}
}

// generateCreateInput returns the CreateNatGateway request for the spec of
// cr. It sends only what the user set in spec.forProvider, and only what the
// gateway's mode accepts: a zonal gateway never gets a VpcId, a regional one
// never a SubnetId, a private one never an Elastic IP address.
func generateCreateInput(cr *v1alpha1.NATGateway, token string, tags map[string]string) *ec2.CreateNatGatewayInput {
	p := cr.Spec.ForProvider
	in := &ec2.CreateNatGatewayInput{
		ClientToken:       aws.String(token),
		TagSpecifications: ec2client.TagSpecifications(types.ResourceTypeNatgateway, tags),
	}
	if p.ConnectivityType != nil {
		in.ConnectivityType = types.ConnectivityType(*p.ConnectivityType)
	}
	if p.AvailabilityMode != nil {
		in.AvailabilityMode = types.AvailabilityMode(*p.AvailabilityMode)
	}
	if isRegional(p) {
		in.VpcId = copyString(p.VpcID)
		for _, a := range p.AvailabilityZoneAddresses {
			in.AvailabilityZoneAddresses = append(in.AvailabilityZoneAddresses, types.AvailabilityZoneAddress{
				AllocationIds:      append([]string(nil), a.AllocationIDs...),
				AvailabilityZone:   copyString(a.AvailabilityZone),
				AvailabilityZoneId: copyString(a.AvailabilityZoneID),
			})
		}
		return in
	}
	in.SubnetId = copyString(p.SubnetID)
	in.PrivateIpAddress = copyString(p.PrivateIPAddress)
	in.SecondaryPrivateIpAddresses = append([]string(nil), p.SecondaryPrivateIPAddresses...)
	if isPrivate(p) {
		if p.SecondaryPrivateIPAddressCount != nil {
			in.SecondaryPrivateIpAddressCount = aws.Int32(*p.SecondaryPrivateIPAddressCount)
		}
		return in
	}
	in.AllocationId = copyString(p.AllocationID)
	in.SecondaryAllocationIds = append([]string(nil), p.SecondaryAllocationIDs...)
	return in
}

// isRegional reports whether p describes a regional gateway.
func isRegional(p v1alpha1.NATGatewayParameters) bool {
	return aws.ToString(p.AvailabilityMode) == v1alpha1.AvailabilityModeRegional
}

// isPrivate reports whether p describes a private gateway.
func isPrivate(p v1alpha1.NATGatewayParameters) bool {
	return aws.ToString(p.ConnectivityType) == v1alpha1.ConnectivityTypePrivate
}

// primaryAddress returns the primary address of a gateway: the one EC2 marks
// primary, or the first when EC2 marks none (some EC2-compatible endpoints
// omit the mark).
func primaryAddress(as []v1alpha1.NATGatewayAddress) *v1alpha1.NATGatewayAddress {
	for i := range as {
		if aws.ToBool(as[i].IsPrimary) {
			return &as[i]
		}
	}
	for i := range as {
		if as[i].IsPrimary == nil {
			return &as[i]
		}
	}
	return nil
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func copyString(s *string) *string {
	if s == nil {
		return nil
	}
	return aws.String(*s)
}

func timeOf(t *time.Time) *metav1.Time {
	if t == nil {
		return nil
	}
	mt := metav1.NewTime(t.UTC())
	return &mt
}

// desiredTags returns the tags the gateway of cr should carry: the user's and
// the ownership tags.
func desiredTags(cr *v1alpha1.NATGateway) map[string]string {
	return ec2client.DesiredTags(cr, cr.Spec.ForProvider.Tags)
}

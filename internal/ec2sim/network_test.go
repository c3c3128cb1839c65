// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestVpcsAndSubnets(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true})
	ctx := context.Background()
	tags := []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("main")}}}}
	v, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16"), TagSpecifications: tags})
	if err != nil {
		t.Fatalf("CreateVpc: %v", err)
	}
	vpcID := *v.Vpc.VpcId
	other, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.1.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	zones, err := s.ec2.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		t.Fatalf("DescribeAvailabilityZones: %v", err)
	}
	zoneNames := make([]string, 0, len(zones.AvailabilityZones))
	for _, z := range zones.AvailabilityZones {
		zoneNames = append(zoneNames, aws.ToString(z.ZoneName)+"/"+aws.ToString(z.ZoneId)+"/"+aws.ToString(z.RegionName))
	}
	if diff := cmp.Diff([]string{"eu-west-1a/euw1-az1/eu-west-1", "eu-west-1b/euw1-az2/eu-west-1", "eu-west-1c/euw1-az3/eu-west-1"}, zoneNames); diff != "" {
		t.Errorf("DescribeAvailabilityZones: -want +got:\n%s", diff)
	}

	sub := func(cidr, az string) (string, string) {
		out, err := s.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(cidr), AvailabilityZone: aws.String(az)})
		if err != nil {
			return "", code(err)
		}
		return *out.Subnet.SubnetId, ""
	}
	subA, _ := sub("10.0.1.0/24", "eu-west-1a")
	subB, _ := sub("10.0.2.0/24", "eu-west-1b")

	createCases := map[string]struct {
		reason string
		in     *ec2.CreateSubnetInput
		want   string
	}{
		"Conflict":    {reason: "Overlapping subnets conflict.", in: &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.1.128/25")}, want: "InvalidSubnet.Conflict"},
		"OutsideVpc":  {reason: "A subnet must lie in its VPC.", in: &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.9.0.0/24")}, want: "InvalidSubnet.Range"},
		"UnknownVpc":  {reason: "The VPC must exist.", in: &ec2.CreateSubnetInput{VpcId: aws.String("vpc-0123456789abcdef0"), CidrBlock: aws.String("10.0.9.0/24")}, want: "InvalidVpcID.NotFound"},
		"UnknownZone": {reason: "The zone must be one of the region.", in: &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.9.0/24"), AvailabilityZone: aws.String("us-east-1a")}, want: "InvalidParameterValue"},
		"BadCidr":     {reason: "The CIDR must parse.", in: &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String("10.0.9.0/33")}, want: "InvalidParameterValue"},
	}
	for name, tc := range createCases {
		t.Run("CreateSubnet"+name, func(t *testing.T) {
			_, err := s.ec2.CreateSubnet(ctx, tc.in)
			if diff := cmp.Diff(tc.want, code(err)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
	if _, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/8")}); code(err) != "InvalidVpc.Range" {
		t.Errorf("CreateVpc /8: got %q, want InvalidVpc.Range", code(err))
	}

	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}
	type want struct {
		ids  []string
		code string
	}
	vpcCases := map[string]struct {
		reason  string
		ids     []string
		filters []types.Filter
		want    want
	}{
		"All":     {reason: "Every VPC.", want: want{ids: []string{vpcID, *other.Vpc.VpcId}}},
		"ByID":    {reason: "By ID.", ids: []string{vpcID}, want: want{ids: []string{vpcID}}},
		"Unknown": {reason: "An unknown ID fails.", ids: []string{"vpc-0123456789abcdef0"}, want: want{code: "InvalidVpcID.NotFound"}},
		"Bad":     {reason: "A malformed ID fails.", ids: []string{"vpc"}, want: want{code: "InvalidVpcID.Malformed"}},
		"Tag":     {reason: "By tag.", filters: []types.Filter{f("tag:Name", "main")}, want: want{ids: []string{vpcID}}},
		"Cidr":    {reason: "By CIDR.", filters: []types.Filter{f("cidr", "10.1.0.0/16")}, want: want{ids: []string{*other.Vpc.VpcId}}},
	}
	for name, tc := range vpcCases {
		t.Run("DescribeVpcs"+name, func(t *testing.T) {
			out, err := s.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: tc.ids, Filters: tc.filters})
			got := want{code: code(err)}
			if err == nil {
				for _, v := range out.Vpcs {
					got.ids = append(got.ids, *v.VpcId)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
	subnetCases := map[string]struct {
		reason  string
		ids     []string
		filters []types.Filter
		want    want
	}{
		"ByVpc":   {reason: "By VPC.", filters: []types.Filter{f("vpc-id", vpcID)}, want: want{ids: []string{subA, subB}}},
		"ByZone":  {reason: "By zone.", filters: []types.Filter{f("availability-zone", "eu-west-1b")}, want: want{ids: []string{subB}}},
		"ByID":    {reason: "By ID.", ids: []string{subA}, want: want{ids: []string{subA}}},
		"Unknown": {reason: "An unknown ID fails.", ids: []string{"subnet-0123456789abcdef0"}, want: want{code: "InvalidSubnetID.NotFound"}},
	}
	for name, tc := range subnetCases {
		t.Run("DescribeSubnets"+name, func(t *testing.T) {
			out, err := s.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: tc.ids, Filters: tc.filters})
			got := want{code: code(err)}
			if err == nil {
				for _, sn := range out.Subnets {
					got.ids = append(got.ids, *sn.SubnetId)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}

	// Available addresses count down as gateways take them.
	before, _ := s.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subA}})
	if got := aws.ToInt32(before.Subnets[0].AvailableIpAddressCount); got != 251 {
		t.Errorf("AvailableIpAddressCount of a /24: got %d, want 251", got)
	}
	s.publicNat(subA, s.eip())
	after, _ := s.ec2.DescribeSubnets(ctx, &ec2.DescribeSubnetsInput{SubnetIds: []string{subA}})
	if got := aws.ToInt32(after.Subnets[0].AvailableIpAddressCount); got != 250 {
		t.Errorf("AvailableIpAddressCount with a gateway: got %d, want 250", got)
	}
}

func TestDescribeSubnetsPagination(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true})
	ctx := context.Background()
	vpcID, _ := s.network()
	for i := 2; i < 14; i++ {
		if _, err := s.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: aws.String(vpcID), CidrBlock: aws.String(fmt.Sprintf("10.0.%d.0/24", i))}); err != nil {
			t.Fatal(err)
		}
	}
	p := ec2.NewDescribeSubnetsPaginator(s.ec2, &ec2.DescribeSubnetsInput{MaxResults: aws.Int32(5)})
	seen := map[string]bool{}
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, sn := range out.Subnets {
			seen[*sn.SubnetId] = true
		}
	}
	if len(seen) != 13 || pages != 3 {
		t.Errorf("paginated subnets: got %d in %d pages, want 13 in 3", len(seen), pages)
	}
}

func TestAddresses(t *testing.T) {
	s := newSim(t, ec2sim.Options{DisableThrottling: true, AddressLimit: 3})
	ctx := context.Background()
	a, err := s.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{Domain: types.DomainTypeVpc,
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeElasticIp, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("eip")}}}}})
	if err != nil {
		t.Fatalf("AllocateAddress: %v", err)
	}
	if a.Domain != types.DomainTypeVpc || aws.ToString(a.PublicIp) == "" || aws.ToString(a.NetworkBorderGroup) != testRegion {
		t.Errorf("AllocateAddress output: %+v", a)
	}
	b := s.eip()
	c := s.eip()
	if _, err := s.ec2.AllocateAddress(ctx, &ec2.AllocateAddressInput{}); code(err) != "AddressLimitExceeded" {
		t.Errorf("fourth address: got %q, want AddressLimitExceeded", code(err))
	}
	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}
	type want struct {
		ids  []string
		code string
	}
	cases := map[string]struct {
		reason string
		in     *ec2.DescribeAddressesInput
		want   want
	}{
		"All":        {reason: "Every address.", in: &ec2.DescribeAddressesInput{}, want: want{ids: []string{*a.AllocationId, b, c}}},
		"ByID":       {reason: "By allocation ID.", in: &ec2.DescribeAddressesInput{AllocationIds: []string{b}}, want: want{ids: []string{b}}},
		"ByPublicIP": {reason: "By public IP.", in: &ec2.DescribeAddressesInput{PublicIps: []string{*a.PublicIp}}, want: want{ids: []string{*a.AllocationId}}},
		"ByTag":      {reason: "By tag.", in: &ec2.DescribeAddressesInput{Filters: []types.Filter{f("tag:Name", "eip")}}, want: want{ids: []string{*a.AllocationId}}},
		"ByDomain":   {reason: "By domain.", in: &ec2.DescribeAddressesInput{Filters: []types.Filter{f("domain", "vpc"), f("allocation-id", c)}}, want: want{ids: []string{c}}},
		"Unknown":    {reason: "An unknown allocation fails.", in: &ec2.DescribeAddressesInput{AllocationIds: []string{"eipalloc-0123456789abcdef0"}}, want: want{code: "InvalidAllocationID.NotFound"}},
		"UnknownIP":  {reason: "An unknown public IP fails.", in: &ec2.DescribeAddressesInput{PublicIps: []string{"192.0.2.1"}}, want: want{code: "InvalidAddress.NotFound"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := s.ec2.DescribeAddresses(ctx, tc.in)
			got := want{code: code(err)}
			if err == nil {
				for _, x := range out.Addresses {
					got.ids = append(got.ids, *x.AllocationId)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
	releaseCases := map[string]struct {
		reason string
		in     *ec2.ReleaseAddressInput
		want   string
	}{
		"PublicIPOnly":  {reason: "A VPC address is released by allocation ID.", in: &ec2.ReleaseAddressInput{PublicIp: a.PublicIp}, want: "InvalidParameterValue"},
		"Unknown":       {reason: "An unknown allocation fails.", in: &ec2.ReleaseAddressInput{AllocationId: aws.String("eipalloc-0123456789abcdef0")}, want: "InvalidAllocationID.NotFound"},
		"Malformed":     {reason: "A malformed allocation fails.", in: &ec2.ReleaseAddressInput{AllocationId: aws.String("eip-1")}, want: "InvalidAllocationID.Malformed"},
		"WrongBorder":   {reason: "Another network border group does not hold it.", in: &ec2.ReleaseAddressInput{AllocationId: aws.String(b), NetworkBorderGroup: aws.String("us-west-2-lax-1")}, want: "InvalidAddress.NotFound"},
		"Released":      {reason: "A free address is released.", in: &ec2.ReleaseAddressInput{AllocationId: aws.String(c)}, want: ""},
		"ReleasedTwice": {reason: "Then it is gone.", in: &ec2.ReleaseAddressInput{AllocationId: aws.String(c)}, want: "InvalidAllocationID.NotFound"},
	}
	for _, name := range []string{"PublicIPOnly", "Unknown", "Malformed", "WrongBorder", "Released", "ReleasedTwice"} {
		tc := releaseCases[name]
		t.Run("Release"+name, func(t *testing.T) {
			_, err := s.ec2.ReleaseAddress(ctx, tc.in)
			if diff := cmp.Diff(tc.want, code(err)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

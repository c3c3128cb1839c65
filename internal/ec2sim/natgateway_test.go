// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// natShape is what a test compares of a NAT gateway.
type natShape struct {
	State        types.NatGatewayState
	Connectivity types.ConnectivityType
	Mode         types.AvailabilityMode
	HasSubnet    bool
	VpcID        string
	Addresses    int
	Allocations  []string
	Tags         map[string]string
}

func shape(n *types.NatGateway) natShape {
	s := natShape{State: n.State, Connectivity: n.ConnectivityType, Mode: n.AvailabilityMode,
		HasSubnet: n.SubnetId != nil, VpcID: aws.ToString(n.VpcId), Addresses: len(n.NatGatewayAddresses), Tags: map[string]string{}}
	for _, a := range n.NatGatewayAddresses {
		if a.AllocationId != nil {
			s.Allocations = append(s.Allocations, *a.AllocationId)
		}
	}
	for _, t := range n.Tags {
		s.Tags[aws.ToString(t.Key)] = aws.ToString(t.Value)
	}
	return s
}

func TestCreateNatGateway(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	vpcID, subnetID := s.network()
	eips := []string{s.eip(), s.eip(), s.eip(), s.eip(), s.eip()}
	zones, err := s.ec2.DescribeAvailabilityZones(context.Background(), &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		t.Fatal(err)
	}

	type want struct {
		shape natShape
		code  string
	}
	cases := map[string]struct {
		reason string
		in     *ec2.CreateNatGatewayInput
		want   want
	}{
		"PublicZonal": {
			reason: "A public zonal gateway is pending with its allocation and tags.",
			in: &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(eips[0]),
				TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNatgateway, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("ngw")}, {Key: aws.String("env"), Value: aws.String("")}}}}},
			want: want{shape: natShape{State: "pending", Connectivity: "public", Mode: "zonal", HasSubnet: true, VpcID: vpcID,
				Addresses: 1, Allocations: []string{eips[0]}, Tags: map[string]string{"Name": "ngw", "env": ""}}},
		},
		"PublicWithSecondaries": {
			reason: "Secondary allocations and their private addresses are addresses of the gateway.",
			in: &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(eips[1]),
				PrivateIpAddress: aws.String("10.0.1.10"), SecondaryAllocationIds: []string{eips[2]}, SecondaryPrivateIpAddresses: []string{"10.0.1.11"}},
			want: want{shape: natShape{State: "pending", Connectivity: "public", Mode: "zonal", HasSubnet: true, VpcID: vpcID,
				Addresses: 2, Allocations: []string{eips[1], eips[2]}, Tags: map[string]string{}}},
		},
		"Private": {
			reason: "A private gateway takes secondary private addresses by count.",
			in: &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate,
				SecondaryPrivateIpAddressCount: aws.Int32(2)},
			want: want{shape: natShape{State: "pending", Connectivity: "private", Mode: "zonal", HasSubnet: true, VpcID: vpcID,
				Addresses: 3, Tags: map[string]string{}}},
		},
		"Regional": {
			reason: "A regional gateway takes a VPC and addresses per availability zone.",
			in: &ec2.CreateNatGatewayInput{AvailabilityMode: types.AvailabilityModeRegional, VpcId: aws.String(vpcID),
				AvailabilityZoneAddresses: []types.AvailabilityZoneAddress{
					{AvailabilityZone: zones.AvailabilityZones[0].ZoneName, AllocationIds: []string{eips[3]}},
					{AvailabilityZoneId: zones.AvailabilityZones[1].ZoneId, AllocationIds: []string{eips[4]}},
				}},
			want: want{shape: natShape{State: "pending", Connectivity: "public", Mode: "regional", VpcID: vpcID,
				Addresses: 2, Allocations: []string{eips[3], eips[4]}, Tags: map[string]string{}}},
		},
		"RegionalAutoProvisioned": {
			reason: "A regional gateway without zone addresses provisions its zones itself.",
			in:     &ec2.CreateNatGatewayInput{AvailabilityMode: types.AvailabilityModeRegional, VpcId: aws.String(vpcID)},
			want:   want{shape: natShape{State: "pending", Connectivity: "public", Mode: "regional", VpcID: vpcID, Tags: map[string]string{}}},
		},
		"PublicWithoutAllocation": {
			reason: "A public zonal gateway needs an AllocationId.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID)},
			want:   want{code: "MissingParameter"},
		},
		"PrivateWithAllocation": {
			reason: "A private gateway takes no Elastic IP address.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate, AllocationId: aws.String(eips[0])},
			want:   want{code: "InvalidParameterCombination"},
		},
		"ZonalWithVpc": {
			reason: "VpcId is not supported with availability mode zonal.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String(eips[0]), VpcId: aws.String(vpcID)},
			want:   want{code: "InvalidParameterCombination"},
		},
		"RegionalWithSubnet": {
			reason: "SubnetId is not supported with availability mode regional.",
			in:     &ec2.CreateNatGatewayInput{AvailabilityMode: types.AvailabilityModeRegional, VpcId: aws.String(vpcID), SubnetId: aws.String(subnetID)},
			want:   want{code: "InvalidParameterCombination"},
		},
		"RegionalWithoutVpc": {
			reason: "A regional gateway needs a VpcId.",
			in:     &ec2.CreateNatGatewayInput{AvailabilityMode: types.AvailabilityModeRegional},
			want:   want{code: "MissingParameter"},
		},
		"RegionalUnknownVpc": {
			reason: "The VPC of a regional gateway must exist.",
			in:     &ec2.CreateNatGatewayInput{AvailabilityMode: types.AvailabilityModeRegional, VpcId: aws.String("vpc-0123456789abcdef0")},
			want:   want{code: "InvalidVpcID.NotFound"},
		},
		"UnknownSubnet": {
			reason: "The subnet must exist.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String("subnet-0123456789abcdef0"), AllocationId: aws.String(eips[0])},
			want:   want{code: "InvalidSubnetID.NotFound"},
		},
		"MalformedSubnet": {
			reason: "A malformed subnet ID gets InvalidSubnet.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String("InvalidSubnet"), AllocationId: aws.String(eips[0])},
			want:   want{code: "InvalidSubnet"},
		},
		"UnknownAllocation": {
			reason: "An unknown allocation gets InvalidElasticIpID.NotFound at once.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String("eipalloc-0123456789abcdef0")},
			want:   want{code: "InvalidElasticIpID.NotFound"},
		},
		"MalformedAllocation": {
			reason: "A malformed allocation gets InvalidElasticIpID.Malformed.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), AllocationId: aws.String("MalformedElasticIpId")},
			want:   want{code: "InvalidElasticIpID.Malformed"},
		},
		"BadConnectivity": {
			reason: "An unknown connectivity type gets InvalidParameterValue.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: "sideways"},
			want:   want{code: "InvalidParameterValue"},
		},
		"PrivateAddressOutsideSubnet": {
			reason: "A private address must lie in the subnet.",
			in:     &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate, PrivateIpAddress: aws.String("10.0.9.9")},
			want:   want{code: "InvalidParameterValue"},
		},
		"CountAndAddresses": {
			reason: "Secondary addresses and a count cannot be given together.",
			in: &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate,
				SecondaryPrivateIpAddressCount: aws.Int32(1), SecondaryPrivateIpAddresses: []string{"10.0.1.50"}},
			want: want{code: "InvalidParameterCombination"},
		},
		"WrongTagResourceType": {
			reason: "Tag specifications must name the natgateway resource type.",
			in: &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate,
				TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeVpc, Tags: []types.Tag{{Key: aws.String("a"), Value: aws.String("b")}}}}},
			want: want{code: "InvalidParameterValue"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := s.ec2.CreateNatGateway(context.Background(), tc.in)
			got := want{code: code(err)}
			if err == nil {
				got.shape = shape(out.NatGateway)
				if aws.ToString(out.ClientToken) == "" {
					t.Errorf("%s\nClientToken was not echoed", tc.reason)
				}
				// Describe shows the same gateway.
				d, err := s.nat(*out.NatGateway.NatGatewayId)
				if err != nil {
					t.Fatalf("%s\nDescribeNatGateways: %v", tc.reason, err)
				}
				if diff := cmp.Diff(got.shape, shape(&d)); diff != "" {
					t.Errorf("%s\nDescribe differs from Create: -create +describe:\n%s", tc.reason, diff)
				}
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDescribeNatGatewaysFilters(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	a := s.publicNat(subnetID, s.eip())
	b := s.publicNat(subnetID, s.eip())
	priv, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate,
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeNatgateway, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("blue")}}}}})
	if err != nil {
		t.Fatal(err)
	}
	c := *priv.NatGateway.NatGatewayId
	if _, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{a}, Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("red")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(b)}); err != nil {
		t.Fatal(err)
	}
	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}

	type want struct {
		ids  []string
		code string
	}
	cases := map[string]struct {
		reason  string
		ids     []string
		filters []types.Filter
		want    want
	}{
		"All":              {reason: "Without IDs and filters every listed gateway is described.", want: want{ids: []string{a, b, c}}},
		"ByID":             {reason: "IDs select gateways.", ids: []string{a, c}, want: want{ids: []string{a, c}}},
		"UnknownID":        {reason: "An unknown ID fails the whole call.", ids: []string{a, "nat-0123456789abcdef0"}, want: want{code: "NatGatewayNotFound"}},
		"MalformedID":      {reason: "A malformed ID gets NatGatewayMalformed.", ids: []string{"gw-1"}, want: want{code: "NatGatewayMalformed"}},
		"State":            {reason: "state filters by state; values are ORed.", filters: []types.Filter{f("state", "deleting", "available")}, want: want{ids: []string{b}}},
		"StatePending":     {reason: "state pending.", filters: []types.Filter{f("state", "pending")}, want: want{ids: []string{a, c}}},
		"NatGatewayID":     {reason: "nat-gateway-id filters by ID.", filters: []types.Filter{f("nat-gateway-id", c)}, want: want{ids: []string{c}}},
		"SubnetID":         {reason: "subnet-id filters by subnet.", filters: []types.Filter{f("subnet-id", subnetID)}, want: want{ids: []string{a, b, c}}},
		"VpcID":            {reason: "vpc-id filters by VPC.", filters: []types.Filter{f("vpc-id", "vpc-0123456789abcdef0")}, want: want{}},
		"TagValue":         {reason: "tag:<key> filters by tag value.", filters: []types.Filter{f("tag:team", "red")}, want: want{ids: []string{a}}},
		"TagWildcard":      {reason: "Filter values take * and ? wildcards.", filters: []types.Filter{f("tag:team", "b?u*")}, want: want{ids: []string{c}}},
		"TagKey":           {reason: "tag-key filters by tag key.", filters: []types.Filter{f("tag-key", "team")}, want: want{ids: []string{a, c}}},
		"FiltersAreANDed":  {reason: "Separate filters are ANDed.", filters: []types.Filter{f("tag-key", "team"), f("state", "pending"), f("vpc-id", vpcID), f("tag:team", "blue")}, want: want{ids: []string{c}}},
		"IDsAndFilters":    {reason: "Filters apply to the requested IDs.", ids: []string{a, b}, filters: []types.Filter{f("state", "pending")}, want: want{ids: []string{a}}},
		"UnknownFilter":    {reason: "An unknown filter is rejected.", filters: []types.Filter{f("colour", "red")}, want: want{code: "InvalidParameterValue"}},
		"NoMatchIsNoError": {reason: "A filter that matches nothing is an empty result.", filters: []types.Filter{f("tag:team", "green")}, want: want{}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := s.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{NatGatewayIds: tc.ids, Filter: tc.filters})
			got := want{code: code(err)}
			if err == nil {
				for _, n := range out.NatGateways {
					got.ids = append(got.ids, *n.NatGatewayId)
				}
			}
			sortStrings := cmpopts.SortSlices(func(x, y string) bool { return x < y })
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{}), sortStrings, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDescribeNatGatewaysPagination(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	ctx := context.Background()
	_, subnetID := s.network()
	want := map[string]bool{}
	for range 23 {
		out, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate})
		if err != nil {
			t.Fatal(err)
		}
		want[*out.NatGateway.NatGatewayId] = true
	}
	p := ec2.NewDescribeNatGatewaysPaginator(s.ec2, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5)})
	got := map[string]bool{}
	tokens := map[string]bool{}
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatalf("NextPage: %v", err)
		}
		pages++
		if len(out.NatGateways) > 5 {
			t.Errorf("page %d has %d gateways, want at most 5", pages, len(out.NatGateways))
		}
		for _, n := range out.NatGateways {
			if got[*n.NatGatewayId] {
				t.Errorf("gateway %s on two pages", *n.NatGatewayId)
			}
			got[*n.NatGatewayId] = true
		}
		if tok := aws.ToString(out.NextToken); tok != "" {
			if tokens[tok] {
				t.Errorf("token %q repeated", tok)
			}
			tokens[tok] = true
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("paginated gateways: -want +got:\n%s", diff)
	}
	if pages != 5 {
		t.Errorf("pages: got %d, want 5", pages)
	}

	// The same page asked twice gets two different tokens.
	first, err := s.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.ec2.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5)})
	if err != nil {
		t.Fatal(err)
	}
	if *first.NextToken == *again.NextToken {
		t.Errorf("NextToken repeated: %q", *first.NextToken)
	}

	cases := map[string]struct {
		reason string
		token  string
		want   string
	}{
		"Unknown":      {reason: "A token the server did not issue is rejected.", token: "bm90LWEtdG9rZW4tYXQtYWxs", want: "InvalidNextToken"},
		"Garbage":      {reason: "A token that is not even base64 is rejected.", token: "%%%", want: "InvalidNextToken"},
		"OtherAccount": {reason: "A token of another account is rejected.", token: "other", want: "InvalidNextToken"},
	}
	other := newClient(s.http.URL, "AKIDOTHER", testSecret, testRegion)
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			token := tc.token
			client := s.ec2
			if token == "other" {
				token, client = *first.NextToken, other
			}
			_, err := client.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{MaxResults: aws.Int32(5), NextToken: aws.String(token)})
			if diff := cmp.Diff(tc.want, code(err)); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func TestDeleteNatGateway(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	ctx := context.Background()
	_, subnetID := s.network()
	id := s.publicNat(subnetID, s.eip())
	del := func(id string) string {
		out, err := s.ec2.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)})
		if err != nil {
			return "error:" + code(err)
		}
		return aws.ToString(out.NatGatewayId)
	}
	steps := []struct {
		reason string
		do     func() string
		want   string
	}{
		{reason: "Deleting a pending gateway answers its ID.", do: func() string { return del(id) }, want: id},
		{reason: "The gateway is deleting.", do: func() string { return s.natState(id) }, want: "deleting"},
		{reason: "Deleting it again succeeds.", do: func() string { return del(id) }, want: id},
		{reason: "After the deleting period it is deleted.", do: func() string { s.advance(slow.Deleting); return s.natState(id) }, want: "deleted"},
		{reason: "Deleting a deleted, listed gateway succeeds.", do: func() string { return del(id) }, want: id},
		{reason: "After the retention period it is purged.", do: func() string { s.advance(slow.Retention); return s.natState(id) }, want: "error:NatGatewayNotFound"},
		{reason: "Deleting a purged gateway gets NatGatewayNotFound.", do: func() string { return del(id) }, want: "error:NatGatewayNotFound"},
		{reason: "Deleting a malformed ID gets NatGatewayMalformed.", do: func() string { return del("nat-zz") }, want: "error:NatGatewayMalformed"},
		{reason: "Deleting without an ID gets MissingParameter (the SDK checks too).", do: func() string { return del("") }, want: "error:MissingParameter"},
	}
	for i, st := range steps {
		if diff := cmp.Diff(st.want, st.do()); diff != "" {
			t.Errorf("step %d: %s\n-want +got:\n%s", i, st.reason, diff)
		}
	}
}

func TestNatGatewayAddressActions(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: ec2sim.Durations{Pending: time.Minute, Deleting: time.Minute, Retention: time.Hour}})
	ctx := context.Background()
	_, subnetID := s.network()
	pub := s.publicNat(subnetID, s.eip())
	privOut, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(subnetID), ConnectivityType: types.ConnectivityTypePrivate, PrivateIpAddress: aws.String("10.0.1.100")})
	if err != nil {
		t.Fatal(err)
	}
	priv := *privOut.NatGateway.NatGatewayId
	second := s.eip()

	// Address actions need an available gateway.
	_, err = s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AllocationIds: []string{second}})
	if diff := cmp.Diff("IncorrectState", code(err)); diff != "" {
		t.Errorf("associate to a pending gateway: -want +got:\n%s", diff)
	}
	s.advance(time.Minute)

	assoc, err := s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AllocationIds: []string{second}, PrivateIpAddresses: []string{"10.0.1.200"}})
	if err != nil {
		t.Fatalf("AssociateNatGatewayAddress: %v", err)
	}
	type addr struct {
		Allocation, PrivateIP, Status string
		Primary                       bool
		Associated                    bool
	}
	toAddr := func(a types.NatGatewayAddress) addr {
		return addr{Allocation: aws.ToString(a.AllocationId), PrivateIP: aws.ToString(a.PrivateIp), Status: string(a.Status),
			Primary: aws.ToBool(a.IsPrimary), Associated: a.AssociationId != nil}
	}
	if diff := cmp.Diff([]addr{{Allocation: second, PrivateIP: "10.0.1.200", Status: "associating", Associated: true}}, []addr{toAddr(assoc.NatGatewayAddresses[0])}); diff != "" {
		t.Errorf("AssociateNatGatewayAddress output: -want +got:\n%s", diff)
	}
	if a := s.address(second); aws.ToString(a.AssociationId) == "" || aws.ToString(a.PrivateIpAddress) != "10.0.1.200" {
		t.Errorf("DescribeAddresses(%s): association %v, private %v: want associated at 10.0.1.200", second, a.AssociationId, a.PrivateIpAddress)
	}

	// A second change while one is in progress gets OperationInProgress.
	_, err = s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AllocationIds: []string{s.eip()}})
	if diff := cmp.Diff("OperationInProgress", code(err)); diff != "" {
		t.Errorf("concurrent associate: -want +got:\n%s", diff)
	}
	s.advance(time.Minute)

	cases := map[string]struct {
		reason string
		call   func() error
		want   string
	}{
		"AssociateToPrivate": {
			reason: "Elastic IPs go only to public gateways.",
			call: func() error {
				_, err := s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(priv), AllocationIds: []string{s.eip()}})
				return err
			},
			want: "InvalidParameterValue",
		},
		"AssociateInUse": {
			reason: "An address in use cannot be associated again.",
			call: func() error {
				_, err := s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AllocationIds: []string{second}})
				return err
			},
			want: "Resource.AlreadyAssociated",
		},
		"AssociateUnknownGateway": {
			reason: "An unknown gateway gets NatGatewayNotFound.",
			call: func() error {
				_, err := s.ec2.AssociateNatGatewayAddress(ctx, &ec2.AssociateNatGatewayAddressInput{NatGatewayId: aws.String("nat-0123456789abcdef0"), AllocationIds: []string{second}})
				return err
			},
			want: "NatGatewayNotFound",
		},
		"DisassociatePrimary": {
			reason: "The primary address cannot be disassociated.",
			call: func() error {
				n, _ := s.nat(pub)
				_, err := s.ec2.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AssociationIds: []string{*n.NatGatewayAddresses[0].AssociationId}})
				return err
			},
			want: "InvalidParameterValue",
		},
		"DisassociateUnknown": {
			reason: "An unknown association gets InvalidAssociationID.NotFound.",
			call: func() error {
				_, err := s.ec2.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AssociationIds: []string{"eipassoc-0123456789abcdef0"}})
				return err
			},
			want: "InvalidAssociationID.NotFound",
		},
		"AssignToPublic": {
			reason: "Assign is for private gateways.",
			call: func() error {
				_, err := s.ec2.AssignPrivateNatGatewayAddress(ctx, &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(pub), PrivateIpAddressCount: aws.Int32(1)})
				return err
			},
			want: "InvalidParameterValue",
		},
		"AssignBoth": {
			reason: "Addresses and a count cannot be given together.",
			call: func() error {
				_, err := s.ec2.AssignPrivateNatGatewayAddress(ctx, &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(priv), PrivateIpAddressCount: aws.Int32(1), PrivateIpAddresses: []string{"10.0.1.150"}})
				return err
			},
			want: "InvalidParameterCombination",
		},
		"UnassignPrimary": {
			reason: "The primary private address cannot be unassigned.",
			call: func() error {
				_, err := s.ec2.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(priv), PrivateIpAddresses: []string{"10.0.1.100"}})
				return err
			},
			want: "InvalidParameterValue",
		},
		"DrainOutOfRange": {
			reason: "MaxDrainDurationSeconds is 1 to 4000.",
			call: func() error {
				_, err := s.ec2.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(priv), PrivateIpAddresses: []string{"10.0.1.100"}, MaxDrainDurationSeconds: aws.Int32(5000)})
				return err
			},
			want: "InvalidParameterValue",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, code(tc.call())); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}

	// Disassociate drains, then releases the address.
	n, _ := s.nat(pub)
	var assocID string
	for _, a := range n.NatGatewayAddresses {
		if aws.ToString(a.AllocationId) == second {
			assocID = aws.ToString(a.AssociationId)
		}
	}
	dis, err := s.ec2.DisassociateNatGatewayAddress(ctx, &ec2.DisassociateNatGatewayAddressInput{NatGatewayId: aws.String(pub), AssociationIds: []string{assocID}, MaxDrainDurationSeconds: aws.Int32(30)})
	if err != nil {
		t.Fatalf("DisassociateNatGatewayAddress: %v", err)
	}
	if got := string(dis.NatGatewayAddresses[0].Status); got != "disassociating" {
		t.Errorf("disassociate status: got %q, want disassociating", got)
	}
	if s.address(second).AssociationId == nil {
		t.Errorf("address released before its drain ended")
	}
	s.advance(30 * time.Second)
	if a := s.address(second); a.AssociationId != nil {
		t.Errorf("address still associated after the drain: %v", *a.AssociationId)
	}
	if n, _ := s.nat(pub); len(n.NatGatewayAddresses) != 1 {
		t.Errorf("gateway has %d addresses after the drain, want 1", len(n.NatGatewayAddresses))
	}

	// Assign adds addresses; unassign drains them away.
	as, err := s.ec2.AssignPrivateNatGatewayAddress(ctx, &ec2.AssignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(priv), PrivateIpAddresses: []string{"10.0.1.150"}})
	if err != nil {
		t.Fatalf("AssignPrivateNatGatewayAddress: %v", err)
	}
	if diff := cmp.Diff([]addr{{PrivateIP: "10.0.1.150", Status: "assigning"}}, []addr{toAddr(as.NatGatewayAddresses[0])}); diff != "" {
		t.Errorf("assign output: -want +got:\n%s", diff)
	}
	s.advance(time.Minute)
	un, err := s.ec2.UnassignPrivateNatGatewayAddress(ctx, &ec2.UnassignPrivateNatGatewayAddressInput{NatGatewayId: aws.String(priv), PrivateIpAddresses: []string{"10.0.1.150"}, MaxDrainDurationSeconds: aws.Int32(1)})
	if err != nil {
		t.Fatalf("UnassignPrivateNatGatewayAddress: %v", err)
	}
	if got := string(un.NatGatewayAddresses[0].Status); got != "unassigning" {
		t.Errorf("unassign status: got %q, want unassigning", got)
	}
	s.advance(time.Second)
	if n, _ := s.nat(priv); len(n.NatGatewayAddresses) != 1 {
		t.Errorf("private gateway has %d addresses after unassign, want 1", len(n.NatGatewayAddresses))
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

type routeShape struct {
	Destination, Gateway, NatGateway, State, Origin string
}

func routesOf(t *testing.T, s *sim, id string) []routeShape {
	t.Helper()
	out, err := s.ec2.DescribeRouteTables(context.Background(), &ec2.DescribeRouteTablesInput{RouteTableIds: []string{id}})
	if err != nil {
		t.Fatalf("DescribeRouteTables: %v", err)
	}
	rs := make([]routeShape, 0, len(out.RouteTables[0].Routes))
	for _, r := range out.RouteTables[0].Routes {
		rs = append(rs, routeShape{Destination: aws.ToString(r.DestinationCidrBlock), Gateway: aws.ToString(r.GatewayId),
			NatGateway: aws.ToString(r.NatGatewayId), State: string(r.State), Origin: string(r.Origin)})
	}
	return rs
}

func TestRoutes(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	nat1 := s.publicNat(subnetID, s.eip())
	nat2 := s.publicNat(subnetID, s.eip())
	rt, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID), ClientToken: aws.String("rt-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeRouteTable, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("private")}}}}})
	if err != nil {
		t.Fatalf("CreateRouteTable: %v", err)
	}
	rtb := *rt.RouteTable.RouteTableId
	again, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: aws.String(vpcID), ClientToken: aws.String("rt-1"),
		TagSpecifications: []types.TagSpecification{{ResourceType: types.ResourceTypeRouteTable, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String("private")}}}}})
	if err != nil || *again.RouteTable.RouteTableId != rtb {
		t.Errorf("CreateRouteTable with the same token: %v, want %s again", err, rtb)
	}
	otherVpc, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.5.0.0/16")})
	if err != nil {
		t.Fatal(err)
	}
	otherRt, err := s.ec2.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{VpcId: otherVpc.Vpc.VpcId})
	if err != nil {
		t.Fatal(err)
	}
	local := routeShape{Destination: "10.0.0.0/16", Gateway: "local", State: "active", Origin: "CreateRouteTable"}

	create := func(table, dest, nat string) error {
		_, err := s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(table), DestinationCidrBlock: aws.String(dest), NatGatewayId: aws.String(nat)})
		return err
	}
	steps := []struct {
		reason string
		call   func() error
		code   string
		routes []routeShape
	}{
		{reason: "A new table holds only the local route.", call: func() error { return nil },
			routes: []routeShape{local}},
		{reason: "CreateRoute to a NAT gateway; the CIDR is canonicalised.", call: func() error { return create(rtb, "0.0.0.1/0", nat1) },
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A duplicate destination gets RouteAlreadyExists.", call: func() error { return create(rtb, "0.0.0.0/0", nat2) }, code: "RouteAlreadyExists",
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A route to an unknown gateway gets InvalidNatGatewayID.NotFound.", call: func() error { return create(rtb, "192.168.0.0/16", "nat-0123456789abcdef0") }, code: "InvalidNatGatewayID.NotFound",
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A route to a gateway of another VPC is refused.", call: func() error { return create(*otherRt.RouteTable.RouteTableId, "0.0.0.0/0", nat1) }, code: "InvalidParameterValue",
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A route inside the VPC CIDR is refused.", call: func() error { return create(rtb, "10.0.5.0/24", nat1) }, code: "InvalidParameterValue",
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A route to a prefix list the region does not hold gets InvalidPrefixListID.NotFound.", call: func() error {
			_, err := s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rtb), DestinationPrefixListId: aws.String("pl-0123456789abcdef0"), NatGatewayId: aws.String(nat1)})
			return err
		}, code: "InvalidPrefixListID.NotFound", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "An IPv6 route in a VPC without an IPv6 CIDR block is refused.", call: func() error {
			_, err := s.ec2.CreateRoute(ctx, &ec2.CreateRouteInput{RouteTableId: aws.String(rtb), DestinationIpv6CidrBlock: aws.String("::/0"), NatGatewayId: aws.String(nat1)})
			return err
		}, code: "InvalidParameterValue", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "DeleteRoute of an IPv6 destination finds no route.", call: func() error {
			_, err := s.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rtb), DestinationIpv6CidrBlock: aws.String("::/0")})
			return err
		}, code: "InvalidRoute.NotFound", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "A route in an unknown table gets InvalidRouteTableID.NotFound.", call: func() error { return create("rtb-0123456789abcdef0", "0.0.0.0/0", nat1) }, code: "InvalidRouteTableID.NotFound",
			routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat1, State: "active", Origin: "CreateRoute"}}},
		{reason: "ReplaceRoute moves the route to another gateway.", call: func() error {
			_, err := s.ec2.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("0.0.0.0/0"), NatGatewayId: aws.String(nat2)})
			return err
		}, routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat2, State: "active", Origin: "CreateRoute"}}},
		{reason: "ReplaceRoute of a missing route gets InvalidRoute.NotFound.", call: func() error {
			_, err := s.ec2.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("172.16.0.0/12"), NatGatewayId: aws.String(nat2)})
			return err
		}, code: "InvalidRoute.NotFound", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat2, State: "active", Origin: "CreateRoute"}}},
		{reason: "ReplaceRoute with an unsupported target gets UnsupportedOperation.", call: func() error {
			_, err := s.ec2.ReplaceRoute(ctx, &ec2.ReplaceRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("0.0.0.0/0"), InstanceId: aws.String("i-0123456789abcdef0")})
			return err
		}, code: "UnsupportedOperation", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat2, State: "active", Origin: "CreateRoute"}}},
		{reason: "A gateway that is deleted leaves a blackhole.", call: func() error {
			if err := s.srv.DeleteNatGateway(ctx, nat2, true); err != nil {
				return err
			}
			return nil
		}, routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat2, State: "blackhole", Origin: "CreateRoute"}}},
		{reason: "DeleteRoute of the local route is refused.", call: func() error {
			_, err := s.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("10.0.0.0/16")})
			return err
		}, code: "InvalidParameterValue", routes: []routeShape{local, {Destination: "0.0.0.0/0", NatGateway: nat2, State: "blackhole", Origin: "CreateRoute"}}},
		{reason: "DeleteRoute removes the route.", call: func() error {
			_, err := s.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("0.0.0.0/0")})
			return err
		}, routes: []routeShape{local}},
		{reason: "DeleteRoute of a missing route gets InvalidRoute.NotFound.", call: func() error {
			_, err := s.ec2.DeleteRoute(ctx, &ec2.DeleteRouteInput{RouteTableId: aws.String(rtb), DestinationCidrBlock: aws.String("0.0.0.0/0")})
			return err
		}, code: "InvalidRoute.NotFound", routes: []routeShape{local}},
	}
	for i, st := range steps {
		if diff := cmp.Diff(st.code, code(st.call())); diff != "" {
			t.Errorf("step %d: %s\nerror code: -want +got:\n%s", i, st.reason, diff)
		}
		if diff := cmp.Diff(st.routes, routesOf(t, s, rtb)); diff != "" {
			t.Errorf("step %d: %s\nroutes: -want +got:\n%s", i, st.reason, diff)
		}
	}

	if err := create(rtb, "0.0.0.0/0", nat1); err != nil {
		t.Fatal(err)
	}
	f := func(name string, values ...string) types.Filter {
		return types.Filter{Name: aws.String(name), Values: values}
	}
	mainOut, err := s.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: []types.Filter{f("vpc-id", vpcID), f("association.main", "true")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(mainOut.RouteTables) != 1 || len(mainOut.RouteTables[0].Associations) != 1 || !aws.ToBool(mainOut.RouteTables[0].Associations[0].Main) {
		t.Fatalf("main route table of the VPC: %+v", mainOut.RouteTables)
	}
	mainID := *mainOut.RouteTables[0].RouteTableId
	cases := map[string]struct {
		reason  string
		filters []types.Filter
		want    []string
	}{
		"ByNatGateway": {reason: "route.nat-gateway-id finds tables routing to a gateway.", filters: []types.Filter{f("route.nat-gateway-id", nat1)}, want: []string{rtb}},
		"ByRouteState": {reason: "route.state finds tables with a route in that state.", filters: []types.Filter{f("route.state", "blackhole")}, want: nil},
		"ByVpc":        {reason: "vpc-id.", filters: []types.Filter{f("vpc-id", vpcID)}, want: []string{rtb, mainID}},
		"ByTag":        {reason: "tag:Name.", filters: []types.Filter{f("tag:Name", "private")}, want: []string{rtb}},
		"ByDest":       {reason: "route.destination-cidr-block.", filters: []types.Filter{f("route.destination-cidr-block", "0.0.0.0/0")}, want: []string{rtb}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			out, err := s.ec2.DescribeRouteTables(ctx, &ec2.DescribeRouteTablesInput{Filters: tc.filters})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, rt := range out.RouteTables {
				got = append(got, *rt.RouteTableId)
			}
			if diff := cmp.Diff(tc.want, got, cmpopts.SortSlices(func(a, b string) bool { return a < b }), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
	// A purged gateway's route reads blackhole as well.
	if err := s.srv.PurgeNatGateway(ctx, nat1); err != nil {
		t.Fatal(err)
	}
	if got := routesOf(t, s, rtb)[1].State; got != "blackhole" {
		t.Errorf("route to a purged gateway: got %q, want blackhole", got)
	}
}

func TestTags(t *testing.T) {
	s := newSim(t, ec2sim.Options{Durations: slow, DisableThrottling: true})
	ctx := context.Background()
	vpcID, subnetID := s.network()
	eip := s.eip()
	nat := s.publicNat(subnetID, eip)
	tag := func(k, v string) types.Tag { return types.Tag{Key: aws.String(k), Value: aws.String(v)} }
	tagsOf := func(id string) map[string]string {
		out := map[string]string{}
		var ts []types.Tag
		switch id {
		case nat:
			n, err := s.nat(nat)
			if err != nil {
				t.Fatal(err)
			}
			ts = n.Tags
		case eip:
			ts = s.address(eip).Tags
		case vpcID:
			v, err := s.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{VpcIds: []string{vpcID}})
			if err != nil {
				t.Fatal(err)
			}
			ts = v.Vpcs[0].Tags
		}
		for _, tg := range ts {
			out[*tg.Key] = aws.ToString(tg.Value)
		}
		return out
	}
	steps := []struct {
		reason string
		call   func() error
		code   string
		want   map[string]map[string]string
	}{
		{reason: "CreateTags tags several resources at once.", call: func() error {
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{nat, eip, vpcID}, Tags: []types.Tag{tag("a", "1"), tag("b", ""), tag("c", "3")}})
			return err
		}, want: map[string]map[string]string{nat: {"a": "1", "b": "", "c": "3"}, eip: {"a": "1", "b": "", "c": "3"}, vpcID: {"a": "1", "b": "", "c": "3"}}},
		{reason: "CreateTags overwrites values.", call: func() error {
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{nat}, Tags: []types.Tag{tag("a", "one")}})
			return err
		}, want: map[string]map[string]string{nat: {"a": "one", "b": "", "c": "3"}, eip: {"a": "1", "b": "", "c": "3"}, vpcID: {"a": "1", "b": "", "c": "3"}}},
		{reason: "A key without a value is deleted whatever its value; a value must match; an empty value matches only an empty one.", call: func() error {
			_, err := s.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{nat, eip}, Tags: []types.Tag{{Key: aws.String("a")}, tag("b", ""), tag("c", "other")}})
			return err
		}, want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {"a": "1", "b": "", "c": "3"}}},
		{reason: "DeleteTags without tags deletes all.", call: func() error {
			_, err := s.ec2.DeleteTags(ctx, &ec2.DeleteTagsInput{Resources: []string{vpcID}})
			return err
		}, want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {}}},
		{reason: "An unknown resource fails the whole call.", call: func() error {
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{nat, "nat-0123456789abcdef0"}, Tags: []types.Tag{tag("x", "y")}})
			return err
		}, code: "InvalidNatGatewayID.NotFound", want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {}}},
		{reason: "An ID of no known kind gets InvalidID.", call: func() error {
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{"i-0123456789abcdef0"}, Tags: []types.Tag{tag("x", "y")}})
			return err
		}, code: "InvalidID", want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {}}},
		{reason: "aws: keys are reserved.", call: func() error {
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{nat}, Tags: []types.Tag{tag("aws:x", "y")}})
			return err
		}, code: "InvalidParameterValue", want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {}}},
		{reason: "At most 50 tags per resource.", call: func() error {
			many := make([]types.Tag, 0, 50)
			for i := range 50 {
				many = append(many, tag("k"+string(rune('A'+i%26))+string(rune('a'+i/26)), "v"))
			}
			_, err := s.ec2.CreateTags(ctx, &ec2.CreateTagsInput{Resources: []string{nat}, Tags: many})
			return err
		}, code: "TagLimitExceeded", want: map[string]map[string]string{nat: {"c": "3"}, eip: {"c": "3"}, vpcID: {}}},
	}
	for i, st := range steps {
		if diff := cmp.Diff(st.code, code(st.call())); diff != "" {
			t.Errorf("step %d: %s\nerror code: -want +got:\n%s", i, st.reason, diff)
		}
		got := map[string]map[string]string{nat: tagsOf(nat), eip: tagsOf(eip), vpcID: tagsOf(vpcID)}
		if diff := cmp.Diff(st.want, got); diff != "" {
			t.Errorf("step %d: %s\ntags: -want +got:\n%s", i, st.reason, diff)
		}
	}
}

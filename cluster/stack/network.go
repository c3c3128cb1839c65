// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
)

// DefaultRegion is the region of seeded networks and of the examples.
const DefaultRegion = "us-east-1"

// NewEC2Client returns an unmodified aws-sdk-go-v2 EC2 client for an
// EC2-compatible endpoint, with static credentials.
func NewEC2Client(endpoint, region string, c Credentials) *ec2.Client {
	return ec2.New(ec2.Options{
		Region:       region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, ""),
	})
}

// A Network is a VPC with, in each of its zones, a public subnet, a
// private subnet and a route table for the private subnet.
type Network struct {
	VpcID string
	Zones []Zone
}

// A Zone is the part of a Network in one availability zone.
type Zone struct {
	Name                string
	PublicSubnetID      string
	PrivateSubnetID     string
	PrivateRouteTableID string
}

// SeedNetwork creates a Network through the EC2 API: the VPC 10.0.0.0/16
// and, in each of the first zones of the region (by name), the public subnet
// 10.0.32i.0/20, the private subnet 10.0.(32i+16).0/20 and a route table.
// Everything is tagged Name=name-....
func SeedNetwork(ctx context.Context, c *ec2.Client, name string, zones int) (*Network, error) {
	az, err := c.DescribeAvailabilityZones(ctx, &ec2.DescribeAvailabilityZonesInput{})
	if err != nil {
		return nil, errors.Wrap(err, "cannot list availability zones")
	}
	names := make([]string, 0, len(az.AvailabilityZones))
	for _, z := range az.AvailabilityZones {
		names = append(names, aws.ToString(z.ZoneName))
	}
	sort.Strings(names)
	if len(names) < zones {
		return nil, errors.Errorf("cannot seed %d zones: the region has %d", zones, len(names))
	}

	vpc, err := c.CreateVpc(ctx, &ec2.CreateVpcInput{
		CidrBlock:         aws.String("10.0.0.0/16"),
		TagSpecifications: nameTag(types.ResourceTypeVpc, name),
	})
	if err != nil {
		return nil, errors.Wrap(err, "cannot create VPC")
	}
	n := &Network{VpcID: aws.ToString(vpc.Vpc.VpcId)}
	for i, zone := range names[:zones] {
		z := Zone{Name: zone}
		for _, sn := range []struct {
			id   *string
			kind string
			cidr string
		}{
			{&z.PublicSubnetID, "public", fmt.Sprintf("10.0.%d.0/20", 32*i)},
			{&z.PrivateSubnetID, "private", fmt.Sprintf("10.0.%d.0/20", 32*i+16)},
		} {
			out, err := c.CreateSubnet(ctx, &ec2.CreateSubnetInput{
				VpcId:             vpc.Vpc.VpcId,
				CidrBlock:         aws.String(sn.cidr),
				AvailabilityZone:  aws.String(zone),
				TagSpecifications: nameTag(types.ResourceTypeSubnet, fmt.Sprintf("%s-%s-%s", name, sn.kind, zone)),
			})
			if err != nil {
				return nil, errors.Wrapf(err, "cannot create %s subnet in %s", sn.kind, zone)
			}
			*sn.id = aws.ToString(out.Subnet.SubnetId)
		}
		rt, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{
			VpcId:             vpc.Vpc.VpcId,
			TagSpecifications: nameTag(types.ResourceTypeRouteTable, fmt.Sprintf("%s-private-%s", name, zone)),
		})
		if err != nil {
			return nil, errors.Wrapf(err, "cannot create route table in %s", zone)
		}
		z.PrivateRouteTableID = aws.ToString(rt.RouteTable.RouteTableId)
		n.Zones = append(n.Zones, z)
	}
	return n, nil
}

// AllocateAddresses allocates n Elastic IP addresses, tagged Name=name, and
// returns their allocation IDs.
func AllocateAddresses(ctx context.Context, c *ec2.Client, name string, n int) ([]string, error) {
	ids := make([]string, 0, n)
	for range n {
		out, err := c.AllocateAddress(ctx, &ec2.AllocateAddressInput{
			Domain:            types.DomainTypeVpc,
			TagSpecifications: nameTag(types.ResourceTypeElasticIp, name),
		})
		if err != nil {
			return nil, errors.Wrap(err, "cannot allocate an Elastic IP address")
		}
		ids = append(ids, aws.ToString(out.AllocationId))
	}
	return ids, nil
}

func nameTag(rt types.ResourceType, name string) []types.TagSpecification {
	return []types.TagSpecification{{ResourceType: rt, Tags: []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}}}}
}

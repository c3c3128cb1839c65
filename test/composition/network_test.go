// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package composition

import (
	"context"
	"fmt"
	"slices"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// seededZones is how many zones a scenario's VPC has.
const seededZones = 3

// A network is what a scenario seeded in ec2sim for the egress of an
// example: a VPC, and per zone the public subnet, the private route tables
// and the bring-your-own address the example asks for.
type network struct {
	vpcID string
	// zones by name, with the zones the example uses.
	zones map[string]*zoneNetwork
}

// A zoneNetwork is the part of a network in one zone.
type zoneNetwork struct {
	name           string
	publicSubnetID string
	routeTableIDs  []string
	// allocationID is a bring-your-own Elastic IP address; empty when the
	// zone's gateway gets an ElasticIP of its own.
	allocationID string
}

// seedFor seeds a network in ec2sim for the egress that an example XR or
// claim asks for, and replaces the example's IDs with the seeded ones: the
// VPC; the public subnet of each zone; as many private route tables in each
// zone as the example lists; an allocated address for each allocation. The
// example keeps everything else.
func seedFor(ctx context.Context, c *ec2.Client, name string, u *unstructured.Unstructured) (*network, error) {
	seeded, err := stack.SeedNetwork(ctx, c, name, seededZones)
	if err != nil {
		return nil, err
	}
	n := &network{vpcID: seeded.VpcID, zones: map[string]*zoneNetwork{}}
	byName := map[string]stack.Zone{}
	for _, z := range seeded.Zones {
		byName[z.Name] = z
	}
	zone := func(list string, item map[string]any) (*zoneNetwork, stack.Zone, error) {
		name, _ := item["zone"].(string)
		sz, ok := byName[name]
		if !ok {
			return nil, stack.Zone{}, errors.Errorf("spec.%s names zone %q, which is not one of the %d zones seeded", list, name, seededZones)
		}
		if n.zones[name] == nil {
			n.zones[name] = &zoneNetwork{name: name}
		}
		return n.zones[name], sz, nil
	}

	if _, ok, _ := unstructured.NestedString(u.Object, "spec", "vpcId"); ok {
		if err := unstructured.SetNestedField(u.Object, n.vpcID, "spec", "vpcId"); err != nil {
			return nil, err
		}
	}
	err = replaceItems(u, "publicSubnets", func(item map[string]any) error {
		z, sz, err := zone("publicSubnets", item)
		if err != nil {
			return err
		}
		z.publicSubnetID = sz.PublicSubnetID
		item["subnetId"] = sz.PublicSubnetID
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = replaceItems(u, "privateRouteTables", func(item map[string]any) error {
		z, sz, err := zone("privateRouteTables", item)
		if err != nil {
			return err
		}
		ids, _ := item["routeTableIds"].([]any)
		for i := range ids {
			id := sz.PrivateRouteTableID
			if i > 0 {
				if id, err = createRouteTable(ctx, c, n.vpcID, fmt.Sprintf("%s-private-%s-%d", name, z.name, i)); err != nil {
					return err
				}
			}
			ids[i] = id
			z.routeTableIDs = append(z.routeTableIDs, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = replaceItems(u, "allocations", func(item map[string]any) error {
		z, _, err := zone("allocations", item)
		if err != nil {
			return err
		}
		ids, err := stack.AllocateAddresses(ctx, c, name+"-"+z.name+"-byo", 1)
		if err != nil {
			return err
		}
		z.allocationID = ids[0]
		item["allocationId"] = ids[0]
		return nil
	})
	return n, err
}

// replaceItems calls fn with every item of the list spec.<list>, which fn
// may change, and stores the list again.
func replaceItems(u *unstructured.Unstructured, list string, fn func(item map[string]any) error) error {
	items, ok, err := unstructured.NestedSlice(u.Object, "spec", list)
	if err != nil || !ok {
		return err
	}
	for _, it := range items {
		item, ok := it.(map[string]any)
		if !ok {
			return errors.Errorf("spec.%s holds a %T, want objects", list, it)
		}
		if err := fn(item); err != nil {
			return err
		}
	}
	return unstructured.SetNestedSlice(u.Object, items, "spec", list)
}

// createRouteTable creates a route table in a VPC, tagged Name=name.
func createRouteTable(ctx context.Context, c *ec2.Client, vpcID, name string) (string, error) {
	out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{
		VpcId: aws.String(vpcID),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeRouteTable,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}},
		}},
	})
	if err != nil {
		return "", errors.Wrapf(err, "cannot create route table %s", name)
	}
	return aws.ToString(out.RouteTable.RouteTableId), nil
}

// sortedZones returns the network's zones in sorted order.
func (n *network) sortedZones() []*zoneNetwork {
	names := make([]string, 0, len(n.zones))
	for name := range n.zones {
		names = append(names, name)
	}
	slices.Sort(names)
	out := make([]*zoneNetwork, 0, len(names))
	for _, name := range names {
		out = append(out, n.zones[name])
	}
	return out
}

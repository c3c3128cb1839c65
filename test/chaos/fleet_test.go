// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package chaos

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// What a fleet member is made of.
const (
	withAddress = 1 << iota // a public gateway on an ElasticIP of its own
	withRoute               // a Route to the gateway
)

// A member is one NATGateway, with its ElasticIP when public and its Route
// when routed.
type member struct {
	gateway *v1alpha1.NATGateway
	address *v1alpha1.ElasticIP // nil for a private gateway
	route   *v1alpha1.Route     // nil when not routed
}

// objects returns the managed resources of m, each new and unread.
func (m member) objects() []client.Object {
	var out []client.Object
	if m.address != nil {
		out = append(out, m.address)
	}
	out = append(out, m.gateway)
	if m.route != nil {
		out = append(out, m.route)
	}
	return out
}

// member returns fleet member i named name: a gateway in zone i%3 (public
// with an ElasticIP of its own when kind has withAddress, else private) and,
// with withRoute, a Route to it for destination 172.(16+i/256).(i%256).0/24
// in one of the env's route tables. Destinations are outside the VPC, so
// every member's route is its own.
func (e *env) member(name string, i, kind int) member {
	zone := e.net.Zones[i%len(e.net.Zones)]
	meta := func() metav1.ObjectMeta { return metav1.ObjectMeta{Namespace: e.ns, Name: name} }
	m := member{gateway: &v1alpha1.NATGateway{ObjectMeta: meta()}}
	p := &m.gateway.Spec.ForProvider
	p.Region = stack.DefaultRegion
	m.gateway.Spec.ProviderConfigReference = stack.ProviderConfigRef()
	if kind&withAddress != 0 {
		m.address = &v1alpha1.ElasticIP{ObjectMeta: meta()}
		m.address.Spec.ProviderConfigReference = stack.ProviderConfigRef()
		m.address.Spec.ForProvider.Region = stack.DefaultRegion
		p.SubnetID = aws.String(zone.PublicSubnetID)
		p.AllocationIDRef = &xpv2.NamespacedReference{Name: name}
	} else {
		p.ConnectivityType = aws.String("private")
		p.SubnetID = aws.String(zone.PrivateSubnetID)
	}
	if kind&withRoute != 0 {
		m.route = &v1alpha1.Route{ObjectMeta: meta()}
		m.route.Spec.ProviderConfigReference = stack.ProviderConfigRef()
		r := &m.route.Spec.ForProvider
		r.Region = stack.DefaultRegion
		r.RouteTableID = e.tables[i%len(e.tables)]
		r.DestinationCidrBlock = aws.String(fmt.Sprintf("172.%d.%d.0/24", 16+i/256, i%256))
		r.NATGatewayIDRef = &xpv2.NamespacedReference{Name: name}
	}
	return m
}

// create creates the managed resources of the members.
func (e *env) create(ctx context.Context, ms ...member) error {
	for _, m := range ms {
		for _, o := range m.objects() {
			if err := shared.client.Create(ctx, o); err != nil {
				return errors.Wrapf(err, "cannot create %s %s", stack.Kind(o), o.GetName())
			}
		}
	}
	return nil
}

// createRouteTable creates a route table in the VPC, tagged Name=name.
func createRouteTable(ctx context.Context, c *ec2.Client, vpc, name string) (string, error) {
	out, err := c.CreateRouteTable(ctx, &ec2.CreateRouteTableInput{
		VpcId: aws.String(vpc),
		TagSpecifications: []types.TagSpecification{{
			ResourceType: types.ResourceTypeRouteTable,
			Tags:         []types.Tag{{Key: aws.String("Name"), Value: aws.String(name)}},
		}},
	})
	if err != nil {
		return "", errors.Wrap(err, "cannot create a route table")
	}
	return aws.ToString(out.RouteTable.RouteTableId), nil
}

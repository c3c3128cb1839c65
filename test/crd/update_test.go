// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	"context"
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/testcleanup"
)

// natUpdate changes the parameters of a NATGateway.
func natUpdate(fn func(*v1alpha1.NATGatewayParameters)) func(client.Object) {
	return func(o client.Object) { fn(&o.(*v1alpha1.NATGateway).Spec.ForProvider) }
}

// eipUpdate changes the parameters of an ElasticIP.
func eipUpdate(fn func(*v1alpha1.ElasticIPParameters)) func(client.Object) {
	return func(o client.Object) { fn(&o.(*v1alpha1.ElasticIP).Spec.ForProvider) }
}

// routeUpdate changes the parameters of a Route.
func routeUpdate(fn func(*v1alpha1.RouteParameters)) func(client.Object) {
	return func(o client.Object) { fn(&o.(*v1alpha1.Route).Spec.ForProvider) }
}

// testUpdate creates an object, then changes it: create-only fields stay as
// they were created, others change.
func testUpdate(t *testing.T) {
	cases := map[string]struct {
		reason string
		obj    client.Object
		change func(client.Object)
		want   string
	}{
		// NATGateway
		"NATGatewayTags": {
			reason: "Tags are updated in place.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"team": "network"} }),
		},
		"NATGatewaySecondaryAllocations": {
			reason: "Secondary addresses are associated in place.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryAllocationIDs = []string{eip2} }),
		},
		"NATGatewayPublicMadeExplicit": {
			reason: "Spelling out the default connectivity changes nothing.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.ConnectivityType = ptr.To("public") }),
		},
		"NATGatewayAllocationFollowsReference": {
			reason: "A referenced ElasticIP that gets a new address changes allocationId; the gateway is then replaced.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.AllocationIDRef = &xpv2.NamespacedReference{Name: "egress-a"}
			})),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = ptr.To(eip2) }),
		},
		"NATGatewayRegion": {
			reason: "The region is create-only.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.Region = "us-west-2" }),
			want:   "region is create-only and cannot be changed",
		},
		"NATGatewaySubnet": {
			reason: "The subnet is create-only.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = ptr.To(subnet2) }),
			want:   "subnetId is create-only and cannot be changed; create a new NATGateway instead",
		},
		"NATGatewaySubnetRemoved": {
			reason: "The subnet is create-only, even for an observe-only gateway.",
			obj:    nat(observing),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = nil }),
			want:   "subnetId is create-only and cannot be removed",
		},
		"NATGatewayVpc": {
			reason: "The VPC is create-only.",
			obj:    nat(regional),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.VpcID = ptr.To(vpc2) }),
			want:   "vpcId is create-only and cannot be changed; create a new NATGateway instead",
		},
		"NATGatewayVpcRemoved": {
			reason: "The VPC is create-only, even for an observe-only gateway.",
			obj:    nat(regional, observing),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.VpcID = nil }),
			want:   "vpcId is create-only and cannot be removed",
		},
		"NATGatewayPrivateIP": {
			reason: "The primary private address is create-only.",
			obj:    nat(private, params(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = ptr.To("10.0.16.10") })),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = ptr.To("10.0.16.20") }),
			want:   "privateIpAddress is create-only and cannot be changed; create a new NATGateway instead",
		},
		"NATGatewayPrivateIPRemoved": {
			reason: "The primary private address is create-only.",
			obj:    nat(private, params(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = ptr.To("10.0.16.10") })),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = nil }),
			want:   "privateIpAddress is create-only and cannot be removed",
		},
		"NATGatewayConnectivity": {
			reason: "Connectivity is create-only.",
			obj:    nat(private),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) {
				p.ConnectivityType = ptr.To("public")
				p.AllocationID = ptr.To(eip)
			}),
			want: "connectivityType is create-only and cannot be changed; create a new NATGateway instead",
		},
		"NATGatewayAvailabilityMode": {
			reason: "The availability mode is create-only.",
			obj:    nat(regional),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.AvailabilityMode = ptr.To("zonal") }),
			want:   "availabilityMode is create-only and cannot be changed; create a new NATGateway instead",
		},
		"NATGatewayAllocation": {
			reason: "The primary Elastic IP is create-only unless a reference sets it.",
			obj:    nat(),
			change: natUpdate(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = ptr.To(eip2) }),
			want:   "allocationId is create-only and cannot be changed; reference an ElasticIP with allocationIdRef to have the gateway follow its address",
		},

		// ElasticIP
		"ElasticIPTags": {
			reason: "Tags are updated in place.",
			obj:    elasticIP(),
			change: eipUpdate(func(p *v1alpha1.ElasticIPParameters) { p.Tags = map[string]string{"team": "network"} }),
		},
		"ElasticIPRegion": {
			reason: "The region is create-only.",
			obj:    elasticIP(),
			change: eipUpdate(func(p *v1alpha1.ElasticIPParameters) { p.Region = "eu-west-1" }),
			want:   "region is create-only and cannot be changed",
		},
		"ElasticIPPool": {
			reason: "The pool is create-only.",
			obj:    elasticIP(),
			change: eipUpdate(func(p *v1alpha1.ElasticIPParameters) { p.PublicIPv4Pool = ptr.To("amazon") }),
			want:   "publicIpv4Pool is create-only and cannot be changed; create a new ElasticIP instead",
		},
		"ElasticIPNetworkBorderGroup": {
			reason: "The network border group is create-only.",
			obj:    elasticIP(func(p *v1alpha1.ElasticIPParameters) { p.NetworkBorderGroup = ptr.To("us-east-1") }),
			change: eipUpdate(func(p *v1alpha1.ElasticIPParameters) { p.NetworkBorderGroup = ptr.To("us-east-1-bos-1") }),
			want:   "networkBorderGroup is create-only and cannot be changed; create a new ElasticIP instead",
		},
		"ElasticIPAddress": {
			reason: "The address is create-only.",
			obj: elasticIP(func(p *v1alpha1.ElasticIPParameters) {
				p.PublicIPv4Pool = ptr.To("ipv4pool-ec2-0123456789abcdef0")
				p.Address = ptr.To("198.51.100.7")
			}),
			change: eipUpdate(func(p *v1alpha1.ElasticIPParameters) { p.Address = ptr.To("198.51.100.8") }),
			want:   "address is create-only and cannot be changed; create a new ElasticIP instead",
		},

		// Route
		"RouteTarget": {
			reason: "The target is replaced in place.",
			obj:    route(),
			change: routeUpdate(func(p *v1alpha1.RouteParameters) { p.NATGatewayID = ptr.To("nat-0b2c3d4e5f6a78901") }),
		},
		"RouteRegion": {
			reason: "The region is create-only.",
			obj:    route(),
			change: routeUpdate(func(p *v1alpha1.RouteParameters) { p.Region = "us-west-2" }),
			want:   "region is create-only and cannot be changed",
		},
		"RouteTable": {
			reason: "The route table is create-only.",
			obj:    route(),
			change: routeUpdate(func(p *v1alpha1.RouteParameters) { p.RouteTableID = rtb2 }),
			want:   "routeTableId is create-only and cannot be changed; create a new Route instead",
		},
		"RouteDestination": {
			reason: "The destination is create-only.",
			obj:    route(),
			change: routeUpdate(func(p *v1alpha1.RouteParameters) { p.DestinationCidrBlock = ptr.To("10.1.0.0/16") }),
			want:   "the destination is create-only and cannot be changed; create a new Route instead",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.obj.SetName("update-" + strings.ToLower(name))
			if err := cl.Create(t.Context(), tc.obj); err != nil {
				t.Fatalf("cannot create the object to update: %v", err)
			}
			testcleanup.Add(t, "delete the object to update", func(ctx context.Context) error {
				return client.IgnoreNotFound(cl.Delete(ctx, tc.obj))
			})
			tc.change(tc.obj)
			check(t, tc.obj, cl.Update(t.Context(), tc.obj), tc.reason, tc.want)
		})
	}
}

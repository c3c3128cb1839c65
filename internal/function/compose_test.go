// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/resource"

	"github.com/egresskit/provider-aws-egress/internal/function/input/v1beta1"
)

func TestCompose(t *testing.T) {
	e := egress{
		region:            "eu-west-1",
		vpcID:             "vpc-0000000f",
		connectivity:      v1beta1.ConnectivityPublic,
		destination:       netip.MustParsePrefix("10.0.0.0/8"),
		providerConfigRef: &v1beta1.ProviderConfigReference{Kind: "ClusterProviderConfig", Name: "prod"},
		tags:              map[string]string{"team": "web"},
	}
	type args struct {
		c     composer
		p     plan
		serve map[string]resource.Name
	}
	type want struct {
		objects map[resource.Name]string
		err     string
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"ZonalWithElasticIP": {
			reason: "A zonal gateway should reference its ElasticIP by name, and a route the gateway that serves its zone.",
			args: args{
				c: composer{xr: "web", namespace: "team-b", e: e},
				p: plan{
					gateways: []gateway{{name: "nat-eu-west-1a", zone: "eu-west-1a", subnetID: "subnet-0000000a", eip: "eip-eu-west-1a"}},
					routes:   []route{{name: "route-eu-west-1b-rtb-0000000b", zone: "eu-west-1b", routeTableID: "rtb-0000000b"}},
				},
				serve: map[string]resource.Name{"eu-west-1b": "nat-eu-west-1a"},
			},
			want: want{objects: map[resource.Name]string{
				"eip-eu-west-1a": `{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"ElasticIP",
					"metadata":{"name":"web-eip-eu-west-1a","namespace":"team-b","labels":{"egresskit.io/zone":"eu-west-1a"}},
					"spec":{"providerConfigRef":{"kind":"ClusterProviderConfig","name":"prod"},"forProvider":{"region":"eu-west-1","tags":{"team":"web"}}}}`,
				"nat-eu-west-1a": `{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
					"metadata":{"name":"web-nat-eu-west-1a","namespace":"team-b","labels":{"egresskit.io/zone":"eu-west-1a"}},
					"spec":{"providerConfigRef":{"kind":"ClusterProviderConfig","name":"prod"},"forProvider":{"region":"eu-west-1",
					"connectivityType":"public","subnetId":"subnet-0000000a","allocationIdRef":{"name":"web-eip-eu-west-1a"},"tags":{"team":"web"}}}}`,
				"route-eu-west-1b-rtb-0000000b": `{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"Route",
					"metadata":{"name":"web-route-eu-west-1b-rtb-0000000b","namespace":"team-b","labels":{"egresskit.io/zone":"eu-west-1b","egresskit.io/route-table":"rtb-0000000b"}},
					"spec":{"providerConfigRef":{"kind":"ClusterProviderConfig","name":"prod"},"forProvider":{"region":"eu-west-1",
					"routeTableId":"rtb-0000000b","destinationCidrBlock":"10.0.0.0/8","natGatewayIdRef":{"name":"web-nat-eu-west-1a"}}}}`,
			}},
		},
		"RegionalWithoutAddresses": {
			reason: "A regional gateway without bring-your-own addresses should let EC2 provision them.",
			args: args{
				c: composer{xr: "web", e: egress{region: "eu-west-1", vpcID: "vpc-0000000f", connectivity: "public"}},
				p: plan{gateways: []gateway{{name: regionalGateway}}},
			},
			want: want{objects: map[resource.Name]string{
				regionalGateway: `{"apiVersion":"ec2.aws.m.egresskit.io/v1alpha1","kind":"NATGateway",
					"metadata":{"name":"web-nat-regional"},
					"spec":{"forProvider":{"region":"eu-west-1","connectivityType":"public","availabilityMode":"regional","vpcId":"vpc-0000000f"}}}`,
			}},
		},
		"BadName": {
			reason: "A composite resource name that cannot prefix a Kubernetes name should be an error.",
			args: args{
				c: composer{xr: "Web_1", e: e},
				p: plan{gateways: []gateway{{name: "nat-eu-west-1a", zone: "eu-west-1a", subnetID: "subnet-0000000a"}}},
			},
			want: want{err: `"Web_1-nat-eu-west-1a" is not a valid name for composed resource nat-eu-west-1a`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			cds, err := tc.args.c.compose(tc.args.p, tc.args.serve)
			got := want{}
			if err != nil {
				got.err = strings.SplitN(err.Error(), ":", 2)[0]
			}
			for n, cd := range cds {
				if got.objects == nil {
					got.objects = map[resource.Name]string{}
				}
				got.objects[n] = canonical(t, cd.Object)
			}
			for n, j := range tc.want.objects {
				tc.want.objects[n] = canonical(t, resource.MustStructJSON(j).AsMap())
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(want{})); diff != "" {
				t.Errorf("\n%s\ncompose(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

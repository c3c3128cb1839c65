// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// refusals holds the API server's refusals by kind, for
// TestRules.
var refusals = map[string][]string{}

// check fails t unless err is nil when want is empty, or an invalid-object
// error that contains want.
func check(t *testing.T, o client.Object, err error, reason, want string) {
	t.Helper()
	if err != nil {
		refusals[stack.Kind(o)] = append(refusals[stack.Kind(o)], err.Error())
	}
	switch {
	case want == "" && err != nil:
		t.Errorf("%s\nrefused: %v", reason, err)
	case want != "" && err == nil:
		t.Errorf("%s\nadmitted, want refused with %q", reason, want)
	case want != "" && !strings.Contains(err.Error(), want):
		t.Errorf("%s\nrefused with %v\nwant %q", reason, err, want)
	}
}

// TestExamples creates every object of the examples, as a dry run.
func TestExamples(t *testing.T) {
	for _, path := range []string{
		"examples/provider/providerconfig.yaml",
		"examples/provider/clusterproviderconfig.yaml",
		"examples/provider/clusterproviderconfig-assumerolechain.yaml",
		"examples/provider/irsa/clusterproviderconfig.yaml",
		"examples/provider/podidentity/clusterproviderconfig.yaml",
		"examples/provider/egress.yaml",
		"examples/provider/ec2/elasticip.yaml",
		"examples/provider/ec2/natgateway-public.yaml",
		"examples/provider/ec2/natgateway-private.yaml",
		"examples/provider/ec2/natgateway-regional.yaml",
		"examples/provider/ec2/route.yaml",
	} {
		objs, err := stack.ReadObjects(scheme, path)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range objs {
			t.Run(path+"/"+stack.Kind(o)+"/"+o.GetName(), func(t *testing.T) {
				check(t, o, cl.Create(t.Context(), o, client.DryRunAll), "An example is valid.", "")
			})
		}
	}
}

// testCreate creates good and bad objects of every kind, as a dry run.
func testCreate(t *testing.T) {
	long := strings.Repeat("x", 257)
	cases := map[string]struct {
		reason string
		obj    client.Object
		want   string
	}{
		// NATGateway
		"NATGatewayPublic": {
			reason: "A public zonal gateway has a subnet and an Elastic IP.",
			obj:    nat(),
		},
		"NATGatewayPublicByReference": {
			reason: "The Elastic IP may come from a reference.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.AllocationID = nil
				p.AllocationIDRef = &xpv2.NamespacedReference{Name: "egress-a"}
			})),
		},
		"NATGatewayPublicBySelector": {
			reason: "The Elastic IP may come from a selector.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.AllocationID = nil
				p.AllocationIDSelector = &xpv2.NamespacedSelector{MatchLabels: map[string]string{"zone": "a"}}
			})),
		},
		"NATGatewayPrivate": {
			reason: "A private gateway needs no Elastic IP and may ask for secondary addresses.",
			obj:    nat(private, params(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryPrivateIPAddressCount = ptr.To[int32](2) })),
		},
		"NATGatewayPrivateWithAddresses": {
			reason: "A private gateway may name its addresses.",
			obj: nat(private, params(func(p *v1alpha1.NATGatewayParameters) {
				p.PrivateIPAddress = ptr.To("10.0.16.10")
				p.SecondaryPrivateIPAddresses = []string{"10.0.16.11"}
			})),
		},
		"NATGatewayRegional": {
			reason: "A regional gateway names its VPC and may pin addresses per zone by name or ID.",
			obj: nat(regional, params(func(p *v1alpha1.NATGatewayParameters) {
				p.AvailabilityZoneAddresses = []v1alpha1.AvailabilityZoneAddress{
					{AvailabilityZone: ptr.To("us-east-1a"), AllocationIDs: []string{eip}},
					{AvailabilityZoneID: ptr.To("use1-az2"), AllocationIDs: []string{eip2}},
				}
			})),
		},
		"NATGatewayObserveOnly": {
			reason: "An observe-only gateway imported by external name needs none of the fields to create one.",
			obj: nat(observing, params(func(p *v1alpha1.NATGatewayParameters) {
				p.SubnetID = nil
				p.AllocationID = nil
			})),
		},
		"NATGatewayPrivateWithAllocationRef": {
			reason: "A private gateway has no Elastic IP, not even by reference.",
			obj:    nat(private, params(func(p *v1alpha1.NATGatewayParameters) { p.AllocationIDRef = &xpv2.NamespacedReference{Name: "x"} })),
			want:   "allocationId, allocationIdRef and allocationIdSelector are not allowed on a private NAT gateway: a private gateway has no Elastic IP address",
		},
		"NATGatewayPrivateWithSecondaryAllocations": {
			reason: "A private gateway has no secondary Elastic IPs.",
			obj:    nat(private, params(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryAllocationIDs = []string{eip2} })),
			want:   "secondaryAllocationIds and their references are not allowed on a private NAT gateway: use secondaryPrivateIpAddresses or secondaryPrivateIpAddressCount",
		},
		"NATGatewaySecondaryAddressesAndCount": {
			reason: "Secondary private addresses are named or counted, not both.",
			obj: nat(private, params(func(p *v1alpha1.NATGatewayParameters) {
				p.SecondaryPrivateIPAddresses = []string{"10.0.16.11"}
				p.SecondaryPrivateIPAddressCount = ptr.To[int32](1)
			})),
			want: "set at most one of secondaryPrivateIpAddresses and secondaryPrivateIpAddressCount",
		},
		"NATGatewayCountOnPublic": {
			reason: "EC2 picks secondary private addresses only for a private gateway.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryPrivateIPAddressCount = ptr.To[int32](1) })),
			want:   "secondaryPrivateIpAddressCount is only allowed on a private NAT gateway (connectivityType: private)",
		},
		"NATGatewayZonalWithVpc": {
			reason: "A zonal gateway takes its VPC from its subnet.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.VpcID = ptr.To(vpc) })),
			want:   "vpcId is only allowed on a regional NAT gateway (availabilityMode: regional); a zonal gateway takes its VPC from subnetId",
		},
		"NATGatewayZonalWithZoneAddresses": {
			reason: "Addresses per zone are for regional gateways.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.AvailabilityZoneAddresses = []v1alpha1.AvailabilityZoneAddress{{AvailabilityZone: ptr.To("us-east-1a"), AllocationIDs: []string{eip2}}}
			})),
			want: "availabilityZoneAddresses is only allowed on a regional NAT gateway (availabilityMode: regional)",
		},
		"NATGatewayRegionalWithSubnet": {
			reason: "A regional gateway spans the zones of its VPC.",
			obj:    nat(regional, params(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = ptr.To(subnet) })),
			want:   "subnetId is not allowed on a regional NAT gateway: it spans the zones of vpcId",
		},
		"NATGatewayRegionalPrivate": {
			reason: "Regional gateways are public.",
			obj:    nat(regional, params(func(p *v1alpha1.NATGatewayParameters) { p.ConnectivityType = ptr.To("private") })),
			want:   "a regional NAT gateway must be public: remove connectivityType: private or use availabilityMode: zonal",
		},
		"NATGatewayRegionalWithAllocation": {
			reason: "A regional gateway takes its addresses per zone.",
			obj:    nat(regional, params(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = ptr.To(eip) })),
			want:   "a regional NAT gateway takes its Elastic IP addresses from availabilityZoneAddresses, not from allocationId or secondaryAllocationIds",
		},
		"NATGatewayRegionalWithPrivateAddress": {
			reason: "Private addresses are for zonal gateways.",
			obj:    nat(regional, params(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = ptr.To("10.0.0.10") })),
			want:   "privateIpAddress and secondary private addresses are only allowed on a zonal NAT gateway",
		},
		"NATGatewayZonalWithoutSubnet": {
			reason: "A zonal gateway to be created needs its subnet.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = nil })),
			want:   "spec.forProvider.subnetId is required to create a zonal NAT gateway",
		},
		"NATGatewayRegionalWithoutVpc": {
			reason: "A regional gateway to be created needs its VPC.",
			obj:    nat(regional, params(func(p *v1alpha1.NATGatewayParameters) { p.VpcID = nil })),
			want:   "spec.forProvider.vpcId is required to create a regional NAT gateway",
		},
		"NATGatewayPublicWithoutAllocation": {
			reason: "A public zonal gateway to be created needs its Elastic IP.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = nil })),
			want:   "a public zonal NAT gateway needs an Elastic IP address: set spec.forProvider.allocationId, allocationIdRef or allocationIdSelector",
		},
		"NATGatewayZoneNamedTwice": {
			reason: "A zone is named by name or by ID.",
			obj: nat(regional, params(func(p *v1alpha1.NATGatewayParameters) {
				p.AvailabilityZoneAddresses = []v1alpha1.AvailabilityZoneAddress{{AvailabilityZone: ptr.To("us-east-1a"), AvailabilityZoneID: ptr.To("use1-az1"), AllocationIDs: []string{eip}}}
			})),
			want: "set exactly one of availabilityZone and availabilityZoneId",
		},
		"NATGatewayZoneUnnamed": {
			reason: "A zone is named.",
			obj: nat(regional, params(func(p *v1alpha1.NATGatewayParameters) {
				p.AvailabilityZoneAddresses = []v1alpha1.AvailabilityZoneAddress{{AllocationIDs: []string{eip}}}
			})),
			want: "set exactly one of availabilityZone and availabilityZoneId",
		},
		"NATGatewayAWSTag": {
			reason: "aws: tags belong to AWS.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"aws:createdBy": "x"} })),
			want:   "tag keys beginning with aws: are reserved by AWS",
		},
		"NATGatewayOwnershipTag": {
			reason: "crossplane- tags are the provider's.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"crossplane-name": "x"} })),
			want:   "tag keys beginning with crossplane- or egresskit.io/ are reserved for the provider's ownership tags",
		},
		"NATGatewayUIDTag": {
			reason: "egresskit.io/ tags are the provider's.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"egresskit.io/uid": "x"} })),
			want:   "tag keys beginning with crossplane- or egresskit.io/ are reserved for the provider's ownership tags",
		},
		"NATGatewayLongTagValue": {
			reason: "EC2 takes tag values of at most 256 characters.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"team": long} })),
			want:   "tag keys must have 1 to 127 characters and values at most 256",
		},
		"NATGatewayMalformedSubnet": {
			reason: "A subnet ID is subnet- and hex digits.",
			obj:    nat(params(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = ptr.To("subnet-XYZ") })),
			want:   "spec.forProvider.subnetId in body should match",
		},
		"NATGatewayPrimaryAddressTwice": {
			reason: "The primary private address is not also a secondary one.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.PrivateIPAddress = ptr.To("10.0.1.10")
				p.SecondaryPrivateIPAddresses = []string{"10.0.1.11", "10.0.1.10"}
			})),
			want: "privateIpAddress is the primary address: do not list it again in secondaryPrivateIpAddresses",
		},
		"NATGatewayPrimaryAllocationTwice": {
			reason: "The primary Elastic IP is not also a secondary one.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.SecondaryAllocationIDs = []string{*p.AllocationID}
			})),
			want: "allocationId is the primary Elastic IP: do not list it again in secondaryAllocationIds",
		},
		"NATGatewayMalformedSecondaryAllocation": {
			reason: "A secondary allocation ID is eipalloc- and hex digits.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.SecondaryAllocationIDs = []string{"eip-1"}
			})),
			want: "spec.forProvider.secondaryAllocationIds[0] in body should match",
		},
		"NATGatewaySecondaryAddresses": {
			reason: "Secondary addresses other than the primary are fine.",
			obj: nat(params(func(p *v1alpha1.NATGatewayParameters) {
				p.PrivateIPAddress = ptr.To("10.0.1.10")
				p.SecondaryPrivateIPAddresses = []string{"10.0.1.11"}
				p.SecondaryAllocationIDs = []string{"eipalloc-0fedcba9876543210"}
			})),
		},
		"NATGatewayUnknownConfigKind": {
			reason: "A provider configuration is a ProviderConfig or a ClusterProviderConfig.",
			obj: nat(func(g *v1alpha1.NATGateway) {
				g.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "AWSConfig", Name: "default"}
			}),
			want: "spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig",
		},

		// ElasticIP
		"ElasticIPUnknownConfigKind": {
			reason: "A provider configuration is a ProviderConfig or a ClusterProviderConfig.",
			obj: func() client.Object {
				e := elasticIP()
				e.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "AWSConfig", Name: "default"}
				return e
			}(),
			want: "spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig",
		},
		"ElasticIP": {
			reason: "An address from Amazon's pool needs only its region.",
			obj:    elasticIP(),
		},
		"ElasticIPBringYourOwn": {
			reason: "An address of one's own comes from a pool.",
			obj: elasticIP(func(p *v1alpha1.ElasticIPParameters) {
				p.PublicIPv4Pool = ptr.To("ipv4pool-ec2-0123456789abcdef0")
				p.Address = ptr.To("198.51.100.7")
			}),
		},
		"ElasticIPAddressWithoutPool": {
			reason: "An address of one's own comes from a pool.",
			obj:    elasticIP(func(p *v1alpha1.ElasticIPParameters) { p.Address = ptr.To("198.51.100.7") }),
			want:   "address (bring your own IP) needs publicIpv4Pool, the pool it comes from",
		},
		"ElasticIPAWSTag": {
			reason: "aws: tags belong to AWS.",
			obj:    elasticIP(func(p *v1alpha1.ElasticIPParameters) { p.Tags = map[string]string{"aws:x": "y"} }),
			want:   "tag keys beginning with aws: are reserved by AWS",
		},
		"ElasticIPOwnershipTag": {
			reason: "crossplane- tags are the provider's.",
			obj:    elasticIP(func(p *v1alpha1.ElasticIPParameters) { p.Tags = map[string]string{"crossplane-kind": "y"} }),
			want:   "tag keys beginning with crossplane- or egresskit.io/ are reserved for the provider's ownership tags",
		},
		"ElasticIPLongTagValue": {
			reason: "EC2 takes tag values of at most 256 characters.",
			obj:    elasticIP(func(p *v1alpha1.ElasticIPParameters) { p.Tags = map[string]string{"team": long} }),
			want:   "tag keys must have 1 to 127 characters and values at most 256",
		},

		// Route
		"Route": {
			reason: "A route has a table, a destination and a target.",
			obj:    route(),
		},
		"RouteByReference": {
			reason: "The target may come from a reference.",
			obj: route(func(r *v1alpha1.Route) {
				r.Spec.ForProvider.NATGatewayID = nil
				r.Spec.ForProvider.NATGatewayIDRef = &xpv2.NamespacedReference{Name: "egress-a"}
			}),
		},
		"RouteIPv6": {
			reason: "An IPv6 destination is a destination.",
			obj: route(func(r *v1alpha1.Route) {
				r.Spec.ForProvider.DestinationCidrBlock = nil
				r.Spec.ForProvider.DestinationIPv6CidrBlock = ptr.To("::/0")
			}),
		},
		"RouteOctetOutOfRange": {
			reason: "An IPv4 CIDR block has octets up to 255.",
			obj:    route(func(r *v1alpha1.Route) { r.Spec.ForProvider.DestinationCidrBlock = ptr.To("300.0.0.0/8") }),
			want:   "destinationCidrBlock must be an IPv4 CIDR block with octets up to 255, such as 0.0.0.0/0",
		},
		"RouteIPv6PrefixTooLong": {
			reason: "An IPv6 prefix length is at most 128.",
			obj: route(func(r *v1alpha1.Route) {
				r.Spec.ForProvider.DestinationCidrBlock = nil
				r.Spec.ForProvider.DestinationIPv6CidrBlock = ptr.To("::/129")
			}),
			want: "destinationIpv6CidrBlock must be an IPv6 CIDR block with a prefix length up to 128, such as ::/0",
		},
		"RouteUnknownConfigKind": {
			reason: "A provider configuration is a ProviderConfig or a ClusterProviderConfig.",
			obj: route(func(r *v1alpha1.Route) {
				r.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: "AWSConfig", Name: "default"}
			}),
			want: "spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig",
		},
		"RouteObserveOnlyWithoutTarget": {
			reason: "An observed route needs no target of ours.",
			obj: route(func(r *v1alpha1.Route) {
				r.Spec.ManagementPolicies = observeOnly
				r.Spec.ForProvider.NATGatewayID = nil
			}),
		},
		"RouteWithoutDestination": {
			reason: "A route has a destination.",
			obj:    route(func(r *v1alpha1.Route) { r.Spec.ForProvider.DestinationCidrBlock = nil }),
			want:   "set exactly one destination: destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId",
		},
		"RouteWithTwoDestinations": {
			reason: "A route has one destination.",
			obj:    route(func(r *v1alpha1.Route) { r.Spec.ForProvider.DestinationPrefixListID = ptr.To("pl-0123456789abcdef0") }),
			want:   "set exactly one destination: destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId",
		},
		"RouteWithoutTarget": {
			reason: "A route to be created has a target.",
			obj:    route(func(r *v1alpha1.Route) { r.Spec.ForProvider.NATGatewayID = nil }),
			want:   "a route needs a target: set spec.forProvider.natGatewayId, natGatewayIdRef or natGatewayIdSelector",
		},

		// ProviderConfig
		"ProviderConfigSecret": {
			reason: "Credentials from a Secret of the namespace.",
			obj:    providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: localSecret()}),
		},
		"ProviderConfigNone": {
			reason: "Anonymous requests, for endpoints that do not check signatures.",
			obj:    providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone}),
		},
		"ProviderConfigSecretWithoutRef": {
			reason: "Credentials from a Secret name the Secret.",
			obj:    providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret}),
			want:   "spec.credentials.secretRef is required when spec.credentials.source is Secret",
		},
		"ProviderConfigNoneWithRef": {
			reason: "A Secret is read only for credentials from a Secret.",
			obj:    providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone, SecretRef: localSecret()}),
			want:   "spec.credentials.secretRef is only allowed when spec.credentials.source is Secret",
		},

		// ClusterProviderConfig
		"ClusterProviderConfigSecret": {
			reason: "Credentials from a Secret of any namespace.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: secret()}),
		},
		"ClusterProviderConfigWebIdentity": {
			reason: "Credentials of an assumed role.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: webIdentity()}),
		},
		"ClusterProviderConfigEnvironment": {
			reason: "The provider's own credentials.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment}),
		},
		"ClusterProviderConfigSecretWithoutRef": {
			reason: "Credentials from a Secret name the Secret.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret}),
			want:   "spec.credentials.secretRef is required when spec.credentials.source is Secret",
		},
		"ClusterProviderConfigEnvironmentWithRef": {
			reason: "A Secret is read only for credentials from a Secret.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment, SecretRef: secret()}),
			want:   "spec.credentials.secretRef is only allowed when spec.credentials.source is Secret",
		},
		"ClusterProviderConfigWebIdentityWithoutRole": {
			reason: "Assuming a role needs the role.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity}),
			want:   "spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity",
		},
		"ClusterProviderConfigSecretWithRole": {
			reason: "A role is assumed only for web identity credentials.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: secret(), WebIdentity: webIdentity()}),
			want:   "spec.credentials.webIdentity is only allowed when spec.credentials.source is WebIdentity",
		},
		"ClusterProviderConfigMalformedRole": {
			reason: "A role is named by its ARN.",
			obj:    clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: "egress"}}),
			want:   "spec.credentials.webIdentity.roleARN in body should match",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.obj.SetName(strings.ToLower(name))
			check(t, tc.obj, cl.Create(t.Context(), tc.obj, client.DryRunAll), tc.reason, tc.want)
		})
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"maps"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// Names of the provider configurations that cannot work; the cluster-scoped
// ones are prefixed with the namespace.
const (
	pcMissingSecret = "missing-secret"
	pcWrongKey      = "wrong-key"
	pcNoAccessKey   = "no-access-key"
	pcWrongSecret   = "wrong-secret"
	pcDeadEndpoint  = "dead-endpoint"
	pcAnonymous     = "anonymous"
	cpcWebIdentity  = "web-identity"
)

// An otherRegion holds none of the scenario's network.
const otherRegion = "us-west-2"

// unknownID is an ID of each kind that EC2 never made.
const (
	unknownSubnet     = "subnet-0123456789abcdef0"
	unknownVpc        = "vpc-0123456789abcdef0"
	unknownAllocation = "eipalloc-0123456789abcdef0"
	unknownNat        = "nat-0123456789abcdef0"
	unknownTable      = "rtb-0123456789abcdef0"
	unknownPrefixList = "pl-0123456789abcdef0"
)

// configs returns the provider configurations the bad inputs use, with
// their Secrets: each of both kinds cannot reach EC2 in its own way.
func (f *badInputFixtures) configs() []client.Object {
	ns := f.s.ns
	wrongSecret := f.s.creds
	wrongSecret.SecretAccessKey = "not-the-secret"
	objs := []client.Object{
		secret(ns, pcNoAccessKey, "[default]\naws_secret_access_key = x\n"),
		secret(ns, pcWrongSecret, wrongSecret.Profile()),
	}
	for _, c := range []struct {
		name, secret, key, endpoint string
		source                      apisv1alpha1.CredentialsSource
	}{
		{pcMissingSecret, "absent", stack.CredentialsKey, stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret},
		{pcWrongKey, stack.CredentialsSecret, "creds", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret},
		{pcNoAccessKey, pcNoAccessKey, stack.CredentialsKey, stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret},
		{pcWrongSecret, pcWrongSecret, stack.CredentialsKey, stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret},
		{pcDeadEndpoint, stack.CredentialsSecret, stack.CredentialsKey, f.deadEndpoint, apisv1alpha1.CredentialsSourceSecret},
		{pcAnonymous, "", "", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceNone},
	} {
		objs = append(objs, providerConfig(ns, c.name, c.secret, c.key, c.endpoint, c.source),
			clusterProviderConfig(ns+"-"+c.name, ns, c.secret, c.key, c.endpoint, c.source))
	}
	return append(objs, &apisv1alpha1.ClusterProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: ns + "-" + cpcWebIdentity},
		Spec: apisv1alpha1.ClusterProviderConfigSpec{
			Credentials: apisv1alpha1.ClusterProviderCredentials{
				Source:      apisv1alpha1.CredentialsSourceWebIdentity,
				WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: "arn:aws:iam::123456789012:role/egress"},
			},
			Endpoint: &apisv1alpha1.Endpoint{URL: stk.EC2Sim.URL},
		},
	})
}

// configCases are the bad inputs of the provider configurations, for each
// kind of managed resource and each kind of configuration.
func (f *badInputFixtures) configCases(cases map[string]badInput) {
	ns := f.s.ns
	kinds := map[string]func(...func(resource.Managed)) resource.Managed{
		"NATGateway": f.goodGateway,
		"ElasticIP":  f.goodElasticIP,
		"Route":      f.goodRoute,
	}
	for kind, good := range kinds {
		for _, c := range []struct {
			name, reason string
			synced       []string
		}{
			{"MissingConfig", "The provider configuration named does not exist.", []string{"not found: create it", "spec.providerConfigRef"}},
			{"MissingSecret", "The configuration's Secret does not exist.", []string{"cannot get secret " + ns + "/absent: not found", "spec.credentials.secretRef"}},
			{"WrongSecretKey", "The Secret has no such key.", []string{"has no key creds", "spec.credentials.secretRef.key"}},
			{"WrongSecretAccessKey", "EC2 refuses the signature of a wrong secret access key.", []string{"AuthFailure", "does not accept the credentials", "secret access key in the Secret of", "spec.providerConfigRef"}},
			{"DeadEndpoint", "An endpoint where nothing listens does not answer.", []string{"does not answer", f.deadEndpoint, "spec.endpoint.url"}},
			{"Anonymous", "EC2 refuses requests without credentials.", []string{"AuthFailure", "does not accept requests without credentials", "spec.credentials", "spec.providerConfigRef"}},
		} {
			name := map[string]string{"MissingConfig": "absent", "MissingSecret": pcMissingSecret, "WrongSecretKey": pcWrongKey,
				"WrongSecretAccessKey": pcWrongSecret, "DeadEndpoint": pcDeadEndpoint, "Anonymous": pcAnonymous}[c.name]
			cases[kind+"ProviderConfig"+c.name] = badInput{reason: c.reason, synced: c.synced,
				obj: good(withConfig(apisv1alpha1.ProviderConfigKind, name))}
			cases[kind+"ClusterProviderConfig"+c.name] = badInput{reason: c.reason, synced: c.synced,
				obj: good(withConfig(apisv1alpha1.ClusterProviderConfigKind, ns+"-"+name))}
		}
	}
	cases["NATGatewayProfileWithoutAccessKey"] = badInput{reason: "The credentials profile lacks its access key ID.",
		obj: f.goodGateway(withConfig(apisv1alpha1.ProviderConfigKind, pcNoAccessKey)), synced: []string{"credentials profile [default] has no aws_access_key_id"}}
	cases["RouteClusterProviderConfigWebIdentityWithoutToken"] = badInput{reason: "A web identity needs a token file.",
		obj: f.goodRoute(withConfig(apisv1alpha1.ClusterProviderConfigKind, ns+"-"+cpcWebIdentity)), synced: []string{"spec.credentials.webIdentity.tokenFile"}}
	for kind, good := range kinds {
		cases[kind+"UnknownProviderConfigKind"] = badInput{reason: "A provider configuration is of one of two kinds.",
			obj: good(withConfig("AWSConfig", stack.ProviderConfigName)), admission: "spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig"}
	}
}

// ec2Cases are the bad inputs EC2 refuses, or the provider finds wrong in
// EC2: each condition names the EC2 code and the spec field.
func (f *badInputFixtures) ec2Cases(cases map[string]badInput) {
	zone := f.s.net.Zones[0]
	maps.Copy(cases, map[string]badInput{
		// NATGateway
		"NATGatewayUnknownSubnet": {
			reason: "EC2 knows no such subnet.",
			obj:    f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = aws.String(unknownSubnet) })),
			synced: []string{"InvalidSubnetID.NotFound", "spec.forProvider.subnetId", unknownSubnet, "region " + stack.DefaultRegion},
		},
		"NATGatewaySubnetOfOtherRegion": {
			reason: "A subnet of us-east-1 is not found in us-west-2: the condition names the region, not just the subnet.",
			obj:    f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.Region = otherRegion })),
			synced: []string{"InvalidSubnetID.NotFound", "region " + otherRegion, "spec.forProvider.region", "spec.forProvider.subnetId"},
		},
		"NATGatewayUnknownAllocation": {
			reason: "EC2 knows no such Elastic IP.",
			obj:    f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = aws.String(unknownAllocation) })),
			synced: []string{"InvalidElasticIpID.NotFound", "spec.forProvider.allocationId", unknownAllocation},
		},
		"NATGatewayUnknownSecondaryAllocation": {
			reason: "EC2 knows no such secondary Elastic IP.",
			obj:    f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryAllocationIDs = []string{unknownAllocation} })),
			synced: []string{"InvalidElasticIpID.NotFound", "spec.forProvider.secondaryAllocationIds"},
		},
		"NATGatewayUnknownVpc": {
			reason: "EC2 knows no such VPC for a regional gateway.",
			obj: gateway("regional-unknown-vpc", func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.AvailabilityMode = aws.String("regional")
				g.Spec.ForProvider.VpcID = aws.String(unknownVpc)
			}),
			synced: []string{"InvalidVpcID.NotFound", "spec.forProvider.vpcId", unknownVpc},
		},
		"NATGatewayAddressOutsideSubnet": {
			reason: "A private address outside the subnet.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.ConnectivityType, p.AllocationID = aws.String("private"), nil
				p.PrivateIPAddress = aws.String("192.168.99.99")
			})),
			synced: []string{"InvalidParameterValue", "spec.forProvider.privateIpAddress", "192.168.99.99", zone.PublicSubnetID},
		},
		"NATGatewayAddressInUse": {
			reason: "A private address another gateway holds.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.ConnectivityType, p.AllocationID = aws.String("private"), nil
				p.PrivateIPAddress = aws.String(f.natIP)
			})),
			synced: []string{"InvalidIPAddress.InUse", "spec.forProvider.privateIpAddress", f.natIP},
		},
		"NATGatewayImportUnknownGateway": {
			reason: "An observe-only import of a gateway EC2 does not know names it, its region and account, and that it cannot be created.",
			obj: gateway("import-unknown", func(g *v1alpha1.NATGateway) {
				meta.SetExternalName(g, unknownNat)
				g.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
			}),
			synced: []string{"EC2 knows no NAT gateway " + unknownNat, "region " + stack.DefaultRegion, "the account of access key " + f.s.creds.AccessKeyID, "cannot create it", meta.AnnotationKeyExternalName},
		},
		"NATGatewayImportWithoutExternalName": {
			reason: "An observe-only NATGateway that names no gateway says so.",
			obj: gateway("import-nameless", func(g *v1alpha1.NATGateway) {
				g.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
			}),
			synced: []string{"names no NAT gateway to observe", "region " + stack.DefaultRegion, meta.AnnotationKeyExternalName, "cannot create one"},
		},
		"NATGatewayImportOtherRegion": {
			reason: "An observe-only import of a gateway of us-east-1 in us-west-2 names us-west-2.",
			obj: gateway("import-other-region", func(g *v1alpha1.NATGateway) {
				meta.SetExternalName(g, f.nat)
				g.Spec.ForProvider.Region = otherRegion
				g.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
			}),
			synced: []string{"EC2 knows no NAT gateway " + f.nat, "region " + otherRegion},
		},
		"NATGatewayMissingElasticIP": {
			reason: "The referenced ElasticIP does not exist.",
			obj: gateway("missing-eip", withSubnet(zone.PublicSubnetID), func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "absent"}
			}),
			synced: []string{"cannot resolve references", "absent"},
		},
		"NATGatewayMissingSecondaryElasticIP": {
			reason: "A referenced secondary ElasticIP does not exist.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.SecondaryAllocationIDRefs = []xpv2.NamespacedReference{{Name: "absent"}}
			})),
			synced: []string{"cannot resolve references", "absent"},
		},

		// ElasticIP
		"ElasticIPWrongBorderGroup": {
			reason: "An address's network border group is its region's.",
			obj:    f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) { p.NetworkBorderGroup = aws.String(otherRegion) })),
			synced: []string{"InvalidParameterValue", "spec.forProvider.networkBorderGroup", otherRegion},
		},
		"ElasticIPUnknownPool": {
			reason: "EC2 knows no such address pool.",
			obj: f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) {
				p.PublicIPv4Pool = aws.String("ipv4pool-ec2-0123456789abcdef0")
				p.Address = aws.String("198.51.100.7")
			})),
			synced: []string{"InvalidParameterValue", "spec.forProvider.publicIpv4Pool"},
		},

		// Route
		"RouteUnknownTable": {
			reason: "EC2 knows no such route table.",
			obj:    f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.RouteTableID = unknownTable })),
			synced: []string{"InvalidRouteTableID.NotFound", "spec.forProvider.routeTableId", unknownTable, "region " + stack.DefaultRegion},
		},
		"RouteTableOfOtherRegion": {
			reason: "A route table of us-east-1 is not found in us-west-2: the condition names the region.",
			obj:    f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.Region = otherRegion })),
			synced: []string{"InvalidRouteTableID.NotFound", "region " + otherRegion, "spec.forProvider.region"},
		},
		"RouteToGatewayThatNeverExisted": {
			reason: "A gateway ID EC2 never made does not exist: no word of a gateway created moments ago.",
			obj:    f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.NATGatewayID = aws.String(unknownNat) })),
			synced: []string{"InvalidNatGatewayID.NotFound", "has no NAT gateway " + unknownNat, "spec.forProvider.natGatewayId"},
		},
		"RouteToGatewayOfOtherVpc": {
			reason: "A gateway of another VPC cannot take a route of this one.",
			obj:    f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.NATGatewayID = aws.String(f.otherNat) })),
			synced: []string{"InvalidParameterValue", "spec.forProvider.natGatewayId", f.otherNat, "another VPC"},
		},
		"RouteInsideVpc": {
			reason: "Traffic inside the VPC stays local: it cannot go through a NAT gateway.",
			obj:    f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.DestinationCidrBlock = aws.String("10.0.200.0/24") })),
			synced: []string{"InvalidParameterValue", "spec.forProvider.destinationCidrBlock", "inside the VPC"},
		},
		"RouteIPv6ThroughNAT": {
			reason: "An IPv6 destination through a NAT gateway of a VPC without IPv6.",
			obj: f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) {
				p.DestinationCidrBlock, p.DestinationIPv6CidrBlock = nil, aws.String("::/0")
			})),
			synced: []string{"InvalidParameterValue", "spec.forProvider.destinationIpv6CidrBlock", "::/0"},
		},
		"RouteUnknownPrefixList": {
			reason: "EC2 knows no such prefix list.",
			obj: f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) {
				p.DestinationCidrBlock, p.DestinationPrefixListID = nil, aws.String(unknownPrefixList)
			})),
			synced: []string{"InvalidPrefixListID.NotFound", "spec.forProvider.destinationPrefixListId", unknownPrefixList},
		},
		"RouteMissingNATGateway": {
			reason: "The referenced NATGateway does not exist.",
			obj: f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) {
				p.NATGatewayID, p.NATGatewayIDRef = nil, &xpv2.NamespacedReference{Name: "absent"}
			})),
			synced: []string{"cannot resolve references", "absent"},
		},
	})
}

// admissionCases are the bad inputs the CRDs' validation refuses.
func (f *badInputFixtures) admissionCases(cases map[string]badInput) {
	ns := f.s.ns
	maps.Copy(cases, map[string]badInput{
		// NATGateway
		"NATGatewayPrivateWithAllocation": {
			reason:    "A private gateway has no Elastic IP.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.ConnectivityType = aws.String("private") })),
			admission: "allocationId, allocationIdRef and allocationIdSelector are not allowed on a private NAT gateway",
		},
		"NATGatewayRegionalWithoutVpc": {
			reason:    "A regional gateway spans the zones of a VPC, which it must name.",
			obj:       gateway("regional-no-vpc", func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.AvailabilityMode = aws.String("regional") }),
			admission: "spec.forProvider.vpcId is required to create a regional NAT gateway",
		},
		"NATGatewayZonalWithVpc": {
			reason:    "A zonal gateway takes its VPC from its subnet.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.VpcID = aws.String(f.s.net.VpcID) })),
			admission: "vpcId is only allowed on a regional NAT gateway",
		},
		"NATGatewayMalformedSubnetID": {
			reason:    "A subnet ID is subnet- and 8 to 17 hex digits.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SubnetID = aws.String("subnet-XYZ") })),
			admission: "spec.forProvider.subnetId in body should match '^subnet-[0-9a-f]{8,17}$'",
		},
		"NATGatewayMalformedAllocationID": {
			reason:    "An allocation ID is eipalloc- and 8 to 17 hex digits.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = aws.String("eip-1") })),
			admission: "spec.forProvider.allocationId in body should match '^eipalloc-[0-9a-f]{8,17}$'",
		},
		"NATGatewayMalformedSecondaryAllocationID": {
			reason:    "A secondary allocation ID is eipalloc- and hex digits too.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryAllocationIDs = []string{"eip-2"} })),
			admission: "spec.forProvider.secondaryAllocationIds[0] in body should match",
		},
		"NATGatewayMalformedVpcID": {
			reason: "A VPC ID is vpc- and hex digits.",
			obj: gateway("regional-bad-vpc", func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.AvailabilityMode, g.Spec.ForProvider.VpcID = aws.String("regional"), aws.String("vpc-XYZ")
			}),
			admission: "spec.forProvider.vpcId in body should match",
		},
		"NATGatewayMalformedPrivateAddress": {
			reason:    "A private address is an IPv4 address.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.PrivateIPAddress = aws.String("10.0.1.300") })),
			admission: "spec.forProvider.privateIpAddress in body must be of type ipv4",
		},
		"NATGatewayPrimaryAddressTwice": {
			reason: "The primary private address is not listed again as a secondary one.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.PrivateIPAddress, p.SecondaryPrivateIPAddresses = aws.String("10.0.1.10"), []string{"10.0.1.10"}
			})),
			admission: "privateIpAddress is the primary address: do not list it again in secondaryPrivateIpAddresses",
		},
		"NATGatewayPrimaryAllocationTwice": {
			reason:    "The primary Elastic IP is not listed again as a secondary one.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryAllocationIDs = []string{f.eips[0]} })),
			admission: "allocationId is the primary Elastic IP: do not list it again in secondaryAllocationIds",
		},
		"NATGatewayPublicWithoutAddress": {
			reason:    "A public zonal gateway needs an Elastic IP.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.AllocationID = nil })),
			admission: "a public zonal NAT gateway needs an Elastic IP address",
		},
		"NATGatewayRegionalPrivate": {
			reason: "A regional gateway is public.",
			obj: gateway("regional-private", func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.AvailabilityMode, g.Spec.ForProvider.VpcID = aws.String("regional"), aws.String(f.s.net.VpcID)
				g.Spec.ForProvider.ConnectivityType = aws.String("private")
			}),
			admission: "a regional NAT gateway must be public",
		},
		"NATGatewayAddressesAndCount": {
			reason: "Secondary addresses are listed or counted, not both.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.ConnectivityType, p.AllocationID = aws.String("private"), nil
				p.SecondaryPrivateIPAddresses, p.SecondaryPrivateIPAddressCount = []string{"10.0.1.11"}, aws.Int32(1)
			})),
			admission: "set at most one of secondaryPrivateIpAddresses and secondaryPrivateIpAddressCount",
		},
		"NATGatewayReservedTag": {
			reason: "Tags beginning with aws: belong to AWS.",
			obj: f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) {
				p.Tags = map[string]string{"aws:cloudformation:stack-name": "x"}
			})),
			admission: "tag keys beginning with aws: are reserved by AWS",
		},
		"NATGatewayOwnershipTag": {
			reason:    "Tags beginning with egresskit.io/ are the provider's.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.Tags = map[string]string{"egresskit.io/uid": "x"} })),
			admission: "tag keys beginning with crossplane- or egresskit.io/ are reserved for the provider's ownership tags",
		},
		"NATGatewayUnknownRegion": {
			reason:    "A region is named like us-east-1.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.Region = "Mars" })),
			admission: "spec.forProvider.region in body should match",
		},
		"NATGatewaySecondaryCountOnPublic": {
			reason:    "EC2 picks secondary private addresses only for private gateways.",
			obj:       f.goodGateway(natParams(func(p *v1alpha1.NATGatewayParameters) { p.SecondaryPrivateIPAddressCount = aws.Int32(2) })),
			admission: "secondaryPrivateIpAddressCount is only allowed on a private NAT gateway",
		},

		// ElasticIP
		"ElasticIPAddressWithoutPool": {
			reason:    "Bring-your-own addresses come from a pool.",
			obj:       f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) { p.Address = aws.String("198.51.100.7") })),
			admission: "address (bring your own IP) needs publicIpv4Pool",
		},
		"ElasticIPMalformedAddress": {
			reason: "An address is an IPv4 address.",
			obj: f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) {
				p.PublicIPv4Pool, p.Address = aws.String("ipv4pool-ec2-0123456789abcdef0"), aws.String("198.51.100.300")
			})),
			admission: "spec.forProvider.address in body must be of type ipv4",
		},
		"ElasticIPReservedTag": {
			reason:    "Tags beginning with aws: belong to AWS.",
			obj:       f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) { p.Tags = map[string]string{"aws:x": "y"} })),
			admission: "tag keys beginning with aws: are reserved by AWS",
		},
		"ElasticIPStandardDomain": {
			reason:    "Only VPC addresses exist.",
			obj:       f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) { p.Domain = aws.String("standard") })),
			admission: `spec.forProvider.domain: Unsupported value: "standard"`,
		},
		"ElasticIPUnknownRegion": {
			reason:    "A region is named like us-east-1.",
			obj:       f.goodElasticIP(eipParams(func(p *v1alpha1.ElasticIPParameters) { p.Region = "mars" })),
			admission: "spec.forProvider.region in body should match",
		},

		// Route
		"RouteWithoutTarget": {
			reason:    "A route sends traffic somewhere.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.NATGatewayID = nil })),
			admission: "a route needs a target",
		},
		"RouteWithoutDestination": {
			reason:    "A route has a destination.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.DestinationCidrBlock = nil })),
			admission: "set exactly one destination",
		},
		"RouteWithTwoDestinations": {
			reason:    "A route has one destination.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.DestinationPrefixListID = aws.String(unknownPrefixList) })),
			admission: "set exactly one destination",
		},
		"RouteOctetOutOfRange": {
			reason:    "An IPv4 CIDR block has octets up to 255.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.DestinationCidrBlock = aws.String("300.0.0.0/8") })),
			admission: "destinationCidrBlock must be an IPv4 CIDR block with octets up to 255",
		},
		"RouteIPv6PrefixTooLong": {
			reason: "An IPv6 prefix length is at most 128.",
			obj: f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) {
				p.DestinationCidrBlock, p.DestinationIPv6CidrBlock = nil, aws.String("::/129")
			})),
			admission: "destinationIpv6CidrBlock must be an IPv6 CIDR block with a prefix length up to 128",
		},
		"RouteMalformedTable": {
			reason:    "A route table ID is rtb- and hex digits.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.RouteTableID = "rtb-XYZ" })),
			admission: "spec.forProvider.routeTableId in body should match",
		},
		"RouteMalformedNATGatewayID": {
			reason:    "A NAT gateway ID is nat- and hex digits.",
			obj:       f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) { p.NATGatewayID = aws.String("nat-XYZ") })),
			admission: "spec.forProvider.natGatewayId in body should match",
		},
		"RouteMalformedPrefixList": {
			reason: "A prefix list ID is pl- and hex digits.",
			obj: f.goodRoute(routeParams(func(p *v1alpha1.RouteParameters) {
				p.DestinationCidrBlock, p.DestinationPrefixListID = nil, aws.String("pl-XYZ")
			})),
			admission: "spec.forProvider.destinationPrefixListId in body should match",
		},

		// ProviderConfig
		"ProviderConfigWithoutSecretRef": {
			reason:    "Credentials from a Secret need the Secret's name and key.",
			obj:       providerConfig(ns, "no-ref", "", "", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret),
			admission: "spec.credentials.secretRef is required when spec.credentials.source is Secret",
		},
		"ProviderConfigNoneWithSecretRef": {
			reason:    "Anonymous credentials read no Secret.",
			obj:       providerConfig(ns, "none-ref", stack.CredentialsSecret, stack.CredentialsKey, stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceNone),
			admission: "spec.credentials.secretRef is only allowed when spec.credentials.source is Secret",
		},
		"ProviderConfigWithProviderIdentity": {
			reason:    "A namespaced ProviderConfig may not borrow the provider's own credentials.",
			obj:       providerConfig(ns, "environment", "", "", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceEnvironment),
			admission: `spec.credentials.source: Unsupported value: "Environment"`,
		},
		"ProviderConfigWithBadEndpoint": {
			reason:    "An endpoint is an http or https URL.",
			obj:       providerConfig(ns, "ftp", "", "", "ftp://127.0.0.1:21", apisv1alpha1.CredentialsSourceNone),
			admission: "spec.endpoint.url in body should match",
		},

		// ClusterProviderConfig
		"ClusterProviderConfigWithoutSecretRef": {
			reason:    "Credentials from a Secret need the Secret's name and key.",
			obj:       clusterProviderConfig(ns+"-no-ref", ns, "", "", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceSecret),
			admission: "spec.credentials.secretRef is required when spec.credentials.source is Secret",
		},
		"ClusterProviderConfigWebIdentityWithoutRole": {
			reason:    "A web identity names the role to assume.",
			obj:       clusterProviderConfig(ns+"-no-role", ns, "", "", stk.EC2Sim.URL, apisv1alpha1.CredentialsSourceWebIdentity),
			admission: "spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity",
		},
		"ClusterProviderConfigWithBadEndpoint": {
			reason:    "An endpoint is an http or https URL.",
			obj:       clusterProviderConfig(ns+"-ftp", ns, "", "", "ftp://127.0.0.1:21", apisv1alpha1.CredentialsSourceNone),
			admission: "spec.endpoint.url in body should match",
		},
	})
}

// cases returns every bad input, each a new object.
func (f *badInputFixtures) cases() map[string]badInput {
	cases := map[string]badInput{}
	f.admissionCases(cases)
	f.ec2Cases(cases)
	f.configCases(cases)
	return cases
}

// goodGateway returns a public NATGateway in zone a of the scenario's
// network with a fixture Elastic IP, which would work, changed by fns; its
// name is generated.
func (f *badInputFixtures) goodGateway(fns ...func(resource.Managed)) resource.Managed {
	g := gateway("", withSubnet(f.s.net.Zones[0].PublicSubnetID), withAllocation(f.eips[0]))
	g.GenerateName = "gateway-"
	for _, fn := range fns {
		fn(g)
	}
	return g
}

// goodElasticIP returns an ElasticIP that would work, changed by fns.
func (f *badInputFixtures) goodElasticIP(fns ...func(resource.Managed)) resource.Managed {
	e := &v1alpha1.ElasticIP{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "eip-"},
		Spec: v1alpha1.ElasticIPSpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
			ForProvider:         v1alpha1.ElasticIPParameters{Region: stack.DefaultRegion},
		},
	}
	for _, fn := range fns {
		fn(e)
	}
	return e
}

// goodRoute returns a Route of the internet through the fixture gateway in
// zone a's private route table, which would work, changed by fns.
func (f *badInputFixtures) goodRoute(fns ...func(resource.Managed)) resource.Managed {
	f.routes++
	r := &v1alpha1.Route{
		ObjectMeta: metav1.ObjectMeta{GenerateName: "route-"},
		Spec: v1alpha1.RouteSpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
			ForProvider: v1alpha1.RouteParameters{
				Region:               stack.DefaultRegion,
				RouteTableID:         f.s.net.Zones[0].PrivateRouteTableID,
				DestinationCidrBlock: aws.String(fmt.Sprintf("198.18.%d.0/24", f.routes)),
				NATGatewayID:         aws.String(f.nat),
			},
		},
	}
	for _, fn := range fns {
		fn(r)
	}
	return r
}

func natParams(fn func(*v1alpha1.NATGatewayParameters)) func(resource.Managed) {
	return func(m resource.Managed) { fn(&m.(*v1alpha1.NATGateway).Spec.ForProvider) }
}

func eipParams(fn func(*v1alpha1.ElasticIPParameters)) func(resource.Managed) {
	return func(m resource.Managed) { fn(&m.(*v1alpha1.ElasticIP).Spec.ForProvider) }
}

func routeParams(fn func(*v1alpha1.RouteParameters)) func(resource.Managed) {
	return func(m resource.Managed) { fn(&m.(*v1alpha1.Route).Spec.ForProvider) }
}

// withConfig refers a managed resource to the provider configuration of
// kind and name.
func withConfig(kind, name string) func(resource.Managed) {
	return func(m resource.Managed) {
		m.(resource.ModernManaged).SetProviderConfigReference(&xpv2.ProviderConfigReference{Kind: kind, Name: name})
	}
}

// providerConfig returns a ProviderConfig of endpoint whose credentials come
// from source, reading key of Secret secretName when it is set.
func providerConfig(ns, name, secretName, key, endpoint string, source apisv1alpha1.CredentialsSource) *apisv1alpha1.ProviderConfig {
	pc := &apisv1alpha1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		Spec: apisv1alpha1.ProviderConfigSpec{
			Credentials: apisv1alpha1.ProviderCredentials{Source: source},
			Endpoint:    &apisv1alpha1.Endpoint{URL: endpoint},
		},
	}
	if secretName != "" {
		pc.Spec.Credentials.SecretRef = &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: secretName}, Key: key}
	}
	return pc
}

// clusterProviderConfig is providerConfig for a ClusterProviderConfig,
// whose Secret is in namespace ns.
func clusterProviderConfig(name, ns, secretName, key, endpoint string, source apisv1alpha1.CredentialsSource) *apisv1alpha1.ClusterProviderConfig {
	pc := &apisv1alpha1.ClusterProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: apisv1alpha1.ClusterProviderConfigSpec{
			Credentials: apisv1alpha1.ClusterProviderCredentials{Source: source},
			Endpoint:    &apisv1alpha1.Endpoint{URL: endpoint},
		},
	}
	if secretName != "" {
		pc.Spec.Credentials.SecretRef = &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: ns, Name: secretName}, Key: key}
	}
	return pc
}

// secret returns a Secret holding profile under stack.CredentialsKey.
func secret(ns, name, profile string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name},
		StringData: map[string]string{stack.CredentialsKey: profile},
	}
}

// gateway returns a NATGateway using the namespace's ProviderConfig, changed
// by fns.
func gateway(name string, fns ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	g := &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.NATGatewaySpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
			ForProvider:         v1alpha1.NATGatewayParameters{Region: stack.DefaultRegion},
		},
	}
	for _, fn := range fns {
		fn(g)
	}
	return g
}

func withSubnet(id string) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.SubnetID = aws.String(id) }
}

func withAllocation(id string) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.AllocationID = aws.String(id) }
}

func withPrivate() func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.ConnectivityType = aws.String("private") }
}

// forget deletes o and, if the provider has not finalized it within a few
// poll intervals, removes its finalizers.
func (s *scenario) forget(o client.Object) {
	s.t.Helper()
	s.delete(o)
	if err := stk.WaitGone(s.t.Context(), o, 3*PollInterval); err == nil {
		return
	}
	if err := stk.Client.Get(s.t.Context(), client.ObjectKeyFromObject(o), o); err != nil {
		return
	}
	s.t.Logf("%s %s keeps its finalizer (Synced: %s); removing it", stack.Kind(o), o.GetName(),
		o.(resource.Conditioned).GetCondition(xpv2.TypeSynced).Message)
	o.SetFinalizers(nil)
	if err := stk.Client.Update(s.t.Context(), o); err != nil && !kerrors.IsNotFound(err) {
		s.t.Errorf("cannot remove the finalizers of %s %s: %v", stack.Kind(o), o.GetName(), err)
	}
	if err := stk.WaitGone(s.t.Context(), o, 30*time.Second); err != nil {
		s.t.Error(err)
	}
}

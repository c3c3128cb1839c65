// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// IDs of the objects, well formed.
const (
	region  = "us-east-1"
	subnet  = "subnet-0a1b2c3d4e5f67890"
	subnet2 = "subnet-0b2c3d4e5f6a78901"
	vpc     = "vpc-0f1e2d3c4b5a69788"
	vpc2    = "vpc-0e1d2c3b4a5968777"
	eip     = "eipalloc-0c5d8e7f6a1b2c3d4"
	eip2    = "eipalloc-0d6e9f8a7b2c3d4e5"
	rtb     = "rtb-0c3d4e5f6a7b89012"
	rtb2    = "rtb-0d4e5f6a7b8c90123"
	natID   = "nat-0a1b2c3d4e5f67890"
)

var observeOnly = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}

// nat returns a public zonal NATGateway changed by fns.
func nat(fns ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	g := &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace},
		Spec: v1alpha1.NATGatewaySpec{ForProvider: v1alpha1.NATGatewayParameters{
			Region:       region,
			SubnetID:     ptr.To(subnet),
			AllocationID: ptr.To(eip),
		}},
	}
	for _, fn := range fns {
		fn(g)
	}
	return g
}

// private makes a gateway private: no Elastic IP.
func private(g *v1alpha1.NATGateway) {
	g.Spec.ForProvider.ConnectivityType = ptr.To(v1alpha1.ConnectivityTypePrivate)
	g.Spec.ForProvider.AllocationID = nil
}

// regional makes a gateway regional in vpc: no subnet, no Elastic IP.
func regional(g *v1alpha1.NATGateway) {
	g.Spec.ForProvider.AvailabilityMode = ptr.To(v1alpha1.AvailabilityModeRegional)
	g.Spec.ForProvider.VpcID = ptr.To(vpc)
	g.Spec.ForProvider.SubnetID = nil
	g.Spec.ForProvider.AllocationID = nil
}

// observing makes a managed resource observe-only.
func observing(g *v1alpha1.NATGateway) { g.Spec.ManagementPolicies = observeOnly }

// params changes the parameters of a gateway.
func params(fn func(*v1alpha1.NATGatewayParameters)) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { fn(&g.Spec.ForProvider) }
}

// elasticIP returns an ElasticIP changed by fns.
func elasticIP(fns ...func(*v1alpha1.ElasticIPParameters)) *v1alpha1.ElasticIP {
	e := &v1alpha1.ElasticIP{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace},
		Spec:       v1alpha1.ElasticIPSpec{ForProvider: v1alpha1.ElasticIPParameters{Region: region, Domain: ptr.To("vpc")}},
	}
	for _, fn := range fns {
		fn(&e.Spec.ForProvider)
	}
	return e
}

// route returns a default route through natID changed by fns.
func route(fns ...func(*v1alpha1.Route)) *v1alpha1.Route {
	r := &v1alpha1.Route{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace},
		Spec: v1alpha1.RouteSpec{ForProvider: v1alpha1.RouteParameters{
			Region:               region,
			RouteTableID:         rtb,
			DestinationCidrBlock: ptr.To("0.0.0.0/0"),
			NATGatewayID:         ptr.To(natID),
		}},
	}
	for _, fn := range fns {
		fn(r)
	}
	return r
}

// providerConfig returns a ProviderConfig with credentials c.
func providerConfig(c apisv1alpha1.ProviderCredentials) *apisv1alpha1.ProviderConfig {
	return &apisv1alpha1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Namespace: namespace},
		Spec:       apisv1alpha1.ProviderConfigSpec{Credentials: c},
	}
}

// clusterProviderConfig returns a ClusterProviderConfig with credentials c.
func clusterProviderConfig(c apisv1alpha1.ClusterProviderCredentials) *apisv1alpha1.ClusterProviderConfig {
	return &apisv1alpha1.ClusterProviderConfig{Spec: apisv1alpha1.ClusterProviderConfigSpec{Credentials: c}}
}

func localSecret() *xpv2.LocalSecretKeySelector {
	return &xpv2.LocalSecretKeySelector{LocalSecretReference: xpv2.LocalSecretReference{Name: "aws-creds"}, Key: "credentials"}
}

func secret() *xpv2.SecretKeySelector {
	return &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "aws-creds"}, Key: "credentials"}
}

func webIdentity() *apisv1alpha1.WebIdentity {
	return &apisv1alpha1.WebIdentity{RoleARN: "arn:aws:iam::123456789012:role/egress"}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1beta1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// Input type metadata.
const (
	Group      = "egress.fn.egresskit.io"
	Version    = "v1beta1"
	Kind       = "Input"
	APIVersion = Group + "/" + Version
)

// Topologies of egress.
const (
	// TopologyPerAZ runs one gateway per zone; each zone's routes use its
	// own gateway.
	TopologyPerAZ = "PerAZ"
	// TopologySingle runs one gateway; every zone's routes use it.
	TopologySingle = "Single"
	// TopologyRegional runs one regional gateway for the VPC; every zone's
	// routes use it.
	TopologyRegional = "Regional"
	// TopologyNone runs no gateways and no routes.
	TopologyNone = "None"
)

// Connectivity of the gateways.
const (
	// ConnectivityPublic gateways reach the internet through Elastic IP
	// addresses.
	ConnectivityPublic = "public"
	// ConnectivityPrivate gateways reach other VPCs and networks, without
	// Elastic IP addresses.
	ConnectivityPrivate = "private"
)

// Kinds of provider config a composed resource may reference.
const (
	ProviderConfigKind        = "ProviderConfig"
	ClusterProviderConfigKind = "ClusterProviderConfig"
)

// A ProviderConfigReference names the provider config of the composed
// resources.
type ProviderConfigReference struct {
	// Kind is ProviderConfig (in the namespace of the composed resources) or
	// ClusterProviderConfig.
	// +kubebuilder:validation:Enum=ProviderConfig;ClusterProviderConfig
	Kind string `json:"kind"`

	// Name of the provider config.
	// +kubebuilder:validation:MinLength=1
	Name string `json:"name"`
}

// +kubebuilder:object:root=true
// +kubebuilder:storageversion
// +kubebuilder:resource:categories=crossplane

// An Input holds the defaults a platform team sets for the egress function
// in a Composition. A composite resource may override topology,
// connectivity, providerConfigRef and tags.
//
// This isn't a custom resource, in the sense that it is never installed
// into Kubernetes. We generate a CRD to describe its schema.
type Input struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	// Topology used when the composite resource sets none: PerAZ
	// (default), Single, Regional or None.
	// +optional
	// +kubebuilder:validation:Enum=PerAZ;Single;Regional;None
	Topology string `json:"topology,omitempty"`

	// Connectivity used when the composite resource sets none: public
	// (default) or private.
	// +optional
	// +kubebuilder:validation:Enum=public;private
	Connectivity string `json:"connectivity,omitempty"`

	// ProviderConfigRef used when the composite resource sets none. When
	// both are absent the managed resources use their own default, the
	// ClusterProviderConfig named default.
	// +optional
	ProviderConfigRef *ProviderConfigReference `json:"providerConfigRef,omitempty"`

	// Tags put on every Elastic IP address and NAT gateway. Tags of the
	// composite resource win over these.
	// +optional
	Tags map[string]string `json:"tags,omitempty"`

	// RouteDestination is the destination of every route: an IPv4 CIDR
	// block (default 0.0.0.0/0) or an IPv6 one, for example 64:ff9b::/96
	// for NAT64.
	// +optional
	RouteDestination string `json:"routeDestination,omitempty"`

	// Failover points a zone's routes at a healthy gateway of another zone
	// while the zone's own gateway is degraded (failed, or deleted and being
	// recreated), and back once it is available again. Default true. Only
	// the PerAZ topology has other gateways to fail over to.
	// +optional
	Failover *bool `json:"failover,omitempty"`

	// ResourceNamespace is the namespace of the composed resources of a
	// cluster-scoped composite resource that was not created through a
	// claim. The composed resources of a claim go to the claim's namespace,
	// and those of a namespaced composite resource to its own.
	// +optional
	// +kubebuilder:validation:MaxLength=63
	ResourceNamespace string `json:"resourceNamespace,omitempty"`
}

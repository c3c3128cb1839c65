// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1alpha1

import (
	"reflect"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime/schema"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"
)

var (
	_ resource.ModernManaged = &Route{}
	_ resource.ManagedList   = &RouteList{}
)

// States of a route, as EC2 reports them.
const (
	RouteStateActive    = "active"
	RouteStateBlackhole = "blackhole"
)

// Annotations of a Route that record and request the ownership of its route.
// EC2 routes carry no tags, so a Route's claim is recorded on the Route.
const (
	// AnnotationKeyRouteClaimed records when the Route claimed its route,
	// as an RFC 3339 time. The provider writes it before it first asks EC2
	// to create the route, and never changes it; of several Routes for one
	// route table and destination, the one that claimed first owns the
	// route. Do not set it by hand: set AnnotationKeyAdoptRoute instead.
	AnnotationKeyRouteClaimed = "egresskit.io/route-claimed"

	// AnnotationKeyAdoptRoute, set to "true", tells the Route to take over a
	// route that already exists in EC2 and that no other Route owns, such
	// as one made outside Crossplane. Without it such a route is reported
	// and left alone. A Route whose management policies leave out Create
	// takes over the route it names without this annotation.
	AnnotationKeyAdoptRoute = "egresskit.io/adopt-route"
)

// RouteParameters are the configurable fields of a route. The route table
// and the destination identify the route and are create-only; the target
// may change and is replaced in place.
// +kubebuilder:validation:XValidation:rule="[has(self.destinationCidrBlock), has(self.destinationIpv6CidrBlock), has(self.destinationPrefixListId)].filter(x, x).size() == 1",message="set exactly one destination: destinationCidrBlock, destinationIpv6CidrBlock or destinationPrefixListId"
// +kubebuilder:validation:XValidation:rule="(has(self.destinationCidrBlock) == has(oldSelf.destinationCidrBlock) && (!has(self.destinationCidrBlock) || self.destinationCidrBlock == oldSelf.destinationCidrBlock)) && (has(self.destinationIpv6CidrBlock) == has(oldSelf.destinationIpv6CidrBlock) && (!has(self.destinationIpv6CidrBlock) || self.destinationIpv6CidrBlock == oldSelf.destinationIpv6CidrBlock)) && (has(self.destinationPrefixListId) == has(oldSelf.destinationPrefixListId) && (!has(self.destinationPrefixListId) || self.destinationPrefixListId == oldSelf.destinationPrefixListId))",message="the destination is create-only and cannot be changed; create a new Route instead"
type RouteParameters struct {
	// Region of the route table, for example us-east-1. Create-only.
	// +kubebuilder:validation:Pattern=`^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="region is create-only and cannot be changed"
	Region string `json:"region"`

	// RouteTableID is the route table that holds the route. Create-only.
	// +kubebuilder:validation:Pattern=`^rtb-[0-9a-f]{8,17}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="routeTableId is create-only and cannot be changed; create a new Route instead"
	RouteTableID string `json:"routeTableId"`

	// DestinationCidrBlock is the IPv4 destination, for example 0.0.0.0/0.
	// +optional
	// +kubebuilder:validation:Pattern=`^([0-9]{1,3}\.){3}[0-9]{1,3}/([0-9]|[12][0-9]|3[0-2])$`
	// +kubebuilder:validation:MaxLength=18
	// +kubebuilder:validation:XValidation:rule="isCIDR(self) && cidr(self).ip().family() == 4",message="destinationCidrBlock must be an IPv4 CIDR block with octets up to 255, such as 0.0.0.0/0"
	DestinationCidrBlock *string `json:"destinationCidrBlock,omitempty"`

	// DestinationIPv6CidrBlock is the IPv6 destination, for example ::/0.
	// +optional
	// +kubebuilder:validation:MaxLength=43
	// +kubebuilder:validation:Pattern=`^[0-9a-fA-F:]+/[0-9]{1,3}$`
	// +kubebuilder:validation:XValidation:rule="isCIDR(self) && cidr(self).ip().family() == 6",message="destinationIpv6CidrBlock must be an IPv6 CIDR block with a prefix length up to 128, such as ::/0"
	DestinationIPv6CidrBlock *string `json:"destinationIpv6CidrBlock,omitempty"`

	// DestinationPrefixListID is a managed prefix list destination.
	// +optional
	// +kubebuilder:validation:Pattern=`^pl-[0-9a-f]{8,17}$`
	DestinationPrefixListID *string `json:"destinationPrefixListId,omitempty"`

	// NATGatewayID is the NAT gateway the route sends traffic to. When it is
	// set by reference, the route follows the gateway when the gateway is
	// replaced.
	// +optional
	// +kubebuilder:validation:Pattern=`^nat-[0-9a-f]{8,17}$`
	// +crossplane:generate:reference:type=NATGateway
	NATGatewayID *string `json:"natGatewayId,omitempty"`

	// NATGatewayIDRef references a NATGateway in the same namespace whose ID
	// becomes natGatewayId.
	// +optional
	NATGatewayIDRef *xpv2.NamespacedReference `json:"natGatewayIdRef,omitempty"`

	// NATGatewayIDSelector selects a NATGateway in the same namespace whose ID
	// becomes natGatewayId.
	// +optional
	NATGatewayIDSelector *xpv2.NamespacedSelector `json:"natGatewayIdSelector,omitempty"`
}

// RouteObservation is the observed state of a route.
type RouteObservation struct {
	// RouteTableID is the route table that holds the route.
	RouteTableID *string `json:"routeTableId,omitempty"`
	// Destination of the route, as EC2 reports it.
	Destination *string `json:"destination,omitempty"`
	// State of the route: active, or blackhole when its target is gone.
	State *string `json:"state,omitempty"`
	// Origin tells how the route was made, for example CreateRoute.
	Origin *string `json:"origin,omitempty"`
	// NATGatewayID is the NAT gateway the route points at.
	NATGatewayID *string `json:"natGatewayId,omitempty"`
	// GatewayID is the gateway the route points at, when it is not a NAT
	// gateway.
	GatewayID *string `json:"gatewayId,omitempty"`
	// TargetState is the state of the NAT gateway the route points at.
	TargetState *string `json:"targetState,omitempty"`
}

// A RouteSpec defines the desired state of a Route.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies || 'Update' in self.managementPolicies) || has(self.forProvider.natGatewayId) || has(self.forProvider.natGatewayIdRef) || has(self.forProvider.natGatewayIdSelector)",message="a route needs a target: set spec.forProvider.natGatewayId, natGatewayIdRef or natGatewayIdSelector"
// +kubebuilder:validation:XValidation:rule="!has(self.providerConfigRef) || self.providerConfigRef.kind in ['ProviderConfig', 'ClusterProviderConfig']",message="spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig"
type RouteSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider are the parameters of the route.
	ForProvider RouteParameters `json:"forProvider"`
}

// A RouteStatus represents the observed state of a Route.
type RouteStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the state of the route as EC2 reports it.
	AtProvider RouteObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A Route is one route in an existing AWS route table. The provider owns only
// this route: it creates it, points it back at its target when it drifts or
// turns into a blackhole, and deletes it.
//
// A Route owns the route it created, the route it was told to adopt with the
// egresskit.io/adopt-route annotation, or, when its management policies
// leave out Create, the existing route it names. Another Route for the same
// route table and destination is Synced=False with a message naming the
// owner, never changes the route, and leaves it in place when it is deleted.
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="TARGET",type="string",JSONPath=".status.atProvider.natGatewayId"
// +kubebuilder:printcolumn:name="STATE",type="string",JSONPath=".status.atProvider.state"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,egresskit}
type Route struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   RouteSpec   `json:"spec"`
	Status RouteStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// RouteList contains a list of Route.
type RouteList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []Route `json:"items"`
}

// Route type metadata.
var (
	RouteKind             = reflect.TypeFor[Route]().Name()
	RouteGroupKind        = schema.GroupKind{Group: Group, Kind: RouteKind}.String()
	RouteKindAPIVersion   = RouteKind + "." + SchemeGroupVersion.String()
	RouteGroupVersionKind = SchemeGroupVersion.WithKind(RouteKind)
)

func init() {
	SchemeBuilder.Register(&Route{}, &RouteList{})
}

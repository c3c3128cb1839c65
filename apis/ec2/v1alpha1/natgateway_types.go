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
	_ resource.ModernManaged = &NATGateway{}
	_ resource.ManagedList   = &NATGatewayList{}
)

// Connectivity types of a NAT gateway.
const (
	ConnectivityTypePublic  = "public"
	ConnectivityTypePrivate = "private"
)

// Availability modes of a NAT gateway.
const (
	AvailabilityModeZonal    = "zonal"
	AvailabilityModeRegional = "regional"
)

// States of a NAT gateway, as EC2 reports them.
const (
	NATGatewayStatePending   = "pending"
	NATGatewayStateAvailable = "available"
	NATGatewayStateFailed    = "failed"
	NATGatewayStateDeleting  = "deleting"
	NATGatewayStateDeleted   = "deleted"
)

// An AvailabilityZoneAddress assigns Elastic IP addresses to one zone of a
// regional NAT gateway.
// +kubebuilder:validation:XValidation:rule="has(self.availabilityZone) != has(self.availabilityZoneId)",message="set exactly one of availabilityZone and availabilityZoneId"
type AvailabilityZoneAddress struct {
	// AvailabilityZone is the name of the zone, for example us-east-1a.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	AvailabilityZone *string `json:"availabilityZone,omitempty"`

	// AvailabilityZoneID is the ID of the zone, for example use1-az1.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	AvailabilityZoneID *string `json:"availabilityZoneId,omitempty"`

	// AllocationIDs are the Elastic IP addresses the gateway uses in this zone.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=32
	// +listType=set
	AllocationIDs []string `json:"allocationIds"`
}

// NATGatewayParameters are the configurable fields of a NAT gateway. Fields
// marked create-only are sent when the gateway is created and cannot be
// changed afterwards; the gateway is recreated with them when it has to be
// healed.
// +kubebuilder:validation:XValidation:rule="!(has(self.connectivityType) && self.connectivityType == 'private') || !(has(self.allocationId) || has(self.allocationIdRef) || has(self.allocationIdSelector))",message="allocationId, allocationIdRef and allocationIdSelector are not allowed on a private NAT gateway: a private gateway has no Elastic IP address"
// +kubebuilder:validation:XValidation:rule="!(has(self.connectivityType) && self.connectivityType == 'private') || !(has(self.secondaryAllocationIds) || has(self.secondaryAllocationIdRefs) || has(self.secondaryAllocationIdSelector))",message="secondaryAllocationIds and their references are not allowed on a private NAT gateway: use secondaryPrivateIpAddresses or secondaryPrivateIpAddressCount"
// +kubebuilder:validation:XValidation:rule="!(has(self.secondaryPrivateIpAddresses) && has(self.secondaryPrivateIpAddressCount))",message="set at most one of secondaryPrivateIpAddresses and secondaryPrivateIpAddressCount"
// +kubebuilder:validation:XValidation:rule="!has(self.secondaryPrivateIpAddressCount) || (has(self.connectivityType) && self.connectivityType == 'private')",message="secondaryPrivateIpAddressCount is only allowed on a private NAT gateway (connectivityType: private)"
// +kubebuilder:validation:XValidation:rule="(has(self.availabilityMode) && self.availabilityMode == 'regional') || !has(self.vpcId)",message="vpcId is only allowed on a regional NAT gateway (availabilityMode: regional); a zonal gateway takes its VPC from subnetId"
// +kubebuilder:validation:XValidation:rule="(has(self.availabilityMode) && self.availabilityMode == 'regional') || !has(self.availabilityZoneAddresses)",message="availabilityZoneAddresses is only allowed on a regional NAT gateway (availabilityMode: regional)"
// +kubebuilder:validation:XValidation:rule="!(has(self.availabilityMode) && self.availabilityMode == 'regional') || !has(self.subnetId)",message="subnetId is not allowed on a regional NAT gateway: it spans the zones of vpcId"
// +kubebuilder:validation:XValidation:rule="!(has(self.availabilityMode) && self.availabilityMode == 'regional') || !(has(self.connectivityType) && self.connectivityType == 'private')",message="a regional NAT gateway must be public: remove connectivityType: private or use availabilityMode: zonal"
// +kubebuilder:validation:XValidation:rule="!(has(self.availabilityMode) && self.availabilityMode == 'regional') || !(has(self.allocationId) || has(self.allocationIdRef) || has(self.allocationIdSelector) || has(self.secondaryAllocationIds) || has(self.secondaryAllocationIdRefs) || has(self.secondaryAllocationIdSelector))",message="a regional NAT gateway takes its Elastic IP addresses from availabilityZoneAddresses, not from allocationId or secondaryAllocationIds"
// +kubebuilder:validation:XValidation:rule="!(has(self.availabilityMode) && self.availabilityMode == 'regional') || !(has(self.privateIpAddress) || has(self.secondaryPrivateIpAddresses) || has(self.secondaryPrivateIpAddressCount))",message="privateIpAddress and secondary private addresses are only allowed on a zonal NAT gateway"
// +kubebuilder:validation:XValidation:rule="(has(self.connectivityType) ? self.connectivityType : 'public') == (has(oldSelf.connectivityType) ? oldSelf.connectivityType : 'public')",message="connectivityType is create-only and cannot be changed; create a new NATGateway instead"
// +kubebuilder:validation:XValidation:rule="(has(self.availabilityMode) ? self.availabilityMode : 'zonal') == (has(oldSelf.availabilityMode) ? oldSelf.availabilityMode : 'zonal')",message="availabilityMode is create-only and cannot be changed; create a new NATGateway instead"
// +kubebuilder:validation:XValidation:rule="!has(self.privateIpAddress) || !has(self.secondaryPrivateIpAddresses) || !(self.privateIpAddress in self.secondaryPrivateIpAddresses)",message="privateIpAddress is the primary address: do not list it again in secondaryPrivateIpAddresses"
// +kubebuilder:validation:XValidation:rule="!has(self.allocationId) || !has(self.secondaryAllocationIds) || !(self.allocationId in self.secondaryAllocationIds)",message="allocationId is the primary Elastic IP: do not list it again in secondaryAllocationIds"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.subnetId) || has(self.subnetId)",message="subnetId is create-only and cannot be removed"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.vpcId) || has(self.vpcId)",message="vpcId is create-only and cannot be removed"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.privateIpAddress) || has(self.privateIpAddress)",message="privateIpAddress is create-only and cannot be removed"
// +kubebuilder:validation:XValidation:rule="!has(oldSelf.allocationId) || !has(self.allocationId) || self.allocationId == oldSelf.allocationId || has(self.allocationIdRef) || has(self.allocationIdSelector)",message="allocationId is create-only and cannot be changed; reference an ElasticIP with allocationIdRef to have the gateway follow its address"
type NATGatewayParameters struct {
	// Region of the NAT gateway, for example us-east-1. Create-only.
	// +kubebuilder:validation:Pattern=`^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="region is create-only and cannot be changed"
	Region string `json:"region"`

	// SubnetID is the subnet of a zonal NAT gateway. Required to create a
	// zonal gateway. Create-only.
	// +optional
	// +kubebuilder:validation:Pattern=`^subnet-[0-9a-f]{8,17}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="subnetId is create-only and cannot be changed; create a new NATGateway instead"
	SubnetID *string `json:"subnetId,omitempty"`

	// AllocationID is the Elastic IP address of a public zonal NAT gateway,
	// its primary address. Required, directly or by reference, to create a
	// public zonal gateway. Create-only: when a referenced ElasticIP gets a
	// new address, the gateway is replaced.
	// +optional
	// +kubebuilder:validation:Pattern=`^eipalloc-[0-9a-f]{8,17}$`
	// +crossplane:generate:reference:type=ElasticIP
	AllocationID *string `json:"allocationId,omitempty"`

	// AllocationIDRef references an ElasticIP in the same namespace whose
	// allocation ID becomes allocationId.
	// +optional
	AllocationIDRef *xpv2.NamespacedReference `json:"allocationIdRef,omitempty"`

	// AllocationIDSelector selects an ElasticIP in the same namespace whose
	// allocation ID becomes allocationId.
	// +optional
	AllocationIDSelector *xpv2.NamespacedSelector `json:"allocationIdSelector,omitempty"`

	// ConnectivityType is public (default; traffic reaches the internet
	// through an Elastic IP address) or private (traffic reaches other VPCs or
	// networks). Create-only.
	// +optional
	// +kubebuilder:validation:Enum=public;private
	ConnectivityType *string `json:"connectivityType,omitempty"`

	// PrivateIPAddress is the primary private IPv4 address of a zonal
	// gateway. EC2 picks one from the subnet when absent. Create-only.
	// +optional
	// +kubebuilder:validation:Format=ipv4
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="privateIpAddress is create-only and cannot be changed; create a new NATGateway instead"
	PrivateIPAddress *string `json:"privateIpAddress,omitempty"`

	// SecondaryAllocationIDs are further Elastic IP addresses of a public
	// zonal gateway. They are associated and disassociated in place.
	// +optional
	// +kubebuilder:validation:MaxItems=7
	// +listType=set
	// +kubebuilder:validation:items:Pattern=`^eipalloc-[0-9a-f]{8,17}$`
	// +crossplane:generate:reference:type=ElasticIP
	// +crossplane:generate:reference:refFieldName=SecondaryAllocationIDRefs
	// +crossplane:generate:reference:selectorFieldName=SecondaryAllocationIDSelector
	SecondaryAllocationIDs []string `json:"secondaryAllocationIds,omitempty"`

	// SecondaryAllocationIDRefs reference ElasticIPs in the same namespace
	// whose allocation IDs become secondaryAllocationIds.
	// +optional
	// +kubebuilder:validation:MaxItems=7
	SecondaryAllocationIDRefs []xpv2.NamespacedReference `json:"secondaryAllocationIdRefs,omitempty"`

	// SecondaryAllocationIDSelector selects ElasticIPs in the same namespace
	// whose allocation IDs become secondaryAllocationIds.
	// +optional
	SecondaryAllocationIDSelector *xpv2.NamespacedSelector `json:"secondaryAllocationIdSelector,omitempty"`

	// SecondaryPrivateIPAddresses are secondary private IPv4 addresses of a
	// zonal gateway. They are assigned and unassigned in place.
	// +optional
	// +kubebuilder:validation:MaxItems=31
	// +listType=set
	// +kubebuilder:validation:items:Format=ipv4
	SecondaryPrivateIPAddresses []string `json:"secondaryPrivateIpAddresses,omitempty"`

	// SecondaryPrivateIPAddressCount asks EC2 to pick this many secondary
	// private IPv4 addresses for a private gateway.
	// +optional
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=31
	SecondaryPrivateIPAddressCount *int32 `json:"secondaryPrivateIpAddressCount,omitempty"`

	// AvailabilityMode is zonal (default; the gateway lives in subnetId) or
	// regional (the gateway spans the zones of vpcId). Create-only.
	// +optional
	// +kubebuilder:validation:Enum=zonal;regional
	AvailabilityMode *string `json:"availabilityMode,omitempty"`

	// VpcID is the VPC of a regional NAT gateway. Required to create a
	// regional gateway, not allowed on a zonal one. Create-only.
	// +optional
	// +kubebuilder:validation:Pattern=`^vpc-[0-9a-f]{8,17}$`
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="vpcId is create-only and cannot be changed; create a new NATGateway instead"
	VpcID *string `json:"vpcId,omitempty"`

	// AvailabilityZoneAddresses pins the Elastic IP addresses of a regional
	// gateway per zone. When absent, EC2 provisions zones and addresses
	// automatically. Create-only.
	// +optional
	// +kubebuilder:validation:MaxItems=32
	// +listType=atomic
	AvailabilityZoneAddresses []AvailabilityZoneAddress `json:"availabilityZoneAddresses,omitempty"`

	// Tags of the gateway. The provider adds its ownership tags
	// (crossplane-kind, crossplane-name, crossplane-namespace,
	// crossplane-providerconfig, egresskit.io/uid) and removes tags it no
	// longer wants, but never touches aws: tags.
	// +optional
	Tags Tags `json:"tags,omitempty"`
}

// A NATGatewayAddress is an address of a NAT gateway as EC2 reports it.
type NATGatewayAddress struct {
	// AllocationID of the Elastic IP address (public gateways).
	AllocationID *string `json:"allocationId,omitempty"`
	// AssociationID of the Elastic IP address association.
	AssociationID *string `json:"associationId,omitempty"`
	// NetworkInterfaceID of the gateway's network interface.
	NetworkInterfaceID *string `json:"networkInterfaceId,omitempty"`
	// PrivateIP is the private IPv4 address.
	PrivateIP *string `json:"privateIp,omitempty"`
	// PublicIP is the public IPv4 address of the Elastic IP address.
	PublicIP *string `json:"publicIp,omitempty"`
	// IsPrimary tells whether this is the gateway's primary address.
	IsPrimary *bool `json:"isPrimary,omitempty"`
	// Status of the address: assigning, unassigning, associating,
	// disassociating, succeeded or failed.
	Status *string `json:"status,omitempty"`
	// FailureMessage explains a failed address.
	FailureMessage *string `json:"failureMessage,omitempty"`
	// AvailabilityZone of the address (regional gateways).
	AvailabilityZone *string `json:"availabilityZone,omitempty"`
	// AvailabilityZoneID of the address (regional gateways).
	AvailabilityZoneID *string `json:"availabilityZoneId,omitempty"`
}

// NATGatewayObservation is the observed state of a NAT gateway.
type NATGatewayObservation struct {
	// NATGatewayID is the ID of the gateway.
	NATGatewayID *string `json:"natGatewayId,omitempty"`
	// State of the gateway: pending, available, failed, deleting or deleted.
	State *string `json:"state,omitempty"`
	// VpcID is the VPC of the gateway.
	VpcID *string `json:"vpcId,omitempty"`
	// SubnetID is the subnet of a zonal gateway.
	SubnetID *string `json:"subnetId,omitempty"`
	// ConnectivityType is public or private.
	ConnectivityType *string `json:"connectivityType,omitempty"`
	// AvailabilityMode is zonal or regional.
	AvailabilityMode *string `json:"availabilityMode,omitempty"`
	// AutoProvisionZones tells whether EC2 manages the zones of a regional
	// gateway.
	AutoProvisionZones *string `json:"autoProvisionZones,omitempty"`
	// AutoScalingIPs tells whether EC2 manages the addresses of a regional
	// gateway.
	AutoScalingIPs *string `json:"autoScalingIps,omitempty"`
	// RouteTableID is the route table EC2 associates with a regional gateway.
	RouteTableID *string `json:"routeTableId,omitempty"`
	// Addresses of the gateway.
	Addresses []NATGatewayAddress `json:"addresses,omitempty"`
	// FailureCode is EC2's code for a failed gateway.
	FailureCode *string `json:"failureCode,omitempty"`
	// FailureMessage is EC2's explanation for a failed gateway.
	FailureMessage *string `json:"failureMessage,omitempty"`
	// CreateTime is when EC2 created the gateway.
	CreateTime *metav1.Time `json:"createTime,omitempty"`
	// DeleteTime is when EC2 deleted the gateway.
	DeleteTime *metav1.Time `json:"deleteTime,omitempty"`
	// Tags of the gateway as EC2 reports them.
	Tags map[string]string `json:"tags,omitempty"`
	// Healing records the recreations of the gateway.
	Healing *Healing `json:"healing,omitempty"`
}

// Actions for a NAT gateway that EC2 reports as failed.
const (
	// OnFailedRecreate creates a new gateway, with exponential backoff
	// between attempts while the new gateways keep failing.
	OnFailedRecreate = "Recreate"
	// OnFailedReport only reports the failure in the Ready condition.
	OnFailedReport = "Report"
)

// A NATGatewaySpec defines the desired state of a NATGateway.
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies) || (has(self.forProvider.availabilityMode) && self.forProvider.availabilityMode == 'regional') || has(self.forProvider.subnetId)",message="spec.forProvider.subnetId is required to create a zonal NAT gateway"
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies) || !(has(self.forProvider.availabilityMode) && self.forProvider.availabilityMode == 'regional') || has(self.forProvider.vpcId)",message="spec.forProvider.vpcId is required to create a regional NAT gateway"
// +kubebuilder:validation:XValidation:rule="!('*' in self.managementPolicies || 'Create' in self.managementPolicies) || (has(self.forProvider.availabilityMode) && self.forProvider.availabilityMode == 'regional') || (has(self.forProvider.connectivityType) && self.forProvider.connectivityType == 'private') || has(self.forProvider.allocationId) || has(self.forProvider.allocationIdRef) || has(self.forProvider.allocationIdSelector)",message="a public zonal NAT gateway needs an Elastic IP address: set spec.forProvider.allocationId, allocationIdRef or allocationIdSelector"
// +kubebuilder:validation:XValidation:rule="!has(self.providerConfigRef) || self.providerConfigRef.kind in ['ProviderConfig', 'ClusterProviderConfig']",message="spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig"
type NATGatewaySpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider are the parameters of the NAT gateway.
	ForProvider NATGatewayParameters `json:"forProvider"`

	// OnFailed decides what happens when EC2 reports the gateway as failed:
	// Recreate (default) creates a new gateway, backing off exponentially
	// while new gateways keep failing; Report only reports the failure.
	// +optional
	// +kubebuilder:validation:Enum=Recreate;Report
	OnFailed *string `json:"onFailed,omitempty"`
}

// A NATGatewayStatus represents the observed state of a NATGateway.
type NATGatewayStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the state of the gateway as EC2 reports it.
	AtProvider NATGatewayObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// A NATGateway is an AWS NAT gateway that the provider keeps alive: when EC2
// reports it deleted, purged or failed, the provider creates it again.
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="STATE",type="string",JSONPath=".status.atProvider.state"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:printcolumn:name="RECREATIONS",type="integer",JSONPath=".status.atProvider.healing.recreations",priority=1
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,egresskit}
type NATGateway struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   NATGatewaySpec   `json:"spec"`
	Status NATGatewayStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// NATGatewayList contains a list of NATGateway.
type NATGatewayList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []NATGateway `json:"items"`
}

// NATGateway type metadata.
var (
	NATGatewayKind             = reflect.TypeFor[NATGateway]().Name()
	NATGatewayGroupKind        = schema.GroupKind{Group: Group, Kind: NATGatewayKind}.String()
	NATGatewayKindAPIVersion   = NATGatewayKind + "." + SchemeGroupVersion.String()
	NATGatewayGroupVersionKind = SchemeGroupVersion.WithKind(NATGatewayKind)
)

func init() {
	SchemeBuilder.Register(&NATGateway{}, &NATGatewayList{})
}

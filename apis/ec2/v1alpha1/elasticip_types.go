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
	_ resource.ModernManaged = &ElasticIP{}
	_ resource.ManagedList   = &ElasticIPList{}
)

// ElasticIPParameters are the configurable fields of an Elastic IP address.
// All but tags are create-only: they are sent when the address is allocated.
// +kubebuilder:validation:XValidation:rule="!has(self.address) || has(self.publicIpv4Pool)",message="address (bring your own IP) needs publicIpv4Pool, the pool it comes from"
// +kubebuilder:validation:XValidation:rule="(has(self.publicIpv4Pool) == has(oldSelf.publicIpv4Pool) && (!has(self.publicIpv4Pool) || self.publicIpv4Pool == oldSelf.publicIpv4Pool))",message="publicIpv4Pool is create-only and cannot be changed; create a new ElasticIP instead"
// +kubebuilder:validation:XValidation:rule="(has(self.networkBorderGroup) == has(oldSelf.networkBorderGroup) && (!has(self.networkBorderGroup) || self.networkBorderGroup == oldSelf.networkBorderGroup))",message="networkBorderGroup is create-only and cannot be changed; create a new ElasticIP instead"
// +kubebuilder:validation:XValidation:rule="(has(self.address) == has(oldSelf.address) && (!has(self.address) || self.address == oldSelf.address))",message="address is create-only and cannot be changed; create a new ElasticIP instead"
type ElasticIPParameters struct {
	// Region of the address, for example us-east-1. Create-only.
	// +kubebuilder:validation:Pattern=`^[a-z]{2}(-[a-z]+)+-[0-9]+$`
	// +kubebuilder:validation:MaxLength=32
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="region is create-only and cannot be changed"
	Region string `json:"region"`

	// Domain of the address. Only vpc is supported, which is also the
	// default.
	// +optional
	// +kubebuilder:validation:Enum=vpc
	Domain *string `json:"domain,omitempty"`

	// PublicIPv4Pool is the address pool to allocate from: amazon (default)
	// or the ID of a bring-your-own-IP pool. Create-only.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	PublicIPv4Pool *string `json:"publicIpv4Pool,omitempty"`

	// NetworkBorderGroup is the group of zones from which AWS advertises the
	// address, for example us-east-1 or a Local Zone group. Create-only.
	// +optional
	// +kubebuilder:validation:MaxLength=64
	NetworkBorderGroup *string `json:"networkBorderGroup,omitempty"`

	// Address is a specific IPv4 address to allocate from publicIpv4Pool
	// (bring your own IP). Create-only.
	// +optional
	// +kubebuilder:validation:Format=ipv4
	Address *string `json:"address,omitempty"`

	// Tags of the address. The provider adds its ownership tags and never
	// touches aws: tags.
	// +optional
	Tags Tags `json:"tags,omitempty"`
}

// ElasticIPObservation is the observed state of an Elastic IP address.
type ElasticIPObservation struct {
	// AllocationID of the address.
	AllocationID *string `json:"allocationId,omitempty"`
	// PublicIP is the address itself.
	PublicIP *string `json:"publicIp,omitempty"`
	// Domain of the address.
	Domain *string `json:"domain,omitempty"`
	// PublicIPv4Pool the address came from.
	PublicIPv4Pool *string `json:"publicIpv4Pool,omitempty"`
	// NetworkBorderGroup from which AWS advertises the address.
	NetworkBorderGroup *string `json:"networkBorderGroup,omitempty"`
	// AssociationID of the address's current association.
	AssociationID *string `json:"associationId,omitempty"`
	// NetworkInterfaceID the address is associated with, for example a NAT
	// gateway's interface.
	NetworkInterfaceID *string `json:"networkInterfaceId,omitempty"`
	// PrivateIPAddress the address is associated with.
	PrivateIPAddress *string `json:"privateIpAddress,omitempty"`
	// Tags of the address as EC2 reports them.
	Tags map[string]string `json:"tags,omitempty"`
	// Healing records the allocations made after the address was released
	// outside Crossplane.
	Healing *Healing `json:"healing,omitempty"`
}

// An ElasticIPSpec defines the desired state of an ElasticIP.
// +kubebuilder:validation:XValidation:rule="!has(self.providerConfigRef) || self.providerConfigRef.kind in ['ProviderConfig', 'ClusterProviderConfig']",message="spec.providerConfigRef.kind must be ProviderConfig or ClusterProviderConfig"
type ElasticIPSpec struct {
	xpv2.ManagedResourceSpec `json:",inline"`

	// ForProvider are the parameters of the address.
	ForProvider ElasticIPParameters `json:"forProvider"`
}

// An ElasticIPStatus represents the observed state of an ElasticIP.
type ElasticIPStatus struct {
	xpv2.ManagedResourceStatus `json:",inline"`

	// AtProvider is the state of the address as EC2 reports it.
	AtProvider ElasticIPObservation `json:"atProvider,omitempty"`
}

// +kubebuilder:object:root=true

// An ElasticIP is an AWS Elastic IP address. When it is released outside
// Crossplane, the provider allocates a new one.
// +kubebuilder:printcolumn:name="READY",type="string",JSONPath=".status.conditions[?(@.type=='Ready')].status"
// +kubebuilder:printcolumn:name="SYNCED",type="string",JSONPath=".status.conditions[?(@.type=='Synced')].status"
// +kubebuilder:printcolumn:name="EXTERNAL-NAME",type="string",JSONPath=".metadata.annotations.crossplane\\.io/external-name"
// +kubebuilder:printcolumn:name="PUBLIC-IP",type="string",JSONPath=".status.atProvider.publicIp"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:subresource:status
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,managed,egresskit}
type ElasticIP struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ElasticIPSpec   `json:"spec"`
	Status ElasticIPStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ElasticIPList contains a list of ElasticIP.
type ElasticIPList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ElasticIP `json:"items"`
}

// ElasticIP type metadata.
var (
	ElasticIPKind             = reflect.TypeFor[ElasticIP]().Name()
	ElasticIPGroupKind        = schema.GroupKind{Group: Group, Kind: ElasticIPKind}.String()
	ElasticIPKindAPIVersion   = ElasticIPKind + "." + SchemeGroupVersion.String()
	ElasticIPGroupVersionKind = SchemeGroupVersion.WithKind(ElasticIPKind)
)

func init() {
	SchemeBuilder.Register(&ElasticIP{}, &ElasticIPList{})
}

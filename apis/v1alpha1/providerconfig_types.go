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
	_ resource.ProviderConfig = &ProviderConfig{}
	_ resource.ProviderConfig = &ClusterProviderConfig{}
)

// A CredentialsSource is where the provider finds the AWS credentials of a
// provider configuration.
type CredentialsSource string

// Credentials sources.
const (
	// CredentialsSourceSecret reads an AWS shared-credentials profile
	// ([default] with aws_access_key_id, aws_secret_access_key and an optional
	// aws_session_token) from a key of a Secret.
	CredentialsSourceSecret CredentialsSource = "Secret"

	// CredentialsSourceEnvironment uses the provider process's own AWS
	// environment: variables, shared files or an instance role.
	CredentialsSourceEnvironment CredentialsSource = "Environment"

	// CredentialsSourceWebIdentity assumes an IAM role with a web identity
	// token file, as IAM Roles for Service Accounts (IRSA) does.
	CredentialsSourceWebIdentity CredentialsSource = "WebIdentity"

	// CredentialsSourceNone sends requests with anonymous credentials. It is
	// meant for EC2-compatible endpoints that do not check signatures.
	CredentialsSourceNone CredentialsSource = "None"
)

// An Endpoint overrides the EC2 endpoint the provider talks to.
type Endpoint struct {
	// URL of an EC2-compatible endpoint, for example a simulator, moto or
	// LocalStack: http://127.0.0.1:4566.
	// +kubebuilder:validation:Pattern=`^https?://[^\s/]+(/.*)?$`
	URL string `json:"url"`
}

// ProviderCredentials are the credentials of a namespaced ProviderConfig. A
// namespaced configuration may only read a Secret in its own namespace, and
// may not borrow the provider's own identity.
// +kubebuilder:validation:XValidation:rule="self.source != 'Secret' || has(self.secretRef)",message="spec.credentials.secretRef is required when spec.credentials.source is Secret"
// +kubebuilder:validation:XValidation:rule="self.source == 'Secret' || !has(self.secretRef)",message="spec.credentials.secretRef is only allowed when spec.credentials.source is Secret"
type ProviderCredentials struct {
	// Source of the credentials: Secret or None.
	// +kubebuilder:validation:Enum=Secret;None
	Source CredentialsSource `json:"source"`

	// SecretRef selects the key of a Secret, in the namespace of this
	// ProviderConfig, that holds an AWS shared-credentials profile.
	// +optional
	SecretRef *xpv2.LocalSecretKeySelector `json:"secretRef,omitempty"`
}

// A ProviderConfigSpec defines the desired state of a ProviderConfig.
type ProviderConfigSpec struct {
	// Credentials the provider uses to call EC2.
	Credentials ProviderCredentials `json:"credentials"`

	// Endpoint overrides the EC2 endpoint. When absent the provider calls the
	// regional AWS endpoint of each managed resource.
	// +optional
	Endpoint *Endpoint `json:"endpoint,omitempty"`
}

// WebIdentity configures credentials from a web identity token, as used by IAM
// Roles for Service Accounts.
type WebIdentity struct {
	// RoleARN is the ARN of the IAM role to assume.
	// +kubebuilder:validation:Pattern=`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`
	RoleARN string `json:"roleARN"`

	// TokenFile is the path of the web identity token file. Defaults to the
	// AWS_WEB_IDENTITY_TOKEN_FILE environment variable of the provider.
	// +optional
	TokenFile *string `json:"tokenFile,omitempty"`

	// RoleSessionName names the assumed-role session. Defaults to a name
	// chosen by the AWS SDK.
	// +optional
	RoleSessionName *string `json:"roleSessionName,omitempty"`
}

// ClusterProviderCredentials are the credentials of a ClusterProviderConfig.
// +kubebuilder:validation:XValidation:rule="self.source != 'Secret' || has(self.secretRef)",message="spec.credentials.secretRef is required when spec.credentials.source is Secret"
// +kubebuilder:validation:XValidation:rule="self.source == 'Secret' || !has(self.secretRef)",message="spec.credentials.secretRef is only allowed when spec.credentials.source is Secret"
// +kubebuilder:validation:XValidation:rule="self.source != 'WebIdentity' || has(self.webIdentity)",message="spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity"
// +kubebuilder:validation:XValidation:rule="self.source == 'WebIdentity' || !has(self.webIdentity)",message="spec.credentials.webIdentity is only allowed when spec.credentials.source is WebIdentity"
type ClusterProviderCredentials struct {
	// Source of the credentials: Secret, Environment, WebIdentity or None.
	// +kubebuilder:validation:Enum=Secret;Environment;WebIdentity;None
	Source CredentialsSource `json:"source"`

	// SecretRef selects the key of a Secret that holds an AWS
	// shared-credentials profile.
	// +optional
	SecretRef *xpv2.SecretKeySelector `json:"secretRef,omitempty"`

	// WebIdentity configures credentials from a web identity token.
	// +optional
	WebIdentity *WebIdentity `json:"webIdentity,omitempty"`
}

// A ClusterProviderConfigSpec defines the desired state of a
// ClusterProviderConfig.
type ClusterProviderConfigSpec struct {
	// Credentials the provider uses to call EC2.
	Credentials ClusterProviderCredentials `json:"credentials"`

	// Endpoint overrides the EC2 endpoint. When absent the provider calls the
	// regional AWS endpoint of each managed resource.
	// +optional
	Endpoint *Endpoint `json:"endpoint,omitempty"`
}

// A ProviderConfigStatus reflects the observed state of a provider
// configuration.
type ProviderConfigStatus struct {
	xpv2.ProviderConfigStatus `json:",inline"`
}

// +kubebuilder:object:root=true

// A ProviderConfig configures how the provider reaches EC2 for the managed
// resources of its namespace.
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="SOURCE",type="string",JSONPath=".spec.credentials.source"
// +kubebuilder:printcolumn:name="ENDPOINT",type="string",JSONPath=".spec.endpoint.url",priority=1
// +kubebuilder:printcolumn:name="USERS",type="integer",JSONPath=".status.users"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:resource:scope=Namespaced,categories={crossplane,provider,egresskit}
type ProviderConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ProviderConfigSpec   `json:"spec"`
	Status ProviderConfigStatus `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ProviderConfigList contains a list of ProviderConfig.
type ProviderConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ProviderConfig `json:"items"`
}

// +kubebuilder:object:root=true

// A ClusterProviderConfig configures how the provider reaches EC2 for managed
// resources of any namespace.
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="SOURCE",type="string",JSONPath=".spec.credentials.source"
// +kubebuilder:printcolumn:name="ENDPOINT",type="string",JSONPath=".spec.endpoint.url",priority=1
// +kubebuilder:printcolumn:name="USERS",type="integer",JSONPath=".status.users"
// +kubebuilder:printcolumn:name="AGE",type="date",JSONPath=".metadata.creationTimestamp"
// +kubebuilder:resource:scope=Cluster,categories={crossplane,provider,egresskit}
type ClusterProviderConfig struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ClusterProviderConfigSpec `json:"spec"`
	Status ProviderConfigStatus      `json:"status,omitempty"`
}

// +kubebuilder:object:root=true

// ClusterProviderConfigList contains a list of ClusterProviderConfig.
type ClusterProviderConfigList struct {
	metav1.TypeMeta `json:",inline"`
	metav1.ListMeta `json:"metadata,omitempty"`
	Items           []ClusterProviderConfig `json:"items"`
}

// ProviderConfig type metadata.
var (
	ProviderConfigKind             = reflect.TypeFor[ProviderConfig]().Name()
	ProviderConfigGroupKind        = schema.GroupKind{Group: Group, Kind: ProviderConfigKind}.String()
	ProviderConfigKindAPIVersion   = ProviderConfigKind + "." + SchemeGroupVersion.String()
	ProviderConfigGroupVersionKind = SchemeGroupVersion.WithKind(ProviderConfigKind)
)

// ClusterProviderConfig type metadata.
var (
	ClusterProviderConfigKind             = reflect.TypeFor[ClusterProviderConfig]().Name()
	ClusterProviderConfigGroupKind        = schema.GroupKind{Group: Group, Kind: ClusterProviderConfigKind}.String()
	ClusterProviderConfigKindAPIVersion   = ClusterProviderConfigKind + "." + SchemeGroupVersion.String()
	ClusterProviderConfigGroupVersionKind = SchemeGroupVersion.WithKind(ClusterProviderConfigKind)
)

func init() {
	SchemeBuilder.Register(&ProviderConfig{}, &ProviderConfigList{})
	SchemeBuilder.Register(&ClusterProviderConfig{}, &ClusterProviderConfigList{})
}

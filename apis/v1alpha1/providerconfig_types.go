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
	// token, as IAM Roles for Service Accounts (IRSA) does.
	CredentialsSourceWebIdentity CredentialsSource = "WebIdentity"

	// CredentialsSourcePodIdentity gets credentials from the EKS Pod Identity
	// agent that EKS names in the provider's environment
	// (AWS_CONTAINER_CREDENTIALS_FULL_URI and
	// AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE). It ignores IRSA's variables,
	// so a pod that has both gets Pod Identity.
	CredentialsSourcePodIdentity CredentialsSource = "PodIdentity"

	// CredentialsSourceNone sends requests with anonymous credentials. It is
	// meant for EC2-compatible endpoints that do not check signatures.
	CredentialsSourceNone CredentialsSource = "None"
)

// An Endpoint overrides the EC2 and STS endpoints the provider talks to.
// +kubebuilder:validation:XValidation:rule="has(self.url) || has(self.stsURL)",message="spec.endpoint needs url, stsURL or both"
type Endpoint struct {
	// URL of an EC2-compatible endpoint, for example a simulator, moto or
	// LocalStack: http://127.0.0.1:4566. Only EC2 goes there.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://[^\s/]+(/.*)?$`
	URL string `json:"url,omitempty"`

	// STSURL of an STS-compatible endpoint, for example
	// https://sts.eu-west-1.amazonaws.com, a VPC endpoint, a simulator or
	// moto. Every STS call goes there: each hop of assumeRoleChain, web
	// identity, and the GetCallerIdentity that finds the account of
	// long-term keys. When unset, STS calls go to the regional AWS endpoint,
	// and with url set but not stsURL the provider never calls STS for
	// long-term keys.
	// +optional
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^https?://[^\s/]+(/.*)?$`
	STSURL *string `json:"stsURL,omitempty"`
}

// ProviderCredentials are the credentials of a namespaced ProviderConfig. A
// namespaced configuration may only read a Secret in its own namespace, and
// may not borrow the provider's own identity: not its environment, its IRSA
// token or its Pod Identity, whatever roles those may assume. A team that
// needs a role gives its ProviderConfig keys in a Secret of its namespace
// and an assumeRoleChain; the role's trust policy, not the provider, then
// decides who may assume it. Borrowing the provider's identity is for
// ClusterProviderConfigs, which only cluster administrators create.
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
// +kubebuilder:validation:XValidation:rule="!has(self.assumeRoleChain) || self.assumeRoleChain.filter(h, has(h.durationSeconds) && h.durationSeconds > 3600).size() == 0 || (self.assumeRoleChain.filter(h, has(h.durationSeconds) && h.durationSeconds > 3600).size() == 1 && has(self.assumeRoleChain[0].durationSeconds) && self.assumeRoleChain[0].durationSeconds > 3600 && self.credentials.source == 'Secret')",message="STS caps chained role sessions at 3600 seconds: only the first hop of spec.assumeRoleChain, from long-term keys, may set durationSeconds above 3600"
// +kubebuilder:validation:XValidation:rule="!has(self.assumeRoleChain) || size(self.assumeRoleChain) == 0 || self.credentials.source != 'None'",message="spec.assumeRoleChain needs credentials to sign its first AssumeRole: source None has none"
type ProviderConfigSpec struct {
	// Credentials the provider uses to call EC2, or to assume the first
	// role of AssumeRoleChain.
	Credentials ProviderCredentials `json:"credentials"`

	// AssumeRoleChain is an ordered list of IAM roles to assume, each with
	// the credentials of the one before it. EC2 is called as the last role.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	AssumeRoleChain []AssumeRole `json:"assumeRoleChain,omitempty"`

	// Endpoint overrides the EC2 and STS endpoints. When absent the provider
	// calls the regional AWS endpoints of each managed resource.
	// +optional
	Endpoint *Endpoint `json:"endpoint,omitempty"`
}

// WebIdentity configures credentials from a web identity token, as used by IAM
// Roles for Service Accounts.
// +kubebuilder:validation:XValidation:rule="!(has(self.tokenFile) && has(self.tokenSecretRef))",message="set at most one of spec.credentials.webIdentity.tokenFile and tokenSecretRef"
type WebIdentity struct {
	// RoleARN is the ARN of the IAM role to assume.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$`
	RoleARN string `json:"roleARN"`

	// TokenFile is the path of the web identity token file. Defaults to the
	// AWS_WEB_IDENTITY_TOKEN_FILE environment variable of the provider, as
	// IRSA sets it.
	// +optional
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=4096
	TokenFile *string `json:"tokenFile,omitempty"`

	// TokenSecretRef selects the key of a Secret that holds the token, in
	// place of a file.
	// +optional
	TokenSecretRef *xpv2.SecretKeySelector `json:"tokenSecretRef,omitempty"`

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
	// Source of the credentials: Secret, Environment, WebIdentity,
	// PodIdentity or None.
	// +kubebuilder:validation:Enum=Secret;Environment;WebIdentity;PodIdentity;None
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
// +kubebuilder:validation:XValidation:rule="!has(self.assumeRoleChain) || self.assumeRoleChain.filter(h, has(h.durationSeconds) && h.durationSeconds > 3600).size() == 0 || (self.assumeRoleChain.filter(h, has(h.durationSeconds) && h.durationSeconds > 3600).size() == 1 && has(self.assumeRoleChain[0].durationSeconds) && self.assumeRoleChain[0].durationSeconds > 3600 && self.credentials.source in ['Secret', 'Environment'])",message="STS caps chained role sessions at 3600 seconds: only the first hop of spec.assumeRoleChain, from long-term keys, may set durationSeconds above 3600"
// +kubebuilder:validation:XValidation:rule="!has(self.assumeRoleChain) || size(self.assumeRoleChain) == 0 || self.credentials.source != 'None'",message="spec.assumeRoleChain needs credentials to sign its first AssumeRole: source None has none"
type ClusterProviderConfigSpec struct {
	// Credentials the provider uses to call EC2, or to assume the first
	// role of AssumeRoleChain.
	Credentials ClusterProviderCredentials `json:"credentials"`

	// AssumeRoleChain is an ordered list of IAM roles to assume, each with
	// the credentials of the one before it. EC2 is called as the last role.
	// +optional
	// +kubebuilder:validation:MaxItems=8
	AssumeRoleChain []AssumeRole `json:"assumeRoleChain,omitempty"`

	// Endpoint overrides the EC2 and STS endpoints. When absent the provider
	// calls the regional AWS endpoints of each managed resource.
	// +optional
	Endpoint *Endpoint `json:"endpoint,omitempty"`
}

// A ProviderConfigStatus reflects the observed state of a provider
// configuration.
type ProviderConfigStatus struct {
	xpv2.ProviderConfigStatus `json:",inline"`

	// AccountID is the AWS account the provider acts in with this
	// configuration, once its credentials resolved.
	// +optional
	AccountID string `json:"accountID,omitempty"`

	// ARN is the identity the provider acts as with this configuration: the
	// assumed role session of the last hop, or the user of long-term keys.
	// +optional
	ARN string `json:"arn,omitempty"`
}

// +kubebuilder:object:root=true

// A ProviderConfig configures how the provider reaches EC2 for the managed
// resources of its namespace.
// +kubebuilder:subresource:status
// +kubebuilder:printcolumn:name="SOURCE",type="string",JSONPath=".spec.credentials.source"
// +kubebuilder:printcolumn:name="ACCOUNT",type="string",JSONPath=".status.accountID"
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
// +kubebuilder:printcolumn:name="ACCOUNT",type="string",JSONPath=".status.accountID"
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

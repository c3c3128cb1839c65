// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package v1alpha1

// Limits of STS AssumeRole that the API checks at admission.
const (
	// MinSessionDuration is the shortest session STS grants, in seconds.
	MinSessionDuration = 900

	// MaxSessionDuration is the longest session STS grants, in seconds.
	MaxSessionDuration = 43200

	// MaxChainedSessionDuration is the longest session STS grants to a role
	// assumed with the credentials of another role session, in seconds.
	MaxChainedSessionDuration = 3600

	// MaxAssumeRoleChain is the most hops an assumeRoleChain may have.
	MaxAssumeRoleChain = 8
)

// A SessionTag is an STS session tag: a key and a value that IAM policies of
// the assumed role can match.
type SessionTag struct {
	// Key of the tag.
	// +kubebuilder:validation:MinLength=1
	// +kubebuilder:validation:MaxLength=128
	// +kubebuilder:validation:Pattern=`^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$`
	Key string `json:"key"`

	// Value of the tag.
	// +kubebuilder:validation:MaxLength=256
	// +kubebuilder:validation:Pattern=`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`
	Value string `json:"value"`
}

// An AssumeRole is one hop of an assumeRoleChain: an IAM role the provider
// assumes with STS AssumeRole, signed with the credentials of the hop before
// it (the first hop: with spec.credentials).
// +kubebuilder:validation:XValidation:rule="!has(self.transitiveTagKeys) || self.transitiveTagKeys.all(k, has(self.tags) && self.tags.exists(t, t.key == k))",message="every transitiveTagKeys entry must be the key of one of this hop's tags"
type AssumeRole struct {
	// RoleARN is the ARN of the role to assume, e.g.
	// arn:aws:iam::111122223333:role/egress.
	// +kubebuilder:validation:MaxLength=2048
	// +kubebuilder:validation:Pattern=`^arn:aws(-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}$`
	RoleARN string `json:"roleARN"`

	// ExternalID is the external ID the role's trust policy requires, if
	// any.
	// +optional
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=1224
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9+=,.@:/_-]+$`
	ExternalID *string `json:"externalID,omitempty"`

	// SessionName names the role session in CloudTrail and in the assumed
	// role's ARN. Defaults to egresskit-<provider config name>, cut to 64
	// characters.
	// +optional
	// +kubebuilder:validation:MinLength=2
	// +kubebuilder:validation:MaxLength=64
	// +kubebuilder:validation:Pattern=`^[A-Za-z0-9+=,.@_-]+$`
	SessionName *string `json:"sessionName,omitempty"`

	// DurationSeconds is how long the session lasts, 900 to 43200 seconds;
	// 3600 when unset. The role's maximum session duration must allow it.
	// STS caps a session assumed with the credentials of another role
	// session (role chaining) at 3600 seconds, so only the first hop, from
	// long-term keys (source Secret or Environment), may ask for more. The
	// provider refreshes a session before it expires.
	// +optional
	// +kubebuilder:validation:Minimum=900
	// +kubebuilder:validation:Maximum=43200
	DurationSeconds *int32 `json:"durationSeconds,omitempty"`

	// Tags are session tags passed to STS. The role's trust policy must
	// allow sts:TagSession.
	// +optional
	// +listType=map
	// +listMapKey=key
	// +kubebuilder:validation:MaxItems=50
	Tags []SessionTag `json:"tags,omitempty"`

	// TransitiveTagKeys are keys of Tags that persist into the later hops
	// of the chain.
	// +optional
	// +listType=set
	// +kubebuilder:validation:MaxItems=50
	// +kubebuilder:validation:items:MaxLength=128
	TransitiveTagKeys []string `json:"transitiveTagKeys,omitempty"`
}

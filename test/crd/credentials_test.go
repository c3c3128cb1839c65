// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package crd

import (
	"strings"
	"testing"

	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// hop returns a hop of an assume-role chain to role, changed by fns.
func hop(role string, fns ...func(*apisv1alpha1.AssumeRole)) apisv1alpha1.AssumeRole {
	h := apisv1alpha1.AssumeRole{RoleARN: "arn:aws:iam::111122223333:role/" + role}
	for _, fn := range fns {
		fn(&h)
	}
	return h
}

func duration(s int32) func(*apisv1alpha1.AssumeRole) {
	return func(h *apisv1alpha1.AssumeRole) { h.DurationSeconds = ptr.To(s) }
}

// chained returns a ClusterProviderConfig with credentials c and chain.
func chained(c apisv1alpha1.ClusterProviderCredentials, chain ...apisv1alpha1.AssumeRole) *apisv1alpha1.ClusterProviderConfig {
	pc := clusterProviderConfig(c)
	pc.Spec.AssumeRoleChain = chain
	return pc
}

// testCreateCredentials creates provider configurations with every credentials
// source, chain shape and endpoint, good and bad.
func testCreateCredentials(t *testing.T) {
	keys := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: secret()}
	irsa := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: webIdentity()}
	pod := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourcePodIdentity}
	const chainedCap = "only the first hop of spec.assumeRoleChain, from long-term keys, may set durationSeconds above 3600"

	cases := map[string]struct {
		reason string
		obj    client.Object
		want   string
	}{
		"PodIdentity": {
			reason: "Credentials of the EKS Pod Identity agent.",
			obj:    clusterProviderConfig(pod),
		},
		"WebIdentityTokenFromSecret": {
			reason: "A web identity token may come from a Secret.",
			obj: clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{
				RoleARN: "arn:aws:iam::123456789012:role/egress", TokenSecretRef: secret(), RoleSessionName: ptr.To("egresskit"),
			}}),
		},
		"WebIdentityTokenFileAndSecret": {
			reason: "A token comes from one place.",
			obj: clusterProviderConfig(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{
				RoleARN: "arn:aws:iam::123456789012:role/egress", TokenSecretRef: secret(), TokenFile: ptr.To("/var/run/token"),
			}}),
			want: "set at most one of spec.credentials.webIdentity.tokenFile and tokenSecretRef",
		},
		"ChainOfThree": {
			reason: "Keys assume B, then C, with an external ID, tags and a long first session.",
			obj: chained(keys,
				hop("b", duration(43200), func(h *apisv1alpha1.AssumeRole) {
					h.ExternalID = ptr.To("team-b:4711")
					h.SessionName = ptr.To("egresskit@b")
					h.Tags = []apisv1alpha1.SessionTag{{Key: "team", Value: "platform"}, {Key: "cost-center", Value: ""}}
					h.TransitiveTagKeys = []string{"team"}
				}),
				hop("c", duration(3600)),
				hop("d", duration(900))),
		},
		"ChainFromWebIdentity": {
			reason: "A web identity session may assume roles for at most an hour each.",
			obj:    chained(irsa, hop("b", duration(3600)), hop("c")),
		},
		"ChainFromPodIdentity": {
			reason: "A Pod Identity session may assume a role.",
			obj:    chained(pod, hop("b")),
		},
		"ChainedHopOverAnHour": {
			reason: "STS refuses a chained session longer than an hour.",
			obj:    chained(keys, hop("b"), hop("c", duration(7200))),
			want:   chainedCap,
		},
		"FirstHopFromWebIdentityOverAnHour": {
			reason: "A web identity session is a role session: its first hop is already chained.",
			obj:    chained(irsa, hop("b", duration(7200))),
			want:   chainedCap,
		},
		"ChainFromNone": {
			reason: "Anonymous credentials cannot sign AssumeRole.",
			obj:    chained(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone}, hop("b")),
			want:   "spec.assumeRoleChain needs credentials to sign its first AssumeRole",
		},
		"DurationTooShort": {
			reason: "STS sessions last at least 900 seconds.",
			obj:    chained(keys, hop("b", duration(600))),
			want:   "should be greater than or equal to 900",
		},
		"DurationTooLong": {
			reason: "STS sessions last at most 43200 seconds.",
			obj:    chained(keys, hop("b", duration(43201))),
			want:   "should be less than or equal to 43200",
		},
		"MalformedHopARN": {
			reason: "A hop names its role by ARN.",
			obj:    chained(keys, apisv1alpha1.AssumeRole{RoleARN: "arn:aws:iam::1234:role/b"}),
			want:   "spec.assumeRoleChain[0].roleARN in body should match",
		},
		"UserARNAsHop": {
			reason: "Only roles can be assumed.",
			obj:    chained(keys, apisv1alpha1.AssumeRole{RoleARN: "arn:aws:iam::111122223333:user/b"}),
			want:   "spec.assumeRoleChain[0].roleARN in body should match",
		},
		"MalformedExternalID": {
			reason: "An external ID has STS's characters.",
			obj:    chained(keys, hop("b", func(h *apisv1alpha1.AssumeRole) { h.ExternalID = ptr.To("has spaces") })),
			want:   "spec.assumeRoleChain[0].externalID in body should match",
		},
		"SessionNameTooLong": {
			reason: "A session name has at most 64 characters.",
			obj:    chained(keys, hop("b", func(h *apisv1alpha1.AssumeRole) { h.SessionName = ptr.To(strings.Repeat("s", 65)) })),
			want:   "spec.assumeRoleChain[0].sessionName: Too long",
		},
		"TransitiveKeyWithoutTag": {
			reason: "A transitive tag key names a tag of the hop.",
			obj: chained(keys, hop("b", func(h *apisv1alpha1.AssumeRole) {
				h.Tags = []apisv1alpha1.SessionTag{{Key: "team", Value: "platform"}}
				h.TransitiveTagKeys = []string{"owner"}
			})),
			want: "every transitiveTagKeys entry must be the key of one of this hop's tags",
		},
		"DuplicateTagKey": {
			reason: "A session tag key appears once.",
			obj: chained(keys, hop("b", func(h *apisv1alpha1.AssumeRole) {
				h.Tags = []apisv1alpha1.SessionTag{{Key: "team", Value: "a"}, {Key: "team", Value: "b"}}
			})),
			want: "Duplicate value",
		},
		"ChainTooLong": {
			reason: "A chain has a bounded number of hops.",
			obj:    chained(keys, hop("1"), hop("2"), hop("3"), hop("4"), hop("5"), hop("6"), hop("7"), hop("8"), hop("9")),
			want:   "must have at most 8 items",
		},
		"STSEndpoint": {
			reason: "STS and EC2 endpoints may both be overridden.",
			obj: func() client.Object {
				pc := chained(keys, hop("b"))
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: "http://127.0.0.1:4566", STSURL: ptr.To("http://127.0.0.1:4566")}
				return pc
			}(),
		},
		"STSEndpointOnly": {
			reason: "STS alone may go to a VPC endpoint.",
			obj: func() client.Object {
				pc := chained(keys, hop("b"))
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{STSURL: ptr.To("https://vpce-0123.sts.eu-west-1.vpce.amazonaws.com")}
				return pc
			}(),
		},
		"EmptyEndpoint": {
			reason: "An endpoint override overrides something.",
			obj: func() client.Object {
				pc := clusterProviderConfig(keys)
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{}
				return pc
			}(),
			want: "spec.endpoint needs url, stsURL or both",
		},
		"MalformedSTSEndpoint": {
			reason: "An STS endpoint is an http or https URL.",
			obj: func() client.Object {
				pc := clusterProviderConfig(keys)
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{STSURL: ptr.To("sts.amazonaws.com")}
				return pc
			}(),
			want: "spec.endpoint.stsURL in body should match",
		},
		"ProviderConfigChain": {
			reason: "A team's keys may assume a role of another account.",
			obj: func() client.Object {
				pc := providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: localSecret()})
				pc.Spec.AssumeRoleChain = []apisv1alpha1.AssumeRole{hop("b", duration(43200)), hop("c")}
				return pc
			}(),
		},
		"ProviderConfigChainedHopOverAnHour": {
			reason: "STS refuses a chained session longer than an hour, in a namespace too.",
			obj: func() client.Object {
				pc := providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: localSecret()})
				pc.Spec.AssumeRoleChain = []apisv1alpha1.AssumeRole{hop("b"), hop("c", duration(3601))}
				return pc
			}(),
			want: chainedCap,
		},
		"ProviderConfigEmptyEndpoint": {
			reason: "An endpoint override overrides something, in a namespace too.",
			obj: func() client.Object {
				pc := providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone})
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{}
				return pc
			}(),
			want: "spec.endpoint needs url, stsURL or both",
		},
		"ProviderConfigChainFromNone": {
			reason: "Anonymous credentials cannot sign AssumeRole, in a namespace too.",
			obj: func() client.Object {
				pc := providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone})
				pc.Spec.AssumeRoleChain = []apisv1alpha1.AssumeRole{hop("b")}
				return pc
			}(),
			want: "spec.assumeRoleChain needs credentials to sign its first AssumeRole",
		},
		"ProviderConfigTransitiveKeyWithoutTag": {
			reason: "A transitive tag key names a tag of the hop, in a namespace too.",
			obj: func() client.Object {
				pc := providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: localSecret()})
				pc.Spec.AssumeRoleChain = []apisv1alpha1.AssumeRole{hop("b", func(h *apisv1alpha1.AssumeRole) { h.TransitiveTagKeys = []string{"team"} })}
				return pc
			}(),
			want: "every transitiveTagKeys entry must be the key of one of this hop's tags",
		},
		"ProviderConfigPodIdentity": {
			reason: "A team namespace may not borrow the provider's Pod Identity.",
			obj:    providerConfig(apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourcePodIdentity}),
			want:   "Unsupported value: \"PodIdentity\"",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tc.obj.SetName(strings.ToLower(name))
			check(t, tc.obj, cl.Create(t.Context(), tc.obj, client.DryRunAll), tc.reason, tc.want)
		})
	}
}

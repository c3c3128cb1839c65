// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// errString returns the message of err, or "" for nil.
func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// checkNoSecrets fails the test when err quotes any part of the test
// credentials.
func checkNoSecrets(t *testing.T, err error) {
	t.Helper()
	for _, s := range []string{testSecretAccessKey, testSessionToken} {
		if strings.Contains(errString(err), s) {
			t.Errorf("error quotes a secret: %q", errString(err))
		}
	}
}

func TestGetConfig(t *testing.T) {
	webIdentity := &apisv1alpha1.WebIdentity{RoleARN: "arn:aws:iam::123456789012:role/egress", TokenFile: ptr.To("/var/run/token")}

	type args struct {
		kube client.Reader
		mg   resource.ModernManaged
	}
	type want struct {
		cfg *Config
		err string
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"NoProviderConfigRef": {
			reason: "A managed resource without a provider config reference is an error that says what to set.",
			args: args{
				kube: newKube().client(),
				mg:   natGateway(func(gw *ec2v1alpha1.NATGateway) { gw.Spec.ProviderConfigReference = nil }),
			},
			want: want{err: "managed resource has no spec.providerConfigRef: set it to a ProviderConfig or a ClusterProviderConfig"},
		},
		"UnknownKind": {
			reason: "An unknown kind is an error naming the kind and the kinds allowed.",
			args: args{
				kube: newKube().client(),
				mg:   natGateway(withConfigRef("ProviderConfigUsage", "aws")),
			},
			want: want{err: `unknown provider config kind "ProviderConfigUsage": set spec.providerConfigRef.kind to ProviderConfig or ClusterProviderConfig`},
		},
		"ProviderConfigNotFound": {
			reason: "A missing ProviderConfig is an error naming it and the fix.",
			args: args{
				kube: newKube().client(),
				mg:   natGateway(),
			},
			want: want{err: "cannot get ProviderConfig team/aws: not found: create it in namespace team or change spec.providerConfigRef"},
		},
		"ProviderConfigLookedUpInOwnNamespace": {
			reason: "A ProviderConfig is looked up in the managed resource's namespace, never another.",
			args: args{
				kube: newKube(providerConfig(func(pc *apisv1alpha1.ProviderConfig) { pc.SetNamespace("other") })).client(),
				mg:   natGateway(),
			},
			want: want{err: "cannot get ProviderConfig team/aws: not found: create it in namespace team or change spec.providerConfigRef"},
		},
		"ProviderConfigGetError": {
			reason: "Other errors reading the ProviderConfig are returned with its name.",
			args: args{
				kube: failingGet(),
				mg:   natGateway(),
			},
			want: want{err: "cannot get ProviderConfig team/aws: boom"},
		},
		"ProviderConfigSecret": {
			reason: "A namespaced ProviderConfig's Secret is always in the config's own namespace.",
			args: args{
				kube: newKube(providerConfig(pcEndpoint("http://127.0.0.1:4566"))).client(),
				mg:   natGateway(),
			},
			want: want{cfg: &Config{
				Kind: "ProviderConfig", Namespace: "team", Name: "aws", ResourceVersion: "1",
				Source:    apisv1alpha1.CredentialsSourceSecret,
				SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "team", Name: "aws-creds"}, Key: "credentials"},
				Endpoint:  "http://127.0.0.1:4566",
			}},
		},
		"ProviderConfigSecretWithoutRef": {
			reason: "Source Secret without a secretRef is an error saying what is missing.",
			args: args{
				kube: newKube(providerConfig(func(pc *apisv1alpha1.ProviderConfig) { pc.Spec.Credentials.SecretRef = nil })).client(),
				mg:   natGateway(),
			},
			want: want{err: "ProviderConfig team/aws: spec.credentials.secretRef is required when spec.credentials.source is Secret"},
		},
		"ProviderConfigNone": {
			reason: "Source None needs nothing else.",
			args: args{
				kube: newKube(providerConfig(pcSource(apisv1alpha1.CredentialsSourceNone))).client(),
				mg:   natGateway(),
			},
			want: want{cfg: &Config{Kind: "ProviderConfig", Namespace: "team", Name: "aws", ResourceVersion: "1", Source: apisv1alpha1.CredentialsSourceNone}},
		},
		"ProviderConfigEnvironmentRefused": {
			reason: "A namespaced ProviderConfig may not borrow the provider's own identity.",
			args: args{
				kube: newKube(providerConfig(pcSource(apisv1alpha1.CredentialsSourceEnvironment))).client(),
				mg:   natGateway(),
			},
			want: want{err: "ProviderConfig team/aws: credentials source Environment is not allowed in a namespaced ProviderConfig: use Secret or None, or a ClusterProviderConfig"},
		},
		"ProviderConfigWebIdentityRefused": {
			reason: "A namespaced ProviderConfig may not assume the provider's web identity.",
			args: args{
				kube: newKube(providerConfig(pcSource(apisv1alpha1.CredentialsSourceWebIdentity))).client(),
				mg:   natGateway(),
			},
			want: want{err: "ProviderConfig team/aws: credentials source WebIdentity is not allowed in a namespaced ProviderConfig: use Secret or None, or a ClusterProviderConfig"},
		},
		"ProviderConfigUnknownSource": {
			reason: "An unknown source is an error naming it.",
			args: args{
				kube: newKube(providerConfig(pcSource("Vault"))).client(),
				mg:   natGateway(),
			},
			want: want{err: `ProviderConfig team/aws: unknown credentials source "Vault": use Secret or None`},
		},
		"ClusterProviderConfigNotFound": {
			reason: "A missing ClusterProviderConfig is an error naming it and the fix.",
			args: args{
				kube: newKube().client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: "cannot get ClusterProviderConfig default: not found: create it or change spec.providerConfigRef"},
		},
		"ClusterProviderConfigGetError": {
			reason: "Other errors reading the ClusterProviderConfig are returned with its name.",
			args: args{
				kube: failingGet(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: "cannot get ClusterProviderConfig default: boom"},
		},
		"ClusterProviderConfigSecret": {
			reason: "A ClusterProviderConfig's Secret is in the namespace it names.",
			args: args{
				kube: newKube(clusterProviderConfig()).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{cfg: &Config{
				Kind: "ClusterProviderConfig", Name: "default", ResourceVersion: "7",
				Source:    apisv1alpha1.CredentialsSourceSecret,
				SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "aws-creds"}, Key: "credentials"},
			}},
		},
		"ClusterProviderConfigSecretWithoutRef": {
			reason: "Source Secret without a secretRef is an error saying what is missing.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret}))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: "ClusterProviderConfig default: spec.credentials.secretRef is required when spec.credentials.source is Secret"},
		},
		"ClusterProviderConfigSecretWithoutNamespace": {
			reason: "A ClusterProviderConfig's secretRef must name a namespace.",
			args: args{
				kube: newKube(clusterProviderConfig(func(pc *apisv1alpha1.ClusterProviderConfig) { pc.Spec.Credentials.SecretRef.Namespace = "" })).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: "ClusterProviderConfig default: spec.credentials.secretRef.namespace is required"},
		},
		"ClusterProviderConfigEnvironment": {
			reason: "Source Environment needs nothing else.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment}))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{cfg: &Config{Kind: "ClusterProviderConfig", Name: "default", ResourceVersion: "7", Source: apisv1alpha1.CredentialsSourceEnvironment}},
		},
		"ClusterProviderConfigNone": {
			reason: "Source None needs nothing else.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone}), cpcEndpoint("http://127.0.0.1:4566"))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{cfg: &Config{Kind: "ClusterProviderConfig", Name: "default", ResourceVersion: "7", Source: apisv1alpha1.CredentialsSourceNone, Endpoint: "http://127.0.0.1:4566"}},
		},
		"ClusterProviderConfigWebIdentity": {
			reason: "Source WebIdentity carries its role and token file.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: webIdentity}))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{cfg: &Config{Kind: "ClusterProviderConfig", Name: "default", ResourceVersion: "7", Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: webIdentity}},
		},
		"ClusterProviderConfigWebIdentityMissing": {
			reason: "Source WebIdentity without webIdentity is an error saying what is missing.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity}))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: "ClusterProviderConfig default: spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity"},
		},
		"ClusterProviderConfigUnknownSource": {
			reason: "An unknown source is an error naming it and the sources allowed.",
			args: args{
				kube: newKube(clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: "Filesystem"}))).client(),
				mg:   natGateway(withConfigRef("ClusterProviderConfig", "default")),
			},
			want: want{err: `ClusterProviderConfig default: unknown credentials source "Filesystem": use Secret, Environment, WebIdentity, PodIdentity or None`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := GetConfig(context.Background(), tc.args.kube, tc.args.mg)
			if diff := cmp.Diff(tc.want.err, errString(err)); diff != "" {
				t.Errorf("\n%s\nGetConfig(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.cfg, got); diff != "" {
				t.Errorf("\n%s\nGetConfig(...): -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestGetSecretProfile(t *testing.T) {
	pcCfg := &Config{
		Kind: "ProviderConfig", Namespace: "team", Name: "aws",
		Source:    apisv1alpha1.CredentialsSourceSecret,
		SecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "team", Name: "aws-creds"}, Key: "credentials"},
	}
	type want struct {
		creds   aws.Credentials
		version string
		err     string
	}
	cases := map[string]struct {
		reason string
		kube   client.Reader
		cfg    *Config
		want   want
	}{
		"NoSecretRef": {
			reason: "A configuration of source Secret without a secretRef is an error.",
			kube:   newKube().client(),
			cfg:    &Config{Kind: "ClusterProviderConfig", Name: "default", Source: apisv1alpha1.CredentialsSourceSecret},
			want:   want{err: "ClusterProviderConfig default: spec.credentials.secretRef is required when spec.credentials.source is Secret"},
		},
		"SecretNotFound": {
			reason: "A missing Secret is an error naming it and the configuration that references it.",
			kube:   newKube().client(),
			cfg:    pcCfg,
			want:   want{err: "cannot get secret team/aws-creds: not found: create it or change spec.credentials.secretRef of ProviderConfig team/aws"},
		},
		"SecretGetError": {
			reason: "Other errors reading the Secret are returned with its name.",
			kube:   failingGet(),
			cfg:    pcCfg,
			want:   want{err: "cannot get secret team/aws-creds: boom"},
		},
		"NoKey": {
			reason: "A Secret without the selected key is an error naming both.",
			kube:   newKube(secret("team", "aws-creds", "3", map[string][]byte{"other": profile(testAccessKeyID, testSecretAccessKey, "")})).client(),
			cfg:    pcCfg,
			want:   want{err: "secret team/aws-creds has no key credentials: add it or change spec.credentials.secretRef.key of ProviderConfig team/aws"},
		},
		"NoAccessKeyID": {
			reason: "A profile without an access key ID is an error naming the Secret and the missing key.",
			kube:   newKube(secret("team", "aws-creds", "3", map[string][]byte{"credentials": profile("", testSecretAccessKey, "")})).client(),
			cfg:    pcCfg,
			want:   want{err: "secret team/aws-creds key credentials: credentials profile [default] has no aws_access_key_id"},
		},
		"Success": {
			reason: "The credentials of the profile are returned with the Secret's resource version.",
			kube:   newKube(credentialsSecret("3")).client(),
			cfg:    pcCfg,
			want: want{
				creds:   aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretAccessKey, SessionToken: testSessionToken, Source: "ProviderConfigSecret"},
				version: "3",
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var creds aws.Credentials
			var version string
			p, err := getSecretProfile(context.Background(), tc.kube, tc.cfg)
			if err == nil {
				creds, err = p.credentials()
			}
			if err == nil {
				version = p.version
			}
			if diff := cmp.Diff(tc.want.err, errString(err)); diff != "" {
				t.Errorf("\n%s\ngetSecretProfile(...).credentials(): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.creds, creds); diff != "" {
				t.Errorf("\n%s\ngetSecretProfile(...).credentials(): -want credentials, +got credentials:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.version, version); diff != "" {
				t.Errorf("\n%s\ngetSecretProfile(...): -want version, +got version:\n%s\n", tc.reason, diff)
			}
			checkNoSecrets(t, err)
		})
	}
}

func TestParseProfile(t *testing.T) {
	type want struct {
		creds aws.Credentials
		err   string
	}
	cases := map[string]struct {
		reason string
		data   []byte
		want   want
	}{
		"Full": {
			reason: "A profile with a session token yields all three parts.",
			data:   profile(testAccessKeyID, testSecretAccessKey, testSessionToken),
			want:   want{creds: aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretAccessKey, SessionToken: testSessionToken, Source: "ProviderConfigSecret"}},
		},
		"NoSessionToken": {
			reason: "The session token is optional.",
			data:   profile(testAccessKeyID, testSecretAccessKey, ""),
			want:   want{creds: aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretAccessKey, Source: "ProviderConfigSecret"}},
		},
		"OtherProfilesAndComments": {
			reason: "Other profiles, comments, blank lines and key case do not matter; only [default] is read.",
			data: []byte("# written by the platform team\n[ops]\naws_access_key_id = AKIAOTHER\naws_secret_access_key = other\n\n" +
				"[default]\r\nAWS_ACCESS_KEY_ID=" + testAccessKeyID + "\r\n; a comment\r\naws_secret_access_key= " + testSecretAccessKey + "\r\n"),
			want: want{creds: aws.Credentials{AccessKeyID: testAccessKeyID, SecretAccessKey: testSecretAccessKey, Source: "ProviderConfigSecret"}},
		},
		"Empty": {
			reason: "An empty value has no [default] profile.",
			data:   nil,
			want:   want{err: "credentials profile has no [default] section"},
		},
		"NoDefaultProfile": {
			reason: "A file without [default] is an error saying so.",
			data:   []byte("[ops]\naws_access_key_id = " + testAccessKeyID + "\naws_secret_access_key = " + testSecretAccessKey + "\n"),
			want:   want{err: "credentials profile has no [default] section"},
		},
		"NoAccessKeyID": {
			reason: "A profile without aws_access_key_id is an error naming the key.",
			data:   profile("", testSecretAccessKey, testSessionToken),
			want:   want{err: "credentials profile [default] has no aws_access_key_id"},
		},
		"NoSecretAccessKey": {
			reason: "A profile without aws_secret_access_key is an error naming the key.",
			data:   profile(testAccessKeyID, "", testSessionToken),
			want:   want{err: "credentials profile [default] has no aws_secret_access_key"},
		},
		"EmptyAccessKeyID": {
			reason: "An empty aws_access_key_id counts as missing.",
			data:   []byte("[default]\naws_access_key_id =   \naws_secret_access_key = " + testSecretAccessKey + "\n"),
			want:   want{err: "credentials profile [default] has no aws_access_key_id"},
		},
		"NotAProfile": {
			reason: "A value that is not INI is an error that explains the format and never quotes the value.",
			data:   []byte("[default]\naws_secret_access_key " + testSecretAccessKey + "\n"),
			want:   want{err: "cannot parse the AWS shared-credentials profile: write it as [default] followed by aws_access_key_id = ... and aws_secret_access_key = ... lines"},
		},
		"JSONInsteadOfProfile": {
			reason: "A JSON document is not a profile; the error does not quote it.",
			data:   []byte(`{"aws_access_key_id":"` + testAccessKeyID + `","aws_secret_access_key":"` + testSecretAccessKey + `"}`),
			want:   want{err: "credentials profile has no [default] section"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			creds, err := ParseProfile(tc.data)
			if diff := cmp.Diff(tc.want.err, errString(err)); diff != "" {
				t.Errorf("\n%s\nParseProfile(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.creds, creds); diff != "" {
				t.Errorf("\n%s\nParseProfile(...): -want, +got:\n%s\n", tc.reason, diff)
			}
			checkNoSecrets(t, err)
		})
	}
}

func TestConfigString(t *testing.T) {
	cases := map[string]struct {
		reason string
		cfg    *Config
		want   string
	}{
		"Namespaced": {
			reason: "A ProviderConfig is named with its namespace.",
			cfg:    &Config{Kind: "ProviderConfig", Namespace: "team", Name: "aws"},
			want:   "ProviderConfig team/aws",
		},
		"Cluster": {
			reason: "A ClusterProviderConfig is named alone.",
			cfg:    &Config{Kind: "ClusterProviderConfig", Name: "default"},
			want:   "ClusterProviderConfig default",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, tc.cfg.String()); diff != "" {
				t.Errorf("\n%s\nString(): -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

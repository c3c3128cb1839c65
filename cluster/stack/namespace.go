// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package stack

import (
	"context"
	"fmt"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// Names of what PrepareNamespace creates in a namespace.
const (
	// CredentialsSecret holds the AWS credentials profile under the key
	// CredentialsKey, as in examples/provider/providerconfig.yaml.
	CredentialsSecret = "aws-creds"
	// CredentialsKey is the key of the profile in CredentialsSecret.
	CredentialsKey = "credentials"
	// ProviderConfigName names the namespace's ProviderConfig.
	ProviderConfigName = "default"
)

// Credentials are an AWS access key.
type Credentials struct {
	AccessKeyID     string
	SecretAccessKey string
}

// Profile returns the credentials as an AWS shared-credentials profile, the
// format a ProviderConfig's Secret holds.
func (c Credentials) Profile() string {
	return fmt.Sprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\n", c.AccessKeyID, c.SecretAccessKey)
}

// Env returns the credentials as the environment variables of the AWS CLI.
func (c Credentials) Env() []string {
	return []string{"AWS_ACCESS_KEY_ID=" + c.AccessKeyID, "AWS_SECRET_ACCESS_KEY=" + c.SecretAccessKey}
}

// NamespaceOptions describe a namespace prepared for managed resources.
type NamespaceOptions struct {
	// Name of the namespace. Required.
	Name string
	// Endpoint is the EC2 endpoint of the provider configurations. Required.
	Endpoint string
	// Credentials go into the Secret the configurations use.
	Credentials Credentials
}

// PrepareNamespace creates a namespace holding the Secret aws-creds with
// the credentials and the ProviderConfig default that uses it, and a
// ClusterProviderConfig named like the namespace that uses the same Secret.
// Both point at the endpoint.
func PrepareNamespace(ctx context.Context, cl client.Client, o NamespaceOptions) error {
	endpoint := &apisv1alpha1.Endpoint{URL: o.Endpoint}
	objs := []client.Object{
		&corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: o.Name}},
		&corev1.Secret{
			ObjectMeta: metav1.ObjectMeta{Namespace: o.Name, Name: CredentialsSecret},
			StringData: map[string]string{CredentialsKey: o.Credentials.Profile()},
		},
		&apisv1alpha1.ProviderConfig{
			ObjectMeta: metav1.ObjectMeta{Namespace: o.Name, Name: ProviderConfigName},
			Spec: apisv1alpha1.ProviderConfigSpec{
				Credentials: apisv1alpha1.ProviderCredentials{
					Source: apisv1alpha1.CredentialsSourceSecret,
					SecretRef: &xpv2.LocalSecretKeySelector{
						LocalSecretReference: xpv2.LocalSecretReference{Name: CredentialsSecret},
						Key:                  CredentialsKey,
					},
				},
				Endpoint: endpoint,
			},
		},
		&apisv1alpha1.ClusterProviderConfig{
			ObjectMeta: metav1.ObjectMeta{Name: o.Name},
			Spec: apisv1alpha1.ClusterProviderConfigSpec{
				Credentials: apisv1alpha1.ClusterProviderCredentials{
					Source: apisv1alpha1.CredentialsSourceSecret,
					SecretRef: &xpv2.SecretKeySelector{
						SecretReference: xpv2.SecretReference{Namespace: o.Name, Name: CredentialsSecret},
						Key:             CredentialsKey,
					},
				},
				Endpoint: endpoint,
			},
		},
	}
	for _, o := range objs {
		if err := cl.Create(ctx, o); err != nil {
			return errors.Wrapf(err, "cannot create %s %s", Kind(o), o.GetName())
		}
	}
	return nil
}

// ProviderConfigRef refers to the ProviderConfig PrepareNamespace creates.
func ProviderConfigRef() *xpv2.ProviderConfigReference {
	return &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ProviderConfigKind, Name: ProviderConfigName}
}

// ClusterProviderConfigRef refers to the ClusterProviderConfig
// PrepareNamespace creates for namespace ns.
func ClusterProviderConfigRef(ns string) *xpv2.ProviderConfigReference {
	return &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ClusterProviderConfigKind, Name: ns}
}

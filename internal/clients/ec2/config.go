// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"gopkg.in/ini.v1"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// Keys of an AWS shared-credentials profile.
const (
	ProfileDefault         = "default"
	ProfileAccessKeyID     = "aws_access_key_id"
	ProfileSecretAccessKey = "aws_secret_access_key"
	ProfileSessionToken    = "aws_session_token"
)

// A Config is what the provider needs from a ProviderConfig or a
// ClusterProviderConfig to reach EC2.
type Config struct {
	// Kind is ProviderConfig or ClusterProviderConfig.
	Kind string

	// Namespace of a ProviderConfig; empty for a ClusterProviderConfig.
	Namespace string

	// Name of the configuration.
	Name string

	// ResourceVersion of the configuration when it was read.
	ResourceVersion string

	// Generation of the configuration's spec when it was read. Unlike the
	// resource version it stays when only the status changes, as it does
	// whenever a managed resource starts or stops using the configuration.
	Generation int64

	// Source of the credentials.
	Source apisv1alpha1.CredentialsSource

	// SecretRef selects the Secret key of Source Secret. Its namespace is
	// always set: a ProviderConfig's own namespace, or the one a
	// ClusterProviderConfig names.
	SecretRef *xpv2.SecretKeySelector

	// WebIdentity configures Source WebIdentity.
	WebIdentity *apisv1alpha1.WebIdentity

	// Endpoint overrides the EC2 endpoint when not empty.
	Endpoint string
}

// String names the configuration as a person finds it: "ProviderConfig
// team/aws" or "ClusterProviderConfig default".
func (c *Config) String() string {
	if c.Namespace == "" {
		return c.Kind + " " + c.Name
	}
	return c.Kind + " " + c.Namespace + "/" + c.Name
}

// A hintError explains an error and how to fix it, and unwraps to the error
// it explains so callers can still classify it (kerrors.IsNotFound).
type hintError struct {
	err  error
	hint string
}

func (e *hintError) Error() string { return e.hint }
func (e *hintError) Unwrap() error { return e.err }

// explainNotFound replaces the API server's wording of a not-found error
// with a hint; other errors pass through.
func explainNotFound(err error, fix string) error {
	if !kerrors.IsNotFound(err) {
		return err
	}
	return &hintError{err: err, hint: "not found: " + fix}
}

// GetConfig reads the provider configuration that mg references in
// spec.providerConfigRef. A ProviderConfig is looked up in mg's namespace.
func GetConfig(ctx context.Context, kube client.Reader, mg resource.ModernManaged) (*Config, error) {
	ref := mg.GetProviderConfigReference()
	if ref == nil || ref.Name == "" {
		return nil, errors.New("managed resource has no spec.providerConfigRef: set it to a ProviderConfig or a ClusterProviderConfig")
	}
	switch ref.Kind {
	case apisv1alpha1.ProviderConfigKind:
		return getProviderConfig(ctx, kube, types.NamespacedName{Namespace: mg.GetNamespace(), Name: ref.Name})
	case apisv1alpha1.ClusterProviderConfigKind:
		return getClusterProviderConfig(ctx, kube, ref.Name)
	default:
		return nil, errors.Errorf("unknown provider config kind %q: set spec.providerConfigRef.kind to %s or %s", ref.Kind, apisv1alpha1.ProviderConfigKind, apisv1alpha1.ClusterProviderConfigKind)
	}
}

func getProviderConfig(ctx context.Context, kube client.Reader, nn types.NamespacedName) (*Config, error) {
	pc := &apisv1alpha1.ProviderConfig{}
	if err := kube.Get(ctx, nn, pc); err != nil {
		fix := fmt.Sprintf("create it in namespace %s or change spec.providerConfigRef", nn.Namespace)
		return nil, errors.Wrapf(explainNotFound(err, fix), "cannot get %s %s", apisv1alpha1.ProviderConfigKind, nn)
	}
	c := &Config{
		Kind:            apisv1alpha1.ProviderConfigKind,
		Namespace:       pc.GetNamespace(),
		Name:            pc.GetName(),
		ResourceVersion: pc.GetResourceVersion(),
		Generation:      pc.GetGeneration(),
		Source:          pc.Spec.Credentials.Source,
		Endpoint:        endpointURL(pc.Spec.Endpoint),
	}
	switch c.Source {
	case apisv1alpha1.CredentialsSourceSecret:
		if pc.Spec.Credentials.SecretRef == nil {
			return nil, errors.Errorf("%s: spec.credentials.secretRef is required when spec.credentials.source is Secret", c)
		}
		// A namespaced configuration only ever reads its own namespace.
		c.SecretRef = pc.Spec.Credentials.SecretRef.ToSecretKeySelector(pc.GetNamespace())
	case apisv1alpha1.CredentialsSourceNone:
	case apisv1alpha1.CredentialsSourceEnvironment, apisv1alpha1.CredentialsSourceWebIdentity:
		return nil, errors.Errorf("%s: credentials source %s is not allowed in a namespaced ProviderConfig: use Secret or None, or a ClusterProviderConfig", c, c.Source)
	default:
		return nil, errors.Errorf("%s: unknown credentials source %q: use Secret or None", c, c.Source)
	}
	return c, nil
}

func getClusterProviderConfig(ctx context.Context, kube client.Reader, name string) (*Config, error) {
	pc := &apisv1alpha1.ClusterProviderConfig{}
	if err := kube.Get(ctx, types.NamespacedName{Name: name}, pc); err != nil {
		return nil, errors.Wrapf(explainNotFound(err, "create it or change spec.providerConfigRef"), "cannot get %s %s", apisv1alpha1.ClusterProviderConfigKind, name)
	}
	c := &Config{
		Kind:            apisv1alpha1.ClusterProviderConfigKind,
		Name:            pc.GetName(),
		ResourceVersion: pc.GetResourceVersion(),
		Generation:      pc.GetGeneration(),
		Source:          pc.Spec.Credentials.Source,
		Endpoint:        endpointURL(pc.Spec.Endpoint),
	}
	switch c.Source {
	case apisv1alpha1.CredentialsSourceSecret:
		ref := pc.Spec.Credentials.SecretRef
		if ref == nil {
			return nil, errors.Errorf("%s: spec.credentials.secretRef is required when spec.credentials.source is Secret", c)
		}
		if ref.Namespace == "" {
			return nil, errors.Errorf("%s: spec.credentials.secretRef.namespace is required", c)
		}
		c.SecretRef = ref.DeepCopy()
	case apisv1alpha1.CredentialsSourceWebIdentity:
		if pc.Spec.Credentials.WebIdentity == nil {
			return nil, errors.Errorf("%s: spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity", c)
		}
		c.WebIdentity = pc.Spec.Credentials.WebIdentity.DeepCopy()
	case apisv1alpha1.CredentialsSourceEnvironment, apisv1alpha1.CredentialsSourceNone:
	default:
		return nil, errors.Errorf("%s: unknown credentials source %q: use Secret, Environment, WebIdentity or None", c, c.Source)
	}
	return c, nil
}

func endpointURL(e *apisv1alpha1.Endpoint) string {
	if e == nil {
		return ""
	}
	return e.URL
}

// A secretProfile is the AWS shared-credentials profile a Secret holds, read
// but not yet parsed: a client is built from it only when the Secret changed.
type secretProfile struct {
	secret types.NamespacedName
	key    string
	data   []byte

	// version is the resource version of the Secret.
	version string
}

// getSecretProfile reads the AWS shared-credentials profile that c's
// secretRef selects. Errors name the Secret and key, never their contents.
func getSecretProfile(ctx context.Context, kube client.Reader, c *Config) (secretProfile, error) {
	ref := c.SecretRef
	if ref == nil {
		return secretProfile{}, errors.Errorf("%s: spec.credentials.secretRef is required when spec.credentials.source is Secret", c)
	}
	nn := types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}
	s := &corev1.Secret{}
	if err := kube.Get(ctx, nn, s); err != nil {
		fix := "create it or change spec.credentials.secretRef of " + c.String()
		return secretProfile{}, errors.Wrapf(explainNotFound(err, fix), "cannot get secret %s", nn)
	}
	data, ok := s.Data[ref.Key]
	if !ok {
		return secretProfile{}, errors.Errorf("secret %s has no key %s: add it or change spec.credentials.secretRef.key of %s", nn, ref.Key, c)
	}
	return secretProfile{secret: nn, key: ref.Key, data: data, version: s.GetResourceVersion()}, nil
}

// credentials parses the profile.
func (p secretProfile) credentials() (aws.Credentials, error) {
	creds, err := ParseProfile(p.data)
	if err != nil {
		return aws.Credentials{}, errors.Wrapf(err, "secret %s key %s", p.secret, p.key)
	}
	return creds, nil
}

// ParseProfile reads the [default] profile of an AWS shared-credentials file:
// aws_access_key_id, aws_secret_access_key and an optional aws_session_token.
// Errors never quote the input, which holds secrets.
func ParseProfile(data []byte) (aws.Credentials, error) {
	f, err := ini.LoadSources(ini.LoadOptions{IgnoreInlineComment: true, InsensitiveKeys: true}, data)
	if err != nil {
		// The parser's errors quote the offending line: drop them.
		return aws.Credentials{}, errors.New("cannot parse the AWS shared-credentials profile: write it as [default] followed by aws_access_key_id = ... and aws_secret_access_key = ... lines")
	}
	sec, err := f.GetSection(ProfileDefault)
	if err != nil {
		return aws.Credentials{}, errors.New("credentials profile has no [default] section")
	}
	creds := aws.Credentials{
		AccessKeyID:     strings.TrimSpace(sec.Key(ProfileAccessKeyID).String()),
		SecretAccessKey: strings.TrimSpace(sec.Key(ProfileSecretAccessKey).String()),
		SessionToken:    strings.TrimSpace(sec.Key(ProfileSessionToken).String()),
		Source:          "ProviderConfigSecret",
	}
	if creds.AccessKeyID == "" {
		return aws.Credentials{}, errors.Errorf("credentials profile [%s] has no %s", ProfileDefault, ProfileAccessKeyID)
	}
	if creds.SecretAccessKey == "" {
		return aws.Credentials{}, errors.Errorf("credentials profile [%s] has no %s", ProfileDefault, ProfileSecretAccessKey)
	}
	return creds, nil
}

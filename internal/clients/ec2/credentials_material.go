// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// webIdentityMaterial reads the token of a WebIdentity configuration: from
// its Secret, or from its token file, whose digest is the fingerprint so
// that a token of another identity is noticed. Errors never quote a token.
func webIdentityMaterial(ctx context.Context, kube client.Reader, c *Config) (material, error) {
	wi := c.WebIdentity
	if wi == nil {
		return material{}, errors.Errorf("%s: spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity", c)
	}
	if ref := wi.TokenSecretRef; ref != nil {
		nn := types.NamespacedName{Namespace: ref.Namespace, Name: ref.Name}
		s := &corev1.Secret{}
		if err := kube.Get(ctx, nn, s); err != nil {
			fix := "create it or change spec.credentials.webIdentity.tokenSecretRef of " + c.String()
			return material{}, errors.Wrapf(explainNotFound(err, fix), "cannot get secret %s", nn)
		}
		tok, ok := s.Data[ref.Key]
		if !ok || len(tok) == 0 {
			return material{}, &credentialsError{reason: apisv1alpha1.ReasonTokenFileMissing, msg: "secret " + nn.String() + " has no key " + ref.Key + ": add the web identity token there or change spec.credentials.webIdentity.tokenSecretRef.key of " + c.String()}
		}
		return material{token: tok, fingerprint: "secret " + s.GetResourceVersion()}, nil
	}
	file := os.Getenv(envWebIdentityTokenFile)
	if wi.TokenFile != nil && *wi.TokenFile != "" {
		file = *wi.TokenFile
	}
	if file == "" {
		return material{}, &credentialsError{reason: apisv1alpha1.ReasonTokenFileMissing, msg: c.String() + ": spec.credentials.webIdentity.tokenFile is not set and the provider has no " + envWebIdentityTokenFile + ": set one of them"}
	}
	b, err := os.ReadFile(file) //nolint:gosec // A ClusterProviderConfig, which only administrators write, names the file.
	if err != nil {
		return material{}, &credentialsError{
			reason: apisv1alpha1.ReasonTokenFileMissing, err: err,
			msg: c.String() + ": cannot read the web identity token file " + file + ": mount a service account token there (IRSA's webhook does when the provider's service account has the eks.amazonaws.com/role-arn annotation) or fix spec.credentials.webIdentity.tokenFile",
		}
	}
	sum := sha256.Sum256(b)
	return material{tokenFile: file, fingerprint: "file " + file + " " + hex.EncodeToString(sum[:8])}, nil
}

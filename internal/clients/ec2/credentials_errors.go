// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// STS and EC2 error codes that concern credentials.
const (
	CodeAccessDenied          = "AccessDenied"
	CodeInvalidIdentityToken  = "InvalidIdentityToken"
	CodeExpiredToken          = "ExpiredToken"
	CodeExpiredTokenException = "ExpiredTokenException"
	CodeValidationError       = "ValidationError"
	CodeRequestExpired        = "RequestExpired"
	CodeInvalidClientTokenID  = "InvalidClientTokenId"
)

// Backoff of a session that cannot be had: STS is asked again after
// minRetry, doubling up to maxRetry, however many requests need it.
const (
	minRetry = 2 * time.Second
	maxRetry = 5 * time.Minute
)

// A credentialsError says in a sentence why credentials cannot be had and
// what to fix, and unwraps to the error it explains. It never holds a
// secret: STS messages name identities and roles, not keys or tokens.
type credentialsError struct {
	reason xpv2.ConditionReason
	msg    string
	err    error
}

func (e *credentialsError) Error() string { return e.msg }
func (e *credentialsError) Unwrap() error { return e.err }

// Reason returns the reason of the provider config's Credentials condition.
func (e *credentialsError) Reason() xpv2.ConditionReason { return e.reason }

// Fixes, by where credentials failed.
const (
	fixWebIdentity = "check that the role's trust policy names the cluster's OIDC provider as Federated principal, with conditions on its :aud (sts.amazonaws.com) and :sub (system:serviceaccount:<namespace>:<service account> of the provider)"
	fixEnvironment = "give the provider AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, a shared credentials file, IRSA or an instance role, or use another spec.credentials.source"
	fixPodIdentity = "check that a Pod Identity association names the provider's service account and a role whose trust policy allows pods.eks.amazonaws.com sts:AssumeRole and sts:TagSession"
)

func fixHop(i int) string {
	return fmt.Sprintf("check that the role's trust policy allows the identity of the hop before it to sts:AssumeRole, that spec.assumeRoleChain[%d].externalID matches its sts:ExternalId condition, and, with session tags (Pod Identity adds transitive ones), that it allows sts:TagSession", i)
}

// explainer returns a function that explains an error of STS at where.
func explainer(where, fix string) func(error) error {
	return func(err error) error {
		var ce *credentialsError
		if errors.As(err, &ce) {
			// A session below failed and said so already.
			return err
		}
		var ae smithy.APIError
		if !errors.As(err, &ae) {
			return &credentialsError{reason: apisv1alpha1.ReasonUnavailable, msg: where + ": " + err.Error(), err: err}
		}
		said := fmt.Sprintf("%s (%s: %s)", where, ae.ErrorCode(), ae.ErrorMessage())
		switch ae.ErrorCode() {
		case CodeAccessDenied:
			return &credentialsError{reason: apisv1alpha1.ReasonAccessDenied, msg: said + ": " + fix, err: err}
		case CodeInvalidIdentityToken:
			return &credentialsError{reason: apisv1alpha1.ReasonInvalidIdentityToken, msg: said + ": STS cannot validate the token; " + fix, err: err}
		case CodeExpiredToken, CodeExpiredTokenException:
			return &credentialsError{reason: apisv1alpha1.ReasonExpiredToken, msg: said + ": the token or the session it was signed with expired; check that the token file is renewed (the kubelet does it for projected service account tokens)", err: err}
		case CodeValidationError:
			return &credentialsError{reason: apisv1alpha1.ReasonInvalidRequest, msg: said + ": STS refused the request's parameters; fix the durationSeconds, sessionName or tags of the hop, or the role's maximum session duration", err: err}
		}
		return &credentialsError{reason: apisv1alpha1.ReasonUnavailable, msg: said, err: err}
	}
}

// callerExpired reports whether STS refused a request because the session
// that signed it expired or was revoked.
func callerExpired(err error) bool {
	return IsErrorCode(err, CodeExpiredToken, CodeRequestExpired, CodeInvalidClientTokenID)
}

// A guardedProvider asks STS for one session. It explains failures, renews
// the sessions below it once when STS says they expired, and backs off
// after a failure: until the retry time every caller gets the same error,
// and STS is not asked.
type guardedProvider struct {
	inner   aws.CredentialsProvider
	below   []*aws.CredentialsCache
	explain func(error) error
	now     func() time.Time

	mu       sync.Mutex
	failures int
	retryAt  time.Time
	err      error
}

// Retrieve implements aws.CredentialsProvider.
func (g *guardedProvider) Retrieve(ctx context.Context) (aws.Credentials, error) {
	now := time.Now
	if g.now != nil {
		now = g.now
	}
	g.mu.Lock()
	if g.err != nil && now().Before(g.retryAt) {
		err := g.err
		g.mu.Unlock()
		return aws.Credentials{}, err
	}
	g.mu.Unlock()

	creds, err := g.inner.Retrieve(ctx)
	if err != nil && callerExpired(err) && len(g.below) > 0 {
		for _, c := range g.below {
			c.Invalidate()
		}
		creds, err = g.inner.Retrieve(ctx)
	}

	g.mu.Lock()
	defer g.mu.Unlock()
	if err != nil {
		if ctx.Err() != nil {
			return aws.Credentials{}, err
		}
		g.err = g.explain(err)
		g.retryAt = now().Add(min(maxRetry, minRetry<<min(g.failures, 16)))
		g.failures++
		return aws.Credentials{}, g.err
	}
	g.failures, g.err = 0, nil
	return creds, nil
}

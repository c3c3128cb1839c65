// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// Environment variables EKS injects into a pod for Pod Identity.
const (
	envContainerCredentialsFullURI     = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
	envContainerAuthorizationTokenFile = "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
)

const (
	// defaultHopDuration is how long a session of a hop lasts when the hop
	// does not say: STS's own default, and the cap of chained sessions.
	defaultHopDuration = time.Duration(apisv1alpha1.MaxChainedSessionDuration) * time.Second

	// maxExpiryWindow is how long before it expires a session is renewed,
	// at most; shorter sessions are renewed in their last fifth.
	maxExpiryWindow = 5 * time.Minute

	// expiryJitter spreads the renewals of many configurations.
	expiryJitter = 0.2

	// sessionNamePrefix starts the session names the provider picks.
	sessionNamePrefix = "egresskit-"

	// maxSessionName is STS's longest RoleSessionName.
	maxSessionName = 64
)

// An Identity is who the credentials of a provider configuration act as.
type Identity struct {
	// AccountID is the 12-digit account ID.
	AccountID string
	// ARN is the assumed role session or the user.
	ARN string
}

// A credentialSet is the credentials of one generation of a provider
// configuration, shared by its EC2 clients of every region. Sessions are
// renewed by their caches before they expire, and by invalidate when EC2
// says they already did.
type credentialSet struct {
	// provider signs EC2 requests: the last hop's cache, or the base.
	provider aws.CredentialsProvider

	// sessions are the caches of every renewable session, base first.
	sessions []*aws.CredentialsCache

	// identity finds who the credentials act as once they resolve.
	identity func(ctx context.Context, creds aws.Credentials) Identity

	// fallbackAccount keys the EC2 budget when the account is unknown.
	fallbackAccount string

	mu       sync.Mutex
	resolved *Identity
}

// resolve retrieves the credentials, which runs the chain once, and finds
// their identity. It is cheap once resolved: the caches answer.
func (s *credentialSet) resolve(ctx context.Context) (Identity, error) {
	if _, ok := s.provider.(aws.AnonymousCredentials); ok {
		return Identity{}, nil
	}
	creds, err := s.provider.Retrieve(ctx)
	if err != nil {
		return Identity{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.resolved == nil {
		id := s.identity(ctx, creds)
		s.resolved = &id
	}
	return *s.resolved, nil
}

// invalidate drops every session so that the next request assumes the
// chain again, unless the session that failed, signed with accessKey, was
// renewed already by another request.
func (s *credentialSet) invalidate(ctx context.Context, accessKey string) {
	if len(s.sessions) == 0 {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cur, err := s.provider.Retrieve(ctx); err == nil && cur.AccessKeyID != accessKey {
		return
	}
	for _, c := range s.sessions {
		c.Invalidate()
	}
}

// material is what a credential set is built from beyond the configuration
// itself, read on each ClientFor so that a change is noticed.
type material struct {
	// profile holds the keys of Source Secret.
	profile *secretProfile

	// token is the web identity token read from a Secret.
	token []byte

	// tokenFile is the web identity token file of Source WebIdentity.
	tokenFile string

	// fingerprint changes whenever the material does: Secret versions and a
	// digest of the token file.
	fingerprint string
}

// newCredentialSet builds the credentials of c. stsCfg is the SDK
// configuration STS clients are made from.
func newCredentialSet(ctx context.Context, c *Config, m material, stsCfg aws.Config, envCfg func(context.Context) (aws.Config, error)) (*credentialSet, error) {
	s := &credentialSet{fallbackAccount: string(c.Source)}
	stsClient := func(p aws.CredentialsProvider) *sts.Client {
		return sts.NewFromConfig(stsCfg, func(o *sts.Options) {
			o.Credentials = p
			if c.STSEndpoint != "" {
				o.BaseEndpoint = aws.String(c.STSEndpoint)
			}
		})
	}
	lookup := func(ctx context.Context, p aws.CredentialsProvider) Identity {
		if c.STSEndpoint == "" && c.Endpoint != "" {
			// EC2 goes elsewhere and STS was not named: AWS's STS may know
			// nothing of these keys.
			return Identity{}
		}
		out, err := stsClient(p).GetCallerIdentity(ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return Identity{}
		}
		return Identity{AccountID: aws.ToString(out.Account), ARN: aws.ToString(out.Arn)}
	}

	if c.Source == apisv1alpha1.CredentialsSourceNone {
		s.provider = aws.AnonymousCredentials{}
		s.identity = func(context.Context, aws.Credentials) Identity { return Identity{} }
		return s, nil
	}
	base, err := s.base(ctx, c, m, stsClient, envCfg)
	if err != nil {
		return nil, err
	}

	prev := base
	for i, h := range c.AssumeRoleChain {
		d := defaultHopDuration
		if h.DurationSeconds != nil {
			d = time.Duration(*h.DurationSeconds) * time.Second
		}
		name := sessionName(c, h.SessionName)
		p := stscreds.NewAssumeRoleProvider(stsClient(prev), h.RoleARN, func(o *stscreds.AssumeRoleOptions) {
			o.RoleSessionName = name
			o.ExternalID = h.ExternalID
			o.Duration = d
			for _, t := range h.Tags {
				o.Tags = append(o.Tags, ststypes.Tag{Key: aws.String(t.Key), Value: aws.String(t.Value)})
			}
			o.TransitiveTagKeys = h.TransitiveTagKeys
		})
		where := fmt.Sprintf("%s: cannot assume %s, hop %d of spec.assumeRoleChain", c, h.RoleARN, i+1)
		cache := sessionCache(&guardedProvider{inner: p, below: append([]*aws.CredentialsCache(nil), s.sessions...), explain: explainer(where, fixHop(i))}, d)
		s.sessions = append(s.sessions, cache)
		prev = cache
		if i == len(c.AssumeRoleChain)-1 {
			s.identity = assumedIdentity(h.RoleARN, name)
		}
	}
	s.provider = prev
	if s.identity == nil {
		s.identity = func(ctx context.Context, creds aws.Credentials) Identity {
			id := lookup(ctx, s.provider)
			if id.AccountID == "" {
				id.AccountID = creds.AccountID
			}
			return id
		}
	}
	return s, nil
}

// base returns the credentials the first hop signs with, or EC2 without a
// chain: long-term keys, or a session of the source.
func (s *credentialSet) base(ctx context.Context, c *Config, m material, stsClient func(aws.CredentialsProvider) *sts.Client, envCfg func(context.Context) (aws.Config, error)) (aws.CredentialsProvider, error) {
	switch c.Source {
	case apisv1alpha1.CredentialsSourceSecret:
		creds, err := m.profile.credentials()
		if err != nil {
			return nil, err
		}
		s.fallbackAccount = creds.AccessKeyID
		return credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken), nil
	case apisv1alpha1.CredentialsSourceEnvironment:
		cfg, err := envCfg(ctx)
		if err != nil {
			return nil, errors.Wrapf(err, "cannot load the provider's AWS environment for %s", c)
		}
		if cache, ok := cfg.Credentials.(*aws.CredentialsCache); ok {
			s.sessions = append(s.sessions, cache)
		}
		where := c.String() + ": cannot get credentials from the provider's environment (source Environment)"
		return &guardedProvider{inner: cfg.Credentials, explain: explainer(where, fixEnvironment)}, nil
	case apisv1alpha1.CredentialsSourceWebIdentity:
		wi := c.WebIdentity
		var tok stscreds.IdentityTokenRetriever = stscreds.IdentityTokenFile(m.tokenFile)
		if m.token != nil {
			tok = staticToken(m.token)
		}
		name := sessionName(c, wi.RoleSessionName)
		p := stscreds.NewWebIdentityRoleProvider(stsClient(aws.AnonymousCredentials{}), wi.RoleARN, tok, func(o *stscreds.WebIdentityRoleOptions) {
			o.RoleSessionName = name
		})
		where := fmt.Sprintf("%s: cannot assume %s with the web identity token (spec.credentials.webIdentity)", c, wi.RoleARN)
		cache := sessionCache(&guardedProvider{inner: p, explain: explainer(where, fixWebIdentity)}, defaultHopDuration)
		s.sessions = append(s.sessions, cache)
		if len(c.AssumeRoleChain) == 0 {
			s.identity = assumedIdentity(wi.RoleARN, name)
		}
		return cache, nil
	case apisv1alpha1.CredentialsSourcePodIdentity:
		p, err := podIdentityProvider(c)
		if err != nil {
			return nil, err
		}
		where := c.String() + ": cannot get credentials from the EKS Pod Identity agent"
		cache := sessionCache(&guardedProvider{inner: p, explain: explainer(where, fixPodIdentity)}, 0)
		s.sessions = append(s.sessions, cache)
		return cache, nil
	case apisv1alpha1.CredentialsSourceNone:
		return aws.AnonymousCredentials{}, nil
	}
	return nil, errors.Errorf("%s: unknown credentials source %q", c, c.Source)
}

// assumedIdentity is the identity of a session of role named name: the
// account comes with the credentials, from STS's answer.
func assumedIdentity(role, name string) func(context.Context, aws.Credentials) Identity {
	return func(_ context.Context, creds aws.Credentials) Identity {
		f := strings.SplitN(role, ":", 6)
		if len(f) != 6 || creds.AccountID == "" {
			return Identity{AccountID: creds.AccountID}
		}
		return Identity{AccountID: creds.AccountID, ARN: "arn:" + f[1] + ":sts::" + creds.AccountID + ":assumed-role/" + role[strings.LastIndex(role, "/")+1:] + "/" + name}
	}
}

// sessionCache caches a session and renews it before it expires: at most
// maxExpiryWindow early, and in the last fifth of a short session.
func sessionCache(p aws.CredentialsProvider, lifetime time.Duration) *aws.CredentialsCache {
	w := maxExpiryWindow
	if lifetime > 0 {
		w = min(w, lifetime/5)
	}
	return aws.NewCredentialsCache(p, func(o *aws.CredentialsCacheOptions) {
		o.ExpiryWindow = w
		o.ExpiryWindowJitterFrac = expiryJitter
	})
}

// sessionName is name, or egresskit-<config name> cut to STS's limit.
func sessionName(c *Config, name *string) string {
	if name != nil && *name != "" {
		return *name
	}
	n := sessionNamePrefix + c.Name
	if len(n) > maxSessionName {
		n = n[:maxSessionName]
	}
	return n
}

// podIdentityProvider asks the Pod Identity agent EKS named in the
// environment, with the token file it mounted. IRSA's variables are
// ignored, so a pod with both gets Pod Identity.
func podIdentityProvider(c *Config) (aws.CredentialsProvider, error) {
	uri := os.Getenv(envContainerCredentialsFullURI)
	tokenFile := os.Getenv(envContainerAuthorizationTokenFile)
	if uri == "" || tokenFile == "" {
		return nil, &credentialsError{reason: apisv1alpha1.ReasonUnavailable, msg: fmt.Sprintf("%s: source PodIdentity needs %s and %s in the provider's environment, which EKS sets when a Pod Identity association names the provider's service account: create the association for the service account the DeploymentRuntimeConfig names, then restart the provider", c, envContainerCredentialsFullURI, envContainerAuthorizationTokenFile)}
	}
	return endpointcreds.New(uri, func(o *endpointcreds.Options) {
		o.AuthorizationTokenProvider = endpointcreds.TokenProviderFunc(func() (string, error) {
			b, err := os.ReadFile(tokenFile) //nolint:gosec // The path comes from the provider's environment, set by EKS.
			if err != nil {
				return "", errors.Errorf("cannot read the Pod Identity token file %s named by %s", tokenFile, envContainerAuthorizationTokenFile)
			}
			return strings.TrimSpace(string(b)), nil
		})
	}), nil
}

// A staticToken is a web identity token read from a Secret.
type staticToken []byte

func (t staticToken) GetIdentityToken() ([]byte, error) { return t, nil }

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"net/url"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	"golang.org/x/sync/singleflight"
	"k8s.io/utils/lru"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/logging"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// DefaultCacheSize is how many EC2 clients a ClientFactory keeps by default:
// one per provider configuration and region in use.
const DefaultCacheSize = 256

// envWebIdentityTokenFile is the token file a WebIdentity configuration uses
// when it names none, as set by IAM Roles for Service Accounts.
const envWebIdentityTokenFile = "AWS_WEB_IDENTITY_TOKEN_FILE"

// A ClientFactory returns an EC2 client for a managed resource, with the
// credentials and endpoint of its provider configuration, in a region.
// Controllers' connectors call it after tracking the provider config usage.
type ClientFactory interface {
	ClientFor(ctx context.Context, mg resource.ModernManaged, region string) (API, error)
}

// A ClientFactoryFn is a function that satisfies ClientFactory.
type ClientFactoryFn func(ctx context.Context, mg resource.ModernManaged, region string) (API, error)

// ClientFor calls fn.
func (fn ClientFactoryFn) ClientFor(ctx context.Context, mg resource.ModernManaged, region string) (API, error) {
	return fn(ctx, mg, region)
}

// A FactoryOption configures the ClientFactory NewClientFactory returns.
type FactoryOption func(*factory)

// WithBudget makes every client wait for b, which should be the one Budget
// of the process. Without it a factory uses its own Budget of
// DefaultBudgetFraction.
func WithBudget(b *Budget) FactoryOption {
	return func(f *factory) {
		f.budget = b
	}
}

// WithMetrics makes every client count its requests in m.
func WithMetrics(m *Metrics) FactoryOption {
	return func(f *factory) {
		f.metrics = m
	}
}

// WithCacheSize bounds how many clients the factory keeps. The least
// recently used client is dropped first.
func WithCacheSize(n int) FactoryOption {
	return func(f *factory) {
		f.cacheSize = n
	}
}

// WithLogger makes the factory log client builds at debug level to l.
func WithLogger(l logging.Logger) FactoryOption {
	return func(f *factory) {
		f.log = l
	}
}

type factory struct {
	kube      client.Reader
	budget    *Budget
	metrics   *Metrics
	log       logging.Logger
	cacheSize int

	// http is shared by every client; the SDK clones it for a client when
	// AWS_CA_BUNDLE asks it to add root CAs.
	http *awshttp.BuildableClient

	cache  *lru.Cache
	builds singleflight.Group
}

// NewClientFactory returns a ClientFactory that reads provider configurations
// and credential Secrets with kube, and keeps the clients it builds, keyed by
// provider configuration, region, the generation of the configuration's spec
// and the resource version of its Secret: thousands of managed resources
// share a few clients, and a changed configuration or Secret gets a new one,
// but a configuration whose status counts a new user does not.
func NewClientFactory(kube client.Client, opts ...FactoryOption) ClientFactory {
	f := &factory{
		kube:      kube,
		log:       logging.NewNopLogger(),
		cacheSize: DefaultCacheSize,
		// A BuildableClient, never a plain *http.Client: the SDK's loader
		// must be able to rebuild it to add AWS_CA_BUNDLE's root CAs.
		http: awshttp.NewBuildableClient(),
	}
	for _, o := range opts {
		o(f)
	}
	if f.budget == nil {
		// DefaultBudgetFraction is valid, so this cannot fail.
		f.budget, _ = NewBudget(DefaultBudgetFraction)
	}
	f.cache = lru.New(max(1, f.cacheSize))
	return f
}

type cacheKey struct {
	kind      string
	namespace string
	name      string
	region    string
}

type cacheEntry struct {
	configVersion int64
	secretVersion string
	api           API
}

// A source is what a client needs from the credentials of a configuration.
type source struct {
	// credentials, or nil for the SDK's default chain or a profile.
	credentials aws.CredentialsProvider

	// profile holds the credentials of Source Secret, parsed only when a
	// client is built.
	profile *secretProfile

	// secretVersion is the resource version of the credentials Secret.
	secretVersion string

	// account identifies whose EC2 request budget the client spends; for a
	// profile, build sets it from the access key ID.
	account string
}

// ClientFor returns an EC2 client for mg in region.
func (f *factory) ClientFor(ctx context.Context, mg resource.ModernManaged, region string) (API, error) {
	if region == "" {
		return nil, errors.New("region is required: set spec.forProvider.region")
	}
	c, err := GetConfig(ctx, f.kube, mg)
	if err != nil {
		return nil, err
	}
	if err := validateEndpoint(c); err != nil {
		return nil, err
	}
	src, err := f.source(ctx, c)
	if err != nil {
		return nil, err
	}

	k := cacheKey{kind: c.Kind, namespace: c.Namespace, name: c.Name, region: region}
	if v, ok := f.cache.Get(k); ok {
		e := v.(cacheEntry) //nolint:forcetypeassert // The cache only ever holds cacheEntry values.
		if e.configVersion == c.Generation && e.secretVersion == src.secretVersion {
			return e.api, nil
		}
	}

	flight := c.String() + "\x00" + region + "\x00" + strconv.FormatInt(c.Generation, 10) + "\x00" + src.secretVersion
	v, err, _ := f.builds.Do(flight, func() (any, error) {
		api, err := f.build(ctx, c, region, src)
		if err != nil {
			return nil, err
		}
		f.cache.Add(k, cacheEntry{configVersion: c.Generation, secretVersion: src.secretVersion, api: api})
		f.log.Debug("Built EC2 client", "config", c.String(), "region", region, "source", string(c.Source), "endpoint", c.Endpoint)
		return api, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(API), nil //nolint:forcetypeassert // build only returns API values.
}

func validateEndpoint(c *Config) error {
	if c.Endpoint == "" {
		return nil
	}
	u, err := url.Parse(c.Endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return errors.Errorf("%s: spec.endpoint.url %q is not an http or https URL, e.g. http://127.0.0.1:4566", c, c.Endpoint)
	}
	return nil
}

// source resolves the credentials of c.
func (f *factory) source(ctx context.Context, c *Config) (source, error) {
	account := string(c.Source)
	switch c.Source {
	case apisv1alpha1.CredentialsSourceSecret:
		p, err := getSecretProfile(ctx, f.kube, c)
		if err != nil {
			return source{}, err
		}
		return source{profile: &p, secretVersion: p.version}, nil
	case apisv1alpha1.CredentialsSourceNone:
		return source{credentials: aws.AnonymousCredentials{}, account: withEndpoint(account, c)}, nil
	case apisv1alpha1.CredentialsSourceWebIdentity:
		if c.WebIdentity == nil {
			return source{}, errors.Errorf("%s: spec.credentials.webIdentity is required when spec.credentials.source is WebIdentity", c)
		}
		// The credentials need an STS client, made in build.
		return source{account: withEndpoint(c.WebIdentity.RoleARN, c)}, nil
	case apisv1alpha1.CredentialsSourceEnvironment:
		return source{account: withEndpoint(account, c)}, nil
	default:
		return source{}, errors.Errorf("%s: unknown credentials source %q", c, c.Source)
	}
}

// withEndpoint scopes an account to c's endpoint: another endpoint is
// another EC2, with a budget of its own.
func withEndpoint(account string, c *Config) string {
	if c.Endpoint == "" {
		return account
	}
	return account + "@" + c.Endpoint
}

// build makes an EC2 client for c in region.
func (f *factory) build(ctx context.Context, c *Config, region string, src source) (API, error) {
	if src.profile != nil {
		creds, err := src.profile.credentials()
		if err != nil {
			return nil, err
		}
		src.credentials = credentials.NewStaticCredentialsProvider(creds.AccessKeyID, creds.SecretAccessKey, creds.SessionToken)
		src.account = withEndpoint(creds.AccessKeyID, c)
	}
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithHTTPClient(f.http),
		config.WithRetryer(func() aws.Retryer { return retry.NewStandard() }),
	}
	switch {
	case src.credentials != nil:
		opts = append(opts, config.WithCredentialsProvider(src.credentials))
	case c.Source == apisv1alpha1.CredentialsSourceWebIdentity:
		// STS's AssumeRoleWithWebIdentity is unsigned. Anonymous credentials
		// keep the loader from resolving, and failing on, the default chain
		// before the web identity provider replaces them below.
		opts = append(opts, config.WithCredentialsProvider(aws.AnonymousCredentials{}))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return nil, errors.Wrapf(err, "cannot load the AWS SDK configuration of %s", c)
	}
	if c.Source == apisv1alpha1.CredentialsSourceWebIdentity {
		p, err := webIdentityProvider(cfg, c)
		if err != nil {
			return nil, err
		}
		cfg.Credentials = aws.NewCredentialsCache(p)
	}
	return newSDKClient(ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		if c.Endpoint != "" {
			// Only EC2 goes to the endpoint; STS keeps its own.
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.APIOptions = append(o.APIOptions, f.budget.APIOption(src.account, region))
		if f.metrics != nil {
			o.APIOptions = append(o.APIOptions, f.metrics.APIOption())
		}
	})), nil
}

// webIdentityProvider assumes c's role with a web identity token file.
func webIdentityProvider(cfg aws.Config, c *Config) (aws.CredentialsProvider, error) {
	wi := c.WebIdentity
	tokenFile := os.Getenv(envWebIdentityTokenFile)
	if wi.TokenFile != nil && *wi.TokenFile != "" {
		tokenFile = *wi.TokenFile
	}
	if tokenFile == "" {
		return nil, errors.Errorf("%s: spec.credentials.webIdentity.tokenFile is not set and the provider has no %s: set one of them", c, envWebIdentityTokenFile)
	}
	return stscreds.NewWebIdentityRoleProvider(sts.NewFromConfig(cfg), wi.RoleARN, stscreds.IdentityTokenFile(tokenFile), func(o *stscreds.WebIdentityRoleOptions) {
		if wi.RoleSessionName != nil {
			o.RoleSessionName = *wi.RoleSessionName
		}
	}), nil
}

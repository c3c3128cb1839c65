// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
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
	status    client.StatusClient
	budget    *Budget
	metrics   *Metrics
	fence     Fence
	log       logging.Logger
	cacheSize int

	// http is shared by every client; the SDK clones it for a client when
	// AWS_CA_BUNDLE asks it to add root CAs.
	http *awshttp.BuildableClient

	cache  *lru.Cache
	builds singleflight.Group

	// creds holds the credentials of each provider configuration, shared
	// by its clients of every region.
	creds *lru.Cache

	statuses statusReporter
}

// NewClientFactory returns a ClientFactory that reads provider configurations
// and credential Secrets with kube, and keeps the clients it builds, keyed by
// provider configuration, region and the versions of the configuration and
// its credentials material: thousands of managed resources share a few
// clients, and a changed configuration or Secret gets a new one. The
// credentials of a configuration are resolved once, shared by its clients
// of every region, and renewed before they expire; the account and ARN they
// act as, or why they cannot be had, is written to the configuration's
// status.
func NewClientFactory(kube client.Client, opts ...FactoryOption) ClientFactory {
	f := &factory{
		kube:      kube,
		status:    kube,
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
	f.creds = lru.New(max(1, f.cacheSize))
	f.statuses = statusReporter{kube: kube, status: f.status, log: f.log, last: map[configKey]reported{}}
	return f
}

// A configKey names a provider configuration.
type configKey struct {
	kind      string
	namespace string
	name      string
}

func keyOf(c *Config) configKey {
	return configKey{kind: c.Kind, namespace: c.Namespace, name: c.Name}
}

type cacheKey struct {
	config configKey
	region string
}

type cacheEntry struct {
	set *credentialSet
	api API
}

type credsEntry struct {
	fingerprint string
	set         *credentialSet
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
	set, err := f.credentials(ctx, c, region)
	if err != nil {
		f.statuses.report(ctx, c, Identity{}, err)
		return nil, err
	}
	id, err := set.resolve(ctx)
	f.statuses.report(ctx, c, id, err)
	if err != nil {
		return nil, err
	}

	k := cacheKey{config: keyOf(c), region: region}
	if v, ok := f.cache.Get(k); ok {
		e := v.(cacheEntry) //nolint:forcetypeassert // The cache only ever holds cacheEntry values.
		if e.set == set {
			return e.api, nil
		}
	}
	flight := fmt.Sprintf("%s\x00%s\x00%p", c, region, set)
	v, err, _ := f.builds.Do(flight, func() (any, error) {
		api, err := f.build(ctx, c, region, set, id)
		if err != nil {
			return nil, err
		}
		f.cache.Add(k, cacheEntry{set: set, api: api})
		f.log.Debug("Built EC2 client", "config", c.String(), "region", region, "source", string(c.Source), "endpoint", c.Endpoint, "account", id.AccountID)
		return api, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(API), nil //nolint:forcetypeassert // build only returns API values.
}

func validateEndpoint(c *Config) error {
	for _, e := range []struct{ field, url string }{{"spec.endpoint.url", c.Endpoint}, {"spec.endpoint.stsURL", c.STSEndpoint}} {
		if e.url == "" {
			continue
		}
		u, err := url.Parse(e.url)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.Errorf("%s: %s %q is not an http or https URL, e.g. http://127.0.0.1:4566", c, e.field, e.url)
		}
	}
	return nil
}

// credentials returns the credential set of c, built again only when c's
// spec or its credentials material changed.
func (f *factory) credentials(ctx context.Context, c *Config, region string) (*credentialSet, error) {
	m, err := f.material(ctx, c)
	if err != nil {
		return nil, err
	}
	k := keyOf(c)
	fp := configVersion(c) + "\x00" + m.fingerprint
	if v, ok := f.creds.Get(k); ok {
		e := v.(credsEntry) //nolint:forcetypeassert // The cache only ever holds credsEntry values.
		if e.fingerprint == fp {
			return e.set, nil
		}
	}
	v, err, _ := f.builds.Do("credentials\x00"+c.String()+"\x00"+fp, func() (any, error) {
		if v, ok := f.creds.Get(k); ok && v.(credsEntry).fingerprint == fp { //nolint:forcetypeassert // See above.
			return v.(credsEntry).set, nil //nolint:forcetypeassert // See above.
		}
		stsCfg, err := f.loadConfig(ctx, region, aws.AnonymousCredentials{})
		if err != nil {
			return nil, errors.Wrapf(err, "cannot load the AWS SDK configuration of %s", c)
		}
		env := func(ctx context.Context) (aws.Config, error) { return f.loadConfig(ctx, region, nil) }
		set, err := newCredentialSet(ctx, c, m, stsCfg, env)
		if err != nil {
			return nil, err
		}
		f.creds.Add(k, credsEntry{fingerprint: fp, set: set})
		f.log.Debug("Built credentials", "config", c.String(), "source", string(c.Source), "hops", len(c.AssumeRoleChain))
		return set, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*credentialSet), nil //nolint:forcetypeassert // The flight only returns credential sets.
}

// configVersion is the spec generation of c, or its resource version where
// the API server keeps no generation.
func configVersion(c *Config) string {
	if c.Generation != 0 {
		return "g" + strconv.FormatInt(c.Generation, 10)
	}
	return "v" + c.ResourceVersion
}

// material reads what the credentials of c are built from besides c.
func (f *factory) material(ctx context.Context, c *Config) (material, error) {
	switch c.Source {
	case apisv1alpha1.CredentialsSourceSecret:
		p, err := getSecretProfile(ctx, f.kube, c)
		if err != nil {
			return material{}, err
		}
		return material{profile: &p, fingerprint: "secret " + p.version}, nil
	case apisv1alpha1.CredentialsSourceWebIdentity:
		return webIdentityMaterial(ctx, f.kube, c)
	case apisv1alpha1.CredentialsSourcePodIdentity:
		return material{fingerprint: os.Getenv(envContainerCredentialsFullURI) + "\x00" + os.Getenv(envContainerAuthorizationTokenFile)}, nil
	case apisv1alpha1.CredentialsSourceNone, apisv1alpha1.CredentialsSourceEnvironment:
		return material{}, nil
	default:
		return material{}, errors.Errorf("%s: unknown credentials source %q", c, c.Source)
	}
}

// loadConfig loads the SDK configuration of region; creds replaces the
// default credentials chain unless nil.
func (f *factory) loadConfig(ctx context.Context, region string, creds aws.CredentialsProvider) (aws.Config, error) {
	opts := []func(*config.LoadOptions) error{
		config.WithRegion(region),
		config.WithHTTPClient(f.http),
		config.WithRetryer(func() aws.Retryer { return retry.NewStandard(withoutRetryQuota) }),
	}
	if creds != nil {
		opts = append(opts, config.WithCredentialsProvider(creds))
	}
	return config.LoadDefaultConfig(ctx, opts...)
}

// budgetKey scopes the principal of s to its endpoint: another endpoint is
// another EC2, with a budget of its own.
func budgetKey(s Scope) string {
	if s.Endpoint == "" {
		return s.Principal()
	}
	return s.Principal() + "@" + s.Endpoint
}

// build makes an EC2 client for c in region that signs with set.
func (f *factory) build(ctx context.Context, c *Config, region string, set *credentialSet, id Identity) (API, error) {
	cfg, err := f.loadConfig(ctx, region, aws.AnonymousCredentials{})
	if err != nil {
		return nil, errors.Wrapf(err, "cannot load the AWS SDK configuration of %s", c)
	}
	cfg.Credentials = set.provider
	scope := Scope{Region: region, Config: c.String(), Endpoint: c.Endpoint, Account: id.AccountID, Anonymous: c.Source == apisv1alpha1.CredentialsSourceNone}
	if id.AccountID == "" {
		scope.AccessKeyID = set.fallbackAccount
	}
	account := budgetKey(scope)
	return Explaining(newSDKClient(ec2.NewFromConfig(cfg, func(o *ec2.Options) {
		o.Retryer = retry.NewStandard(ec2Retries)
		if c.Endpoint != "" {
			// Only EC2 goes to the endpoint; STS keeps its own.
			o.BaseEndpoint = aws.String(c.Endpoint)
		}
		o.APIOptions = append(o.APIOptions, set.renewOption(), f.budget.APIOption(account, region))
		if f.metrics != nil {
			o.APIOptions = append(o.APIOptions, f.metrics.APIOption(ProviderConfigLabel(c.Namespace, c.Name), region))
		}
		if f.fence != nil {
			o.APIOptions = append(o.APIOptions, f.fence.APIOption())
		}
	})), scope), nil
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"encoding/pem"
	"io"
	"log"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"

	ec2v1alpha1 "github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
)

// describe calls DescribeNatGateways with api and returns the ID of the
// first gateway.
func describe(ctx context.Context, api API) (string, error) {
	out, err := api.DescribeNatGateways(ctx, &ec2.DescribeNatGatewaysInput{})
	if err != nil {
		return "", err
	}
	if len(out.NatGateways) == 0 {
		return "", nil
	}
	return aws.ToString(out.NatGateways[0].NatGatewayId), nil
}

func TestClientForSources(t *testing.T) {
	type args struct {
		objs []client.Object
		mg   resource.ModernManaged
		env  map[string]string
	}
	type want struct {
		gateway  string
		requests []request
		err      string
	}
	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"Secret": {
			reason: "Source Secret signs requests with the profile of the Secret, session token included, in the managed resource's region.",
			args: args{
				objs: []client.Object{providerConfig(), credentialsSecret("1")},
				mg:   natGateway(),
			},
			want: want{
				gateway: "nat-0a1b2c3d4e5f60001",
				requests: []request{{
					Action: "DescribeNatGateways", Credential: testAccessKeyID + "/eu-west-1/ec2/aws4_request", SessionToken: testSessionToken, Form: map[string]string{},
				}},
			},
		},
		"None": {
			reason: "Source None sends unsigned requests.",
			args: args{
				objs: []client.Object{providerConfig(pcSource(apisv1alpha1.CredentialsSourceNone))},
				mg:   natGateway(),
			},
			want: want{
				gateway:  "nat-0a1b2c3d4e5f60001",
				requests: []request{{Action: "DescribeNatGateways", Form: map[string]string{}}},
			},
		},
		"Environment": {
			reason: "Source Environment uses the SDK's default chain, here the provider's environment variables.",
			args: args{
				objs: []client.Object{clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment}))},
				mg:   natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")),
				env:  map[string]string{"AWS_ACCESS_KEY_ID": "AKIAEGRESSKITENV01", "AWS_SECRET_ACCESS_KEY": "EgressKitEnvSecret01"},
			},
			want: want{
				gateway: "nat-0a1b2c3d4e5f60001",
				requests: []request{{
					Action: "DescribeNatGateways", Credential: "AKIAEGRESSKITENV01/eu-west-1/ec2/aws4_request", Form: map[string]string{},
				}},
			},
		},
		"EnvironmentWithoutCredentials": {
			reason: "Source Environment without credentials in the environment fails the request, not the provider.",
			args: args{
				objs: []client.Object{clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment}))},
				mg:   natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")),
			},
			want: want{err: "ClusterProviderConfig default: cannot get credentials from the provider's environment (source Environment): failed to refresh cached credentials"},
		},
		"WebIdentity": {
			reason: "Source WebIdentity assumes the role with the token file's token, then signs with the role's credentials.",
			args: args{
				objs: []client.Object{clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{
					Source: apisv1alpha1.CredentialsSourceWebIdentity,
					WebIdentity: &apisv1alpha1.WebIdentity{
						RoleARN:         "arn:aws:iam::123456789012:role/egress",
						TokenFile:       ptr.To("TOKENFILE"),
						RoleSessionName: ptr.To("egresskit"),
					},
				}))},
				mg: natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")),
			},
			want: want{
				gateway: "nat-0a1b2c3d4e5f60001",
				requests: []request{
					{Action: "AssumeRoleWithWebIdentity", Form: map[string]string{
						"RoleArn": "arn:aws:iam::123456789012:role/egress", "RoleSessionName": "egresskit", "WebIdentityToken": "eyJ-web-identity-token",
					}},
					{
						Action: "DescribeNatGateways", Credential: "ASIAEGRESSKITWEB01/eu-west-1/ec2/aws4_request",
						SessionToken: "EgressKitWebIdentityToken01", Form: map[string]string{},
					},
				},
			},
		},
		"WebIdentityTokenFileFromEnvironment": {
			reason: "Source WebIdentity without a token file uses AWS_WEB_IDENTITY_TOKEN_FILE, as IRSA sets it.",
			args: args{
				objs: []client.Object{clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{
					Source:      apisv1alpha1.CredentialsSourceWebIdentity,
					WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: "arn:aws:iam::123456789012:role/egress", RoleSessionName: ptr.To("egresskit")},
				}))},
				mg:  natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")),
				env: map[string]string{"AWS_WEB_IDENTITY_TOKEN_FILE": "TOKENFILE"},
			},
			want: want{
				gateway: "nat-0a1b2c3d4e5f60001",
				requests: []request{
					{Action: "AssumeRoleWithWebIdentity", Form: map[string]string{
						"RoleArn": "arn:aws:iam::123456789012:role/egress", "RoleSessionName": "egresskit", "WebIdentityToken": "eyJ-web-identity-token",
					}},
					{
						Action: "DescribeNatGateways", Credential: "ASIAEGRESSKITWEB01/eu-west-1/ec2/aws4_request",
						SessionToken: "EgressKitWebIdentityToken01", Form: map[string]string{},
					},
				},
			},
		},
		"WebIdentityWithoutTokenFile": {
			reason: "Source WebIdentity with no token file anywhere is an error saying where to set one.",
			args: args{
				objs: []client.Object{clusterProviderConfig(cpcCredentials(apisv1alpha1.ClusterProviderCredentials{
					Source:      apisv1alpha1.CredentialsSourceWebIdentity,
					WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: "arn:aws:iam::123456789012:role/egress"},
				}))},
				mg: natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")),
			},
			want: want{err: "ClusterProviderConfig default: spec.credentials.webIdentity.tokenFile is not set and the provider has no AWS_WEB_IDENTITY_TOKEN_FILE: set one of them"},
		},
		"SecretError": {
			reason: "An unreadable credentials Secret is returned as it is.",
			args: args{
				objs: []client.Object{providerConfig()},
				mg:   natGateway(),
			},
			want: want{err: "cannot get secret team/aws-creds: not found: create it or change spec.credentials.secretRef of ProviderConfig team/aws"},
		},
		"ConfigError": {
			reason: "An unreadable provider config is returned as it is.",
			args: args{
				mg: natGateway(),
			},
			want: want{err: "cannot get ProviderConfig team/aws: not found: create it in namespace team or change spec.providerConfigRef"},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			ep := newEndpoint()
			srv := httptest.NewServer(ep)
			t.Cleanup(srv.Close)
			tokenFile := filepath.Join(t.TempDir(), "token")
			if err := os.WriteFile(tokenFile, []byte("eyJ-web-identity-token"), 0o600); err != nil {
				t.Fatal(err)
			}
			// STS answers at the same fake endpoint.
			t.Setenv("AWS_ENDPOINT_URL_STS", srv.URL)
			for k, v := range tc.args.env {
				t.Setenv(k, strings.ReplaceAll(v, "TOKENFILE", tokenFile))
			}
			objs := make([]client.Object, 0, len(tc.args.objs))
			for _, o := range tc.args.objs {
				o = o.DeepCopyObject().(client.Object)
				switch pc := o.(type) {
				case *apisv1alpha1.ProviderConfig:
					pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: srv.URL}
				case *apisv1alpha1.ClusterProviderConfig:
					pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: srv.URL}
					if wi := pc.Spec.Credentials.WebIdentity; wi != nil && wi.TokenFile != nil {
						wi.TokenFile = ptr.To(tokenFile)
					}
				}
				objs = append(objs, o)
			}

			f := NewClientFactory(newKube(objs...).client())
			api, err := f.ClientFor(context.Background(), tc.args.mg, "eu-west-1")
			gw := ""
			if err == nil {
				gw, err = describe(context.Background(), api)
			}
			if tc.want.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.want.err) {
					t.Errorf("\n%s\nClientFor(...): want error containing %q, got %v\n", tc.reason, tc.want.err, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nClientFor(...): unexpected error: %v\n", tc.reason, err)
			}
			if diff := cmp.Diff(tc.want.gateway, gw); diff != "" {
				t.Errorf("\n%s\nDescribeNatGateways(...): -want gateway, +got gateway:\n%s\n", tc.reason, diff)
			}
			if diff := cmp.Diff(tc.want.requests, ep.seen()); diff != "" {
				t.Errorf("\n%s\nrequests: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestClientForEndpoint(t *testing.T) {
	cases := map[string]struct {
		reason   string
		endpoint string
		err      string
	}{
		"HTTP": {
			reason:   "An http endpoint is used as it is.",
			endpoint: "SERVER",
		},
		"WithPath": {
			reason:   "An endpoint with a path is used with its path.",
			endpoint: "SERVER/ec2",
		},
		"NotAURL": {
			reason:   "An endpoint that is not an http(s) URL is an error naming it and showing the form expected.",
			endpoint: "127.0.0.1:4566",
			err:      `ProviderConfig team/aws: spec.endpoint.url "127.0.0.1:4566" is not an http or https URL, e.g. http://127.0.0.1:4566`,
		},
		"OtherScheme": {
			reason:   "Only http and https are allowed.",
			endpoint: "ftp://127.0.0.1:4566",
			err:      `ProviderConfig team/aws: spec.endpoint.url "ftp://127.0.0.1:4566" is not an http or https URL, e.g. http://127.0.0.1:4566`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			rec := &pathRecorder{next: newEndpoint()}
			srv := httptest.NewServer(rec)
			t.Cleanup(srv.Close)
			u := strings.ReplaceAll(tc.endpoint, "SERVER", srv.URL)
			f := NewClientFactory(newKube(providerConfig(pcEndpoint(u)), credentialsSecret("1")).client())

			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			if diff := cmp.Diff(tc.err, errString(err)); diff != "" {
				t.Fatalf("\n%s\nClientFor(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if err != nil {
				return
			}
			if _, err := describe(context.Background(), api); err != nil {
				t.Fatalf("\n%s\nDescribeNatGateways(...): %v\n", tc.reason, err)
			}
			wantPath := strings.TrimPrefix(u, srv.URL)
			if wantPath == "" {
				wantPath = "/"
			}
			if diff := cmp.Diff([]string{wantPath}, rec.seen()); diff != "" {
				t.Errorf("\n%s\nrequest paths: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestClientForRegion(t *testing.T) {
	isolateAWSEnv(t)
	f := NewClientFactory(newKube(providerConfig(), credentialsSecret("1")).client())
	_, err := f.ClientFor(context.Background(), natGateway(), "")
	want := "region is required: set spec.forProvider.region"
	if diff := cmp.Diff(want, errString(err)); diff != "" {
		t.Errorf("\nA client without a region is an error saying what to set.\nClientFor(...): -want error, +got error:\n%s\n", diff)
	}
}

// TestClientForCABundle proves the clients work with and without
// AWS_CA_BUNDLE: the SDK's loader rebuilds the client's HTTP transport to add
// the bundle, which fails for HTTP clients it cannot rebuild.
func TestClientForCABundle(t *testing.T) {
	cases := map[string]struct {
		reason string
		tls    bool
		// bundle is AWS_CA_BUNDLE: "", SYSTEM, SERVER (the TLS test
		// server's certificate) or a path.
		bundle string
		err    string
	}{
		"UnsetPlainHTTP": {
			reason: "Without AWS_CA_BUNDLE the client talks to a plain http endpoint.",
		},
		"SystemBundlePlainHTTP": {
			reason: "With AWS_CA_BUNDLE set to the system bundle, as on this machine and in CI, the client still works.",
			bundle: "SYSTEM",
		},
		"ServerBundleTLS": {
			reason: "The bundle is really used: an endpoint whose certificate only the bundle holds is trusted.",
			tls:    true,
			bundle: "SERVER",
		},
		"UnsetTLS": {
			reason: "Without the bundle the same endpoint is not trusted, so the case above is not trivially true.",
			tls:    true,
			err:    "certificate",
		},
		"SystemBundleTLS": {
			reason: "The system bundle does not hold the test server's certificate: AWS_CA_BUNDLE replaces the trusted roots.",
			tls:    true,
			bundle: "SYSTEM",
			err:    "certificate",
		},
		"MissingBundleFile": {
			reason: "A bundle that cannot be read is an error naming the configuration.",
			bundle: "/nonexistent/ca-bundle.pem",
			err:    "cannot load the AWS SDK configuration of ProviderConfig team/aws",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			ep := newEndpoint()
			srv := httptest.NewUnstartedServer(ep)
			// The failing TLS cases make the server log handshake errors.
			srv.Config.ErrorLog = log.New(io.Discard, "", 0)
			if tc.tls {
				srv.StartTLS()
			} else {
				srv.Start()
			}
			t.Cleanup(srv.Close)

			switch tc.bundle {
			case "":
			case "SYSTEM":
				if _, err := os.Stat(systemCABundle); err != nil {
					t.Skipf("no system CA bundle at %s", systemCABundle)
				}
				t.Setenv("AWS_CA_BUNDLE", systemCABundle)
			case "SERVER":
				p := filepath.Join(t.TempDir(), "ca.pem")
				pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
				if err := os.WriteFile(p, pemBytes, 0o600); err != nil {
					t.Fatal(err)
				}
				t.Setenv("AWS_CA_BUNDLE", p)
			default:
				t.Setenv("AWS_CA_BUNDLE", tc.bundle)
			}

			f := NewClientFactory(newKube(providerConfig(pcEndpoint(srv.URL)), credentialsSecret("1")).client())
			api, err := f.ClientFor(context.Background(), natGateway(), "eu-west-1")
			gw := ""
			if err == nil {
				gw, err = describe(context.Background(), api)
			}
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Errorf("\n%s\nwant error containing %q, got %v\n", tc.reason, tc.err, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("\n%s\nunexpected error: %v\n", tc.reason, err)
			}
			if diff := cmp.Diff("nat-0a1b2c3d4e5f60001", gw); diff != "" {
				t.Errorf("\n%s\nDescribeNatGateways(...): -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestClientForCache(t *testing.T) {
	// A call asks for a client after applying change to the stored objects.
	type call struct {
		mg     resource.ModernManaged
		region string
		change func(k *kube)
	}
	gw := natGateway()
	other := natGateway(withName("other"))

	cases := map[string]struct {
		reason string
		size   int
		calls  []call
		// want numbers the client each call got, in order of first use:
		// a repeated number is a cache hit, a new one a build.
		want []int
	}{
		"SameResource": {
			reason: "A resource asking again gets the same client.",
			calls:  []call{{mg: gw, region: "eu-west-1"}, {mg: gw, region: "eu-west-1"}},
			want:   []int{1, 1},
		},
		"SameConfig": {
			reason: "Resources of the same provider config and region share a client.",
			calls:  []call{{mg: gw, region: "eu-west-1"}, {mg: other, region: "eu-west-1"}},
			want:   []int{1, 1},
		},
		"OtherRegion": {
			reason: "Another region gets another client, and each is kept.",
			calls:  []call{{mg: gw, region: "eu-west-1"}, {mg: gw, region: "us-east-1"}, {mg: gw, region: "eu-west-1"}},
			want:   []int{1, 2, 1},
		},
		"OtherConfig": {
			reason: "Another provider config gets another client.",
			calls:  []call{{mg: gw, region: "eu-west-1"}, {mg: natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")), region: "eu-west-1"}},
			want:   []int{1, 2},
		},
		"ConfigChanged": {
			reason: "A changed provider config (a new generation of its spec) gets a new client.",
			calls: []call{
				{mg: gw, region: "eu-west-1"},
				{mg: gw, region: "eu-west-1", change: func(k *kube) { k.put(providerConfig(pcVersion("2"), pcGeneration(2))) }},
				{mg: gw, region: "eu-west-1"},
			},
			want: []int{1, 2, 2},
		},
		"ConfigStatusChanged": {
			reason: "A provider config whose status alone changed (a new resource version, as when it counts a new user) keeps its client.",
			calls: []call{
				{mg: gw, region: "eu-west-1", change: func(k *kube) { k.put(providerConfig(pcGeneration(1))) }},
				{mg: gw, region: "eu-west-1", change: func(k *kube) { k.put(providerConfig(pcVersion("2"), pcGeneration(1))) }},
				{mg: gw, region: "eu-west-1"},
			},
			want: []int{1, 1, 1},
		},
		"SecretChanged": {
			reason: "A rotated credentials Secret (a new resource version) gets a new client.",
			calls: []call{
				{mg: gw, region: "eu-west-1"},
				{mg: gw, region: "eu-west-1", change: func(k *kube) { k.put(credentialsSecret("2")) }},
				{mg: gw, region: "eu-west-1"},
			},
			want: []int{1, 2, 2},
		},
		"Bounded": {
			reason: "The cache keeps at most its size of clients and drops the least recently used.",
			size:   1,
			calls:  []call{{mg: gw, region: "eu-west-1"}, {mg: gw, region: "us-east-1"}, {mg: gw, region: "eu-west-1"}},
			want:   []int{1, 2, 3},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			k := newKube(providerConfig(), credentialsSecret("1"), clusterProviderConfig(), secret("crossplane-system", "aws-creds", "1", credentialsSecret("1").Data))
			var opts []FactoryOption
			if tc.size > 0 {
				opts = append(opts, WithCacheSize(tc.size))
			}
			f := NewClientFactory(k.client(), opts...)

			seen := map[API]int{}
			got := make([]int, 0, len(tc.calls))
			for i, c := range tc.calls {
				if c.change != nil {
					c.change(k)
				}
				api, err := f.ClientFor(context.Background(), c.mg, c.region)
				if err != nil {
					t.Fatalf("call %d: ClientFor(...): %v", i, err)
				}
				if _, ok := seen[api]; !ok {
					seen[api] = len(seen) + 1
				}
				got = append(got, seen[api])
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("\n%s\nclients: -want, +got:\n%s\n", tc.reason, diff)
			}
		})
	}
}

func TestClientFactoryFn(t *testing.T) {
	want := API(&ec2.Client{})
	var f ClientFactory = ClientFactoryFn(func(_ context.Context, _ resource.ModernManaged, region string) (API, error) {
		if region != "eu-west-1" {
			return nil, errBoom
		}
		return want, nil
	})
	got, err := f.ClientFor(context.Background(), &ec2v1alpha1.NATGateway{}, "eu-west-1")
	if err != nil || got != want {
		t.Errorf("ClientFactoryFn.ClientFor(...): want the function's client, got %v, %v", got, err)
	}
}

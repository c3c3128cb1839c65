// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Accounts and roles of the simulated STS.
const (
	simSecret  = "egresskit-test-secret"
	accountB   = "111111111111"
	accountC   = "222222222222"
	roleB      = "arn:aws:iam::" + accountB + ":role/egress-b"
	roleC      = "arn:aws:iam::" + accountC + ":role/egress-c"
	roleIRSA   = "arn:aws:iam::" + accountB + ":role/irsa"
	rolePod    = "arn:aws:iam::" + accountB + ":role/pod"
	roleNoTags = "arn:aws:iam::" + accountC + ":role/no-tags"
	externalID = "ext-b-4711"
	subject    = "system:serviceaccount:crossplane-system:provider"
)

// simRoles: the test's long-term key may assume B with an external ID; B
// may assume C and no-tags; a service account may assume irsa with a
// token; Pod Identity hands out pod, which may assume C (which allows
// session tags) and no-tags (which does not).
func simRoles() []ec2sim.Role {
	return []ec2sim.Role{
		{ARN: roleB, Trust: ec2sim.Trust{Principals: []string{"*"}, ExternalID: externalID}},
		{ARN: roleC, Trust: ec2sim.Trust{Principals: []string{roleB, rolePod}, TagSession: true}},
		{ARN: roleNoTags, Trust: ec2sim.Trust{Principals: []string{roleB, rolePod}}},
		{ARN: roleIRSA, Trust: ec2sim.Trust{WebIdentity: &ec2sim.WebIdentityTrust{Subjects: []string{subject}}}},
		{ARN: rolePod, Trust: ec2sim.Trust{Principals: []string{ec2sim.PrincipalPodIdentity}, TagSession: true}},
	}
}

// jwt returns an unsigned service account token with the claims.
func jwt(sub, aud string) string {
	b, err := json.Marshal(claims{Iss: "https://kubernetes.default.svc", Sub: sub, Aud: []string{aud}, Exp: time.Now().Add(time.Hour).Unix()})
	if err != nil {
		panic(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc(b) + ".c2lnbmF0dXJl"
}

// stsSim is a simulator with the test's roles.
type stsSim struct {
	srv *ec2sim.Server
	url string
}

func newSTSSim(t *testing.T) *stsSim {
	t.Helper()
	s, err := ec2sim.New(ec2sim.Options{SecretKey: simSecret, Roles: simRoles(), DisableThrottling: true})
	if err != nil {
		t.Fatal(err)
	}
	hs := s.NewHTTPTestServer()
	t.Cleanup(hs.Close)
	if err := s.AssociatePodIdentity(t.Context(), []ec2sim.PodIdentityAssociation{{Subject: subject, RoleARN: rolePod}}); err != nil {
		t.Fatal(err)
	}
	return &stsSim{srv: s, url: hs.URL}
}

// calls returns the successful STS calls by role, and the denied ones.
func (s *stsSim) calls(t *testing.T) map[string]int64 {
	t.Helper()
	c, err := s.srv.STSCalls(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for role, rc := range c {
		name := role[strings.LastIndex(role, "/")+1:]
		if n := rc.AssumeRole + rc.AssumeRoleWithWebIdentity + rc.PodIdentity; n > 0 {
			out[name] = n
		}
		if rc.Denied > 0 {
			out[name+" denied"] = rc.Denied
		}
	}
	return out
}

func hops(h ...apisv1alpha1.AssumeRole) []apisv1alpha1.AssumeRole { return h }

func hopTo(role string, fns ...func(*apisv1alpha1.AssumeRole)) apisv1alpha1.AssumeRole {
	h := apisv1alpha1.AssumeRole{RoleARN: role}
	for _, fn := range fns {
		fn(&h)
	}
	return h
}

func withExternalID(id string) func(*apisv1alpha1.AssumeRole) {
	return func(h *apisv1alpha1.AssumeRole) { h.ExternalID = ptr.To(id) }
}

func TestCredentialSources(t *testing.T) {
	type args struct {
		creds apisv1alpha1.ClusterProviderCredentials
		chain []apisv1alpha1.AssumeRole
		// token is written to the token file, TOKENFILE in the spec.
		token string
		env   map[string]string
	}
	type want struct {
		account string
		arn     string
		calls   map[string]int64
		reason  xpv2.ConditionReason
		err     string
	}
	keys := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: &xpv2.SecretKeySelector{
		SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "aws-creds"}, Key: "credentials",
	}}
	irsa := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: roleIRSA, TokenFile: ptr.To("TOKENFILE")}}
	pod := apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourcePodIdentity}
	podEnv := map[string]string{envContainerCredentialsFullURI: "SIM" + ec2sim.PathPodIdentityCredentials, envContainerAuthorizationTokenFile: "TOKENFILE"}

	cases := map[string]struct {
		reason string
		args   args
		want   want
	}{
		"SecretChainOfTwo": {
			reason: "Keys assume B with its external ID, then C: EC2 is called in C.",
			args:   args{creds: keys, chain: hops(hopTo(roleB, withExternalID(externalID)), hopTo(roleC))},
			want:   want{account: accountC, arn: "arn:aws:sts::" + accountC + ":assumed-role/egress-c/egresskit-default", calls: map[string]int64{"egress-b": 1, "egress-c": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"SecretChainWithTags": {
			reason: "Session tags reach a role that allows them; the session name is the hop's.",
			args: args{creds: keys, chain: hops(hopTo(roleB, withExternalID(externalID)), hopTo(roleC, func(h *apisv1alpha1.AssumeRole) {
				h.SessionName = ptr.To("platform")
				h.Tags = []apisv1alpha1.SessionTag{{Key: "team", Value: "platform"}}
			}))},
			want: want{account: accountC, arn: "arn:aws:sts::" + accountC + ":assumed-role/egress-c/platform", calls: map[string]int64{"egress-b": 1, "egress-c": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"SecretLongTermKeys": {
			reason: "Keys without a chain act in their own account, which GetCallerIdentity tells.",
			args:   args{creds: keys},
			want:   want{account: "ACCOUNT", arn: "arn:aws:iam::ACCOUNT:user/" + testAccessKeyID, calls: map[string]int64{}, reason: apisv1alpha1.ReasonResolved},
		},
		"WrongExternalID": {
			reason: "A wrong external ID is AccessDenied naming the hop, the role and what to check.",
			args:   args{creds: keys, chain: hops(hopTo(roleB, withExternalID("wrong")), hopTo(roleC))},
			want: want{calls: map[string]int64{"egress-b denied": 1}, reason: apisv1alpha1.ReasonAccessDenied,
				err: "ClusterProviderConfig default: cannot assume " + roleB + ", hop 1 of spec.assumeRoleChain (AccessDenied: User: arn:aws:iam::ACCOUNT:user/" + testAccessKeyID + " is not authorized to perform: sts:AssumeRole on resource: " + roleB + "): check that the role's trust policy allows the identity of the hop before it to sts:AssumeRole, that spec.assumeRoleChain[0].externalID matches"},
		},
		"UntrustedSecondHop": {
			reason: "A second hop whose role does not trust the first is AccessDenied naming hop 2.",
			args:   args{creds: keys, chain: hops(hopTo(roleB, withExternalID(externalID)), hopTo(roleIRSA))},
			want:   want{calls: map[string]int64{"egress-b": 1, "irsa denied": 1}, reason: apisv1alpha1.ReasonAccessDenied, err: "cannot assume " + roleIRSA + ", hop 2 of spec.assumeRoleChain (AccessDenied"},
		},
		"WebIdentity": {
			reason: "A service account token assumes irsa.",
			args:   args{creds: irsa, token: jwt(subject, "sts.amazonaws.com")},
			want:   want{account: accountB, arn: "arn:aws:sts::" + accountB + ":assumed-role/irsa/egresskit-default", calls: map[string]int64{"irsa": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"WebIdentityChain": {
			reason: "An IRSA session may not assume C, which trusts B and Pod Identity only.",
			args:   args{creds: irsa, token: jwt(subject, "sts.amazonaws.com"), chain: hops(hopTo(roleC))},
			want:   want{calls: map[string]int64{"irsa": 1, "egress-c denied": 1}, reason: apisv1alpha1.ReasonAccessDenied, err: "hop 1 of spec.assumeRoleChain (AccessDenied"},
		},
		"WebIdentityTokenFromSecret": {
			reason: "The token may come from a Secret.",
			args: args{creds: apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{
				RoleARN: roleIRSA, RoleSessionName: ptr.To("irsa-session"),
				TokenSecretRef: &xpv2.SecretKeySelector{SecretReference: xpv2.SecretReference{Namespace: "crossplane-system", Name: "token"}, Key: "token"},
			}}},
			want: want{account: accountB, arn: "arn:aws:sts::" + accountB + ":assumed-role/irsa/irsa-session", calls: map[string]int64{"irsa": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"WebIdentityBadToken": {
			reason: "A token STS cannot validate is InvalidIdentityToken, with the trust policy to check.",
			args:   args{creds: irsa, token: jwt(subject, "kubernetes")},
			// The SDK's web identity provider tries InvalidIdentityToken three
			// times; the backoff keeps it to one Retrieve in three reconciles.
			want: want{calls: map[string]int64{"irsa denied": 3}, reason: apisv1alpha1.ReasonInvalidIdentityToken, err: "cannot assume " + roleIRSA + " with the web identity token (spec.credentials.webIdentity) (InvalidIdentityToken: Incorrect token audience): STS cannot validate the token"},
		},
		"WebIdentityMissingTokenFile": {
			reason: "A missing token file says where a token should be mounted; STS is not called.",
			args:   args{creds: irsa},
			want:   want{calls: map[string]int64{}, reason: apisv1alpha1.ReasonTokenFileMissing, err: "ClusterProviderConfig default: cannot read the web identity token file TOKENFILE: mount a service account token there"},
		},
		"PodIdentity": {
			reason: "The Pod Identity agent's session acts in the associated role's account.",
			args:   args{creds: pod, token: jwt(subject, ec2sim.PodIdentityAudience), env: podEnv},
			want:   want{account: accountB, arn: "arn:aws:sts::" + accountB + ":assumed-role/pod/", calls: map[string]int64{"pod": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"PodIdentityChain": {
			reason: "A Pod Identity session assumes C, which allows its transitive session tags.",
			args:   args{creds: pod, token: jwt(subject, ec2sim.PodIdentityAudience), env: podEnv, chain: hops(hopTo(roleC))},
			want:   want{account: accountC, arn: "arn:aws:sts::" + accountC + ":assumed-role/egress-c/egresskit-default", calls: map[string]int64{"pod": 1, "egress-c": 1}, reason: apisv1alpha1.ReasonResolved},
		},
		"PodIdentityChainWithoutTagSession": {
			reason: "Pod Identity's transitive tags need sts:TagSession in every later hop.",
			args:   args{creds: pod, token: jwt(subject, ec2sim.PodIdentityAudience), env: podEnv, chain: hops(hopTo(roleNoTags))},
			want:   want{calls: map[string]int64{"pod": 1, "no-tags denied": 1}, reason: apisv1alpha1.ReasonAccessDenied, err: "not authorized to perform: sts:TagSession"},
		},
		"PodIdentityWithoutAgent": {
			reason: "Source PodIdentity without the agent's variables says how to get them.",
			args:   args{creds: pod},
			want:   want{calls: map[string]int64{}, reason: apisv1alpha1.ReasonUnavailable, err: "source PodIdentity needs AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"},
		},
		"PodIdentityNotIRSA": {
			reason: "With IRSA's variables also set, source PodIdentity still gets Pod Identity.",
			args: args{creds: pod, token: jwt(subject, ec2sim.PodIdentityAudience), env: map[string]string{
				envContainerCredentialsFullURI: "SIM" + ec2sim.PathPodIdentityCredentials, envContainerAuthorizationTokenFile: "TOKENFILE",
				"AWS_ROLE_ARN": roleIRSA, envWebIdentityTokenFile: "TOKENFILE",
			}},
			want: want{account: accountB, arn: "arn:aws:sts::" + accountB + ":assumed-role/pod/", calls: map[string]int64{"pod": 1}, reason: apisv1alpha1.ReasonResolved},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			isolateAWSEnv(t)
			sim := newSTSSim(t)
			tokenFile := filepath.Join(t.TempDir(), "token")
			if tc.args.token != "" {
				if err := os.WriteFile(tokenFile, []byte(tc.args.token), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			subst := func(s string) string {
				return strings.ReplaceAll(strings.ReplaceAll(s, "TOKENFILE", tokenFile), "SIM", sim.url)
			}
			for k, v := range tc.args.env {
				t.Setenv(k, subst(v))
			}
			creds := *tc.args.creds.DeepCopy()
			if wi := creds.WebIdentity; wi != nil && wi.TokenFile != nil {
				wi.TokenFile = ptr.To(subst(*wi.TokenFile))
			}
			pc := clusterProviderConfig(cpcCredentials(creds), func(pc *apisv1alpha1.ClusterProviderConfig) {
				pc.Spec.AssumeRoleChain = tc.args.chain
				pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: sim.url, STSURL: ptr.To(sim.url)}
				pc.SetGeneration(1)
			})
			k := newKube(pc,
				secret("crossplane-system", "aws-creds", "1", map[string][]byte{"credentials": profile(testAccessKeyID, simSecret, "")}),
				secret("crossplane-system", "token", "1", map[string][]byte{"token": []byte(jwt(subject, "sts.amazonaws.com"))}))
			f := NewClientFactory(k.client())
			mg := natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default"))

			// The account of the long-term key, as the simulator derives it.
			account := ""
			if id, err := newCredentialSet(t.Context(), &Config{Name: "x", Source: apisv1alpha1.CredentialsSourceSecret, STSEndpoint: sim.url},
				material{profile: &secretProfile{data: profile(testAccessKeyID, simSecret, "")}}, aws.Config{Region: "eu-west-1"}, nil); err == nil {
				got, _ := id.resolve(t.Context())
				account = got.AccountID
			}
			want := func(s string) string { return strings.ReplaceAll(subst(s), "ACCOUNT", account) }

			var err error
			for range 3 {
				var api API
				if api, err = f.ClientFor(t.Context(), mg, "eu-west-1"); err == nil {
					_, err = api.DescribeNatGateways(t.Context(), &ec2.DescribeNatGatewaysInput{})
				}
			}
			if tc.want.err == "" && err != nil {
				t.Fatalf("\n%s\nClientFor(...): %v", tc.reason, err)
			}
			if tc.want.err != "" && (err == nil || !strings.Contains(err.Error(), want(tc.want.err))) {
				t.Errorf("\n%s\nClientFor(...): got error %v\nwant one containing %q", tc.reason, err, want(tc.want.err))
			}
			if err != nil {
				for _, s := range []string{simSecret, tc.args.token} {
					if s != "" && strings.Contains(err.Error(), s) {
						t.Errorf("\n%s\nerror %q holds a secret", tc.reason, err)
					}
				}
			}
			tc.want.calls["GetCallerIdentity"] = 0
			got := sim.calls(t)
			got["GetCallerIdentity"] = 0
			if diff := cmp.Diff(tc.want.calls, got); diff != "" {
				t.Errorf("\n%s\nSTS calls after three reconciles: -want +got:\n%s", tc.reason, diff)
			}
			st := statusOf(t, k)
			if st.AccountID != want(tc.want.account) || !strings.HasPrefix(st.ARN, want(tc.want.arn)) || (tc.want.arn == "") != (st.ARN == "") {
				t.Errorf("\n%s\nstatus account %q, ARN %q; want %q, %q", tc.reason, st.AccountID, st.ARN, want(tc.want.account), want(tc.want.arn))
			}
			if c := st.GetCondition(apisv1alpha1.TypeCredentials); c.Reason != tc.want.reason {
				t.Errorf("\n%s\ncondition %s reason %q (%s), want %q", tc.reason, apisv1alpha1.TypeCredentials, c.Reason, c.Message, tc.want.reason)
			}
			if len(k.statuses) != 1 {
				t.Errorf("\n%s\n%d status writes after three reconciles, want 1", tc.reason, len(k.statuses))
			}
		})
	}
}

// statusOf returns the last written status of the ClusterProviderConfig.
func statusOf(t *testing.T, k *kube) apisv1alpha1.ProviderConfigStatus {
	t.Helper()
	pc := &apisv1alpha1.ClusterProviderConfig{}
	if err := k.get(context.Background(), client.ObjectKey{Name: "default"}, pc); err != nil {
		t.Fatal(err)
	}
	return pc.Status
}

// TestCredentialsShared proves that the managed resources of one provider
// configuration, in any region and however many, share one session per hop,
// that an expired session is renewed once without failing a request, and
// that failures back off.
func TestCredentialsShared(t *testing.T) {
	isolateAWSEnv(t)
	sim := newSTSSim(t)
	chain := func(ext string) *apisv1alpha1.ClusterProviderConfig {
		return clusterProviderConfig(func(pc *apisv1alpha1.ClusterProviderConfig) {
			pc.Spec.AssumeRoleChain = hops(hopTo(roleB, withExternalID(ext)), hopTo(roleC))
			pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: sim.url, STSURL: ptr.To(sim.url)}
			pc.SetGeneration(1)
		})
	}
	k := newKube(chain(externalID), secret("crossplane-system", "aws-creds", "1", map[string][]byte{"credentials": profile(testAccessKeyID, simSecret, "")}))
	// A budget that never waits: the test measures STS, not EC2's buckets.
	b, _ := NewBudget(1, WithClock(newFakeClock()))
	f := NewClientFactory(k.client(), WithBudget(b))

	const resources = 100
	reconcile := func(rounds int) error {
		for range rounds {
			for i := range resources {
				mg := natGateway(withName(fmt.Sprintf("gw-%d", i)), withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default"))
				api, err := f.ClientFor(t.Context(), mg, []string{"eu-west-1", "us-east-1"}[i%2])
				if err != nil {
					return err
				}
				if _, err := api.DescribeNatGateways(t.Context(), &ec2.DescribeNatGatewaysInput{}); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := reconcile(3); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int64{"egress-b": 1, "egress-c": 1}, sim.calls(t)); diff != "" {
		t.Errorf("STS calls of %d resources in 2 regions, 3 reconciles each: -want +got:\n%s", resources, diff)
	}
	t.Logf("%d resources x 3 reconciles in 2 regions: %v STS calls by role", resources, sim.calls(t))

	// Every session ends: EC2 answers RequestExpired once, the chain is
	// assumed again, and no request fails.
	if n, err := sim.srv.ExpireSessions(t.Context(), ""); err != nil || n != 2 {
		t.Fatalf("ExpireSessions: %d, %v; want 2 sessions ended", n, err)
	}
	if err := reconcile(1); err != nil {
		t.Fatalf("a reconcile failed after the sessions expired: %v", err)
	}
	if diff := cmp.Diff(map[string]int64{"egress-b": 2, "egress-c": 2}, sim.calls(t)); diff != "" {
		t.Errorf("STS calls after the sessions expired: -want +got:\n%s", diff)
	}
	calls, _ := sim.srv.Calls(t.Context())
	// Requests refused before their action is read count as _invalid.
	if got := calls["_invalid"].Errors["RequestExpired"]; got != 1 {
		t.Errorf("%d DescribeNatGateways answered RequestExpired, want 1: the first renews the sessions for all", got)
	}

	// A wrong external ID: every resource fails with the same error, and STS
	// is asked once, not once per resource.
	k.put(func() *apisv1alpha1.ClusterProviderConfig { pc := chain("wrong"); pc.SetGeneration(2); return pc }())
	if err := reconcile(1); err == nil || !strings.Contains(err.Error(), "AccessDenied") {
		t.Fatalf("reconcile with a wrong external ID: %v, want AccessDenied", err)
	}
	for range resources {
		_, err := f.ClientFor(t.Context(), natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, "default")), "eu-west-1")
		if err == nil || !strings.Contains(err.Error(), "AccessDenied") {
			t.Fatalf("ClientFor with a wrong external ID: %v, want AccessDenied", err)
		}
	}
	if got := sim.calls(t)["egress-b denied"]; got != 1 {
		t.Errorf("%d AssumeRole calls denied for %d resources, want 1: failures back off", got, resources+1)
	}
}

// TestBudgetKeyedByAccount proves that two configurations reaching one
// account share its EC2 budget, and that two accounts never share one.
func TestBudgetKeyedByAccount(t *testing.T) {
	isolateAWSEnv(t)
	sim := newSTSSim(t)
	cpc := func(name string, chain ...apisv1alpha1.AssumeRole) *apisv1alpha1.ClusterProviderConfig {
		return clusterProviderConfig(func(pc *apisv1alpha1.ClusterProviderConfig) {
			pc.SetName(name)
			pc.Spec.AssumeRoleChain = chain
			pc.Spec.Endpoint = &apisv1alpha1.Endpoint{URL: sim.url, STSURL: ptr.To(sim.url)}
		})
	}
	k := newKube(
		cpc("c-one", hopTo(roleB, withExternalID(externalID)), hopTo(roleC)),
		cpc("c-two", hopTo(roleB, withExternalID(externalID)), hopTo(roleC, func(h *apisv1alpha1.AssumeRole) { h.SessionName = ptr.To("other") })),
		cpc("b", hopTo(roleB, withExternalID(externalID))),
		secret("crossplane-system", "aws-creds", "1", map[string][]byte{"credentials": profile(testAccessKeyID, simSecret, "")}))
	b, _ := NewBudget(1, WithClock(newFakeClock()))
	f := NewClientFactory(k.client(), WithBudget(b))
	for _, name := range []string{"c-one", "c-two", "b"} {
		api, err := f.ClientFor(t.Context(), natGateway(withConfigRef(apisv1alpha1.ClusterProviderConfigKind, name)), "eu-west-1")
		if err == nil {
			_, err = api.DescribeNatGateways(t.Context(), &ec2.DescribeNatGatewaysInput{})
		}
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
	}
	got := map[string]bool{}
	b.mu.Lock()
	for k := range b.buckets {
		got[k.account+" "+k.region] = true
	}
	b.mu.Unlock()
	want := map[string]bool{accountC + "@" + sim.url + " eu-west-1": true, accountB + "@" + sim.url + " eu-west-1": true}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("EC2 budgets by account and region: -want +got:\n%s", diff)
	}
}

// claims of a service account token.
type claims struct {
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Aud []string `json:"aud"`
	Exp int64    `json:"exp"`
}

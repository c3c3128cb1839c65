// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	stdctx "context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/endpointcreds"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	ststypes "github.com/aws/aws-sdk-go-v2/service/sts/types"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

const (
	accountB = "111111111111"
	accountC = "222222222222"
	roleB    = "arn:aws:iam::" + accountB + ":role/egress-b"
	roleC    = "arn:aws:iam::" + accountC + ":role/egress-c"
	roleLong = "arn:aws:iam::" + accountC + ":role/long"
	roleIRSA = "arn:aws:iam::" + accountB + ":role/irsa"
	rolePod  = "arn:aws:iam::" + accountB + ":role/pod"
	subject  = "system:serviceaccount:crossplane-system:provider"
)

// stsRoles trust the test's long-term key to assume B with an external ID, B
// to assume C, a service account to assume irsa with a token, and Pod
// Identity to hand out pod.
func stsRoles() []ec2sim.Role {
	return []ec2sim.Role{
		{ARN: roleB, MaxSessionDuration: ec2sim.Duration(12 * time.Hour), Trust: ec2sim.Trust{Principals: []string{"arn:aws:iam::" + ec2simAccount(testAccessKey) + ":user/" + testAccessKey}, ExternalID: "ext-b", TagSession: true}},
		{ARN: roleC, Trust: ec2sim.Trust{Principals: []string{roleB}}},
		{ARN: roleLong, MaxSessionDuration: ec2sim.Duration(12 * time.Hour), Trust: ec2sim.Trust{Principals: []string{roleB}}},
		{ARN: roleIRSA, Trust: ec2sim.Trust{WebIdentity: &ec2sim.WebIdentityTrust{Subjects: []string{subject}}}},
		{ARN: rolePod, Trust: ec2sim.Trust{Principals: []string{ec2sim.PrincipalPodIdentity}}},
	}
}

// ec2simAccount asks a fresh simulator which account an access key is.
func ec2simAccount(key string) string {
	s, _ := ec2sim.New(ec2sim.Options{})
	hs := s.NewHTTPTestServer()
	defer hs.Close()
	out, err := newSTS(hs.URL, credentials.NewStaticCredentialsProvider(key, testSecret, "")).GetCallerIdentity(stdctx.Background(), &sts.GetCallerIdentityInput{})
	if err != nil {
		panic(err)
	}
	return aws.ToString(out.Account)
}

func newSTS(endpoint string, p aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{Region: testRegion, BaseEndpoint: aws.String(endpoint), Credentials: p, RetryMaxAttempts: 1})
}

// token returns an unsigned JWT with the claims.
func token(sub, aud string, exp time.Time) string {
	b, err := json.Marshal(claims{Iss: "https://kubernetes.default.svc", Sub: sub, Aud: []string{aud}, Exp: exp.Unix()})
	if err != nil {
		panic(err)
	}
	enc := base64.RawURLEncoding.EncodeToString
	return enc([]byte(`{"alg":"RS256"}`)) + "." + enc(b) + ".c2ln"
}

func TestSTS(t *testing.T) {
	s := newSim(t, ec2sim.Options{SecretKey: testSecret, Roles: stsRoles()})
	base := credentials.NewStaticCredentialsProvider(testAccessKey, testSecret, "")
	hop := func(p aws.CredentialsProvider, role, ext string, fns ...func(*stscreds.AssumeRoleOptions)) aws.CredentialsProvider {
		return aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(newSTS(s.http.URL, p), role, func(o *stscreds.AssumeRoleOptions) {
			if ext != "" {
				o.ExternalID = aws.String(ext)
			}
			o.RoleSessionName = "egresskit"
			for _, fn := range fns {
				fn(o)
			}
		}))
	}
	identity := func(p aws.CredentialsProvider) (string, error) {
		out, err := newSTS(s.http.URL, p).GetCallerIdentity(s.ctx, &sts.GetCallerIdentityInput{})
		if err != nil {
			return "", err
		}
		return aws.ToString(out.Account) + " " + aws.ToString(out.Arn), nil
	}
	b := hop(base, roleB, "ext-b")

	cases := map[string]struct {
		reason string
		creds  aws.CredentialsProvider
		want   string
		code   string
	}{
		"LongTermKey": {
			reason: "Long-term keys are a user of the key's account.",
			creds:  base, want: ec2simAccount(testAccessKey) + " arn:aws:iam::" + ec2simAccount(testAccessKey) + ":user/" + testAccessKey,
		},
		"OneHop": {
			reason: "An assumed role acts in the role's account.",
			creds:  b, want: accountB + " arn:aws:sts::" + accountB + ":assumed-role/egress-b/egresskit",
		},
		"TwoHops": {
			reason: "A session of B may assume C, which trusts B.",
			creds:  hop(b, roleC, ""), want: accountC + " arn:aws:sts::" + accountC + ":assumed-role/egress-c/egresskit",
		},
		"WrongExternalID": {
			reason: "B requires its external ID.",
			creds:  hop(base, roleB, "wrong"), code: "AccessDenied",
		},
		"NoExternalID": {
			reason: "B requires an external ID.",
			creds:  hop(base, roleB, ""), code: "AccessDenied",
		},
		"UntrustedPrincipal": {
			reason: "C trusts B, not the long-term key.",
			creds:  hop(base, roleC, ""), code: "AccessDenied",
		},
		"UnknownRole": {
			reason: "STS answers AccessDenied for a role that does not exist.",
			creds:  hop(base, "arn:aws:iam::"+accountB+":role/nope", ""), code: "AccessDenied",
		},
		"LongFirstHop": {
			reason: "Long-term keys may ask for up to the role's maximum.",
			creds:  hop(base, roleB, "ext-b", func(o *stscreds.AssumeRoleOptions) { o.Duration = 12 * time.Hour }), want: accountB + " arn:aws:sts::" + accountB + ":assumed-role/egress-b/egresskit",
		},
		"OverRoleMaximum": {
			reason: "C allows one hour.",
			creds:  hop(b, roleC, "", func(o *stscreds.AssumeRoleOptions) { o.Duration = 2 * time.Hour }), code: "ValidationError",
		},
		"ChainedOverAnHour": {
			reason: "STS caps chained sessions at an hour.",
			creds:  hop(b, roleLong, "", func(o *stscreds.AssumeRoleOptions) { o.Duration = 2 * time.Hour }),
			code:   "ValidationError",
		},
		"TagsAllowed": {
			reason: "B allows session tags.",
			creds: hop(base, roleB, "ext-b", func(o *stscreds.AssumeRoleOptions) {
				o.Tags = []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}
				o.TransitiveTagKeys = []string{"team"}
			}),
			want: accountB + " arn:aws:sts::" + accountB + ":assumed-role/egress-b/egresskit",
		},
		"TransitiveTagsDenied": {
			reason: "Transitive tags reach C, which does not allow sts:TagSession.",
			creds: hop(hop(base, roleB, "ext-b", func(o *stscreds.AssumeRoleOptions) {
				o.Tags = []ststypes.Tag{{Key: aws.String("team"), Value: aws.String("platform")}}
				o.TransitiveTagKeys = []string{"team"}
			}), roleC, ""),
			code: "AccessDenied",
		},
		"WebIdentity": {
			reason: "A service account token of a trusted subject assumes irsa.",
			creds:  webIdentity(s, token(subject, "sts.amazonaws.com", time.Now().Add(time.Hour))),
			want:   accountB + " arn:aws:sts::" + accountB + ":assumed-role/irsa/egresskit",
		},
		"WebIdentityNotAJWT": {
			reason: "A token that is not a JWT is invalid.",
			creds:  webIdentity(s, "not-a-token"), code: "InvalidIdentityToken",
		},
		"WebIdentityWrongAudience": {
			reason: "An IRSA token is for sts.amazonaws.com.",
			creds:  webIdentity(s, token(subject, "kubernetes", time.Now().Add(time.Hour))), code: "InvalidIdentityToken",
		},
		"WebIdentityExpired": {
			reason: "An expired token is refused.",
			creds:  webIdentity(s, token(subject, "sts.amazonaws.com", time.Now().Add(-time.Minute))), code: "ExpiredTokenException",
		},
		"WebIdentityWrongSubject": {
			reason: "Only the trusted service account may assume irsa.",
			creds:  webIdentity(s, token("system:serviceaccount:default:other", "sts.amazonaws.com", time.Now().Add(time.Hour))), code: "AccessDenied",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := identity(tc.creds)
			if diff := cmp.Diff(tc.code, code(err)); diff != "" {
				t.Errorf("%s\nerror code: -want +got:\n%s\n%v", tc.reason, diff, err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s\nidentity: -want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

func webIdentity(s *sim, tok string) aws.CredentialsProvider {
	return stscreds.NewWebIdentityRoleProvider(newSTS(s.http.URL, aws.AnonymousCredentials{}), roleIRSA, staticToken(tok), func(o *stscreds.WebIdentityRoleOptions) {
		o.RoleSessionName = "egresskit"
	})
}

type staticToken string

func (t staticToken) GetIdentityToken() ([]byte, error) { return []byte(t), nil }

// TestSessionsKeepAccountsApart creates VPCs with sessions of two accounts
// and the long-term key, then expires a session: EC2 answers RequestExpired.
func TestSessionsKeepAccountsApart(t *testing.T) {
	s := newSim(t, ec2sim.Options{SecretKey: testSecret, Roles: stsRoles()})
	base := credentials.NewStaticCredentialsProvider(testAccessKey, testSecret, "")
	b := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(newSTS(s.http.URL, base), roleB, func(o *stscreds.AssumeRoleOptions) { o.ExternalID = aws.String("ext-b") }))
	c := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(newSTS(s.http.URL, b), roleC))
	clients := map[string]*ec2.Client{}
	for name, p := range map[string]aws.CredentialsProvider{"base": base, "b": b, "c": c} {
		clients[name] = ec2.New(ec2.Options{Region: testRegion, BaseEndpoint: aws.String(s.http.URL), Credentials: p, RetryMaxAttempts: 1})
		if _, err := clients[name].CreateVpc(s.ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.0.0.0/16")}); err != nil {
			t.Fatalf("CreateVpc as %s: %v", name, err)
		}
	}
	for name, want := range map[string]string{"base": ec2simAccount(testAccessKey), "b": accountB, "c": accountC} {
		out, err := clients[name].DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{})
		if err != nil {
			t.Fatalf("DescribeVpcs as %s: %v", name, err)
		}
		if len(out.Vpcs) != 1 || aws.ToString(out.Vpcs[0].OwnerId) != want {
			t.Errorf("%s sees %d VPCs, want its one of owner %s", name, len(out.Vpcs), want)
		}
	}
	n, err := s.srv.ExpireSessions(s.ctx, roleC)
	if err != nil || n != 1 {
		t.Fatalf("ExpireSessions(%s) = %d, %v; want 1 session", roleC, n, err)
	}
	_, err = clients["c"].DescribeVpcs(s.ctx, &ec2.DescribeVpcsInput{})
	if got := code(err); got != "RequestExpired" {
		t.Errorf("EC2 with an expired session: error code %q, want RequestExpired", got)
	}
	calls, _ := s.srv.STSCalls(s.ctx)
	if calls[roleB].AssumeRole != 1 || calls[roleC].AssumeRole != 1 {
		t.Errorf("STS calls %+v, want one AssumeRole of each role", calls)
	}
}

// TestPodIdentity gets credentials from the Pod Identity endpoint through
// the SDK's container credentials provider.
func TestPodIdentity(t *testing.T) {
	s := newSim(t, ec2sim.Options{SecretKey: testSecret, Roles: stsRoles()})
	if err := s.srv.AssociatePodIdentity(s.ctx, []ec2sim.PodIdentityAssociation{{Subject: subject, RoleARN: rolePod}}); err != nil {
		t.Fatal(err)
	}
	url := s.http.URL + ec2sim.PathPodIdentityCredentials
	cases := map[string]struct {
		reason string
		token  string
		want   string
	}{
		"Associated":    {reason: "The associated service account gets the role.", token: token(subject, ec2sim.PodIdentityAudience, time.Now().Add(time.Hour)), want: accountB},
		"WrongAudience": {reason: "A Pod Identity token is for pods.eks.amazonaws.com.", token: token(subject, "sts.amazonaws.com", time.Now().Add(time.Hour)), want: "not valid for audience"},
		"NotAssociated": {reason: "Another service account has no role.", token: token("system:serviceaccount:default:x", ec2sim.PodIdentityAudience, time.Now().Add(time.Hour)), want: "No Pod Identity association"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			p := endpointcreds.New(url, func(o *endpointcreds.Options) {
				o.AuthorizationToken = tc.token
				o.Retryer = aws.NopRetryer{}
			})
			got, err := p.Retrieve(s.ctx)
			if err != nil {
				got.AccountID = err.Error()
			}
			if !strings.Contains(got.AccountID, tc.want) {
				t.Errorf("%s\naccount %q, want %q (error %v)", tc.reason, got.AccountID, tc.want, err)
			}
		})
	}
	// The session works for EC2 in the role's account.
	p := endpointcreds.New(url, func(o *endpointcreds.Options) {
		o.AuthorizationToken = token(subject, ec2sim.PodIdentityAudience, time.Now().Add(time.Hour))
	})
	out, err := newSTS(s.http.URL, aws.NewCredentialsCache(p)).GetCallerIdentity(s.ctx, &sts.GetCallerIdentityInput{})
	if err != nil || aws.ToString(out.Account) != accountB {
		t.Errorf("GetCallerIdentity with Pod Identity: %v, %v; want account %s", out, err, accountB)
	}
}

// claims of a service account token.
type claims struct {
	Iss string   `json:"iss"`
	Sub string   `json:"sub"`
	Aud []string `json:"aud"`
	Exp int64    `json:"exp"`
}

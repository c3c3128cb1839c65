// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/credentials/stscreds"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/sts"
	authenticationv1 "k8s.io/api/authentication/v1"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/utils/ptr"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Accounts of the roles the credentials scenarios declare to ec2sim: none
// is the account of an access key.
const (
	accountB     = "210000000013"
	accountC     = "220000000013"
	accountIRSA  = "230000000013"
	accountPod   = "240000000013"
	accountHop1  = "250000000013"
	accountHop2  = "260000000013"
	chainExtID   = "egresskit-chain-4711"
	viewRoleName = "test-view"
)

// roleARN names role name of account.
func roleARN(account, name string) string { return "arn:aws:iam::" + account + ":role/" + name }

// viewRoles are roles the test itself assumes, with any credentials, to see
// and seed the EC2 state of accounts: the provider never assumes them, so
// STS counts of the provider's roles are the provider's alone.
func viewRoles(accounts ...string) []ec2sim.Role {
	out := make([]ec2sim.Role, 0, len(accounts))
	for _, a := range accounts {
		out = append(out, ec2sim.Role{ARN: roleARN(a, viewRoleName), Trust: ec2sim.Trust{Principals: []string{"*"}}})
	}
	return out
}

func simSTS(p aws.CredentialsProvider) *sts.Client {
	return sts.New(sts.Options{Region: stack.DefaultRegion, BaseEndpoint: aws.String(stk.EC2Sim.URL), Credentials: p})
}

// static returns the credentials as an SDK provider.
func static(c stack.Credentials) aws.CredentialsProvider {
	return credentials.NewStaticCredentialsProvider(c.AccessKeyID, c.SecretAccessKey, "")
}

// identity returns the account and ARN STS says p acts as.
func identity(t *testing.T, p aws.CredentialsProvider) (string, string) {
	t.Helper()
	out, err := simSTS(p).GetCallerIdentity(t.Context(), &sts.GetCallerIdentityInput{})
	if err != nil {
		t.Fatalf("GetCallerIdentity: %v", err)
	}
	return aws.ToString(out.Account), aws.ToString(out.Arn)
}

// inAccount returns the scenario seen from account, through the test's
// view role there, with a network of its own seeded in it.
func (s *scenario) inAccount(account string) *scenario {
	s.t.Helper()
	c := *s
	p := aws.NewCredentialsCache(stscreds.NewAssumeRoleProvider(simSTS(static(s.creds)), roleARN(account, viewRoleName)))
	c.ec2 = ec2.New(ec2.Options{Region: stack.DefaultRegion, BaseEndpoint: aws.String(stk.EC2Sim.URL), Credentials: p})
	var err error
	if c.net, err = stack.SeedNetwork(s.t.Context(), c.ec2, s.ns+"-"+account, 1); err != nil {
		s.t.Fatalf("cannot seed a network in account %s: %v", account, err)
	}
	return &c
}

// clusterConfig creates a ClusterProviderConfig named name with
// credentials creds, or the scenario's Secret when creds is nil, and chain;
// STS and EC2 are both ec2sim. It is deleted when the test ends, after the
// scenario's managed resources.
func (s *scenario) clusterConfig(name string, creds *apisv1alpha1.ClusterProviderCredentials, chain ...apisv1alpha1.AssumeRole) *apisv1alpha1.ClusterProviderConfig {
	s.t.Helper()
	if creds == nil {
		creds = &apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret, SecretRef: &xpv2.SecretKeySelector{
			SecretReference: xpv2.SecretReference{Namespace: s.ns, Name: stack.CredentialsSecret}, Key: stack.CredentialsKey,
		}}
	}
	pc := &apisv1alpha1.ClusterProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: apisv1alpha1.ClusterProviderConfigSpec{
			Credentials:     *creds,
			AssumeRoleChain: chain,
			Endpoint:        &apisv1alpha1.Endpoint{URL: stk.EC2Sim.URL, STSURL: aws.String(stk.EC2Sim.URL)},
		},
	}
	if err := stk.Client.Create(s.t.Context(), pc); err != nil {
		s.t.Fatalf("cannot create ClusterProviderConfig %s: %v", name, err)
	}
	return pc
}

// deleteConfigsLater deletes the named ClusterProviderConfigs when the test
// ends. Call it before newScenario, whose cleanup then runs first.
func deleteConfigsLater(t *testing.T, names ...string) {
	t.Helper()
	t.Cleanup(func() {
		// The test's context is done by now.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		for _, n := range names {
			pc := &apisv1alpha1.ClusterProviderConfig{ObjectMeta: metav1.ObjectMeta{Name: n}}
			if err := stk.Client.Delete(ctx, pc); err != nil && !kerrors.IsNotFound(err) {
				t.Errorf("cleanup: cannot delete ClusterProviderConfig %s: %v", n, err)
			}
		}
	})
}

// gatewayVia returns the public example in s's network, on provider config
// pc.
func (s *scenario) gatewayVia(name, pc string) *v1alpha1.NATGateway {
	s.t.Helper()
	gw := s.publicGateway()
	gw.SetName(name)
	gw.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ClusterProviderConfigKind, Name: pc}
	return gw
}

// resolvedAs wants a provider config's status to show account and an ARN
// that starts with arn.
func resolvedAs(account, arn string) stack.Check {
	return stack.All(stack.HasCondition(apisv1alpha1.TypeCredentials, corev1.ConditionTrue, string(apisv1alpha1.ReasonResolved)), func(o client.Object) error {
		st := o.(*apisv1alpha1.ClusterProviderConfig).Status
		if st.AccountID != account || !strings.HasPrefix(st.ARN, arn) {
			return errors.Errorf("status account %q ARN %q, want %q %q...", st.AccountID, st.ARN, account, arn)
		}
		return nil
	})
}

// assumed returns the successful STS calls of the provider's roles.
func assumed(t *testing.T, roles ...string) map[string]int64 {
	t.Helper()
	calls, err := stk.EC2Sim.Admin.STSCalls(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range roles {
		c := calls[r]
		out[r[strings.LastIndex(r, "/")+1:]] = c.AssumeRole + c.AssumeRoleWithWebIdentity + c.PodIdentity
	}
	return out
}

// neverUnsynced samples the Synced condition of objs until stop is closed
// and returns what it saw that was not Synced=True.
func neverUnsynced(t *testing.T, stop <-chan struct{}, objs ...*v1alpha1.NATGateway) func() []string {
	t.Helper()
	var mu sync.Mutex
	var seen []string
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			for _, o := range objs {
				gw := &v1alpha1.NATGateway{}
				if err := stk.Client.Get(t.Context(), client.ObjectKeyFromObject(o), gw); err != nil {
					continue
				}
				if c := gw.GetCondition(xpv2.TypeSynced); c.Status != corev1.ConditionTrue {
					mu.Lock()
					seen = append(seen, fmt.Sprintf("%s: Synced=%s %s", gw.GetName(), c.Status, c.Message))
					mu.Unlock()
				}
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	return func() []string {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return seen
	}
}

// TestAssumeRoleChain: one Secret's keys reach account B (one hop, with an
// external ID) and account C (base, B, C) through two
// ClusterProviderConfigs. A NATGateway in each account, base included, is
// created in its own account's EC2 and heals independently; the sessions of
// B and C expire mid-run and are renewed without a failed reconcile; a
// wrong external ID is a clear condition, and nothing is created.
func TestAssumeRoleChain(t *testing.T) {
	t.Parallel()
	deleteConfigsLater(t, "chain-b", "chain-c", "chain-wrong")
	s := newScenario(t, "chain")
	baseAccount, baseARN := identity(t, static(s.creds))
	roleB, roleC := roleARN(accountB, "egress-b"), roleARN(accountC, "egress-c")
	err := stk.EC2Sim.Admin.PutRoles(t.Context(), append(viewRoles(accountB, accountC),
		ec2sim.Role{ARN: roleB, Trust: ec2sim.Trust{Principals: []string{baseARN}, ExternalID: chainExtID}},
		ec2sim.Role{ARN: roleC, Trust: ec2sim.Trust{Principals: []string{roleB}}}))
	if err != nil {
		t.Fatal(err)
	}
	inB, inC := s.inAccount(accountB), s.inAccount(accountC)
	hopB := apisv1alpha1.AssumeRole{RoleARN: roleB, ExternalID: aws.String(chainExtID)}
	toB := s.clusterConfig("chain-b", nil, hopB)
	toC := s.clusterConfig("chain-c", nil, hopB, apisv1alpha1.AssumeRole{RoleARN: roleC, SessionName: aws.String("egresskit-c")})

	gws := map[string]*v1alpha1.NATGateway{
		baseAccount: s.gatewayVia("in-base", s.ns),
		accountB:    inB.gatewayVia("in-b", "chain-b"),
		accountC:    inC.gatewayVia("in-c", "chain-c"),
	}
	views := map[string]*scenario{baseAccount: s, accountB: inB, accountC: inC}
	for _, gw := range gws {
		s.create(gw)
	}
	ids := map[string]string{}
	for account, gw := range gws {
		s.waitReady(gw)
		ids[account] = meta.GetExternalName(gw)
	}
	s.waitFor(toB, readyTimeout, resolvedAs(accountB, "arn:aws:sts::"+accountB+":assumed-role/egress-b/egresskit-chain-b"))
	s.waitFor(toC, readyTimeout, resolvedAs(accountC, "arn:aws:sts::"+accountC+":assumed-role/egress-c/egresskit-c"))

	// Each account's EC2 holds its own gateway, and only it.
	for account, view := range views {
		for other, gw := range gws {
			want := []string(nil)
			if other == account {
				want = []string{ids[account]}
			}
			if got := liveGatewaysOf(view.gateways(), gw); !slices.Equal(got, want) {
				t.Errorf("account %s holds gateways %v of %s, want %v", account, got, gw.GetName(), want)
			}
		}
	}
	if got := assumed(t, roleB, roleC); got["egress-b"] != 2 || got["egress-c"] != 1 {
		t.Errorf("AssumeRole calls %v, want one session of B per configuration and one of C", got)
	}

	// C's gateway deleted out of band heals in C; the others keep theirs.
	if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), ids[accountC], false); err != nil {
		t.Fatal(err)
	}
	ids[accountC] = inC.healed(gws[accountC], ids[accountC], "deleted", 1)
	for _, account := range []string{baseAccount, accountB} {
		s.get(gws[account])
		if got := meta.GetExternalName(gws[account]); got != ids[account] {
			t.Errorf("the gateway of account %s changed from %s to %s when C's healed", account, ids[account], got)
		}
	}

	// The sessions of B and C expire mid-run; B's gateway is then deleted
	// out of band. EC2 answers RequestExpired, the provider renews the
	// chain once per configuration, heals B, and no reconcile fails.
	stop := make(chan struct{})
	unsynced := neverUnsynced(t, stop, gws[accountB], gws[accountC])
	for _, r := range []string{roleB, roleC} {
		if _, err := stk.EC2Sim.Admin.ExpireSessions(t.Context(), r); err != nil {
			t.Fatal(err)
		}
	}
	expired := time.Now()
	if err := stk.EC2Sim.Admin.DeleteNatGateway(t.Context(), ids[accountB], false); err != nil {
		t.Fatal(err)
	}
	inB.healed(gws[accountB], ids[accountB], "deleted", 1)
	err = pollFor(t.Context(), readyTimeout, func() error {
		if got := assumed(t, roleB, roleC); got["egress-b"] != 4 || got["egress-c"] != 2 {
			return errors.Errorf("AssumeRole calls %v, want B 4 and C 2 once both configurations renewed", got)
		}
		return nil
	})
	close(stop)
	if err != nil {
		t.Error(err)
	}
	if seen := unsynced(); len(seen) > 0 {
		t.Errorf("managed resources were not Synced after their sessions expired: %v", seen)
	}
	t.Logf("sessions expired; renewed and healed B in %s; AssumeRole calls %v", time.Since(expired).Round(time.Second), assumed(t, roleB, roleC))

	// A wrong external ID: the provider config and the NATGateway say so,
	// and nothing is created in B.
	wrong := s.clusterConfig("chain-wrong", nil, apisv1alpha1.AssumeRole{RoleARN: roleB, ExternalID: aws.String("not-" + chainExtID)})
	denied := inB.gatewayVia("denied", "chain-wrong")
	s.create(denied)
	s.waitFor(denied, readyTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "hop 1 of spec.assumeRoleChain (AccessDenied"))
	s.waitFor(wrong, readyTimeout, stack.HasCondition(apisv1alpha1.TypeCredentials, corev1.ConditionFalse, string(apisv1alpha1.ReasonAccessDenied)))
	if c := denied.GetCondition(xpv2.TypeSynced); !strings.Contains(c.Message, "spec.assumeRoleChain[0].externalID") {
		t.Errorf("Synced=False message %q does not say which externalID to check", c.Message)
	}
	if got := liveGatewaysOf(inB.gateways(), denied); len(got) != 0 {
		t.Errorf("B holds gateways %v of %s, whose configuration may not assume B", got, denied.GetName())
	}
	if meta.GetExternalName(denied) != "" {
		t.Errorf("%s has external name %q, want none", denied.GetName(), meta.GetExternalName(denied))
	}
	noSecretsLogged(t, stk.SecretKey, sessionTokenPrefix)
}

// sessionTokenPrefix starts every session token ec2sim issues.
const sessionTokenPrefix = "IQoJ"

// noSecretsLogged fails t if the provider's log, at debug level, holds any
// of secrets.
func noSecretsLogged(t *testing.T, secrets ...string) {
	t.Helper()
	b, err := os.ReadFile(stk.Provider.Process().LogPath())
	if err != nil {
		t.Fatal(err)
	}
	for _, secret := range secrets {
		if strings.Contains(string(b), secret) {
			t.Errorf("the provider's log holds a secret (%d characters)", len(secret))
		}
	}
}

// serviceAccountToken mints a token of service account provider in s's
// namespace for audience, through the API server's TokenRequest API, and
// returns it with its subject.
func (s *scenario) serviceAccountToken(audience string) (string, string) {
	s.t.Helper()
	sa := &corev1.ServiceAccount{ObjectMeta: metav1.ObjectMeta{Namespace: s.ns, Name: "provider"}}
	if err := stk.Client.Create(s.t.Context(), sa); err != nil && !kerrors.IsAlreadyExists(err) {
		s.t.Fatal(err)
	}
	tr := &authenticationv1.TokenRequest{Spec: authenticationv1.TokenRequestSpec{Audiences: []string{audience}, ExpirationSeconds: ptr.To[int64](3600)}}
	if err := stk.Client.SubResource("token").Create(s.t.Context(), sa, tr); err != nil {
		s.t.Fatalf("cannot request a token of service account %s/%s: %v", s.ns, sa.Name, err)
	}
	return tr.Status.Token, "system:serviceaccount:" + s.ns + ":" + sa.Name
}

// TestWebIdentity is IRSA: a ClusterProviderConfig assumes a role with a
// token file holding a service account token the API server minted, and
// its NATGateway is created in the role's account; a token of another
// audience is InvalidIdentityToken.
func TestWebIdentity(t *testing.T) {
	t.Parallel()
	deleteConfigsLater(t, "irsa-role", "irsa-bad-token")
	// Made before the scenario, so the token files outlive the deletion of
	// its managed resources, which the provider signs with them.
	dir := t.TempDir()
	s := newScenario(t, "irsa")
	tok, sub := s.serviceAccountToken(ec2sim.DefaultWebIdentityAudience)
	bad, _ := s.serviceAccountToken("kubernetes")
	good, wrongAud := filepath.Join(dir, "token"), filepath.Join(dir, "bad-token")
	for f, v := range map[string]string{good: tok, wrongAud: bad} {
		if err := os.WriteFile(f, []byte(v), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	role := roleARN(accountIRSA, "irsa")
	if err := stk.EC2Sim.Admin.PutRoles(t.Context(), append(viewRoles(accountIRSA),
		ec2sim.Role{ARN: role, Trust: ec2sim.Trust{WebIdentity: &ec2sim.WebIdentityTrust{Subjects: []string{sub}}}})); err != nil {
		t.Fatal(err)
	}
	irsa := func(file string) *apisv1alpha1.ClusterProviderCredentials {
		return &apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourceWebIdentity, WebIdentity: &apisv1alpha1.WebIdentity{RoleARN: role, TokenFile: aws.String(file)}}
	}
	pc := s.clusterConfig("irsa-role", irsa(good))
	badPC := s.clusterConfig("irsa-bad-token", irsa(wrongAud))
	in := s.inAccount(accountIRSA)
	gw, rejected := in.gatewayVia("irsa", "irsa-role"), in.gatewayVia("irsa-bad", "irsa-bad-token")
	s.create(gw, rejected)
	s.waitReady(gw)
	s.waitFor(pc, readyTimeout, resolvedAs(accountIRSA, "arn:aws:sts::"+accountIRSA+":assumed-role/irsa/egresskit-irsa-role"))
	if got := liveGatewaysOf(in.gateways(), gw); !slices.Equal(got, []string{meta.GetExternalName(gw)}) {
		t.Errorf("account %s holds gateways %v of %s, want [%s]", accountIRSA, got, gw.GetName(), meta.GetExternalName(gw))
	}
	s.waitFor(rejected, readyTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, "InvalidIdentityToken"))
	s.waitFor(badPC, readyTimeout, stack.HasCondition(apisv1alpha1.TypeCredentials, corev1.ConditionFalse, string(apisv1alpha1.ReasonInvalidIdentityToken)))
	for _, secret := range []string{tok, bad} {
		s.get(rejected)
		if strings.Contains(rejected.GetCondition(xpv2.TypeSynced).Message, secret) {
			t.Errorf("a condition holds a web identity token")
		}
	}
	noSecretsLogged(t, tok, bad, sessionTokenPrefix)
}

// TestPodIdentity: the provider's Pod Identity agent (ec2sim's endpoint,
// with a token the API server minted for audience pods.eks.amazonaws.com)
// hands out a role, and a NATGateway of a PodIdentity ClusterProviderConfig
// is created in its account.
func TestPodIdentity(t *testing.T) {
	t.Parallel()
	deleteConfigsLater(t, "pod-identity-role")
	s := newScenario(t, "pod-identity")
	tok, sub := s.serviceAccountToken(ec2sim.PodIdentityAudience)
	if err := os.WriteFile(stk.PodIdentityTokenFile, []byte(tok), 0o600); err != nil {
		t.Fatal(err)
	}
	role := roleARN(accountPod, "pod")
	if err := stk.EC2Sim.Admin.PutRoles(t.Context(), append(viewRoles(accountPod),
		ec2sim.Role{ARN: role, Trust: ec2sim.Trust{Principals: []string{ec2sim.PrincipalPodIdentity}, TagSession: true}})); err != nil {
		t.Fatal(err)
	}
	if err := stk.EC2Sim.Admin.AssociatePodIdentity(t.Context(), []ec2sim.PodIdentityAssociation{{Subject: sub, RoleARN: role}}); err != nil {
		t.Fatal(err)
	}
	pc := s.clusterConfig("pod-identity-role", &apisv1alpha1.ClusterProviderCredentials{Source: apisv1alpha1.CredentialsSourcePodIdentity})
	in := s.inAccount(accountPod)
	gw := in.gatewayVia("pod", "pod-identity-role")
	s.create(gw)
	s.waitReady(gw)
	s.waitFor(pc, readyTimeout, resolvedAs(accountPod, "arn:aws:sts::"+accountPod+":assumed-role/pod/eks-pod-identity-"))
	if got := liveGatewaysOf(in.gateways(), gw); !slices.Equal(got, []string{meta.GetExternalName(gw)}) {
		t.Errorf("account %s holds gateways %v of %s, want [%s]", accountPod, got, gw.GetName(), meta.GetExternalName(gw))
	}
	if got := assumed(t, role); got["pod"] != 1 {
		t.Errorf("Pod Identity sessions %v, want 1", got)
	}
}

// -sts-resources and -sts-run size TestSTSCallsPerHop: the figure it
// prints is per session lifetime (one hour), whatever the run's length or
// the number of resources (internal/clients/ec2's TestCredentialsShared
// counts 100 resources in two regions). make test runs 25 resources for a
// minute; make bench-sts 100 for five minutes. The suite's provider serves
// every scenario, and a create waits for the account's CreateNatGateway
// budget (half of EC2's bucket: a create every two seconds) in a reconcile
// worker, so the resources are created at that pace.
var (
	stsRunResources = flag.Int("sts-resources", 25, "NATGateways TestSTSCallsPerHop creates on its two-hop chain")
	stsRun          = flag.Duration("sts-run", time.Minute, "how long TestSTSCallsPerHop runs before it counts the STS calls")
)

// stsCreatePace is how often TestSTSCallsPerHop creates, and deletes, a
// NATGateway.
const stsCreatePace = 2 * time.Second

// TestSTSCallsPerHop counts the STS calls of a two-hop chain while
// -sts-resources NATGateways on it are created and observed for -sts-run.
func TestSTSCallsPerHop(t *testing.T) {
	t.Parallel()
	deleteConfigsLater(t, "sts-count-chain")
	s := newScenario(t, "sts-count")
	_, baseARN := identity(t, static(s.creds))
	hop1, hop2 := roleARN(accountHop1, "hop-1"), roleARN(accountHop2, "hop-2")
	if err := stk.EC2Sim.Admin.PutRoles(t.Context(), append(viewRoles(accountHop2),
		ec2sim.Role{ARN: hop1, Trust: ec2sim.Trust{Principals: []string{baseARN}}},
		ec2sim.Role{ARN: hop2, Trust: ec2sim.Trust{Principals: []string{hop1}}})); err != nil {
		t.Fatal(err)
	}
	s.clusterConfig("sts-count-chain", nil, apisv1alpha1.AssumeRole{RoleARN: hop1}, apisv1alpha1.AssumeRole{RoleARN: hop2})
	in := s.inAccount(accountHop2)
	begin := time.Now()
	gws := make([]*v1alpha1.NATGateway, 0, *stsRunResources)
	for i := range *stsRunResources {
		gw := in.privateGateway()
		gw.SetName(fmt.Sprintf("gw-%03d", i))
		gw.Spec.ForProvider.PrivateIPAddress = nil
		gw.Spec.ForProvider.SecondaryPrivateIPAddressCount = nil
		gw.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ClusterProviderConfigKind, Name: "sts-count-chain"}
		s.create(gw)
		gws = append(gws, gw)
		time.Sleep(stsCreatePace)
	}
	for _, gw := range gws {
		s.waitReady(gw)
	}
	ready := time.Since(begin)
	time.Sleep(max(0, *stsRun-ready))
	calls := assumed(t, hop1, hop2)
	t.Logf("STS over %s with %d NATGateways on a 2-hop chain (all Ready after %s): AssumeRole hop 1: %d, hop 2: %d; per resource: %.2f, %.2f",
		time.Since(begin).Round(time.Second), *stsRunResources, ready.Round(time.Second), calls["hop-1"], calls["hop-2"],
		float64(calls["hop-1"])/float64(*stsRunResources), float64(calls["hop-2"])/float64(*stsRunResources))
	if calls["hop-1"] != 1 || calls["hop-2"] != 1 {
		t.Errorf("AssumeRole calls %v, want 1 per hop per session lifetime", calls)
	}

	// Deleted at the pace of the account's DeleteNatGateway budget.
	for _, gw := range gws {
		s.delete(gw)
		time.Sleep(stsCreatePace)
	}
	err := pollFor(t.Context(), goneTimeout, func() error {
		l := &v1alpha1.NATGatewayList{}
		if err := stk.Client.List(t.Context(), l, client.InNamespace(s.ns)); err != nil {
			return err
		}
		if len(l.Items) > 0 {
			return errors.Errorf("%d NATGateways left", len(l.Items))
		}
		return nil
	})
	if err != nil {
		t.Error(err)
	}
	if got := assumed(t, hop1, hop2); got["hop-1"] != 1 || got["hop-2"] != 1 {
		t.Errorf("AssumeRole calls %v after deleting every gateway, want still 1 per hop", got)
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"
	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	apisv1alpha1 "github.com/egresskit/provider-aws-egress/apis/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
)

// TestBadInput is scenario 7: invalid objects are rejected at admission with
// a message that names the problem, or get Synced=False with a condition
// that names it; no NAT gateway is made for any of them.
//
// It counts ec2sim's calls, so it runs alone.
func TestBadInput(t *testing.T) {
	s := newScenario(t, "bad-input")
	ctx := t.Context()
	subnet := s.net.Zones[0].PublicSubnetID
	eip := s.allocate(1)[0]
	before, err := stk.EC2Sim.Admin.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Provider configurations that cannot work, each with its Secret.
	wrongSecret := s.creds
	wrongSecret.SecretAccessKey = "not-the-secret"
	configs := []client.Object{
		providerConfig("missing-secret", "absent", stack.CredentialsKey),
		providerConfig("wrong-key", stack.CredentialsSecret, "creds"),
		secret("no-access-key", "[default]\naws_secret_access_key = x\n"),
		providerConfig("no-access-key", "no-access-key", stack.CredentialsKey),
		secret("wrong-secret", wrongSecret.Profile()),
		providerConfig("wrong-secret", "wrong-secret", stack.CredentialsKey),
	}
	s.create(configs...)

	cases := map[string]struct {
		reason    string
		obj       client.Object
		admission string // part of the API server's refusal
		synced    string // part of the Synced=False message
	}{
		"PrivateWithAllocation": {
			reason:    "A private gateway has no Elastic IP.",
			obj:       gateway("private-eip", withSubnet(subnet), withPrivate(), withAllocation(eip)),
			admission: "allocationId, allocationIdRef and allocationIdSelector are not allowed on a private NAT gateway",
		},
		"RegionalWithoutVpc": {
			reason:    "A regional gateway spans the zones of a VPC, which it must name.",
			obj:       gateway("regional-no-vpc", func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.AvailabilityMode = aws.String("regional") }),
			admission: "spec.forProvider.vpcId is required to create a regional NAT gateway",
		},
		"ZonalWithVpc": {
			reason:    "A zonal gateway takes its VPC from its subnet.",
			obj:       gateway("zonal-vpc", withSubnet(subnet), withAllocation(eip), func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.VpcID = aws.String(s.net.VpcID) }),
			admission: "vpcId is only allowed on a regional NAT gateway",
		},
		"MalformedSubnetID": {
			reason:    "A subnet ID is subnet- and 8 to 17 hex digits.",
			obj:       gateway("bad-subnet", withSubnet("subnet-XYZ"), withAllocation(eip)),
			admission: "spec.forProvider.subnetId in body should match '^subnet-[0-9a-f]{8,17}$'",
		},
		"MalformedAllocationID": {
			reason:    "An allocation ID is eipalloc- and 8 to 17 hex digits.",
			obj:       gateway("bad-allocation", withSubnet(subnet), withAllocation("eip-1")),
			admission: "spec.forProvider.allocationId in body should match '^eipalloc-[0-9a-f]{8,17}$'",
		},
		"PublicWithoutAddress": {
			reason:    "A public zonal gateway needs an Elastic IP.",
			obj:       gateway("public-no-eip", withSubnet(subnet)),
			admission: "a public zonal NAT gateway needs an Elastic IP address",
		},
		"ReservedTag": {
			reason: "Tags beginning with aws: belong to AWS.",
			obj: gateway("aws-tag", withSubnet(subnet), withAllocation(eip), func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.Tags = map[string]string{"aws:cloudformation:stack-name": "x"}
			}),
			admission: "tag keys beginning with aws: are reserved by AWS",
		},
		"UnknownRegion": {
			reason:    "A region is named like us-east-1.",
			obj:       gateway("bad-region", withSubnet(subnet), withAllocation(eip), func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.Region = "Mars" }),
			admission: "spec.forProvider.region in body should match",
		},
		"SecondaryCountOnPublic": {
			reason:    "EC2 picks secondary private addresses only for private gateways.",
			obj:       gateway("public-count", withSubnet(subnet), withAllocation(eip), func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.SecondaryPrivateIPAddressCount = aws.Int32(2) }),
			admission: "secondaryPrivateIpAddressCount is only allowed on a private NAT gateway",
		},
		"ProviderConfigWithoutSecretRef": {
			reason: "Credentials from a Secret need the Secret's name and key.",
			obj: &apisv1alpha1.ProviderConfig{
				ObjectMeta: metav1.ObjectMeta{Name: "no-ref"},
				Spec:       apisv1alpha1.ProviderConfigSpec{Credentials: apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceSecret}},
			},
			admission: "spec.credentials.secretRef is required when spec.credentials.source is Secret",
		},
		"ProviderConfigWithProviderIdentity": {
			reason: "A namespaced ProviderConfig may not borrow the provider's own credentials.",
			obj: &apisv1alpha1.ProviderConfig{
				ObjectMeta: metav1.ObjectMeta{Name: "environment"},
				Spec:       apisv1alpha1.ProviderConfigSpec{Credentials: apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceEnvironment}},
			},
			admission: `spec.credentials.source: Unsupported value: "Environment"`,
		},
		"ProviderConfigWithBadEndpoint": {
			reason: "An endpoint is an http or https URL.",
			obj: &apisv1alpha1.ProviderConfig{
				ObjectMeta: metav1.ObjectMeta{Name: "ftp"},
				Spec: apisv1alpha1.ProviderConfigSpec{
					Credentials: apisv1alpha1.ProviderCredentials{Source: apisv1alpha1.CredentialsSourceNone},
					Endpoint:    &apisv1alpha1.Endpoint{URL: "ftp://127.0.0.1:21"},
				},
			},
			admission: "spec.endpoint.url in body should match",
		},
		"RouteWithoutTarget": {
			reason: "A route sends traffic somewhere.",
			obj: &v1alpha1.Route{
				ObjectMeta: metav1.ObjectMeta{Name: "no-target"},
				Spec: v1alpha1.RouteSpec{
					ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
					ForProvider:         v1alpha1.RouteParameters{Region: stack.DefaultRegion, RouteTableID: s.net.Zones[0].PrivateRouteTableID, DestinationCidrBlock: aws.String("0.0.0.0/0")},
				},
			},
			admission: "a route needs a target",
		},
		"ElasticIPAddressWithoutPool": {
			reason: "Bring-your-own addresses come from a pool.",
			obj: &v1alpha1.ElasticIP{
				ObjectMeta: metav1.ObjectMeta{Name: "byoip"},
				Spec: v1alpha1.ElasticIPSpec{
					ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
					ForProvider:         v1alpha1.ElasticIPParameters{Region: stack.DefaultRegion, Address: aws.String("198.51.100.7")},
				},
			},
			admission: "address (bring your own IP) needs publicIpv4Pool",
		},

		"MissingProviderConfig": {
			reason: "The ProviderConfig named does not exist.",
			obj:    gateway("no-config", withSubnet(subnet), withAllocation(eip), withConfig("absent")),
			synced: "cannot get ProviderConfig bad-input/absent: not found: create it in namespace bad-input",
		},
		"MissingSecret": {
			reason: "The ProviderConfig's Secret does not exist.",
			obj:    gateway("no-secret", withSubnet(subnet), withAllocation(eip), withConfig("missing-secret")),
			synced: "cannot get secret bad-input/absent: not found",
		},
		"WrongSecretKey": {
			reason: "The Secret has no such key.",
			obj:    gateway("wrong-key", withSubnet(subnet), withAllocation(eip), withConfig("wrong-key")),
			synced: "secret bad-input/aws-creds has no key creds",
		},
		"ProfileWithoutAccessKey": {
			reason: "The credentials profile lacks its access key ID.",
			obj:    gateway("no-access-key", withSubnet(subnet), withAllocation(eip), withConfig("no-access-key")),
			synced: "credentials profile [default] has no aws_access_key_id",
		},
		"WrongSecretAccessKey": {
			reason: "EC2 refuses the signature of a wrong secret access key.",
			obj:    gateway("wrong-secret", withSubnet(subnet), withAllocation(eip), withConfig("wrong-secret")),
			synced: "AuthFailure",
		},
		"UnknownSubnet": {
			reason: "EC2 knows no such subnet.",
			obj:    gateway("unknown-subnet", withSubnet("subnet-0123456789abcdef0"), withAllocation(eip)),
			synced: "InvalidSubnetID.NotFound",
		},
		"UnknownAllocation": {
			reason: "EC2 knows no such Elastic IP.",
			obj:    gateway("unknown-allocation", withSubnet(subnet), withAllocation("eipalloc-0123456789abcdef0")),
			synced: "InvalidElasticIpID.NotFound",
		},
		"ImportUnknownGateway": {
			reason: "An observe-only import of a gateway EC2 does not know.",
			obj: gateway("import-unknown", func(g *v1alpha1.NATGateway) {
				meta.SetExternalName(g, "nat-0123456789abcdef0")
				g.Spec.ManagementPolicies = xpv2.ManagementPolicies{xpv2.ManagementActionObserve}
			}),
			synced: "external resource does not exist",
		},
		"MissingElasticIP": {
			reason: "The referenced ElasticIP does not exist.",
			obj: gateway("missing-eip", withSubnet(subnet), func(g *v1alpha1.NATGateway) {
				g.Spec.ForProvider.AllocationIDRef = &xpv2.NamespacedReference{Name: "absent"}
			}),
			synced: "cannot resolve references",
		},
	}

	var (
		mu       sync.Mutex
		admitted []client.Object
	)
	admit := func(o client.Object) {
		mu.Lock()
		defer mu.Unlock()
		admitted = append(admitted, o)
	}
	t.Run("Objects", func(t *testing.T) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				tc.obj.SetNamespace(s.ns)
				err := stk.Client.Create(ctx, tc.obj)
				if tc.admission != "" {
					if err == nil {
						admit(tc.obj)
						t.Fatalf("%s\nadmitted, want refused with %q", tc.reason, tc.admission)
					}
					if !kerrors.IsInvalid(err) || !strings.Contains(err.Error(), tc.admission) {
						t.Fatalf("%s\nrefused with %v\nwant a validation error with %q", tc.reason, err, tc.admission)
					}
					t.Logf("refused: %v", err)
					return
				}
				if err != nil {
					t.Fatalf("%s\ncannot create: %v", tc.reason, err)
				}
				admit(tc.obj)
				if err := stk.WaitFor(ctx, tc.obj, readyTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, tc.synced)); err != nil {
					t.Fatalf("%s\n%v", tc.reason, err)
				}
				t.Logf("Synced=False: %s", tc.obj.(resource.Conditioned).GetCondition(xpv2.TypeSynced).Message)
			})
		}
	})

	// No gateway was made, in the scenario's account or in the account of
	// the wrong secret.
	if gws := s.state().NatGateways; len(gws) != 0 {
		t.Errorf("EC2 holds gateways: %+v", gws)
	}
	after, err := stk.EC2Sim.Admin.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b, a := before["CreateNatGateway"], after["CreateNatGateway"]
	var failed int64
	for _, n := range a.Errors {
		failed += n
	}
	for _, n := range b.Errors {
		failed -= n
	}
	t.Logf("CreateNatGateway calls: %d, all refused by EC2: %v; requests with bad signatures: %d",
		a.Calls-b.Calls, a.Errors, after["_invalid"].Calls-before["_invalid"].Calls)
	if ok := a.Calls - b.Calls - failed; ok != 0 {
		t.Errorf("%d CreateNatGateway calls succeeded, want none", ok)
	}

	// Managed resources whose provider configuration cannot connect keep
	// their finalizer: the provider cannot ask EC2 whether something is left
	// to delete. Nothing is, as checked above, so they are let go.
	for _, o := range admitted {
		s.forget(o)
	}
}

// forget deletes o and, if the provider has not finalized it within a few
// poll intervals, removes its finalizers.
func (s *scenario) forget(o client.Object) {
	s.t.Helper()
	s.delete(o)
	if err := stk.WaitGone(s.t.Context(), o, 3*PollInterval); err == nil {
		return
	}
	if err := stk.Client.Get(s.t.Context(), client.ObjectKeyFromObject(o), o); err != nil {
		return
	}
	s.t.Logf("%s %s keeps its finalizer (Synced: %s); removing it", stack.Kind(o), o.GetName(),
		o.(resource.Conditioned).GetCondition(xpv2.TypeSynced).Message)
	o.SetFinalizers(nil)
	if err := stk.Client.Update(s.t.Context(), o); err != nil && !kerrors.IsNotFound(err) {
		s.t.Errorf("cannot remove the finalizers of %s %s: %v", stack.Kind(o), o.GetName(), err)
	}
	if err := stk.WaitGone(s.t.Context(), o, 30*time.Second); err != nil {
		s.t.Error(err)
	}
}

// gateway returns a NATGateway using the namespace's ProviderConfig, changed
// by fns.
func gateway(name string, fns ...func(*v1alpha1.NATGateway)) *v1alpha1.NATGateway {
	g := &v1alpha1.NATGateway{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: v1alpha1.NATGatewaySpec{
			ManagedResourceSpec: xpv2.ManagedResourceSpec{ProviderConfigReference: stack.ProviderConfigRef()},
			ForProvider:         v1alpha1.NATGatewayParameters{Region: stack.DefaultRegion},
		},
	}
	for _, fn := range fns {
		fn(g)
	}
	return g
}

func withSubnet(id string) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.SubnetID = aws.String(id) }
}

func withAllocation(id string) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.AllocationID = aws.String(id) }
}

func withPrivate() func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) { g.Spec.ForProvider.ConnectivityType = aws.String("private") }
}

func withConfig(name string) func(*v1alpha1.NATGateway) {
	return func(g *v1alpha1.NATGateway) {
		g.Spec.ProviderConfigReference = &xpv2.ProviderConfigReference{Kind: apisv1alpha1.ProviderConfigKind, Name: name}
	}
}

// providerConfig returns a ProviderConfig of the ec2sim endpoint that reads
// key of Secret name.
func providerConfig(name, secretName, key string) *apisv1alpha1.ProviderConfig {
	return &apisv1alpha1.ProviderConfig{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: apisv1alpha1.ProviderConfigSpec{
			Credentials: apisv1alpha1.ProviderCredentials{
				Source: apisv1alpha1.CredentialsSourceSecret,
				SecretRef: &xpv2.LocalSecretKeySelector{
					LocalSecretReference: xpv2.LocalSecretReference{Name: secretName},
					Key:                  key,
				},
			},
			Endpoint: &apisv1alpha1.Endpoint{URL: stk.EC2Sim.URL},
		},
	}
}

// secret returns a Secret holding profile under stack.CredentialsKey.
func secret(name, profile string) *corev1.Secret {
	return &corev1.Secret{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		StringData: map[string]string{stack.CredentialsKey: profile},
	}
}

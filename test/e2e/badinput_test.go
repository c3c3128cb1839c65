// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"errors"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"
	corev1 "k8s.io/api/core/v1"
	kerrors "k8s.io/apimachinery/pkg/api/errors"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/resource"
	xpv2 "github.com/crossplane/crossplane/apis/v2/core/v2"

	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// A badInput is an object that cannot work, and how it is refused: at
// admission, with a validation error holding admission, or by the provider,
// with a Synced=False condition whose message holds every part of synced.
type badInput struct {
	reason    string
	obj       client.Object
	admission string
	synced    []string
}

// sdkDump are parts of the SDK's rendering of an error, which no condition
// may show: the error is told in a sentence instead.
var sdkDump = []string{"operation error", "https response error", "StatusCode:", "RequestID:"}

// mutations are the EC2 actions that create or change something. No bad
// input may make one succeed.
var mutations = []string{
	"CreateNatGateway", "AllocateAddress", "CreateRoute", "ReplaceRoute", "DeleteRoute",
	"AssociateNatGatewayAddress", "AssignPrivateNatGatewayAddress", "CreateTags",
}

// TestBadInput is scenario 7: objects of every kind, and provider
// configurations of both kinds, that cannot work are rejected at admission
// with a message that names the problem, or get Synced=False with a
// condition that names the spec field and, for EC2's refusals, the EC2
// code, in a sentence rather than the SDK's dump. Nothing is created in
// EC2 for any of them, and the provider stays up throughout.
//
// It counts ec2sim's calls, so it runs alone.
func TestBadInput(t *testing.T) {
	s := newScenario(t, "bad-input")
	ctx := t.Context()
	f := s.badInputFixtures()
	configs := f.configs()
	for _, o := range configs {
		if err := stk.Client.Create(ctx, o); err != nil {
			t.Fatalf("cannot create %s %s: %v", stack.Kind(o), o.GetName(), err)
		}
	}
	t.Cleanup(func() {
		for _, o := range configs {
			if err := stk.Client.Delete(context.Background(), o); err != nil && !kerrors.IsNotFound(err) {
				t.Errorf("cannot delete %s %s: %v", stack.Kind(o), o.GetName(), err)
			}
		}
	})

	pid := stk.Provider.Process().Pid()
	before := s.state()
	calls, err := stk.EC2Sim.Admin.Calls(ctx)
	if err != nil {
		t.Fatal(err)
	}

	cases := f.cases()
	var admission, synced int
	for _, tc := range cases {
		if tc.admission != "" {
			admission++
		} else {
			synced++
		}
	}
	t.Logf("%d bad inputs: %d refused at admission, %d with Synced=False", len(cases), admission, synced)

	var (
		mu       sync.Mutex
		admitted []client.Object
	)
	t.Run("Objects", func(t *testing.T) {
		for name, tc := range cases {
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				if tc.obj.GetNamespace() == "" && !isCluster(tc.obj) {
					tc.obj.SetNamespace(s.ns)
				}
				err := stk.Client.Create(ctx, tc.obj)
				if err == nil {
					mu.Lock()
					admitted = append(admitted, tc.obj)
					mu.Unlock()
				}
				checkBadInput(ctx, t, tc, err)
			})
		}
	})

	// Nothing was created in EC2.
	{
		after := s.state()
		if got, want := gatewayIDs(after), gatewayIDs(before); !sameStrings(got, want) {
			t.Errorf("EC2 holds NAT gateways %v, want only the fixtures %v", got, want)
		}
		if got, want := addressIDs(after), addressIDs(before); !sameStrings(got, want) {
			t.Errorf("EC2 holds addresses %v, want only the fixtures %v", got, want)
		}
		if got, want := routeCount(after), routeCount(before); got != want {
			t.Errorf("EC2 holds %d routes, want the %d of the fixtures", got, want)
		}
		now, err := stk.EC2Sim.Admin.Calls(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, action := range mutations {
			ok := succeeded(now[action]) - succeeded(calls[action])
			t.Logf("%s: %d calls since the fixtures, refused by EC2: %v", action, now[action].Calls-calls[action].Calls, now[action].Errors)
			if ok != 0 {
				t.Errorf("%d %s calls succeeded, want none", ok, action)
			}
		}
		t.Logf("requests with bad signatures: %d", now["_invalid"].Calls-calls["_invalid"].Calls)
	}

	// The provider is the process it was before the bad inputs.
	if p := stk.Provider.Process(); !p.Running() || p.Pid() != pid {
		t.Fatalf("provider pid %d running %v, want pid %d still running: it crashed on bad input\n%s", p.Pid(), p.Running(), pid, stk.Provider.Tail(40))
	}
	t.Logf("provider pid %d still running", pid)

	// Managed resources whose provider configuration cannot connect keep
	// their finalizer: the provider cannot ask EC2 whether something is left
	// to delete. Nothing is, as checked above, so they are let go.
	var wg sync.WaitGroup
	for _, o := range admitted {
		if _, ok := o.(resource.Managed); ok {
			wg.Go(func() { s.forget(o) })
		}
	}
	wg.Wait()
}

// checkBadInput checks that err, the answer to creating tc.obj, and then the
// provider, refuse tc as it says.
func checkBadInput(ctx context.Context, t *testing.T, tc badInput, err error) {
	t.Helper()
	if tc.admission != "" {
		if err == nil {
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
	if err := stk.WaitFor(ctx, tc.obj, readyTimeout, stack.HasCondition(xpv2.TypeSynced, corev1.ConditionFalse, tc.synced[0])); err != nil {
		t.Fatalf("%s\n%v", tc.reason, err)
	}
	msg := tc.obj.(resource.Conditioned).GetCondition(xpv2.TypeSynced).Message
	t.Logf("Synced=False: %s", msg)
	for _, part := range tc.synced[1:] {
		if !strings.Contains(msg, part) {
			t.Errorf("%s\nSynced=False %q does not say %q", tc.reason, msg, part)
		}
	}
	for _, dump := range sdkDump {
		if strings.Contains(msg, dump) {
			t.Errorf("%s\nSynced=False %q shows the SDK's %q", tc.reason, msg, dump)
		}
	}
}

func isCluster(o client.Object) bool {
	return stack.Kind(o) == "ClusterProviderConfig"
}

// succeeded counts the requests of st that EC2 did not refuse.
func succeeded(st ec2sim.CallStats) int64 {
	n := st.Calls
	for _, e := range st.Errors {
		n -= e
	}
	return n
}

func gatewayIDs(st ec2sim.RegionState) []string {
	ids := make([]string, 0, len(st.NatGateways))
	for _, g := range st.NatGateways {
		ids = append(ids, g.ID)
	}
	return ids
}

func addressIDs(st ec2sim.RegionState) []string {
	ids := make([]string, 0, len(st.Addresses))
	for _, a := range st.Addresses {
		ids = append(ids, a.AllocationID)
	}
	return ids
}

func routeCount(st ec2sim.RegionState) int {
	n := 0
	for _, rt := range st.RouteTables {
		n += len(rt.Routes)
	}
	return n
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	seen := map[string]int{}
	for _, s := range a {
		seen[s]++
	}
	for _, s := range b {
		seen[s]--
	}
	for _, n := range seen {
		if n != 0 {
			return false
		}
	}
	return true
}

// badInputFixtures are the EC2 objects the bad inputs refer to, made
// through the EC2 API before the provider sees any of them: Elastic IPs, a
// private NAT gateway in the scenario's VPC, and one in another VPC.
type badInputFixtures struct {
	s *scenario
	// eips are allocated and held by nothing.
	eips []string
	// nat is a private gateway in zone a's public subnet, and natIP its
	// private address.
	nat, natIP string
	// otherNat is a private gateway in another VPC.
	otherNat string
	// vpcCIDR is the CIDR block of the scenario's VPC.
	vpcCIDR string
	// deadEndpoint is an http URL where nothing listens.
	deadEndpoint string
	// routes counts the Routes goodRoute made: each gets a destination of
	// its own, so that none is refused as another Route's route.
	routes int
}

func (s *scenario) badInputFixtures() *badInputFixtures {
	s.t.Helper()
	ctx := s.t.Context()
	f := &badInputFixtures{s: s, eips: s.allocate(2), vpcCIDR: "10.0.0.0/16"}
	out, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: aws.String(s.net.Zones[0].PublicSubnetID), ConnectivityType: types.ConnectivityTypePrivate})
	if err != nil {
		s.t.Fatal(err)
	}
	f.nat = aws.ToString(out.NatGateway.NatGatewayId)
	vpc, err := s.ec2.CreateVpc(ctx, &ec2.CreateVpcInput{CidrBlock: aws.String("10.99.0.0/16")})
	if err != nil {
		s.t.Fatal(err)
	}
	sn, err := s.ec2.CreateSubnet(ctx, &ec2.CreateSubnetInput{VpcId: vpc.Vpc.VpcId, CidrBlock: aws.String("10.99.1.0/24")})
	if err != nil {
		s.t.Fatal(err)
	}
	other, err := s.ec2.CreateNatGateway(ctx, &ec2.CreateNatGatewayInput{SubnetId: sn.Subnet.SubnetId, ConnectivityType: types.ConnectivityTypePrivate})
	if err != nil {
		s.t.Fatal(err)
	}
	f.otherNat = aws.ToString(other.NatGateway.NatGatewayId)
	if err := pollFor(ctx, time.Minute, func() error {
		gw := s.gateway(f.nat)
		for _, a := range gw.NatGatewayAddresses {
			f.natIP = aws.ToString(a.PrivateIp)
		}
		if f.natIP == "" {
			return errors.New("no private address yet")
		}
		return nil
	}); err != nil {
		s.t.Fatalf("fixture gateway %s has no private address: %v", f.nat, err)
	}
	l, err := (&net.ListenConfig{}).Listen(ctx, "tcp", "127.0.0.1:0")
	if err != nil {
		s.t.Fatal(err)
	}
	f.deadEndpoint = "http://" + l.Addr().String()
	_ = l.Close()
	return f
}

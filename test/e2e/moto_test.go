// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
)

// startMoto starts moto_server on a free loopback port for the test and
// returns its endpoint.
func startMoto(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("moto_server"); err != nil {
		t.Fatalf("moto_server is needed (pip install 'moto[server]'): %v", err)
	}
	port, err := local.FreePort()
	if err != nil {
		t.Fatal(err)
	}
	p := local.StartProcessForTest(t, local.ProcessOptions{Name: "moto", Path: "moto_server", Args: []string{"-H", "127.0.0.1", "-p", fmt.Sprint(port)}})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	if err := p.WaitReady(t.Context(), time.Minute, local.HTTPProbe(nil, url+"/moto-api/")); err != nil {
		t.Fatal(err)
	}
	return url
}

// TestMoto is scenario 8: against moto_server, an EC2 implementation
// independent of ec2sim, a private NAT gateway becomes Ready, and after
// `aws ec2 delete-nat-gateway` it is recreated within one poll interval with
// a new external name and exactly one live gateway. (moto keeps an Elastic
// IP associated after its gateway is deleted, so the gateway is private.)
//
// A second private NATGateway in another zone of the same account keeps a
// gateway of its own throughout: moto ignores the tag filter with which a
// NATGateway looks for a gateway made for it, and answers with every
// gateway of the account, the other NATGateway's too.
func TestMoto(t *testing.T) {
	t.Parallel()
	moto := startMoto(t)
	s := newScenarioAt(t, "moto", moto)

	gw := gateway("private", withSubnet(s.net.Zones[0].PrivateSubnetID), withPrivate())
	s.create(gw)
	s.waitReady(gw)
	old := meta.GetExternalName(gw)
	s.checkStatus(gw, old, s.net.Zones[0].PrivateSubnetID, "private")

	// Created once the first one's gateway is live, so its search finds it.
	other := gateway("private-b", withSubnet(s.net.Zones[1].PrivateSubnetID), withPrivate())
	s.create(other)
	s.waitReady(other)
	otherID := meta.GetExternalName(other)
	if otherID == old {
		t.Fatalf("NATGateways %s and %s both name gateway %s", gw.GetName(), other.GetName(), old)
	}
	s.checkStatus(other, otherID, s.net.Zones[1].PrivateSubnetID, "private")
	s.ownGateway(other, otherID)

	deleted := time.Now()
	s.awsCLI(moto, "ec2", "delete-nat-gateway", "--nat-gateway-id", old)
	id := s.healed(gw, old, "deleted", 1)
	took := time.Since(deleted)
	t.Logf("moto: gateway %s deleted with the AWS CLI; %s available after %s (provider --poll %s, --nat-inventory-interval %s)", old, id, took.Round(100*time.Millisecond), PollInterval, InventoryInterval)
	if took > max(PollInterval, InventoryInterval)+5*time.Second {
		t.Errorf("recreated after %s, want within one poll or inventory interval (%s) and a few seconds of work", took.Round(100*time.Millisecond), max(PollInterval, InventoryInterval))
	}
	if id == otherID {
		t.Errorf("NATGateway %s took over gateway %s of NATGateway %s", gw.GetName(), otherID, other.GetName())
	}

	// The healing of the first one left the second one alone.
	s.get(other)
	if got := meta.GetExternalName(other); got != otherID {
		t.Errorf("NATGateway %s names gateway %s, want its own %s", other.GetName(), got, otherID)
	}
	if h := other.Status.AtProvider.Healing; h != nil {
		t.Errorf("NATGateway %s status.atProvider.healing is %+v, want none: its gateway was never deleted", other.GetName(), h)
	}
	s.ownGateway(other, otherID)
	s.ownGateway(gw, id)
}

// ownGateway checks that gateway id is available in EC2, tagged for gw, and
// the only live gateway tagged for gw.
func (s *scenario) ownGateway(gw *v1alpha1.NATGateway, id string) {
	s.t.Helper()
	ec2gw := s.gateway(id)
	if ec2gw.State != types.NatGatewayStateAvailable {
		s.t.Errorf("gateway %s of NATGateway %s is %s in EC2, want available", id, gw.GetName(), ec2gw.State)
	}
	s.checkOwnership(gw, ec2gw)
	if live := liveGatewaysOf(s.gateways(), gw); !slices.Equal(live, []string{id}) {
		s.t.Errorf("live gateways tagged for %s: %v, want exactly [%s]", gw.GetName(), live, id)
	}
}

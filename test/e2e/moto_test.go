// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

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
func TestMoto(t *testing.T) {
	t.Parallel()
	moto := startMoto(t)
	s := newScenarioAt(t, "moto", moto)

	gw := gateway("private", withSubnet(s.net.Zones[0].PrivateSubnetID), withPrivate())
	s.create(gw)
	s.waitReady(gw)
	old := meta.GetExternalName(gw)
	s.checkStatus(gw, old, s.net.Zones[0].PrivateSubnetID, "private")

	deleted := time.Now()
	s.awsCLI(moto, "ec2", "delete-nat-gateway", "--nat-gateway-id", old)
	id := s.healed(gw, old, "deleted", 1)
	took := time.Since(deleted)
	t.Logf("moto: gateway %s deleted with the AWS CLI; %s available after %s (provider --poll %s, --nat-inventory-interval %s)", old, id, took.Round(100*time.Millisecond), PollInterval, InventoryInterval)
	if took > max(PollInterval, InventoryInterval)+5*time.Second {
		t.Errorf("recreated after %s, want within one poll or inventory interval (%s) and a few seconds of work", took.Round(100*time.Millisecond), max(PollInterval, InventoryInterval))
	}
}

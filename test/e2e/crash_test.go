// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package e2e

import (
	"context"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
	"github.com/egresskit/provider-aws-egress/internal/testcleanup"
)

// TestProviderKilledDuringCreate is scenario 5: the provider is killed (kill
// -9) while CreateNatGateway is in flight, after EC2 made the gateway and
// before the provider wrote its ID as the external name. ec2sim holds the
// response, so the test knows it is in that window. After a restart there is
// still exactly one gateway, the managed resource names it, and it is not
// stuck on crossplane.io/external-create-pending.
//
// It kills the provider and injects a fault, so it runs alone.
func TestProviderKilledDuringCreate(t *testing.T) {
	s := newScenario(t, "crash")
	admin := stk.EC2Sim.Admin
	if err := admin.SetFaults(t.Context(), []ec2sim.Fault{{Action: "CreateNatGateway", Hold: 10 * time.Minute, Times: 1}}); err != nil {
		t.Fatal(err)
	}
	testcleanup.Add(t, "clear ec2sim's faults", func(ctx context.Context) error {
		return admin.SetFaults(ctx, nil)
	})
	before := s.calls("CreateNatGateway")

	gw := s.privateGateway()
	s.create(gw)

	// EC2 has made the gateway; the provider waits for the answer.
	var made string
	if err := pollFor(t.Context(), readyTimeout, func() error {
		if gws := s.state().NatGateways; len(gws) == 1 {
			made = gws[0].ID
			return nil
		}
		return errors.New("no gateway in EC2 yet")
	}); err != nil {
		t.Fatalf("%v\n%s", err, stk.Describe(t.Context(), gw))
	}
	s.get(gw)
	if n := meta.GetExternalName(gw); n != "" {
		t.Fatalf("external name is %q while CreateNatGateway is held, want none yet", n)
	}
	if !meta.ExternalCreateIncomplete(gw) {
		t.Fatalf("want a pending create (annotation %s) while CreateNatGateway is held; annotations: %v", meta.AnnotationKeyExternalCreatePending, gw.GetAnnotations())
	}
	t.Logf("EC2 made %s; the provider has not written it (annotations %v); killing the provider", made, gw.GetAnnotations())

	if err := stk.Provider.Kill(); err != nil {
		t.Fatal(err)
	}
	if err := admin.SetFaults(t.Context(), nil); err != nil {
		t.Fatal(err)
	}
	restarted := time.Now()
	if err := stk.Provider.Restart(t.Context()); err != nil {
		t.Fatal(err)
	}

	s.waitReady(gw)
	t.Logf("Ready %s after the restart", time.Since(restarted).Round(100*time.Millisecond))
	if n := meta.GetExternalName(gw); n != made {
		t.Errorf("external name is %s, want %s, the gateway EC2 made before the kill", n, made)
	}
	if meta.ExternalCreateIncomplete(gw) {
		t.Errorf("still pending a create after the restart; annotations: %v", gw.GetAnnotations())
	}
	if gws := s.state().NatGateways; len(gws) != 1 {
		t.Errorf("EC2 holds %d gateways, want 1: %+v", len(gws), gws)
	}
	calls := s.calls("CreateNatGateway") - before
	adopted := s.hasEvent(gw, corev1.EventTypeNormal, "Adopted", made)
	t.Logf("CreateNatGateway calls: %d; adopted by its ownership tag: %v", calls, adopted)
	if calls == 1 && !adopted {
		t.Errorf("one CreateNatGateway call, but the gateway was not reported as adopted")
	}
}

// calls returns how many requests of action ec2sim has served so far.
func (s *scenario) calls(action string) int64 {
	s.t.Helper()
	c, err := stk.EC2Sim.Admin.Calls(s.t.Context())
	if err != nil {
		s.t.Fatal(err)
	}
	return c[action].Calls
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package function

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/crossplane/function-sdk-go/resource"
)

func TestServing(t *testing.T) {
	up := gatewayHealth{observed: true, id: "nat-1", state: "available", ready: true}
	creating := gatewayHealth{observed: true, state: "pending"}
	failed := gatewayHealth{observed: true, id: "nat-2", state: "failed"}
	recreated := gatewayHealth{observed: true, id: "nat-3", state: "pending", recreated: true}

	three := []zone{{name: zoneA}, {name: zoneB}, {name: zoneC}}
	perAZ := plan{home: map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1b", zoneC: "nat-us-east-1c"}}
	own := map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1b", zoneC: "nat-us-east-1c"}

	type args struct {
		e      egress
		p      plan
		health map[resource.Name]gatewayHealth
	}
	cases := map[string]struct {
		reason string
		args   args
		want   map[string]resource.Name
	}{
		"Healthy": {
			reason: "Every zone should use its own available gateway.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": up, "nat-us-east-1b": up, "nat-us-east-1c": up}},
			want:   own,
		},
		"NextZone": {
			reason: "A degraded zone should use the gateway of the next zone in sorted order.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": failed, "nat-us-east-1b": up, "nat-us-east-1c": up}},
			want:   map[string]resource.Name{zoneA: "nat-us-east-1b", zoneB: "nat-us-east-1b", zoneC: "nat-us-east-1c"},
		},
		"SkipUnavailablePeer": {
			reason: "A degraded zone should skip a peer whose gateway is not available.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": recreated, "nat-us-east-1b": creating, "nat-us-east-1c": up}},
			want:   map[string]resource.Name{zoneA: "nat-us-east-1c", zoneB: "nat-us-east-1b", zoneC: "nat-us-east-1c"},
		},
		"WrapAround": {
			reason: "The last zone should fail over to the first.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": up, "nat-us-east-1b": up, "nat-us-east-1c": failed}},
			want:   map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1b", zoneC: "nat-us-east-1a"},
		},
		"NoHealthyPeer": {
			reason: "With no available peer a degraded zone should keep its own gateway.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": failed, "nat-us-east-1b": recreated}},
			want:   own,
		},
		"Creating": {
			reason: "A gateway that is created for the first time is not degraded: its zone waits for it.",
			args:   args{e: egress{zones: three, failover: true}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": creating, "nat-us-east-1b": up, "nat-us-east-1c": up}},
			want:   own,
		},
		"FailoverOff": {
			reason: "With failover off every zone should keep its own gateway.",
			args:   args{e: egress{zones: three}, p: perAZ, health: map[resource.Name]gatewayHealth{"nat-us-east-1a": failed, "nat-us-east-1b": up, "nat-us-east-1c": up}},
			want:   own,
		},
		"Single": {
			reason: "With one gateway there is nothing to fail over to.",
			args: args{
				e:      egress{zones: three, failover: true},
				p:      plan{home: map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1a", zoneC: "nat-us-east-1a"}},
				health: map[resource.Name]gatewayHealth{"nat-us-east-1a": failed},
			},
			want: map[string]resource.Name{zoneA: "nat-us-east-1a", zoneB: "nat-us-east-1a", zoneC: "nat-us-east-1a"},
		},
		"None": {
			reason: "Zones without a home gateway are not served.",
			args:   args{e: egress{zones: three, failover: true}, p: plan{home: map[string]resource.Name{}}},
			want:   map[string]resource.Name{},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := serving(tc.args.e, tc.args.p, observation{gateways: tc.args.health})
			if diff := cmp.Diff(tc.want, map[string]resource.Name(got)); diff != "" {
				t.Errorf("\n%s\nserving(...): -want, +got:\n%s", tc.reason, diff)
			}
		})
	}
}

// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package ec2sim_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/google/go-cmp/cmp"

	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// TestAdmin runs the same scenario through the in-process Admin and the
// AdminClient over HTTP.
func TestAdmin(t *testing.T) {
	impls := map[string]func(s *sim) ec2sim.Admin{
		"InProcess": func(s *sim) ec2sim.Admin { return s.srv },
		"HTTP":      func(s *sim) ec2sim.Admin { return ec2sim.NewAdminClient(s.http.URL) },
	}
	for name, impl := range impls {
		t.Run(name, func(t *testing.T) {
			s := newSim(t, ec2sim.Options{Durations: slow})
			admin := impl(s)
			ctx := context.Background()
			_, subnetID := s.network()
			a := s.publicNat(subnetID, s.eip())
			b := s.publicNat(subnetID, s.eip())
			c := s.publicNat(subnetID, s.eip())
			s.advance(slow.Pending)

			// Delete out of band: deleting, or deleted at once.
			if err := admin.DeleteNatGateway(ctx, a, false); err != nil {
				t.Fatalf("DeleteNatGateway: %v", err)
			}
			if err := admin.DeleteNatGateway(ctx, b, true); err != nil {
				t.Fatalf("DeleteNatGateway immediate: %v", err)
			}
			if err := admin.FailNatGateway(ctx, c, "", ""); err != nil {
				t.Fatalf("FailNatGateway: %v", err)
			}
			got := map[string]string{a: s.natState(a), b: s.natState(b), c: s.natState(c)}
			if diff := cmp.Diff(map[string]string{a: "deleting", b: "deleted", c: "failed"}, got); diff != "" {
				t.Errorf("states after admin operations: -want +got:\n%s", diff)
			}
			n, _ := s.nat(c)
			if aws.ToString(n.FailureCode) != "InternalError" || !strings.Contains(aws.ToString(n.FailureMessage), "invalid state") {
				t.Errorf("failed gateway: code %q message %q", aws.ToString(n.FailureCode), aws.ToString(n.FailureMessage))
			}
			if err := admin.FailNatGateway(ctx, b, "", ""); !errors.Is(err, ec2sim.ErrConflict) {
				t.Errorf("FailNatGateway of a deleted gateway: got %v, want ErrConflict", err)
			}
			if err := admin.DeleteNatGateway(ctx, "nat-0123456789abcdef0", false); !errors.Is(err, ec2sim.ErrNotFound) {
				t.Errorf("DeleteNatGateway of an unknown gateway: got %v, want ErrNotFound", err)
			}

			// Purge forgets deleted and failed gateways.
			purged, err := admin.Purge(ctx)
			if err != nil || purged != 2 {
				t.Errorf("Purge: %d, %v; want 2", purged, err)
			}
			if got := s.natState(b); got != "error:NatGatewayNotFound" {
				t.Errorf("purged gateway: %q", got)
			}
			if err := admin.PurgeNatGateway(ctx, a); err != nil {
				t.Errorf("PurgeNatGateway: %v", err)
			}

			// State lists what is left.
			st, err := admin.State(ctx, testAccessKey, testRegion)
			if err != nil {
				t.Fatalf("State: %v", err)
			}
			if len(st.Regions) != 1 || len(st.Regions[0].NatGateways) != 0 || len(st.Regions[0].Addresses) != 3 || st.Regions[0].ClientTokens != 0 {
				t.Errorf("State after purges: %+v", st.Regions)
			}
			for _, addr := range st.Regions[0].Addresses {
				if addr.AssociationID != "" {
					t.Errorf("address %s still associated after its gateway was purged", addr.AllocationID)
				}
			}
			if other, _ := admin.State(ctx, "AKIDNOBODY", ""); len(other.Regions) != 0 {
				t.Errorf("State of an unknown account: %+v", other)
			}

			// Faults round trip, with the uses left.
			faults := []ec2sim.Fault{{Action: "DescribeVpcs", ErrorRate: 1, ErrorCode: "Unavailable", Latency: time.Millisecond, Times: 2}}
			if err := admin.SetFaults(ctx, faults); err != nil {
				t.Fatalf("SetFaults: %v", err)
			}
			if _, err := s.ec2.DescribeVpcs(ctx, &ec2.DescribeVpcsInput{}); code(err) != "Unavailable" {
				t.Errorf("DescribeVpcs with a fault: %v", err)
			}
			gotFaults, err := admin.Faults(ctx)
			faults[0].Times = 1
			if diff := cmp.Diff(faults, gotFaults); err != nil || diff != "" {
				t.Errorf("Faults: %v; -want +got:\n%s", err, diff)
			}
			if err := admin.SetFaults(ctx, []ec2sim.Fault{{Action: "Nope"}}); err == nil {
				t.Errorf("SetFaults accepted an unknown action")
			}

			// Throttle configuration round trip.
			cfg := ec2sim.ThrottleConfig{Enabled: true, Buckets: map[string]ec2sim.Bucket{"DescribeVpcs": {Max: 3, Refill: 0.5}}}
			if err := admin.SetThrottle(ctx, cfg); err != nil {
				t.Fatalf("SetThrottle: %v", err)
			}
			if got, err := admin.Throttle(ctx); err != nil || !cmp.Equal(cfg, got) {
				t.Errorf("Throttle: %+v, %v; want %+v", got, err, cfg)
			}

			// Durations and clock.
			d, err := admin.SetDurations(ctx, ec2sim.Durations{Pending: time.Minute, Consistency: time.Second})
			want := ec2sim.Durations{Pending: time.Minute, Deleting: slow.Deleting, Retention: slow.Retention, Consistency: time.Second}
			if diff := cmp.Diff(want, d); err != nil || diff != "" {
				t.Errorf("SetDurations: %v; -want +got:\n%s", err, diff)
			}
			d, err = admin.SetDurations(ctx, ec2sim.Durations{Consistency: -1})
			want.Consistency = 0
			if diff := cmp.Diff(want, d); err != nil || diff != "" {
				t.Errorf("SetDurations with a negative field: %v; -want +got:\n%s", err, diff)
			}
			before, _ := admin.Clock(ctx)
			speed := 60.0
			after, err := admin.SetClock(ctx, ec2sim.ClockUpdate{Speed: &speed, Advance: time.Hour})
			if err != nil || after.Speed != 60 || after.Now.Sub(before.Now) < time.Hour {
				t.Errorf("SetClock: %+v, %v (before %+v)", after, err, before)
			}
			bad := -1.0
			if _, err := admin.SetClock(ctx, ec2sim.ClockUpdate{Speed: &bad}); err == nil {
				t.Errorf("SetClock accepted a negative speed")
			}

			// Calls count every request; ResetCalls and Reset clear.
			calls, err := admin.Calls(ctx)
			if err != nil || calls["CreateNatGateway"].Calls != 3 || calls["DescribeVpcs"].Injected != 1 {
				t.Errorf("Calls: %+v, %v", calls, err)
			}
			if err := admin.ResetCalls(ctx); err != nil {
				t.Fatal(err)
			}
			if calls, _ := admin.Calls(ctx); len(calls) != 0 {
				t.Errorf("Calls after ResetCalls: %+v", calls)
			}
			if err := admin.Reset(ctx); err != nil {
				t.Fatalf("Reset: %v", err)
			}
			st, _ = admin.State(ctx, "", "")
			th, _ := admin.Throttle(ctx)
			fs, _ := admin.Faults(ctx)
			clk, _ := admin.Clock(ctx)
			if len(st.Regions) != 0 || !th.Enabled || len(th.Buckets) != 0 || len(fs) != 0 || clk.Speed != 1 {
				t.Errorf("after Reset: state %+v throttle %+v faults %+v clock %+v", st, th, fs, clk)
			}
		})
	}
}

func TestAdminHTTPErrors(t *testing.T) {
	s := newSim(t, ec2sim.Options{})
	cases := map[string]struct {
		reason string
		method string
		path   string
		body   string
		want   int
	}{
		"UnknownPath":  {reason: "An unknown admin path is 404.", method: http.MethodGet, path: "/_ec2sim/nothing", want: 404},
		"BadJSON":      {reason: "A body that is not JSON is 400.", method: http.MethodPut, path: ec2sim.PathFaults, body: "{", want: 400},
		"BadDuration":  {reason: "A duration that does not parse is 400.", method: http.MethodPut, path: ec2sim.PathClock, body: `{"advance":"soon"}`, want: 400},
		"UnknownNat":   {reason: "An unknown gateway is 404.", method: http.MethodPost, path: ec2sim.PathNatGateways + "nat-0123456789abcdef0/purge", want: 404},
		"Health":       {reason: "The health check answers 200.", method: http.MethodGet, path: ec2sim.PathHealth, want: 200},
		"WrongMethod":  {reason: "A method the path does not take is 405.", method: http.MethodPost, path: ec2sim.PathState, want: 405},
		"NotAnEC2Verb": {reason: "EC2 actions take GET and POST only.", method: http.MethodPut, path: "/", want: 405},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequestWithContext(t.Context(), tc.method, s.http.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if diff := cmp.Diff(tc.want, resp.StatusCode); diff != "" {
				t.Errorf("%s\n-want +got:\n%s", tc.reason, diff)
			}
		})
	}
}

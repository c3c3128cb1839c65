// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"k8s.io/utils/ptr"
)

func defaults() flags {
	return flags{
		SyncInterval:             time.Hour,
		PollInterval:             time.Minute,
		PollStateMetricInterval:  5 * time.Second,
		MaxReconcileRate:         20,
		EnableManagementPolicies: true,
		ChangeLogsSocketPath:     "/var/run/changelogs/changelogs.sock",
		MetricsBindAddress:       ":8080",
		HealthProbeBindAddress:   ":8081",
		PprofBindAddress:         "0",
		EnableSecretCache:        true,
		EC2APIBudget:             0.5,
		NATInventoryInterval:     5 * time.Second,
		LeaseDuration:            time.Minute,
		RenewDeadline:            50 * time.Second,
		RetryPeriod:              2 * time.Second,
	}
}

func TestFlags(t *testing.T) {
	type want struct {
		// flags after parsing; nil when parsing fails before all are set.
		flags *flags
		err   string
	}
	cases := map[string]struct {
		reason string
		args   []string
		env    map[string]string
		want   want
	}{
		"Defaults": {
			reason: "Without flags the provider polls every minute, syncs hourly and spends half of the EC2 budget.",
			want:   want{flags: ptr.To(defaults())},
		},
		"ShortFlags": {
			reason: "-d, -l and -s are debug, leader election and sync.",
			args:   []string{"-d", "-l", "-s", "30m"},
			want: want{flags: ptr.To(func() flags {
				f := defaults()
				f.Debug, f.LeaderElection, f.SyncInterval = true, true, 30*time.Minute
				return f
			}())},
		},
		"LongFlags": {
			reason: "Every setting has a long flag.",
			args: []string{
				"--poll=15s", "--poll-state-metric=10s", "--max-reconcile-rate=50", "--no-enable-management-policies",
				"--enable-changelogs", "--changelogs-socket-path=/tmp/cl.sock", "--metrics-bind-address=127.0.0.1:0",
				"--health-probe-bind-address=0", "--no-enable-secret-cache", "--ec2-api-budget=0.25",
				"--leader-election-namespace=crossplane-system", "--nat-inventory-interval=30s",
			},
			want: want{flags: ptr.To(func() flags {
				f := defaults()
				f.PollInterval, f.PollStateMetricInterval, f.MaxReconcileRate = 15*time.Second, 10*time.Second, 50
				f.EnableManagementPolicies, f.EnableChangeLogs, f.ChangeLogsSocketPath = false, true, "/tmp/cl.sock"
				f.MetricsBindAddress, f.HealthProbeBindAddress = "127.0.0.1:0", "0"
				f.EnableSecretCache, f.EC2APIBudget, f.LeaderElectionNamespace = false, 0.25, "crossplane-system"
				f.NATInventoryInterval = 30 * time.Second
				return f
			}())},
		},
		"Environment": {
			reason: "Settings also come from the environment, as the package's Deployment sets them.",
			env: map[string]string{
				"PROVIDER_POLL": "30s", "LEADER_ELECTION": "true", "ENABLE_MANAGEMENT_POLICIES": "false",
				"PROVIDER_EC2_API_BUDGET": "0.8", "POD_NAMESPACE": "crossplane-system",
			},
			want: want{flags: ptr.To(func() flags {
				f := defaults()
				f.PollInterval, f.LeaderElection, f.EnableManagementPolicies = 30*time.Second, true, false
				f.EC2APIBudget, f.LeaderElectionNamespace = 0.8, "crossplane-system"
				return f
			}())},
		},
		"BudgetOutOfRange": {
			reason: "A budget above the whole account's is refused with the range.",
			args:   []string{"--ec2-api-budget=1.2"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.EC2APIBudget = 1.2; return f }()),
				err:   "--ec2-api-budget: EC2 API budget 1.2 is out of range: use a fraction above 0 and at most 1, e.g. 0.5 for half of each EC2 request bucket",
			},
		},
		"InventoryOff": {
			reason: "A zero NAT gateway inventory interval turns the inventory off.",
			args:   []string{"--nat-inventory-interval=0s"},
			want:   want{flags: ptr.To(func() flags { f := defaults(); f.NATInventoryInterval = 0; return f }())},
		},
		"InventoryTooOften": {
			reason: "Listing every gateway more than once a second is refused.",
			args:   []string{"--nat-inventory-interval=500ms"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.NATInventoryInterval = 500 * time.Millisecond; return f }()),
				err:   "--nat-inventory-interval must be 0 (off) or at least 1s, got 500ms",
			},
		},
		"NegativeInventoryInterval": {
			reason: "A negative NAT gateway inventory interval is refused.",
			args:   []string{"--nat-inventory-interval=-10s"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.NATInventoryInterval = -10 * time.Second; return f }()),
				err:   "--nat-inventory-interval must be 0 (off) or at least 1s, got -10s",
			},
		},
		"ZeroReconcileRate": {
			reason: "A reconcile rate of zero would stop every controller.",
			args:   []string{"--max-reconcile-rate=0"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.MaxReconcileRate = 0; return f }()),
				err:   "--max-reconcile-rate must be at least 1, got 0",
			},
		},
		"ZeroPoll": {
			reason: "A zero poll interval is refused.",
			args:   []string{"--poll=0s"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.PollInterval = 0; return f }()),
				err:   "--poll must be positive, got 0s",
			},
		},
		"ZeroSync": {
			reason: "A zero sync interval is refused.",
			args:   []string{"--sync=0s"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.SyncInterval = 0; return f }()),
				err:   "--sync must be positive, got 0s",
			},
		},
		"ZeroStateMetricInterval": {
			reason: "A zero state metric interval is refused.",
			args:   []string{"--poll-state-metric=0s"},
			want: want{
				flags: ptr.To(func() flags { f := defaults(); f.PollStateMetricInterval = 0; return f }()),
				err:   "--poll-state-metric must be positive, got 0s",
			},
		},
		"LeaseSettings": {
			reason: "The lease settings of leader election have flags.",
			args:   []string{"--leader-election-lease-duration=8s", "--leader-election-renew-deadline=6s", "--leader-election-retry-period=1s"},
			want: want{flags: ptr.To(func() flags {
				f := defaults()
				f.LeaseDuration, f.RenewDeadline, f.RetryPeriod = 8*time.Second, 6*time.Second, time.Second
				return f
			}())},
		},
		"RenewDeadlineNotShorterThanLease": {
			reason: "A leader must give up before a standby may take over.",
			args:   []string{"--leader-election-lease-duration=8s", "--leader-election-renew-deadline=8s"},
			want: want{
				flags: ptr.To(func() flags {
					f := defaults()
					f.LeaseDuration, f.RenewDeadline = 8*time.Second, 8*time.Second
					return f
				}()),
				err: "want 0 < --leader-election-retry-period < --leader-election-renew-deadline < --leader-election-lease-duration, got 2s, 8s and 8s",
			},
		},
		"NotADuration": {
			reason: "A malformed duration is a parse error.",
			args:   []string{"--poll=often"},
			want: want{
				err: `time: invalid duration "often"`,
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			for _, v := range []string{"PROVIDER_POLL", "LEADER_ELECTION", "ENABLE_MANAGEMENT_POLICIES", "PROVIDER_EC2_API_BUDGET", "POD_NAMESPACE"} {
				t.Setenv(v, "")
			}
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			f := &flags{}
			_, err := newApp(f).Parse(tc.args)
			if err == nil {
				err = f.validate()
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if diff := cmp.Diff(tc.want.err, got); diff != "" {
				t.Errorf("\n%s\nParse(...): -want error, +got error:\n%s\n", tc.reason, diff)
			}
			if tc.want.flags == nil {
				return
			}
			if diff := cmp.Diff(*tc.want.flags, *f); diff != "" {
				t.Errorf("\n%s\nParse(...): -want flags, +got flags:\n%s\n", tc.reason, diff)
			}
		})
	}
}

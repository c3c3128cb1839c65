// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package monitoring

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/controller-runtime/pkg/client"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/cluster/local"
	"github.com/egresskit/provider-aws-egress/cluster/stack"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

// Timing of the scenario: ec2sim makes a gateway available after pending,
// long enough for the provider's state metrics (every statePoll) and
// Prometheus (every scrape) to see the NATGateway not Ready.
const (
	pending   = 8 * time.Second
	statePoll = time.Second
	scrape    = time.Second
	inventory = 2 * time.Second
)

// Names of the alerts the scenario watches, as examples/monitoring names them.
const (
	alertNotReady    = "EgressKitNATGatewayNotReady"
	alertReplaced    = "EgressKitNATGatewayReplacedOutOfBand"
	alertCredentials = "EgressKitEC2CredentialsRejected"
)

// natGatewayGVK is the gvk label of crossplane-runtime's state metrics of
// NATGateways.
const natGatewayGVK = `gvk="ec2.aws.m.egresskit.io/v1alpha1, Kind=NATGateway"`

// TestPrometheusSeesHealing runs the out-of-band deletion scenario on a local
// control plane while a real Prometheus scrapes the provider and evaluates
// examples/monitoring/rules.yaml, and asks Prometheus's HTTP API what it saw:
// the recreation counted, the healing latency recorded, the not-Ready alert
// pending and then resolved, and, for a provider config whose keys EC2
// refuses, the credentials alert firing.
func TestPrometheusSeesHealing(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane, the provider and Prometheus")
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()

	s, prom := start(ctx, t)

	// A provider config whose secret key EC2 refuses: every call of an
	// ElasticIP that uses it is answered AuthFailure. An ElasticIP keeps it
	// away from the NATGateway alerts.
	bad := "monitoring-badkeys"
	wrong := stack.Credentials{AccessKeyID: s.Credentials(bad).AccessKeyID, SecretAccessKey: "not-" + s.SecretKey}
	if err := stack.PrepareNamespace(ctx, s.Client, stack.NamespaceOptions{Name: bad, Endpoint: s.EC2Sim.URL, Credentials: wrong}); err != nil {
		t.Fatal(err)
	}
	eip := &v1alpha1.ElasticIP{ObjectMeta: metav1.ObjectMeta{Namespace: bad, Name: "refused"}}
	eip.Spec.ProviderConfigReference = stack.ProviderConfigRef()
	eip.Spec.ForProvider.Region = stack.DefaultRegion
	if err := s.Client.Create(ctx, eip); err != nil {
		t.Fatal(err)
	}
	credentialsAlertSince := time.Now()

	gw, ec2c := readyGateway(ctx, t, s, "monitoring")
	waitProm(ctx, t, prom, "the NATGateway Ready", fmt.Sprintf("crossplane_managed_resource_exists{%[1]s} - crossplane_managed_resource_ready{%[1]s}", natGatewayGVK), 0)
	// It was pending while the gateway was created; the next evaluation of
	// the rules resolves it.
	waitAlert(ctx, t, prom, alertNotReady, nil, "")

	id := meta.GetExternalName(gw)
	start := time.Now()
	if _, err := ec2c.DeleteNatGateway(ctx, &ec2.DeleteNatGatewayInput{NatGatewayId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	t.Logf("deleted NAT gateway %s out of band", id)

	// The alert is pending while the NATGateway is not Ready; it does not
	// fire (it waits 10 minutes), and resolves once the new gateway is.
	var pendingAt, healedAt, resolvedAt time.Time
	err := local.Poll(ctx, 3*time.Minute, func(ctx context.Context) error {
		st, err := prom.AlertState(ctx, alertNotReady, nil)
		if err != nil {
			return err
		}
		now := time.Now()
		switch {
		case st == "firing":
			return errors.Errorf("alert %s fires, want only pending", alertNotReady)
		case st == "pending" && pendingAt.IsZero():
			pendingAt = now
			t.Logf("%+5.1fs alert %s pending", now.Sub(start).Seconds(), alertNotReady)
		}
		if healedAt.IsZero() {
			if err := s.Client.Get(ctx, client.ObjectKeyFromObject(gw), gw); err != nil {
				return err
			}
			if meta.GetExternalName(gw) != id && stack.Ready()(gw) == nil {
				healedAt = now
				t.Logf("%+5.1fs NATGateway Ready with NAT gateway %s", now.Sub(start).Seconds(), meta.GetExternalName(gw))
			}
		}
		if pendingAt.IsZero() || healedAt.IsZero() || st != "" {
			return errors.Errorf("alert %s is %q, pending seen %t, healed %t", alertNotReady, st, !pendingAt.IsZero(), !healedAt.IsZero())
		}
		resolvedAt = now
		return nil
	})
	if err != nil {
		t.Fatalf("%v\n%s", err, s.Logs(40))
	}
	t.Logf("%+5.1fs alert %s resolved", resolvedAt.Sub(start).Seconds(), alertNotReady)

	recreations := waitProm(ctx, t, prom, "the recreation counted", `egresskit_natgateway_recreations_total{reason="deleted"}`, 1)
	healed := waitProm(ctx, t, prom, "the healing timed", `egresskit_natgateway_healing_available_seconds_count{reason="deleted"}`, 1)
	requested := waitProm(ctx, t, prom, "the replacement request timed", `egresskit_natgateway_healing_request_seconds_count{reason="deleted"}`, 1)
	waitProm(ctx, t, prom, "the detection timed", `egresskit_natgateway_healing_detection_seconds_count{reason="deleted"}`, 1)
	detected, err := prom.Scalar(ctx, `egresskit_natgateway_healing_detection_seconds_sum{reason="deleted"}`)
	if err != nil {
		t.Fatal(err)
	}
	// The inventory lists every few seconds and sends what changed at once.
	if limit := (inventory + 5*time.Second).Seconds(); detected > limit {
		t.Errorf("the deletion was noticed %.1fs after EC2's deleteTime as Prometheus saw it, want within %.0fs", detected, limit)
	}
	took, err := prom.Scalar(ctx, `egresskit_natgateway_healing_available_seconds_sum{reason="deleted"}`)
	if err != nil {
		t.Fatal(err)
	}
	// The new gateway is pending for ec2sim's pending time, all of which
	// falls within the healing, and the whole healing within the test's
	// watch.
	if took < pending.Seconds() || took > healedAt.Sub(start).Seconds() {
		t.Errorf("healing took %.1fs as Prometheus saw it; want between ec2sim's pending %s and %.1fs, when the test saw it Ready", took, pending, healedAt.Sub(start).Seconds())
	}
	t.Logf("Prometheus saw: recreations %v, healing timed %v time(s) (request timed %v), the last in %.1fs; detected %.1fs after EC2's deleteTime", recreations, healed, requested, took, detected)
	waitAlert(ctx, t, prom, alertReplaced, map[string]string{"reason": "deleted"}, "firing")
	if v, err := prom.Scalar(ctx, `sum(egresskit_natgateway_awaiting_replacement) or vector(0)`); err != nil || v != 0 {
		t.Errorf("NATGateways awaiting a replacement after the healing: %v (%v), want 0", v, err)
	}

	checkDocumented(ctx, t, prom)

	// The credentials alert fires a minute after the first AuthFailure.
	waitAlert(ctx, t, prom, alertCredentials, map[string]string{"providerconfig": bad + "/" + stack.ProviderConfigName, "code": "AuthFailure"}, "firing")
	t.Logf("alert %s firing for provider config %s/%s, %.0fs after its ElasticIP was created", alertCredentials, bad, stack.ProviderConfigName, time.Since(credentialsAlertSince).Seconds())
	if st, err := prom.AlertState(ctx, alertCredentials, map[string]string{"providerconfig": "monitoring/" + stack.ProviderConfigName}); err != nil || st != "" {
		t.Errorf("alert %s for the provider config with good keys is %q (%v), want inactive", alertCredentials, st, err)
	}
}

// start starts the stack and a Prometheus that scrapes its provider and
// evaluates the example rules, and stops them when t ends.
func start(ctx context.Context, t *testing.T) (*stack.Stack, *stack.Prometheus) {
	t.Helper()
	s, err := stack.Start(ctx, stack.Options{
		Progress:             os.Stderr,
		Durations:            ec2sim.Durations{Pending: pending, Deleting: 2 * time.Second, Retention: 30 * time.Minute},
		Poll:                 10 * time.Second,
		NATInventoryInterval: inventory,
		Metrics:              true,
		ProviderArgs:         []string{"--poll-state-metric=" + statePoll.String()},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Stop(); err != nil {
			t.Errorf("cannot stop the stack: %v", err)
		}
	})
	prom, err := s.StartPrometheus(ctx, t.TempDir(), scrape)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := prom.Process.Stop(); err != nil {
			t.Errorf("cannot stop Prometheus: %v", err)
		}
	})
	t.Logf("Prometheus %s scrapes the provider at %s every %s", prom.URL, s.Provider.MetricsURL, scrape)
	return s, prom
}

// readyGateway makes a public NATGateway in namespace ns, with a network and
// an address of its own, and waits until it is Ready.
func readyGateway(ctx context.Context, t *testing.T, s *stack.Stack, ns string) (*v1alpha1.NATGateway, *ec2.Client) {
	t.Helper()
	creds, err := s.PrepareNamespace(ctx, ns)
	if err != nil {
		t.Fatal(err)
	}
	c := s.EC2Client(creds)
	net, err := stack.SeedNetwork(ctx, c, ns, 1)
	if err != nil {
		t.Fatal(err)
	}
	eips, err := stack.AllocateAddresses(ctx, c, ns, 1)
	if err != nil {
		t.Fatal(err)
	}
	gw := &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: "egress"}}
	gw.Spec.ProviderConfigReference = stack.ProviderConfigRef()
	gw.Spec.ForProvider.Region = stack.DefaultRegion
	gw.Spec.ForProvider.SubnetID = aws.String(net.Zones[0].PublicSubnetID)
	gw.Spec.ForProvider.AllocationID = aws.String(eips[0])
	if err := s.Client.Create(ctx, gw); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitFor(ctx, gw, 2*time.Minute, stack.Ready()); err != nil {
		t.Fatal(err)
	}
	return gw, c
}

// checkDocumented wants every metric of the provider's own, and of
// crossplane-runtime's managed resources, that Prometheus scraped to be
// described in docs/metrics.md.
func checkDocumented(ctx context.Context, t *testing.T, prom *stack.Prometheus) {
	t.Helper()
	root, err := local.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "metrics.md"))
	if err != nil {
		t.Fatal(err)
	}
	names, _, err := prom.API.LabelValues(ctx, "__name__", []string{`{job="provider",__name__=~"egresskit_.+|crossplane_managed_.+"}`}, time.Now().Add(-time.Hour), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	documented := 0
	for _, n := range names {
		m := string(n)
		for _, suffix := range []string{"_bucket", "_sum", "_count"} {
			m = strings.TrimSuffix(m, suffix)
		}
		if !strings.Contains(string(doc), "`"+m+"`") {
			t.Errorf("the provider serves %s, which docs/metrics.md does not describe", n)
			continue
		}
		documented++
	}
	t.Logf("the provider served %d series names of egresskit and crossplane-runtime's managed resources, each described in docs/metrics.md", documented)
}

// waitAlert waits until the alert name whose labels include match is in
// state want: pending, firing, or "" for inactive.
func waitAlert(ctx context.Context, t *testing.T, prom *stack.Prometheus, name string, match map[string]string, want string) {
	t.Helper()
	err := local.Poll(ctx, 2*time.Minute, func(ctx context.Context) error {
		st, err := prom.AlertState(ctx, name, match)
		if err != nil {
			return err
		}
		if st != want {
			return errors.Errorf("alert %s %v is %q, want %q", name, match, st, want)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// waitProm waits until expr is want in Prometheus, and returns it.
func waitProm(ctx context.Context, t *testing.T, prom *stack.Prometheus, what, expr string, want float64) float64 {
	t.Helper()
	var got float64
	err := local.Poll(ctx, time.Minute, func(ctx context.Context) error {
		v, err := prom.Scalar(ctx, expr)
		if err != nil {
			return err
		}
		if got = v; got != want {
			return errors.Errorf("%s is %v, want %v", expr, got, want)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("waiting for %s: %v", what, err)
	}
	return got
}

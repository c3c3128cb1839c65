// SPDX-FileCopyrightText: 2026 The egresskit Authors
// SPDX-License-Identifier: Apache-2.0

package natgateway

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	ktypes "k8s.io/apimachinery/pkg/types"
	"sigs.k8s.io/controller-runtime/pkg/metrics"

	"github.com/crossplane/crossplane-runtime/v2/pkg/errors"
	"github.com/crossplane/crossplane-runtime/v2/pkg/meta"

	"github.com/egresskit/provider-aws-egress/apis/ec2/v1alpha1"
	"github.com/egresskit/provider-aws-egress/internal/ec2sim"
)

func TestRecreationsRegistered(t *testing.T) {
	err := metrics.Registry.Register(newRecreationsCounter())
	var are prometheus.AlreadyRegisteredError
	if !errors.As(err, &are) {
		t.Fatalf("registering a second recreations counter: want AlreadyRegisteredError, got %v", err)
	}
	if are.ExistingCollector != recreationsTotal {
		t.Errorf("the registered recreations counter is not the one the controller increments")
	}
}

func TestNewRecreationsCounter(t *testing.T) {
	want := `
# HELP egresskit_natgateway_recreations_total NAT gateways created in place of one found deleted, not found, failed or needing replacement, by reason.
# TYPE egresskit_natgateway_recreations_total counter
egresskit_natgateway_recreations_total{reason="deleted"} 0
egresskit_natgateway_recreations_total{reason="failed"} 0
egresskit_natgateway_recreations_total{reason="not-found"} 0
egresskit_natgateway_recreations_total{reason="replaced"} 0
`
	c := newRecreationsCounter()
	if err := testutil.CollectAndCompare(c, strings.NewReader(want)); err != nil {
		t.Errorf("a new counter must expose every reason at zero: %v", err)
	}
	c.WithLabelValues("deleted").Inc()
	if diff := cmp.Diff(1.0, testutil.ToFloat64(c.WithLabelValues("deleted"))); diff != "" {
		t.Errorf("deleted after one increment: -want, +got:\n%s", diff)
	}
}

func TestHealingMetrics(t *testing.T) {
	t0 := time.Date(2026, 3, 14, 9, 26, 53, 0, time.UTC)
	now := t0
	m := newHealingMetrics()
	m.now = func() time.Time { return now }
	gw := func(ns, name string) *v1alpha1.NATGateway {
		return &v1alpha1.NATGateway{ObjectMeta: metav1.ObjectMeta{Namespace: ns, Name: name, UID: ktypes.UID("uid-" + name)}}
	}
	a, b, c := gw("team-a", "a"), gw("team-a", "b"), gw("team-b", "c")
	// EC2 deleted a's gateway four seconds before it was found so.
	a.Status.AtProvider = v1alpha1.NATGatewayObservation{NATGatewayID: aws.String("nat-a1"), DeleteTime: &metav1.Time{Time: t0.Add(-4 * time.Second)}}

	// a: found deleted, again five seconds later, replaced three seconds
	// after that, and its replacement available after forty seconds.
	m.foundGone(a, "nat-a1", v1alpha1.FoundStateDeleted, t0)
	m.foundGone(a, "nat-a1", v1alpha1.FoundStateDeleted, t0.Add(5*time.Second))
	m.replaced(a, "nat-a1", "nat-a2", v1alpha1.FoundStateDeleted, t0.Add(8*time.Second))
	// b: found failed ten seconds in, and its replacement failed too: it
	// waits from its first failure.
	m.foundGone(b, "nat-b1", v1alpha1.FoundStateFailed, t0.Add(10*time.Second))
	m.replaced(b, "nat-b1", "nat-b2", v1alpha1.FoundStateFailed, t0.Add(12*time.Second))
	m.foundGone(b, "nat-b2", v1alpha1.FoundStateFailed, t0.Add(20*time.Second))
	m.replaced(b, "nat-b2", "nat-b3", v1alpha1.FoundStateFailed, t0.Add(21*time.Second))
	// c: deleted while waiting.
	m.foundGone(c, "nat-c1", v1alpha1.FoundStateNotFound, t0.Add(15*time.Second))

	now = t0.Add(30 * time.Second)
	want := `
# HELP egresskit_natgateway_awaiting_replacement NATGateways whose NAT gateway was found gone and whose replacement is not yet observed available, by namespace.
# TYPE egresskit_natgateway_awaiting_replacement gauge
egresskit_natgateway_awaiting_replacement{namespace="team-a"} 2
egresskit_natgateway_awaiting_replacement{namespace="team-b"} 1
# HELP egresskit_natgateway_awaiting_replacement_max_seconds Seconds the longest waiting NATGateway of a namespace has waited since its NAT gateway was found gone.
# TYPE egresskit_natgateway_awaiting_replacement_max_seconds gauge
egresskit_natgateway_awaiting_replacement_max_seconds{namespace="team-a"} 30
egresskit_natgateway_awaiting_replacement_max_seconds{namespace="team-b"} 15
`
	if err := testutil.CollectAndCompare(m, strings.NewReader(want), "egresskit_natgateway_awaiting_replacement", "egresskit_natgateway_awaiting_replacement_max_seconds"); err != nil {
		t.Errorf("three NATGateways waiting, in two namespaces: %v", err)
	}

	m.foundAvailable(a.GetUID(), "nat-a1", t0.Add(35*time.Second))
	m.foundAvailable(a.GetUID(), "nat-a2", t0.Add(40*time.Second))
	m.foundAvailable(b.GetUID(), "nat-b2", t0.Add(40*time.Second))
	m.forget(c.GetUID())
	if got := testutil.CollectAndCount(m, "egresskit_natgateway_awaiting_replacement"); got != 1 {
		t.Errorf("after a's replacement is available and c is deleted: want one namespace waiting (b's replacement nat-b3 is not available), got %d", got)
	}
	m.foundAvailable(b.GetUID(), "nat-b3", t0.Add(50*time.Second))
	if got := testutil.CollectAndCount(m, "egresskit_natgateway_awaiting_replacement"); got != 0 {
		t.Errorf("after every replacement is available: want no NATGateway waiting, got %d series", got)
	}

	type sums struct{ Count, Sum float64 }
	got := map[string]sums{}
	for _, h := range []struct {
		name string
		vec  *prometheus.HistogramVec
	}{{"detection", m.detected}, {"request", m.requested}, {"available", m.available}} {
		for _, r := range []string{v1alpha1.FoundStateDeleted, v1alpha1.FoundStateFailed} {
			pb := &dto.Metric{}
			if err := h.vec.WithLabelValues(r).(prometheus.Histogram).Write(pb); err != nil {
				t.Fatal(err)
			}
			got[h.name+"/"+r] = sums{Count: float64(pb.GetHistogram().GetSampleCount()), Sum: pb.GetHistogram().GetSampleSum()}
		}
	}
	wantSums := map[string]sums{
		// Only a was found deleted, with EC2's deleteTime.
		"detection/deleted": {Count: 1, Sum: 4},
		"detection/failed":  {},
		// a was replaced 8s after it was first found gone; b 2s after.
		"request/deleted": {Count: 1, Sum: 8},
		"request/failed":  {Count: 1, Sum: 2},
		// a was available 40s after it was found gone, b 40s after its
		// first failure.
		"available/deleted": {Count: 1, Sum: 40},
		"available/failed":  {Count: 1, Sum: 40},
	}
	if diff := cmp.Diff(wantSums, got); diff != "" {
		t.Errorf("healing histograms by reason: -want, +got:\n%s", diff)
	}
	problems, err := testutil.CollectAndLint(m)
	if err != nil || len(problems) > 0 {
		t.Errorf("The healing metrics follow Prometheus's naming conventions: %v %v", problems, err)
	}
}

// waiting returns what the healing metrics hold of the NATGateway uid.
func waiting(uid ktypes.UID) (healingWait, bool) {
	healingTotal.mu.Lock()
	defer healingTotal.mu.Unlock()
	h, ok := healingTotal.gone[uid]
	if !ok {
		return healingWait{}, false
	}
	return *h, true
}

func TestSimulatorTracksHealing(t *testing.T) {
	// Every simulator test's NATGateway has testUID: forget what the others
	// left waiting.
	healingTotal.forget(testUID)
	env := newSimEnv(t, ec2sim.Durations{Retention: time.Hour})
	first := env.ready()
	if h, ok := waiting(testUID); ok {
		t.Fatalf("a NATGateway Ready with its first gateway is not waiting for a replacement; got %+v", h)
	}
	if err := env.sim.DeleteNatGateway(env.ctx, first, true); err != nil {
		t.Fatalf("sim.DeleteNatGateway(...): %v", err)
	}
	env.advance(time.Minute)
	second := meta.GetExternalName(env.reconcile())

	h, ok := waiting(testUID)
	if !ok || h.id != first || h.newID != second || h.reason != v1alpha1.FoundStateDeleted || h.namespace != "default" {
		t.Fatalf("after the reconcile that replaced %s with %s: want it waiting for %s, found deleted, got %+v (%t)", first, second, second, h, ok)
	}
	env.ready()
	if h, ok := waiting(testUID); ok {
		t.Errorf("once the replacement is available the NATGateway waits no longer; got %+v", h)
	}
}
